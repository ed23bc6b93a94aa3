import Foundation
import ImageBenchCore
import ImageBenchReport
import ImageBenchTestSupport
import Testing

@testable import ImageBenchStore

@Suite("SQLite store")
struct ResultStoreTests {
    static let engine = EngineRecord(
        kind: .docker, endpoint: "ssh://ci@builder1", host: "builder1", serverVersion: "20.10.24+dfsg1", storageDriver: "overlay2", cpus: 8,
        memoryBytes: 32_000_000_000)

    /// A variant built on `engine`, which every build records too.
    static func result(runID: Int64, size: Int64 = 4_470_000) -> VariantResult {
        var result = VariantResult(
            runID: runID, scenario: "go-http", axes: [AxisChoice(axis: "linking", value: "static")], status: .ok,
            image: ImageFacts(
                ref: "imagebench/go-http:r1-x", id: "sha256:aaa", sizeBytes: size, layers: 1,
                history: [LayerRecord(position: 0, sizeBytes: size, createdBy: "COPY /app /app", id: "sha256:l1")],
                engineSize: EngineSize(bytes: 2_151_200, meaning: .packed, diskBytes: size + 2_151_200, store: .containerd)),
            contextBytes: 1480, builds: Sample.builds(.cold, [3.62, 3.71, 3.90]) + Sample.builds(.warm, [0.4]),
            smoke: SmokeResult(ok: true, exitCode: 0, seconds: 0.41, output: "ok true"))
        result.engine = engine
        for i in result.builds.indices { result.builds[i].engine = engine }
        result.builds[0].steps = Sample.steps(run: 3.1)
        // A service: its start times and its memory in use after the first answer.
        result.start = StartResult(samples: [0.31, 0.29, 0.35])
        result.smoke?.memoryBytes = 3_428_844
        return result
    }

    static func run() -> RunRecord {
        RunRecord(
            startedAt: Sample.date, labels: ["branch": "main"], profile: "offline", environment: Sample.environment(),
            scenarios: [
                RunScenario(
                    name: "go-http", path: "/s", contentHash: "abc", gitCommit: "deadbeef", gitBranch: "main",
                    images: [
                        ResolvedImage(name: "alpine", requested: "alpine:3.20", used: "imagebench-local/musl-busybox:1", source: "profile offline")
                    ])
            ])
    }

    /// Stores a run with one finished variant, the way the runner does.
    static func store(_ result: VariantResult, in store: ResultStore) async throws -> Int64 {
        let id = try await store.createRun(run())
        var r = result
        r.runID = id
        let variantID = try await store.beginVariant(runID: id, scenario: r.scenario, axes: r.axes)
        for build in r.builds { try await store.record(build: build, variantID: variantID) }
        try await store.finishVariant(id: variantID, result: r)
        try await store.finishRun(id: id, status: .complete, at: Sample.date.addingTimeInterval(60))
        return id
    }

    @Test("a new database gets every migration and reads back what was written")
    func roundTrip() async throws {
        try await withTemporaryStore { store, _ in
            #expect(try await store.schemaVersionInFile() == ResultStore.schemaVersion)
            let id = try await Self.store(Self.result(runID: 0), in: store)
            var expected = Self.result(runID: id)
            expected.runID = id
            #expect(try await store.results(runID: id) == [expected])
            let run = try #require(try await store.run(id: id))
            #expect(run.status == .complete)
            #expect(run.labels == ["branch": "main"])
            #expect(run.environment == Sample.environment())
            #expect(run.scenarios == Self.run().scenarios)
            #expect(run.finishedAt == Sample.date.addingTimeInterval(60))
            #expect(try await store.latestRunID() == id)
            #expect(try await store.runSummaries().map(\.variantCount) == [1])
            #expect(try await store.integrityCheck() == "ok")
        }
    }

