import Foundation
import ImageBenchCore

/// `run_scenarios`: each scenario a run used, as it was then.
enum ScenarioRows: TableMapping {
    static let table = "run_scenarios"
    static let columns = [
        "run_id", "name", "path", "content_hash", "git_commit", "git_branch", "images", "thresholds", "budgets", "git_date", "git_subject",
    ]

    static func values(_ s: RunScenario, runID: Int64) -> [SQLValue] {
        [
            .int(runID), .text(s.name), .text(s.path), .text(s.contentHash), .optional(s.gitCommit), .optional(s.gitBranch),
            .text(JSONColumn.text(s.images)), .text(JSONColumn.text(s.thresholds)), .text(JSONColumn.text(s.budgets)),
            s.gitDate.map { .double($0.timeIntervalSince1970) } ?? .null, .optional(s.gitSubject),
        ]
    }

    static func record(_ row: Row) throws(StoreError) -> RunScenario {
        RunScenario(
            name: try row.text("name"), path: try row.text("path"), contentHash: try row.text("content_hash"),
            gitCommit: try row.optionalText("git_commit"), gitBranch: try row.optionalText("git_branch"),
            images: try row.json([ResolvedImage].self, "images"), thresholds: try row.json(Thresholds.self, "thresholds"),
            budgets: try row.json(ScenarioBudgets.self, "budgets"),
            gitDate: try row.optionalDouble("git_date").map { Date(timeIntervalSince1970: $0) }, gitSubject: try row.optionalText("git_subject"))
    }
}
