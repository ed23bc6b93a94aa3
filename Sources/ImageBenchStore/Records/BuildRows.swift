import Foundation
import ImageBenchCore

/// `builds`: one row per `docker build` a run recorded.
enum BuildRows: TableMapping {
    static let table = "builds"
    static let columns = [
        "variant_id", "phase", "repetition", "started_at", "seconds", "outcome", "exit_code", "builder", "image_id", "output_tail", "engine",
        "steps",
    ]

    /// `steps`: the build's `steps` column, from ``StepRows/Interner/column(_:)``.
    static func values(_ b: BuildRecord, variantID: Int64, steps: SQLValue) -> [SQLValue] {
        [
            .int(variantID), .text(b.phase.rawValue), .int(Int64(b.repetition)), .double(b.startedAt.timeIntervalSince1970), .double(b.seconds),
            .text(b.outcome.rawValue), .optional(b.exitCode.map(Int64.init)), .text(b.builder.rawValue), .optional(b.imageID),
            .optional(b.outputTail), .optional(b.engine.map { JSONColumn.text($0) }), steps,
        ]
    }

    static func record(_ row: Row, stepTexts: [Int64: StepRows.Text]) throws(StoreError) -> BuildRecord {
        BuildRecord(
            phase: try row.value(Phase.self, "phase"), repetition: Int(try row.int("repetition")),
            startedAt: Date(timeIntervalSince1970: try row.double("started_at")), seconds: try row.double("seconds"),
            outcome: try row.value(BuildOutcome.self, "outcome"), exitCode: try row.optionalInt("exit_code").map { Int32(truncatingIfNeeded: $0) },
            builder: try row.value(BuilderKind.self, "builder"), imageID: try row.optionalText("image_id"),
            outputTail: try row.optionalText("output_tail"), engine: try row.optionalJSON(EngineRecord.self, "engine"),
            steps: try StepRows.steps(row, texts: stepTexts))
    }
}
