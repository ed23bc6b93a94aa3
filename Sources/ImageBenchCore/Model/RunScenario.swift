import Foundation

/// A scenario as it was when a run used it.
public struct RunScenario: Sendable, Codable, Equatable {
    public var name: String
    public var path: String
    /// SHA-256 over the scenario folder's files (paths and contents).
    public var contentHash: String
    public var gitCommit: String?
    public var gitBranch: String?
    public var images: [ResolvedImage]
    /// The scenario's `thresholds:` when the run was made.
    public var thresholds: Thresholds

    public init(
        name: String, path: String, contentHash: String, gitCommit: String? = nil, gitBranch: String? = nil, images: [ResolvedImage] = [],
        thresholds: Thresholds = Thresholds()
    ) {
        self.name = name
        self.path = path
        self.contentHash = contentHash
        self.gitCommit = gitCommit
        self.gitBranch = gitBranch
        self.images = images
        self.thresholds = thresholds
    }

    enum CodingKeys: String, CodingKey {
        case name, path, images, thresholds
        case contentHash = "content_hash"
        case gitCommit = "git_commit"
        case gitBranch = "git_branch"
    }
}