    @Test("a database of every earlier schema version keeps its data when migrated to the latest", arguments: 1..<Migrations.latest)
    func migrateOlder(from version: Int) async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/old.sqlite"
            do {
                // Written as imagebench with that schema version wrote it (the version-1 tables and
                // columns are in every later version too).
                _ = try ResultStore(path: path, migratingTo: version)
                #expect(try DatabaseCheck.run(path: path).schemaVersion == version)
                let db = try Database(path: path)
                try db.execute(
                    """
                    INSERT INTO runs (id, started_at, finished_at, status, profile, labels, environment)
                        VALUES (1, 1795000000, 1795000600, 'complete', 'offline', '{"branch":"main"}', '{"host":"ci-1","cpus":2}');
                    INSERT INTO run_scenarios (run_id, name, path, content_hash, images) VALUES (1, 'go-http', '/s', 'abc', '[]');
                    INSERT INTO variants (id, run_id, scenario, name, axes, status, image_id, size_bytes, layers)
                        VALUES (1, 1, 'go-http', 'linking=static', '[{"axis":"linking","value":"static"}]', 'ok', 'sha256:a', 4470000, 1);
                    INSERT INTO builds (variant_id, phase, repetition, started_at, seconds, outcome, builder) VALUES (1, 'cold', 1, 1795000000, 1.5, 'ok', 'classic');
                    """)
            }
            let store = try ResultStore(path: path)
            #expect(try await store.schemaVersionInFile() == ResultStore.schemaVersion)
            let results = try await store.results(runID: 1)
            #expect(results.count == 1)
            #expect(results[0].samples(.cold) == [1.5])
            #expect(results[0].image?.sizeBytes == 4_470_000)
            let snapshot = try #require(try await store.snapshot(runID: 1))
            #expect(snapshot.run.labels == ["branch": "main"])
            #expect(snapshot.thresholds == ["go-http": Thresholds()])
            #expect(try await store.resolve(.label(key: "branch", value: "main")) == 1)
            #expect(try await store.integrityCheck() == "ok")
        }
    }

    @Test("secrets: a run's findings go to secret_findings; a schema-15 run's name-based list reads, and migrates, as name-only")
    func secretFindings() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/old.sqlite"
            do {
                _ = try ResultStore(path: path, migratingTo: 15)
                let db = try Database(path: path)
                try db.execute(
                    """
                    INSERT INTO runs (id, started_at, finished_at, status, profile, labels, environment)
                        VALUES (1, 1795000000, 1795000600, 'complete', 'offline', '{}', '{"host":"ci-1","cpus":2}');
                    INSERT INTO run_scenarios (run_id, name, path, content_hash, images) VALUES (1, 'go-http', '/s', 'abc', '[]');
                    INSERT INTO variants (id, run_id, scenario, name, axes, status, image_id, size_bytes, layers, insight, context_facts)
                        VALUES (1, 1, 'go-http', 'linking=static', '[{"axis":"linking","value":"static"}]', 'ok', 'sha256:a', 4470000, 1,
                        '{"layers":[],"efficiency":1,"wasted_bytes":0,"user_wasted_percent":0,"wasted_files":[],"secrets":["/app/.env (layer 1)"]}',
                        '{"files":2,"bytes":10,"excluded_files":0,"excluded_bytes":0,"secrets":["keys/id_rsa"]}');
                    """)
            }
            let store = try ResultStore(path: path)
            let old = try #require(try await store.results(runID: 1).first)
            #expect(old.insight?.secrets == [] && old.insight?.secretNames == ["/app/.env (layer 1)"])
            #expect(old.context?.secrets == [] && old.context?.secretNames == ["keys/id_rsa"])

            var fresh = ResultStoreTests.result(runID: 0)
            fresh.insight = ImageInsight(
                layers: [], waste: WasteAnalysis.analyze([]),
                secrets: [
                    SecretFinding(
                        kind: .content, rule: .privateKey, path: "/app/config.txt", layer: 2, line: 1, excerpt: "-----BEGIN PRIVATE KEY-----…"),
                    SecretFinding(kind: .name, rule: nil, path: "/app/.env", layer: 1),
                ])
            let runID = try await ResultStoreTests.store(fresh, in: store)
            let read = try #require(try await store.results(runID: runID).first)
            #expect(
                read.insight?.secrets == ["private-key /app/config.txt (layer 2, line 1)"] && read.insight?.secretNames == ["/app/.env (layer 1)"])

            let db = try Database(path: path)
            let rows = try db.prepare(
                """
                SELECT variant_id || '|' || source || '|' || kind || '|' || COALESCE(rule, '-') || '|' || path || '|' || COALESCE(layer, -1)
                    || '|' || COALESCE(line, -1) || '|' || COALESCE(excerpt, '-') AS line FROM secret_findings ORDER BY variant_id, rowid
                """)
            var seen: [String] = []
            while try rows.step() { seen.append(try Row(statement: rows, table: "secret_findings").text("line")) }
            #expect(
                seen == [
                    "1|image|name|-|/app/.env|1|-1|-", "1|context|name|-|keys/id_rsa|-1|-1|-",
                    "2|image|content|private-key|/app/config.txt|2|1|-----BEGIN PRIVATE KEY-----…", "2|image|name|-|/app/.env|1|-1|-",
                ], "\(seen)")
        }
    }

    @Test("an empty database has no latest run")
    func emptyLatest() async throws {
        try await withTemporaryStore { store, _ in
            let latest = try await store.latestRunID()
            let resolved = try await store.resolve(.latest)
            #expect(latest == nil)
            #expect(resolved == nil)
        }
    }

    @Test("a database from a newer imagebench is refused, not changed")
    func newer() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/new.sqlite"
            _ = try ResultStore(path: path)
            try Database(path: path).execute("INSERT INTO schema_migrations VALUES (99, 'future', 0)")
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            do {
                _ = try ResultStore(path: path)
                Issue.record("a newer schema should be refused")
            } catch let error as StoreError {
                #expect(error.reason == .newerSchema)
                #expect(error.description.contains("schema version 99"))
                #expect(error.description.contains("upgrade imagebench"))
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        }
    }

    @Test("db check reads without changing: integrity, schema version, rows per table")
    func check() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/c.sqlite"
            #expect(throws: StoreError.self) { try DatabaseCheck.run(path: path) }
            #expect(!FileManager.default.fileExists(atPath: path), "check must not create a database")
            let store = try ResultStore(path: path)
            _ = try await ResultStoreTests.store(ResultStoreTests.result(runID: 0), in: store)
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            let check = try DatabaseCheck.run(path: path)
            #expect(check.integrity == "ok" && check.isHealthy)
            #expect(check.schemaVersion == Migrations.latest && check.knownVersion == Migrations.latest)
            let rows = Dictionary(uniqueKeysWithValues: check.rows.map { ($0.table, $0.count) })
            #expect(rows["runs"] == 1 && rows["variants"] == 1 && rows["builds"] == 4)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
            try Database(path: path).execute("INSERT INTO schema_migrations VALUES (99, 'future', 0)")
            #expect(try DatabaseCheck.run(path: path).isHealthy == false)
        }
    }

    @Test("a file that is not a database gives a clear error")
    func notADatabase() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/x.sqlite"
            try "this is not sqlite, just some text that is long enough".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: StoreError.self) { try ResultStore(path: path) }
        }
    }

    @Test("two stores on one file write at the same time without 'database is locked'")
    func twoWriters() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/shared.sqlite"
            let a = try ResultStore(path: path)
            let b = try ResultStore(path: path)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for store in [a, b] {
                    group.addTask {
                        for _ in 0..<20 { _ = try await Self.store(Self.result(runID: 0), in: store) }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await a.runSummaries().count == 40)
            #expect(try await b.integrityCheck() == "ok")
        }
    }

    @Test("SQL errors name the statement")
    func sqlError() async throws {
        let e = StoreError(
            .sqlite, path: "x.sqlite", code: 19, message: "NOT NULL constraint failed: runs.status", sql: "INSERT INTO runs\nVALUES (?)")
        #expect(e.description == "x.sqlite: SQLite error 19: NOT NULL constraint failed: runs.status - while executing `INSERT INTO runs VALUES (?)`")
    }
}

