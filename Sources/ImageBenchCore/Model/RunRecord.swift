import Foundation

/// One `imagebench run`.
public struct RunRecord: Sendable, Codable, Equatable {
    /// The run's number in its database.
    public var id: Int64
    /// The run's identity everywhere: kept when databases are merged, so merging twice adds nothing.
    public var uid: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: RunStatus
    public var labels: [String: String]
    public var profile: String?
    public var environment: RunEnvironment
    public var scenarios: [RunScenario]
    /// What the run set out to build, so `run --resume` can finish it; nil for runs older than that.
    public var plan: RunPlan? = nil
    /// Why a `skipped` run built nothing (e.g. the scenario does not load at that commit).
    public var problem: String? = nil

    public init(
        id: Int64 = 0, startedAt: Date, finishedAt: Date? = nil, status: RunStatus = .running, labels: [String: String] = [:],
        profile: String? = nil, environment: RunEnvironment, scenarios: [RunScenario] = [], plan: RunPlan? = nil,
        uid: String = UUID().uuidString.lowercased(), problem: String? = nil
    ) {
        self.problem = problem
        self.plan = plan
        self.uid = uid
        self.id = id
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.labels = labels
        self.profile = profile
        self.environment = environment
        self.scenarios = scenarios
    }

    /// Scenario name → the budgets its `scenario.yaml` (and `.dive-ci`) set when the run was made.
    public var budgets: [String: ScenarioBudgets] {
        Dictionary(scenarios.map { ($0.name, $0.budgets) }, uniquingKeysWith: { a, _ in a })
    }

    enum CodingKeys: String, CodingKey {
        case id, uid, status, labels, profile, environment, scenarios, problem
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}

extension RunRecord {
    /// The commit the run's `scenario` (nil: its first scenario with one) was made from; its date is the
    /// run's start where the run did not record the commit's date.
    public func commit(of scenario: String? = nil) -> CommitInfo? {
        guard let used = scenarios.first(where: { $0.gitCommit != nil && (scenario == nil || $0.name == scenario) }), let sha = used.gitCommit
        else { return nil }
        return CommitInfo(sha: sha, date: used.gitDate ?? startedAt, subject: used.gitSubject ?? "")
    }
}
