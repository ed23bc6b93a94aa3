import Foundation

/// A scenario as it was when a run used it.
public struct RunScenario: Sendable, Codable, Equatable {
    public var name: String
    public var path: String
    /// SHA-256 over the scenario folder's files (paths and contents).
    public var contentHash: String
    public var gitCommit: String?
    public var gitBranch: String?
    /// The commit's committer date and subject, when the run knew them (recorded since schema 14).
    public var gitDate: Date?
    public var gitSubject: String?
    public var images: [ResolvedImage]
    /// The scenario's `thresholds:` when the run was made.
    public var thresholds: Thresholds
    /// The scenario's budgets when the run was made.
    public var budgets: ScenarioBudgets

    public init(
        name: String, path: String, contentHash: String, gitCommit: String? = nil, gitBranch: String? = nil, images: [ResolvedImage] = [],
        thresholds: Thresholds = Thresholds(), budgets: ScenarioBudgets = ScenarioBudgets(), gitDate: Date? = nil, gitSubject: String? = nil
    ) {
        self.gitDate = gitDate
        self.gitSubject = gitSubject
        self.budgets = budgets
        self.name = name
        self.path = path
        self.contentHash = contentHash
        self.gitCommit = gitCommit
        self.gitBranch = gitBranch
        self.images = images
        self.thresholds = thresholds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decode(String.self, forKey: .name), path: try c.decode(String.self, forKey: .path),
            contentHash: try c.decode(String.self, forKey: .contentHash), gitCommit: try c.decodeIfPresent(String.self, forKey: .gitCommit),
            gitBranch: try c.decodeIfPresent(String.self, forKey: .gitBranch),
            images: try c.decodeIfPresent([ResolvedImage].self, forKey: .images) ?? [],
            thresholds: try c.decodeIfPresent(Thresholds.self, forKey: .thresholds) ?? Thresholds(),
            budgets: try c.decodeIfPresent(ScenarioBudgets.self, forKey: .budgets) ?? ScenarioBudgets(),
            gitDate: try c.decodeIfPresent(Date.self, forKey: .gitDate), gitSubject: try c.decodeIfPresent(String.self, forKey: .gitSubject))
    }

    enum CodingKeys: String, CodingKey {
        case name, path, images, thresholds, budgets
        case contentHash = "content_hash"
        case gitCommit = "git_commit"
        case gitBranch = "git_branch"
        case gitDate = "git_date"
        case gitSubject = "git_subject"
    }
}
