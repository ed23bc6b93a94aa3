import Foundation
import ImageBenchCore

/// `step_texts`: each distinct step (stage, number, total, instruction, kind) once. A build's `steps`
/// column refers to them, `[[text id, cached 0/1, start ms, duration ms], ...]`, so the thousands of
/// builds of a scenario do not each repeat its Dockerfile's text.
enum StepRows {
    static let table = "step_texts"

    /// What a step shares with the same step of other builds; `''` and 0 stand for no stage and no total.
    struct Text: Hashable {
        var stage: String
        var number: Int64
        var total: Int64
        var instruction: String
        var kind: String

        init(_ step: StepRecord) {
            stage = step.stage ?? ""
            number = Int64(step.number)
            total = Int64(step.total ?? 0)
            instruction = step.instruction
            kind = step.kind.rawValue
        }

        var values: [SQLValue] { [.text(stage), .int(number), .int(total), .text(instruction), .text(kind)] }
    }

    /// Finds or adds texts; within one transaction it remembers what it found.
    final class Interner {
        private let find: Statement
        private let insert: Statement
        private let database: Database
        private var known: [Text: Int64] = [:]

        init(_ db: Database) throws(StoreError) {
            database = db
            find = try db.prepare("SELECT id FROM step_texts WHERE stage = ? AND number = ? AND total = ? AND instruction = ? AND kind = ?")
            insert = try db.prepare("INSERT INTO step_texts (stage, number, total, instruction, kind) VALUES (?, ?, ?, ?, ?)")
        }

        func id(_ text: Text) throws(StoreError) -> Int64 {
            if let id = known[text] { return id }
            try find.bind(text.values)
            let id: Int64
            if try find.step() {
                id = find.int(0)
            } else {
                try insert.run(text.values)
                id = database.lastInsertID
            }
            known[text] = id
            return id
        }

        /// A build's `steps` column: NULL when it recorded none.
        func column(_ steps: [StepRecord]?) throws(StoreError) -> SQLValue {
            guard let steps else { return .null }
            var parts: [String] = []
            for step in steps {
                parts.append(
                    "[\(try id(Text(step))),\(step.cached ? 1 : 0),\(StepRows.milliseconds(step.start)),\(StepRows.milliseconds(step.seconds))]")
            }
            return .text("[" + parts.joined(separator: ",") + "]")
        }
    }

    static func milliseconds(_ seconds: Double) -> Int64 { Int64((seconds * 1000).rounded()) }

    /// Every text by id.
    static func texts(in db: Database) throws(StoreError) -> [Int64: Text] {
        let statement = try db.prepare("SELECT id, stage, number, total, instruction, kind FROM step_texts")
        var texts: [Int64: Text] = [:]
        while try statement.step() {
            let step = StepRecord(
                stage: nil, number: 0, total: nil, instruction: statement.text(4), kind: .internal, cached: false, start: 0, seconds: 0)
            var text = Text(step)
            text.stage = statement.text(1)
            text.number = statement.int(2)
            text.total = statement.int(3)
            text.kind = statement.text(5)
            texts[statement.int(0)] = text
        }
        return texts
    }

    /// A build's steps from its `steps` column and the texts it refers to.
    static func steps(_ row: Row, texts: [Int64: Text]) throws(StoreError) -> [StepRecord]? {
        guard let entries = try row.optionalJSON([[Int64]].self, "steps") else { return nil }
        return try entries.map { entry throws(StoreError) -> StepRecord in
            guard entry.count == 4, let text = texts[entry[0]], let kind = StepRecord.Kind(rawValue: text.kind) else {
                throw row.undecodable("steps", "\(entry) does not name a step of table step_texts")
            }
            return StepRecord(
                stage: text.stage.isEmpty ? nil : text.stage, number: Int(text.number), total: text.total == 0 ? nil : Int(text.total),
                instruction: text.instruction, kind: kind, cached: entry[1] != 0, start: Double(entry[2]) / 1000, seconds: Double(entry[3]) / 1000)
        }
    }
}
