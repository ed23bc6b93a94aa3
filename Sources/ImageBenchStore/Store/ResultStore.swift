import Foundation
import ImageBenchCore

/// The one SQLite file holding every run. An actor: it alone owns the connection.
public actor ResultStore: RunStore {
    public nonisolated let path: String
    private let db: Database

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
    }

    /// For tests of migrations: opens the database, migrating only up to `version`.
    init(path: String, migratingTo version: Int) throws(StoreError) {
        self.path = path
        db = try Database(path: path)
        try Migrations.migrate(db, upTo: version)
    }

    public static var schemaVersion: Int { Migrations.latest }

    public func schemaVersionInFile() throws(StoreError) -> Int { try Migrations.currentVersion(db) }

    // MARK: Writing

    /// Stores a new run (status `running`) and its scenarios, under a new uid; returns its id.
    public func createRun(_ run: RunRecord) throws(StoreError) -> Int64 {
        var fresh = run
        fresh.uid = UUID().uuidString.lowercased()
        return try db.transaction { () throws(StoreError) -> Int64 in try insertRun(fresh) }
    }

    /// Inserts a run and its scenarios inside the caller's transaction; returns the run's id.
    private func insertRun(_ run: RunRecord) throws(StoreError) -> Int64 {
        try db.prepare(RunRows.insertSQL).run(RunRows.values(run))
        let id = db.lastInsertID
        let scenario = try db.prepare(ScenarioRows.insertSQL)
        for s in run.scenarios { try scenario.run(ScenarioRows.values(s, runID: id)) }
        return id
    }

    public func finishRun(id: Int64, status: RunStatus, at date: Date = Date()) throws(StoreError) {
        try db.prepare("UPDATE runs SET status = ?, finished_at = ? WHERE id = ?").run([
            .text(status.rawValue), .double(date.timeIntervalSince1970), .int(id),
        ])
    }

    /// Stores the variant's row, `pending` until ``finishVariant(id:result:)``; returns its id.
    public func beginVariant(runID: Int64, scenario: String, axes: [AxisChoice]) throws(StoreError) -> Int64 {
        try db.prepare(VariantRows.insertSQL).run(VariantRows.values(VariantResult(runID: runID, scenario: scenario, axes: axes), runID: runID))
        return db.lastInsertID
    }

    public func record(build: BuildRecord, variantID: Int64) throws(StoreError) {
        try db.transaction { () throws(StoreError) in
            let steps = try StepRows.Interner(db).column(build.steps)
            try db.prepare(BuildRows.insertSQL).run(BuildRows.values(build, variantID: variantID, steps: steps))
        }
    }

    /// Stores the variant's measurements, status and layers (its builds are stored as they finish).
    public func finishVariant(id: Int64, result: VariantResult) throws(StoreError) {
        try db.transaction { () throws(StoreError) in
            try db.prepare(VariantRows.updateSQL).run(VariantRows.measuredValues(result) + [.int(id)])
            try db.prepare("DELETE FROM layers WHERE variant_id = ?").run([.int(id)])
            try insertLayers(of: result, variantID: id, with: try db.prepare(LayerRows.insertSQL))
            try insertFiles(of: result, variantID: id)
            try db.prepare("DELETE FROM secret_findings WHERE variant_id = ?").run([.int(id)])
            try insertSecrets(of: result, variantID: id)
        }
    }

    private func insertSecrets(of result: VariantResult, variantID: Int64) throws(StoreError) {
        let rows = SecretRows.rows(of: result, variantID: variantID)
        guard !rows.isEmpty else { return }
        let insert = try db.prepare(SecretRows.insertSQL)
        for row in rows { try insert.run(row) }
    }

    private func insertFiles(of result: VariantResult, variantID: Int64) throws(StoreError) {
        guard let files = result.files else { return }
        try db.prepare("INSERT OR REPLACE INTO variant_files (variant_id, files) VALUES (?, ?)").run([.int(variantID), .text(JSONColumn.text(files))])
    }

    /// The files of a variant's image as stored by its run (nil for a run before schema 12, or a
    /// variant that built no image).
    public func files(variantID: Int64) throws(StoreError) -> FinalFiles? {
        let statement = try db.prepare("SELECT files FROM variant_files WHERE variant_id = ?")
        try statement.bind([.int(variantID)])
        guard try statement.step() else { return nil }
        return try Row(statement: statement, table: "variant_files").optionalJSON(FinalFiles.self, "files")
    }

    private func insertLayers(of result: VariantResult, variantID: Int64, with insert: Statement) throws(StoreError) {
        for layer in result.image?.history ?? [] { try insert.run(LayerRows.values(layer, variantID: variantID)) }
    }

    /// Writes a whole finished run (its scenarios, variants, builds and layers) in one transaction;
    /// returns its new id. For bulk loads: benchmarks, and merging databases.
    public func importRun(_ run: RunRecord, results: [VariantResult]) throws(StoreError) -> Int64 {
        try db.transaction { () throws(StoreError) -> Int64 in
            let id = try insertRun(run)
            let variant = try db.prepare(VariantRows.insertSQL)
            let build = try db.prepare(BuildRows.insertSQL)
            let layer = try db.prepare(LayerRows.insertSQL)
            let steps = try StepRows.Interner(db)
            for r in results {
                try variant.run(VariantRows.values(r, runID: id))
                let variantID = db.lastInsertID
                for b in r.builds { try build.run(BuildRows.values(b, variantID: variantID, steps: try steps.column(b.steps))) }
                try insertLayers(of: r, variantID: variantID, with: layer)
                try insertFiles(of: r, variantID: variantID)
                try insertSecrets(of: r, variantID: variantID)
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
            RunRows.selectSQL(
                "\(clause) ORDER BY id", extra: ["id", "(SELECT COUNT(*) FROM variants v WHERE v.run_id = runs.id) AS variant_count"]))
        try statement.bind(values)
        var result: [RunSummary] = []
        while try statement.step() {
            let row = Row(statement: statement, table: RunRows.table)
            result.append(RunSummary(run: try RunRows.record(row), variantCount: Int(try row.int("variant_count"))))
        }
        let scenarios = try db.prepare(ScenarioRows.selectSQL("WHERE run_id = ? ORDER BY rowid"))
        for i in result.indices {
            try scenarios.bind([.int(result[i].run.id)])
            while try scenarios.step() {
                result[i].run.scenarios.append(try ScenarioRows.record(Row(statement: scenarios, table: ScenarioRows.table)))
            }
        }
        return result
    }

    /// Every variant of a run with its builds and layers, in the order they were built.
    /// With `files`, each image's stored files too (what `merge` copies; reports do not need them).
    public func results(runID: Int64, files: Bool = false) throws(StoreError) -> [VariantResult] {
        var rows = try variants(runID: runID)
        if files {
            for i in rows.indices { rows[i].result.files = try self.files(variantID: rows[i].id) }
        }
        return rows.map(\.result)
    }

    /// The variants a run has begun, with their row ids, builds and layers (for `run --resume`).
    public func variants(runID: Int64) throws(StoreError) -> [StoredVariant] {
        let statement = try db.prepare(VariantRows.selectSQL("WHERE run_id = ? ORDER BY id", extra: ["id"]))
        try statement.bind([.int(runID)])
        var rows: [StoredVariant] = []
        while try statement.step() { rows.append(try VariantRows.record(Row(statement: statement, table: VariantRows.table))) }
        let builds = try db.prepare(BuildRows.selectSQL("WHERE variant_id = ? ORDER BY id"))
        let stepTexts = rows.isEmpty ? [:] : try StepRows.texts(in: db)
        let layers = try db.prepare(LayerRows.selectSQL("WHERE variant_id = ? ORDER BY position"))
        for i in rows.indices {
            try builds.bind([.int(rows[i].id)])
            while try builds.step() {
                rows[i].result.builds.append(try BuildRows.record(Row(statement: builds, table: BuildRows.table), stepTexts: stepTexts))
            }
            if rows[i].result.image != nil {
                try layers.bind([.int(rows[i].id)])
                while try layers.step() { rows[i].result.image?.history.append(try LayerRows.record(Row(statement: layers, table: LayerRows.table))) }
            }
        }
        return rows
    }

    /// Runs `body` with a consistent copy of a database in a temporary file (SQLite's VACUUM INTO, which
    /// reads through the WAL), opened and brought up to date there: the original is never changed. The copy,
    /// its WAL and its shared-memory file are deleted once the copy is closed, also when `body` throws.
    public static func withSnapshotCopy<T>(of path: String, _ body: (ResultStore) async throws -> T) async throws -> T {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("imagebench-merge-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) } }
        // The store is released when this closure returns, before the files go.
        return try await { () async throws -> T in
            let source = try Database(path: path, createIfMissing: false)
            try source.prepare("VACUUM INTO ?").run([.text(copy)])
            return try await body(try ResultStore(path: copy))
        }()
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
            return try db.scalarInt("SELECT MAX(id) FROM runs WHERE json_extract(labels, ?) = ?", [.text(Self.labelPath(key)), .text(value)])
        }
    }

    /// Every run carrying the label `key=value`, oldest first, with its scenarios (e.g. the runs of one
    /// commit, `commit=SHA`).
    public func runs(labelled key: String, _ value: String) throws(StoreError) -> [RunRecord] {
        try runs(where: "WHERE json_extract(labels, ?) = ?", [.text(Self.labelPath(key)), .text(value)]).map(\.run)
    }

    /// Labels are a JSON object; a key is looked up as a JSON path string, quoted.
    static func labelPath(_ key: String) -> String {
        "$.\"" + key.replacingOccurrences(of: "\"", with: "\\\"") + "\""
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
            "SELECT v.id AS id, v.run_id AS run_id, r.started_at AS started_at, v.name AS name, v.status AS status, v.size_bytes AS size_bytes, json_extract(v.insight, '$.compressed_bytes') AS compressed_bytes, v.start AS start, v.pull AS pull, v.engine AS engine, r.environment AS environment FROM variants v JOIN runs r ON r.id = v.run_id WHERE \(filter) ORDER BY v.run_id, v.id"
        )
        try rows.bind(values)
        var order: [String] = []
        var points: [String: [HistoryPoint]] = [:]
        var runEngines: [Int64: String] = [:]
        while try rows.step() {
            let row = Row(statement: rows, table: VariantRows.table)
            let run = try row.int("run_id")
            // Runs before the engine was recorded per variant built everything on the run's one engine.
            let recorded = try row.optionalJSON(EngineRecord.self, "engine")
            let engine: String
            if let known = recorded?.identity ?? runEngines[run] {
                engine = known
            } else {
                engine = try row.json(RunEnvironment.self, "environment").engineRecord.identity
            }
            if runEngines[run] == nil, recorded == nil { runEngines[run] = engine }
            let name = try row.text("name")
            let value: Double?
            switch metric {
            case .size: value = try row.optionalInt("size_bytes").map(Double.init)
            case .compressed: value = try row.optionalInt("compressed_bytes").map(Double.init)
            case .cold, .warm, .edit, .ci, .ciNone: value = Summary(samples[try row.int("id")] ?? [])?.median
            case .start: value = Summary(try row.optionalJSON(StartResult.self, "start")?.samples ?? [])?.median
            case .pull: value = Summary(try row.optionalJSON(PullResult.self, "pull")?.samples ?? [])?.median
            }
            if points[name] == nil { order.append(name) }
            points[name, default: []].append(
                HistoryPoint(
                    runID: run, startedAt: Date(timeIntervalSince1970: try row.double("started_at")), value: value,
                    status: try row.value(VariantStatus.self, "status"), engine: engine))
        }
        return order.map { HistorySeries(scenario: scenario, variant: $0, metric: metric, points: points[$0] ?? []) }
    }

    /// Runs SQLite's integrity check; "ok" when the file is sound.
    public func integrityCheck() throws(StoreError) -> String {
        try db.scalarText("PRAGMA integrity_check") ?? ""
    }
}
