import Foundation
import ImageBenchCore
import ImageBenchTestSupport
import Testing

@testable import ImageBenchStore

@Suite("SQLite store")
struct ResultStoreTests {
    static func result(runID: Int64, size: Int64 = 4_470_000) -> VariantResult {
        VariantResult(
            runID: runID, scenario: "go-http", axes: [AxisChoice(axis: "linking", value: "static")], status: .ok,
            image: ImageFacts(
                ref: "imagebench/go-http:r1-x", id: "sha256:aaa", sizeBytes: size, layers: 1,
                history: [LayerRecord(position: 0, sizeBytes: size, createdBy: "COPY /app /app", id: "sha256:l1")]),
            contextBytes: 1480, builds: Sample.builds(.cold, [3.62, 3.71, 3.90]) + Sample.builds(.warm, [0.4]),
            smoke: SmokeResult(ok: true, exitCode: 0, seconds: 0.41, output: "ok true"))
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

    @Test("an older database keeps its data when migrated")
    func migrateOlder() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/old.sqlite"
            do {
                let old = try ResultStore(path: path, migratingTo: 1)
                #expect(try await old.schemaVersionInFile() == 1)
                let id = try await old.createRun(Self.run())
                let variant = try await old.beginVariant(runID: id, scenario: "go-http", axes: [])
                try await old.record(build: Sample.builds(.cold, [1.5])[0], variantID: variant)
            }
            let store = try ResultStore(path: path)
            #expect(try await store.schemaVersionInFile() == 2)
            let results = try await store.results(runID: 1)
            #expect(results.count == 1)
            #expect(results[0].samples(.cold) == [1.5])
            #expect(try await store.integrityCheck() == "ok")
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
