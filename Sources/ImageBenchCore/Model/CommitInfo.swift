import Foundation

/// A git commit as runs record it: its full SHA, committer date and subject line.
public struct CommitInfo: Sendable, Equatable, Codable {
    public var sha: String
    public var date: Date
    public var subject: String

    public init(sha: String, date: Date, subject: String) {
        self.sha = sha
        self.date = date
        self.subject = subject
    }

    /// The abbreviated SHA reports show (git's default of 7 characters).
    public var short: String { String(sha.prefix(7)) }

    /// The label a run made from a checkout of this commit carries.
    public static let label = "commit"
}