@Suite("SQLite store: selectors and history")
struct StoreQueryTests {
    @Test("latest, an id, and the latest run with a label")
    func resolve() async throws {
        try await withTemporaryStore { store, _ in
            var run = ResultStoreTests.run()
            for branch in ["main", "feature", "main", "other"] {
                run.labels = ["branch": branch, "odd key": "x"]
                _ = try await store.createRun(run)
            }
            #expect(try await store.resolve(.latest) == 4)
            #expect(try await store.resolve(.id(2)) == 2)
            #expect(try await store.resolve(.id(9)) == nil)
            #expect(try await store.resolve(.label(key: "branch", value: "main")) == 3)
            #expect(try await store.resolve(.label(key: "odd key", value: "x")) == 4)
            #expect(try await store.resolve(.label(key: "branch", value: "none")) == nil)
        }
    }

    @Test("history: values per variant over the last runs, oldest first, with medians for times")
    func history() async throws {
        try await withTemporaryStore { store, _ in
            for (i, size) in [1_000_000, 1_100_000, 1_050_000].enumerated() {
                var r = ResultStoreTests.result(runID: 0, size: Int64(size))
                r.builds = Sample.builds(.cold, [Double(i + 1), Double(i + 3), Double(i + 2)])
                r.start = i == 1 ? nil : StartResult(samples: [0.5 + Double(i), 0.2 + Double(i), 0.4 + Double(i)])
                if i > 0 {
                    r.insight = ImageInsight(
                        layers: [], waste: WasteAnalysis.analyze([]), secrets: [],
                        compressed: CompressedSizes(source: .estimated, layers: [Int64(size / 2), 10]))
                }
                _ = try await ResultStoreTests.store(r, in: store)
            }
            let sizes = try await store.history(scenario: "go-http", metric: .size, last: 2)
            #expect(sizes.count == 1)
            #expect(sizes[0].variant == "linking=static")
            #expect(sizes[0].points.map(\.runID) == [2, 3])
            #expect(sizes[0].points.map(\.value) == [1_100_000, 1_050_000])
            let cold = try await store.history(scenario: "go-http", variant: "linking=static", metric: .cold, last: 10, upTo: 2)
            #expect(cold[0].points.map(\.value) == [2, 3])
            #expect(try await store.history(scenario: "nope", metric: .size, last: 5).isEmpty)
            // Compressed sizes come from the stored analysis; a run without one has no value.
            let compressed = try await store.history(scenario: "go-http", metric: .compressed, last: 3)
            #expect(compressed[0].points.map(\.value) == [nil, 550_010, 525_010])
            // Start times: the median of each run's samples; a run that did not time the start has no value.
            let start = try await store.history(scenario: "go-http", metric: .start, last: 3)
            #expect(start[0].points.map(\.value) == [0.4, nil, 2.4])
        }
    }

