import Foundation

/// A commit's files written to a scratch folder (outside the user's work tree) for a run to build.
/// Runs record the scenario under its path in the repository, so the scratch folder never shows.
public struct CommitCheckout: Sendable, Equatable {
    public var commit: CommitInfo
    /// The scratch folder holding the commit's tree.
    public var folder: String
    /// The repository's work-tree top the commit's paths are relative to.
    public var repository: String

    public init(commit: CommitInfo, folder: String, repository: String) {
        self.commit = commit
        self.folder = folder
        self.repository = repository
    }

    /// A path in the scratch folder as the same path in the repository.
    public func original(_ path: String) -> String {
        Self.swap(path, from: folder, to: repository)
    }

    /// A path in the repository as the same path in the scratch folder.
    public func scratch(_ path: String) -> String {
        Self.swap(path, from: repository, to: folder)
    }

    /// A message about scratch files, naming them `SHORT:path` as git does (`a1b2c3d:Scenarios/x/scenario.yaml:4`).
    public func describe(_ message: String) -> String {
        message.replacingOccurrences(of: folder + "/", with: commit.short + ":")
    }

    static func swap(_ path: String, from: String, to: String) -> String {
        if path == from { return to }
        return path.hasPrefix(from + "/") ? to + path.dropFirst(from.count) : path
    }
}
