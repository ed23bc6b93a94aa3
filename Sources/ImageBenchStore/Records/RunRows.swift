import Foundation
import ImageBenchCore

/// `runs`: one row per run.
enum RunRows: TableMapping {
    static let table = "runs"
    static let columns = ["started_at", "finished_at", "status", "profile", "labels", "environment", "plan", "uid", "problem"]

    static func values(_ run: RunRecord) -> [SQLValue] {
        [
            .double(run.startedAt.timeIntervalSince1970), run.finishedAt.map { .double($0.timeIntervalSince1970) } ?? .null,
            .text(run.status.rawValue), .optional(run.profile), .text(JSONColumn.text(run.labels)), .text(JSONColumn.text(run.environment)),
            .optional(run.plan.map { JSONColumn.text($0) }), .text(run.uid), .optional(run.problem),
        ]
    }

    /// The run without its scenarios (``ScenarioRows``); the row must have `id` too.
    static func record(_ row: Row) throws(StoreError) -> RunRecord {
        RunRecord(
            id: try row.int("id"), startedAt: Date(timeIntervalSince1970: try row.double("started_at")),
            finishedAt: try row.optionalDouble("finished_at").map { Date(timeIntervalSince1970: $0) },
            status: try row.value(RunStatus.self, "status"), labels: try row.json([String: String].self, "labels"),
            profile: try row.optionalText("profile"), environment: try row.json(RunEnvironment.self, "environment"),
            plan: try row.optionalJSON(RunPlan.self, "plan"),
            // Runs recorded before uids were given one by migration 7.
            uid: try row.optionalText("uid") ?? "", problem: try row.optionalText("problem"))
    }
}