    @Test("history names each run's engine and warns when the runs come from engines that differ")
    func historyEngines() async throws {
        try await withTemporaryStore { store, _ in
            _ = try await ResultStoreTests.store(ResultStoreTests.result(runID: 0), in: store)
            var other = ResultStoreTests.result(runID: 0)
            other.engine?.serverVersion = "24.0.7"
            _ = try await ResultStoreTests.store(other, in: store)
            let sizes = try await store.history(scenario: "go-http", metric: .size, last: 5)
            #expect(sizes[0].points.map(\.engine) == ["docker 20.10.24+dfsg1 on builder1 (overlay2)", "docker 24.0.7 on builder1 (overlay2)"])
            let text = HistoryReport.render(sizes)
            #expect(text.contains("warning: these runs come from 2 different engines"), "\(text)")
            #expect(text.contains("docker 24.0.7 on builder1 (overlay2)"))
        }
    }

    @Test("thresholds are kept with the run's scenarios")
    func thresholds() async throws {
        try await withTemporaryStore { store, _ in
            var run = ResultStoreTests.run()
            run.scenarios[0].thresholds = Thresholds([.size: 2, .cold: 30])
            let id = try await store.createRun(run)
            #expect(try await store.snapshot(runID: id)?.thresholds == ["go-http": Thresholds([.size: 2, .cold: 30])])
        }
    }

    @Test("a run's commit date and subject, and a skipped commit's reason, read back as written")
    func commits() async throws {
        try await withTemporaryStore { store, _ in
            var run = ResultStoreTests.run()
            run.status = .skipped
            run.problem = "a1b2c3d:s/scenario.yaml:4: invalid YAML"
            run.scenarios[0].gitDate = Date(timeIntervalSince1970: 1_790_000_000)
            run.scenarios[0].gitSubject = "Add the assets"
            let id = try await store.createRun(run)
            let read = try #require(try await store.run(id: id))
            #expect(read.status == .skipped && read.problem == run.problem)
            #expect(read.scenarios == run.scenarios)
            #expect(read.commit() == CommitInfo(sha: "deadbeef", date: Date(timeIntervalSince1970: 1_790_000_000), subject: "Add the assets"))
            // A run recorded before commit dates were: the run's start stands in.
            let older = try #require(try await store.run(id: try await store.createRun(ResultStoreTests.run())))
            #expect(older.commit()?.date == Sample.date && older.problem == nil)
            // The runs of one commit, by its label, oldest first.
            var labelled = ResultStoreTests.run()
            labelled.labels = [CommitInfo.label: "deadbeef"]
            let first = try await store.createRun(labelled)
            let second = try await store.createRun(labelled)
            #expect(try await store.runs(labelled: CommitInfo.label, "deadbeef").map(\.id) == [first, second])
            #expect(try await store.runs(labelled: CommitInfo.label, "deadbeef").allSatisfy { $0.scenarios == labelled.scenarios })
            #expect(try await store.runs(labelled: CommitInfo.label, "other").isEmpty)
        }
    }
}

