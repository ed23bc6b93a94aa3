import Foundation
import ImageBenchCore

/// A registry that did not give a manifest.
public struct RegistryError: Error, CustomStringConvertible, Equatable {
    public var url: String
    public var problem: String
    /// Whether a registry answered (with a status or a body that is not a manifest), not that none did.
    public var answered: Bool

    public init(url: String, problem: String, answered: Bool = true) {
        self.url = url
        self.problem = problem
        self.answered = answered
    }

    public var description: String {
        answered
            ? "the registry at \(url) answered, but not with the image's manifest: \(problem)"
            : "no registry answers at \(url): \(problem); start one (scripts/registry start) or leave out --registry"
    }
}
