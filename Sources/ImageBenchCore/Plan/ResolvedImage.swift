import Foundation
import Yams

/// A named image of a scenario and the reference actually used for it.
public struct ResolvedImage: Sendable, Equatable, Codable {
    public var name: String
    /// The reference the scenario wrote (often an upstream name such as `alpine:3.20`).
    public var requested: String
    /// The reference built against.
    public var used: String
    /// Where the substitution came from: `scenario`, `profile NAME` or `--image`.
    public var source: String
    /// What a stand-in says it holds, from its `imagebench.provides` label (``providesLabel``): the
    /// toolchain and libraries a build against it actually gets. nil for the image asked for, or a
    /// stand-in without the label.
    public var provides: String?
    /// A profile's substitutes for one platform (`linux/arm64` → `imagebench-local/musl-busybox:1-arm64`): what a
    /// variant built for that platform alone builds against; nil without any.
    public var platforms: [String: String]?

    /// The reference a variant built for `platform` uses: that platform's substitute when the profile has one.
    public func used(for platform: String?) -> String {
        guard let platform, let standIn = platforms?[platform] else { return used }
        return standIn
    }

    /// The label a stand-in image describes itself with.
    public static let providesLabel = "imagebench.provides"

    public init(name: String, requested: String, used: String, source: String) {
        self.name = name
        self.requested = requested
        self.used = used
        self.source = source
    }
}