@Suite("SQLite store: bulk import")
struct StoreImportTests {
    @Test("an image's files are stored apart: reports do not read them, diff and merge do, an import copies them")
    func files() async throws {
        try await withTemporaryStore { store, _ in
            var result = ResultStoreTests.result(runID: 0)
            let files = FinalFiles(entries: [
                "app": FinalFiles.Entry(kind: .file, size: 4_470_000, layer: 0),
                "lib64": FinalFiles.Entry(kind: .link, size: 0, layer: 0, linkTarget: "usr/lib"),
            ])
            result.files = files
            let id = try await ResultStoreTests.store(result, in: store)
            let variant = try #require(try await store.variants(runID: id).first)
            #expect(variant.result.files == nil)
            #expect(try await store.files(variantID: variant.id) == files)
            let copied = try #require(try await store.results(runID: id, files: true).first)
            #expect(copied.files == files)
            var run = ResultStoreTests.run()
            run.status = .complete
            let imported = try await store.importRun(run, results: [copied])
            let importedVariant = try #require(try await store.variants(runID: imported).first)
            #expect(try await store.files(variantID: importedVariant.id) == files)
            // A variant without an image stores none.
            let bare = try await ResultStoreTests.store(VariantResult(runID: 0, scenario: "s", axes: [], status: .buildFailed), in: store)
            let bareVariant = try #require(try await store.variants(runID: bare).first)
            #expect(try await store.files(variantID: bareVariant.id) == nil)
        }
    }

    @Test("a run imported in one transaction reads back exactly like one recorded build by build")
    func importRoundTrip() async throws {
        try await withTemporaryStore { store, _ in
            var run = ResultStoreTests.run()
            run.status = .complete
            run.finishedAt = Sample.date.addingTimeInterval(60)
            let result = ResultStoreTests.result(runID: 0)
            let imported = try await store.importRun(run, results: [result])
            let recorded = try await ResultStoreTests.store(result, in: store)
            var expected = result
            expected.runID = imported
            #expect(try await store.results(runID: imported) == [expected])
            expected.runID = recorded
            #expect(try await store.results(runID: recorded) == [expected])
            let a = try #require(try await store.run(id: imported))
            let b = try #require(try await store.run(id: recorded))
            #expect(a.scenarios == b.scenarios && a.environment == b.environment && a.finishedAt == b.finishedAt && a.status == b.status)
        }
    }

    @Test(
        "a value that does not decode is an error naming the table, column and row, not a default",
        arguments: [
            ("UPDATE variants SET status = 'weird'", "table variants, column status, row 1: \"weird\" is not a VariantStatus"),
            ("UPDATE builds SET phase = 'hot' WHERE id = 2", "table builds, column phase, row 2: \"hot\" is not a Phase"),
            ("UPDATE variants SET smoke = '{\"ok\": \"yes\"}'", "table variants, column smoke, row 1: {\"ok\": \"yes\"} is not a SmokeResult"),
            ("UPDATE layers SET size_bytes = 'big'", "table layers, column size_bytes, row 1: big where a whole number belongs"),
            ("UPDATE runs SET finished_at = 'soon'", "table runs, column finished_at, row 1: soon where a number belongs"),
            (
                "UPDATE builds SET steps = '[{\"number\": 1}]' WHERE id = 1",
                "table builds, column steps, row 1: [{\"number\": 1}] is not a Array<Array<Int64>>"
            ),
            (
                "UPDATE builds SET steps = '[[999,0,0,0]]' WHERE id = 1",
                "table builds, column steps, row 1: [999, 0, 0, 0] does not name a step of table step_texts"
            ),
            ("UPDATE runs SET environment = 'not json'", "table runs, column environment, row 1: not json is not a RunEnvironment (not JSON)"),
            ("UPDATE run_scenarios SET images = '{}'", "table run_scenarios, column images, row 1: {} is not a Array<ResolvedImage>"),
        ])
    func undecodable(_ sql: String, _ says: String) async throws {
        try await withTemporaryStore { store, path in
            let id = try await ResultStoreTests.store(ResultStoreTests.result(runID: 0), in: store)
            try Database(path: path).execute(sql)
            do {
                _ = try await store.snapshot(runID: id)
                Issue.record("\(sql) should make the run unreadable")
            } catch let error as StoreError {
                #expect(error.reason == .undecodable)
                #expect(error.description.hasPrefix("\(path): \(says)"), "\(error)")
                #expect(error.description.split(separator: "\n").count == 1)
            }
        }
    }
}
