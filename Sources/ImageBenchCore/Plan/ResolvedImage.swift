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

    public init(name: String, requested: String, used: String, source: String) {
        self.name = name
        self.requested = requested
        self.used = used
        self.source = source
    }
}
