import Foundation
import ImageBenchCore

/// A run as `imagebench runs` lists it.
public struct RunSummary: Sendable, Equatable {
    public var run: RunRecord
    public var variantCount: Int
}

/// The one SQLite file holding every run. An actor: it alone owns the connection.
public actor ResultStore: RunRecording {
    public nonisolated let path: String
    private let db: Database
    private let encoder: JSONEncoder
    private let decoder = JSONDecoder()

    /// Opens or creates the database at `path` and brings its schema up to date.
    public init(path: String) throws(StoreError) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError(.cannotOpen, path: path, message: "cannot create the folder \(directory): \(error.localizedDescription)")
            }
        }
        db = try Database(path: path)
        try Migrations.migrate(db)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        self.encoder = encoder
    }

    /// For tests of migrations: opens the database, migrating only up to `version`.
    init(path: String, migratingTo version: Int) throws(StoreError) {
        self.path = path
        db = try Database(path: path)
        try Migrations.migrate(db, upTo: version)
        encoder = JSONEncoder()
    }

    public static var schemaVersion: Int { Migrations.latest }

    public func schemaVersionInFile() throws(StoreError) -> Int { try Migrations.currentVersion(db) }

    private func json(_ value: some Encodable) -> String {
        (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    private func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        guard let text, let data = text.data(using: .utf8) else { return nil }
        return try? decoder.decode(type, from: data)
    }

    // MARK: Writing

    /// Stores a new run (status `running`) and its scenarios, under a new uid; returns its id.
    public func createRun(_ run: RunRecord) throws(StoreError) -> Int64 {
        var fresh = run
        fresh.uid = UUID().uuidString.lowercased()
        return try db.transaction { () throws(StoreError) -> Int64 in try insertRun(fresh) }
    }

    /// Inserts a run and its scenarios inside the caller's transaction; returns the run's id.
    private func insertRun(_ run: RunRecord) throws(StoreError) -> Int64 {
        try db.prepare("INSERT INTO runs (started_at, finished_at, status, profile, labels, environment, plan, uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .run([
                .double(run.startedAt.timeIntervalSince1970), run.finishedAt.map { .double($0.timeIntervalSince1970) } ?? .null,
                .text(run.status.rawValue), .optional(run.profile), .text(json(run.labels)), .text(json(run.environment)),
                .optional(run.plan.map { json($0) }), .text(run.uid),
            ])
        let id = db.lastInsertID
        let scenario = try db.prepare(
            "INSERT INTO run_scenarios (run_id, name, path, content_hash, git_commit, git_branch, images, thresholds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        )
        for s in run.scenarios {
            try scenario.run([
                .int(id), .text(s.name), .text(s.path), .text(s.contentHash), .optional(s.gitCommit), .optional(s.gitBranch),
                .text(json(s.images)), .text(json(s.thresholds)),
            ])
        }
        return id
    }

    public func finishRun(id: Int64, status: RunStatus, at date: Date = Date()) throws(StoreError) {
        try db.prepare("UPDATE runs SET status = ?, finished_at = ? WHERE id = ?").run([
            .text(status.rawValue), .double(date.timeIntervalSince1970), .int(id),
        ])
    }

    public func beginVariant(runID: Int64, scenario: String, axes: [AxisChoice]) throws -> Int64 {
        try db.prepare("INSERT INTO variants (run_id, scenario, name, axes, status) VALUES (?, ?, ?, ?, ?)").run([
            .int(runID), .text(scenario), .text(Variant.name(of: axes)), .text(json(axes)), .text(VariantStatus.pending.rawValue),
        ])
        return db.lastInsertID
    }

    public func record(build: BuildRecord, variantID: Int64) throws {
        try db.prepare(
            "INSERT INTO builds (variant_id, phase, repetition, started_at, seconds, outcome, exit_code, builder, image_id, output_tail, engine) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ).run([
            .int(variantID), .text(build.phase.rawValue), .int(Int64(build.repetition)), .double(build.startedAt.timeIntervalSince1970),
            .double(build.seconds), .text(build.outcome.rawValue), .optional(build.exitCode.map(Int64.init)), .text(build.builder.rawValue),
            .optional(build.imageID), .optional(build.outputTail), .optional(build.engine.map { json($0) }),
        ])
    }

    public func finishVariant(id: Int64, result: VariantResult) throws {
        try db.transaction { () throws(StoreError) in
            try db.prepare(
                "UPDATE variants SET status = ?, image_ref = ?, image_id = ?, size_bytes = ?, layers = ?, context_bytes = ?, smoke = ?, problem = ?, context_facts = ?, insight = ?, engine = ? WHERE id = ?"
            ).run([
                .text(result.status.rawValue), .optional(result.image?.ref), .optional(result.image?.id), .optional(result.image?.sizeBytes),
                .optional(result.image.map { Int64($0.layers) }), .optional(result.contextBytes), .optional(result.smoke.map { json($0) }),
                .optional(result.problem), .optional(result.context.map { json($0) }), .optional(result.insight.map { json($0) }),
                .optional(result.engine.map { json($0) }), .int(id),
            ])
            try db.prepare("DELETE FROM layers WHERE variant_id = ?").run([.int(id)])
            let insert = try db.prepare("INSERT INTO layers (variant_id, position, size_bytes, created_by, layer_id) VALUES (?, ?, ?, ?, ?)")
            for layer in result.image?.history ?? [] {
                try insert.run([.int(id), .int(Int64(layer.position)), .int(layer.sizeBytes), .text(layer.createdBy), .optional(layer.id)])
            }
        }
    }

    /// Writes a whole finished run (its scenarios, variants, builds and layers) in one transaction;
    /// returns its new id. For bulk loads: benchmarks, and merging databases.
    public func importRun(_ run: RunRecord, results: [VariantResult]) throws(StoreError) -> Int64 {
        try db.transaction { () throws(StoreError) -> Int64 in
            let id = try insertRun(run)
            let variant = try db.prepare(
                "INSERT INTO variants (run_id, scenario, name, axes, status, image_ref, image_id, size_bytes, layers, context_bytes, smoke, problem, context_facts, insight, engine) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            )
            let build = try db.prepare(
                "INSERT INTO builds (variant_id, phase, repetition, started_at, seconds, outcome, exit_code, builder, image_id, output_tail, engine) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            )
            let layer = try db.prepare("INSERT INTO layers (variant_id, position, size_bytes, created_by, layer_id) VALUES (?, ?, ?, ?, ?)")
            for r in results {
                try variant.run([
                    .int(id), .text(r.scenario), .text(r.name), .text(json(r.axes)), .text(r.status.rawValue), .optional(r.image?.ref),
                    .optional(r.image?.id), .optional(r.image?.sizeBytes), .optional(r.image.map { Int64($0.layers) }), .optional(r.contextBytes),
                    .optional(r.smoke.map { json($0) }), .optional(r.problem), .optional(r.context.map { json($0) }),
                    .optional(r.insight.map { json($0) }), .optional(r.engine.map { json($0) }),
                ])
                let variantID = db.lastInsertID
                for b in r.builds {
                    try build.run([
                        .int(variantID), .text(b.phase.rawValue), .int(Int64(b.repetition)), .double(b.startedAt.timeIntervalSince1970),
                        .double(b.seconds),
                        .text(b.outcome.rawValue), .optional(b.exitCode.map(Int64.init)), .text(b.builder.rawValue), .optional(b.imageID),
                        .optional(b.outputTail), .optional(b.engine.map { json($0) }),
                    ])
                }
                for l in r.image?.history ?? [] {
                    try layer.run([.int(variantID), .int(Int64(l.position)), .int(l.sizeBytes), .text(l.createdBy), .optional(l.id)])
                }
            }
            return id
        }
    }

    // MARK: Reading

    /// The newest run's id, or nil for an empty database.
    public func latestRunID() throws(StoreError) -> Int64? {
        try db.scalarInt("SELECT MAX(id) FROM runs")
    }

    public func run(id: Int64) throws(StoreError) -> RunRecord? {
        try runs(where: "WHERE id = ?", [.int(id)]).first?.run
    }

    /// Every run, oldest first, with its variant count.
    public func runSummaries() throws(StoreError) -> [RunSummary] {
        try runs(where: "", [])
    }

    private func runs(where clause: String, _ values: [SQLValue]) throws(StoreError) -> [RunSummary] {
        let statement = try db.prepare(
            "SELECT id, started_at, finished_at, status, profile, labels, environment, (SELECT COUNT(*) FROM variants v WHERE v.run_id = runs.id), plan, uid FROM runs \(clause) ORDER BY id"
        )
        try statement.bind(values)
        var result: [RunSummary] = []
        while try statement.step() {
            let run = RunRecord(
                id: statement.int(0), startedAt: Date(timeIntervalSince1970: statement.double(1)),
                finishedAt: statement.isNull(2) ? nil : Date(timeIntervalSince1970: statement.double(2)),
                status: RunStatus(rawValue: statement.text(3)) ?? .failed, labels: decode([String: String].self, statement.text(5)) ?? [:],
                profile: statement.optionalText(4), environment: decode(RunEnvironment.self, statement.text(6)) ?? RunEnvironment(),
                plan: decode(RunPlan.self, statement.optionalText(8)), uid: statement.optionalText(9) ?? "")
            result.append(RunSummary(run: run, variantCount: Int(statement.int(7))))
        }
        let scenarios = try db.prepare(
            "SELECT name, path, content_hash, git_commit, git_branch, images, thresholds FROM run_scenarios WHERE run_id = ? ORDER BY rowid")
        for i in result.indices {
            try scenarios.bind([.int(result[i].run.id)])
            while try scenarios.step() {
                result[i].run.scenarios.append(
                    RunScenario(
                        name: scenarios.text(0), path: scenarios.text(1), contentHash: scenarios.text(2), gitCommit: scenarios.optionalText(3),
                        gitBranch: scenarios.optionalText(4), images: decode([ResolvedImage].self, scenarios.text(5)) ?? [],
                        thresholds: decode(Thresholds.self, scenarios.text(6)) ?? Thresholds()))
            }
        }
        return result
    }

    /// Every variant of a run with its builds and layers, in the order they were built.
    public func results(runID: Int64) throws(StoreError) -> [VariantResult] {
        try variantRows(runID: runID).map(\.result)
    }

    /// The variants a run has begun, with their row ids, for `run --resume`.
    public func variantRows(runID: Int64) throws(StoreError) -> [(id: Int64, result: VariantResult)] {
        let statement = try db.prepare(
            "SELECT id, scenario, axes, status, image_ref, image_id, size_bytes, layers, context_bytes, smoke, problem, context_facts, insight, engine FROM variants WHERE run_id = ? ORDER BY id"
        )
        try statement.bind([.int(runID)])
        var rows: [(Int64, VariantResult)] = []
        while try statement.step() {
            var result = VariantResult(
                runID: runID, scenario: statement.text(1), axes: decode([AxisChoice].self, statement.text(2)) ?? [],
                status: VariantStatus(rawValue: statement.text(3)) ?? .pending, contextBytes: statement.optionalInt(8),
                smoke: decode(SmokeResult.self, statement.optionalText(9)), problem: statement.optionalText(10))
            result.context = decode(BuildContextFacts.self, statement.optionalText(11))
            result.insight = decode(ImageInsight.self, statement.optionalText(12))
            result.engine = decode(EngineRecord.self, statement.optionalText(13))
            if let id = statement.optionalText(5) {
                result.image = ImageFacts(
                    ref: statement.optionalText(4) ?? "", id: id, sizeBytes: statement.optionalInt(6) ?? 0, layers: Int(statement.optionalInt(7) ?? 0)
                )
            }
            rows.append((statement.int(0), result))
        }
        let builds = try db.prepare(
            "SELECT phase, repetition, started_at, seconds, outcome, exit_code, builder, image_id, output_tail, engine FROM builds WHERE variant_id = ? ORDER BY id"
        )
        let layers = try db.prepare("SELECT position, size_bytes, created_by, layer_id FROM layers WHERE variant_id = ? ORDER BY position")
        for i in rows.indices {
            try builds.bind([.int(rows[i].0)])
            while try builds.step() {
                rows[i].1.builds.append(
                    BuildRecord(
                        phase: Phase(rawValue: builds.text(0)) ?? .cold, repetition: Int(builds.int(1)),
                        startedAt: Date(timeIntervalSince1970: builds.double(2)), seconds: builds.double(3),
                        outcome: BuildOutcome(rawValue: builds.text(4)) ?? .failed, exitCode: builds.optionalInt(5).map { Int32($0) },
                        builder: BuilderKind(rawValue: builds.text(6)) ?? .classic, imageID: builds.optionalText(7),
                        outputTail: builds.optionalText(8), engine: decode(EngineRecord.self, builds.optionalText(9))))
            }
            if rows[i].1.image != nil {
                try layers.bind([.int(rows[i].0)])
                while try layers.step() {
                    rows[i].1.image?.history.append(
                        LayerRecord(position: Int(layers.int(0)), sizeBytes: layers.int(1), createdBy: layers.text(2), id: layers.optionalText(3)))
                }
            }
        }
        return rows.map { (id: $0.0, result: $0.1) }
    }

    /// A consistent copy of a database in a temporary file (SQLite's VACUUM INTO, which reads through the
    /// WAL), opened and brought up to date there: the original is never changed. Delete `path` when done.
    public static func snapshotCopy(of path: String) throws(StoreError) -> ResultStore {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("imagebench-merge-\(UUID().uuidString).sqlite").path
        let source = try Database(path: path, createIfMissing: false)
        try source.prepare("VACUUM INTO ?").run([.text(copy)])
        return try ResultStore(path: copy)
    }

    /// Whether a run with this uid is here (merging skips it).
    public func hasRun(uid: String) throws(StoreError) -> Bool {
        try db.scalarInt("SELECT COUNT(*) FROM runs WHERE uid = ?", [.text(uid)]) ?? 0 > 0
    }

    /// Marks a stopped run as running again, for `run --resume`.
    public func reopenRun(id: Int64) throws(StoreError) {
        try db.prepare("UPDATE runs SET status = ?, finished_at = NULL WHERE id = ?").run([.text(RunStatus.running.rawValue), .int(id)])
    }

    /// The id a selector names: a run id that exists, the newest run, or the newest run with a label.
    public func resolve(_ selector: RunSelector) throws(StoreError) -> Int64? {
        switch selector {
        case .id(let id): return try db.scalarInt("SELECT id FROM runs WHERE id = ?", [.int(id)])
        case .latest: return try latestRunID()
        case .label(let key, let value):
            // Labels are a JSON object; the key is passed as a JSON path string, quoted.
            let path = "$.\"" + key.replacingOccurrences(of: "\"", with: "\\\"") + "\""
            return try db.scalarInt("SELECT MAX(id) FROM runs WHERE json_extract(labels, ?) = ?", [.text(path), .text(value)])
        }
    }

    /// A run with its results and its scenarios' thresholds, for `compare`.
    public func snapshot(runID: Int64) throws(StoreError) -> RunSnapshot? {
        guard let run = try run(id: runID) else { return nil }
        let thresholds = Dictionary(run.scenarios.map { ($0.name, $0.thresholds) }, uniquingKeysWith: { a, _ in a })
        return RunSnapshot(run: run, results: try results(runID: runID), thresholds: thresholds)
    }

    /// The metric's value per variant over the last `last` runs that include the scenario, oldest first,
    /// in as few queries as possible (it feeds `history` and the HTML trend lines).
    public func history(scenario: String, variant: String? = nil, metric: Metric, last: Int, upTo runID: Int64 = .max) throws(StoreError)
        -> [HistorySeries]
    {
        let runs = try db.prepare(
            "SELECT DISTINCT run_id FROM variants WHERE scenario = ? AND run_id <= ? ORDER BY run_id DESC LIMIT ?")
        try runs.bind([.text(scenario), .int(runID), .int(Int64(last))])
        var ids: [Int64] = []
        while try runs.step() { ids.append(runs.int(0)) }
        guard let oldest = ids.last, let newest = ids.first else { return [] }

        var filter = "v.scenario = ? AND v.run_id BETWEEN ? AND ?"
        var values: [SQLValue] = [.text(scenario), .int(oldest), .int(newest)]
        if let variant {
            filter += " AND v.name = ?"
            values.append(.text(variant))
        }
        var samples: [Int64: [Double]] = [:]
        if let phase = metric.phase {
            let builds = try db.prepare(
                "SELECT b.variant_id, b.seconds FROM builds b JOIN variants v ON v.id = b.variant_id WHERE \(filter) AND b.phase = ? AND b.outcome = 'ok'"
            )
            try builds.bind(values + [.text(phase.rawValue)])
            while try builds.step() { samples[builds.int(0), default: []].append(builds.double(1)) }
        }
        let rows = try db.prepare(
            "SELECT v.id, v.run_id, r.started_at, v.name, v.status, v.size_bytes, json_extract(v.insight, '$.compressed_bytes'), v.engine, r.environment FROM variants v JOIN runs r ON r.id = v.run_id WHERE \(filter) ORDER BY v.run_id, v.id"
        )
        try rows.bind(values)
        var order: [String] = []
        var points: [String: [HistoryPoint]] = [:]
        var runEngines: [Int64: String] = [:]
        while try rows.step() {
            // Runs before the engine was recorded per variant built everything on the run's one engine.
            let engine =
                decode(EngineRecord.self, rows.optionalText(7))?.identity
                ?? runEngines[rows.int(1)]
                ?? decode(RunEnvironment.self, rows.text(8))?.engineRecord.identity
            if runEngines[rows.int(1)] == nil, rows.optionalText(7) == nil { runEngines[rows.int(1)] = engine }
            let name = rows.text(3)
            let value: Double?
            switch metric {
            case .size: value = rows.optionalInt(5).map(Double.init)
            case .compressed: value = rows.optionalInt(6).map(Double.init)
            case .cold, .warm, .edit: value = Summary(samples[rows.int(0)] ?? [])?.median
            }
            if points[name] == nil { order.append(name) }
            points[name, default: []].append(
                HistoryPoint(
                    runID: rows.int(1), startedAt: Date(timeIntervalSince1970: rows.double(2)), value: value,
                    status: VariantStatus(rawValue: rows.text(4)) ?? .pending, engine: engine))
        }
        return order.map { HistorySeries(scenario: scenario, variant: $0, metric: metric, points: points[$0] ?? []) }
    }

    /// Runs SQLite's integrity check; "ok" when the file is sound.
    public func integrityCheck() throws(StoreError) -> String {
        try db.scalarText("PRAGMA integrity_check") ?? ""
    }
}
