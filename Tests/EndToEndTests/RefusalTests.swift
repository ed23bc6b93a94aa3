import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchStore
import ImageBenchTestSupport
import Testing

/// Every refusal found while a command runs (not by argument parsing) is exactly one line,
/// `imagebench: error: ...` with the fix, and its documented exit status: no usage block after it.
@Suite("refusals are one line")
struct RefusalTests {
    /// Runs the binary under test and checks the whole of stderr is one error line containing `says`.
    static func refused(_ arguments: [String], in directory: String? = nil, status: Int32, says: String) async throws {
        let r = try await imagebench(arguments, in: directory)
        #expect(r.exitCode == status, "\(arguments): exit \(r.exitCode.map(String.init) ?? "signal"): \(r.stderr)")
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1, "\(arguments) printed \(lines.count) lines: \(r.stderr)")
        #expect(r.stderr.hasPrefix("imagebench: error: ") && r.stderr.hasSuffix("\n"), "\(r.stderr)")
        #expect(r.stderr.contains(says), "\(arguments): \(r.stderr)")
        #expect(r.stdout.isEmpty, "\(arguments) printed to stdout: \(r.stdout)")
    }

    /// A database holding one failed run with no stored plan (as imagebench before --resume wrote them),
    /// and two runs from different hosts.
    static func database(in dir: String) async throws -> String {
        let path = dir + "/r.sqlite"
        let store = try ResultStore(path: path)
        var other = Sample.environment()
        other.host = "ci-2"
        var result = VariantResult(runID: 0, scenario: "go-http", axes: [AxisChoice(axis: "linking", value: "static")], status: .ok)
        result.builds = Sample.builds(.cold, [3.1, 3.2])
        _ = try await store.importRun(RunRecord(startedAt: Sample.date, status: .failed, environment: Sample.environment()), results: [result])
        _ = try await store.importRun(RunRecord(startedAt: Sample.date, status: .complete, environment: other), results: [result])
        return path
    }

    @Test("without an engine: --only that names nothing, no scenarios, runs and scenarios not in the database, another host, an unwritable --output")
    func withoutEngine() async throws {
        try await withTemporaryDirectory { dir in
            let db = try await Self.database(in: dir)
            let goHTTP = PackagePaths.scenarios + "/go-http"
            try await Self.refused(
                ["list", goHTTP, "--only", "arch=arm"], status: 64, says: "no scenario has an axis \"arch\"; axes: linking, runtime")
            try await Self.refused(
                ["run", goHTTP, "--only", "linking=musl", "--db", dir + "/x.sqlite"], status: 64, says: "axis linking has no value \"musl\"")
            try await Self.refused(
                ["run", "--db", dir + "/x.sqlite"], in: dir, status: 64, says: "no scenario given and no ./Scenarios/*/scenario.yaml found")
            try await Self.refused(["run", "--resume", "9", "--db", db], status: 5, says: "run 9 is not in \(db)")
            try await Self.refused(["run", "--resume", "1", "--db", dir + "/none.sqlite"], status: 5, says: "run 1 is not in \(dir)/none.sqlite")
            try await Self.refused(["run", "--resume", "1", "--db", db], status: 64, says: "run 1 was recorded by an imagebench without --resume")
            try await Self.refused(["report", "--run", "7", "--db", db], status: 5, says: "run 7 is not in \(db)")
            try await Self.refused(["report", "--db", dir + "/none.sqlite"], status: 5, says: "holds no runs yet")
            try await Self.refused(["compare", "--baseline", "1", "--candidate", "8", "--db", db], status: 5, says: "run 8 is not in")
            try await Self.refused(
                ["compare", "--baseline", "1", "--candidate", "2", "--db", db], status: 64,
                says: "come from different hosts or engines (host: ci-1 → ci-2)")
            try await Self.refused(["history", "nosuch", "--db", db], status: 64, says: "has no runs of scenario \"nosuch\"")
            try await Self.refused(
                ["report", "--run", "2", "--db", db, "--output", "/proc/imagebench/none/r.md"], status: 64,
                says: "--output /proc/imagebench/none/r.md")
            #expect(!FileManager.default.fileExists(atPath: dir + "/x.sqlite"), "a refused run wrote a database")
        }
    }

    @Test(
        "on an engine: --resume of a run measured elsewhere or whose scenario changed; one engine named twice",
        .enabled("needs a Docker engine") { await DockerEngine.answers() })
    func withEngine() async throws {
        try await withTemporaryDirectory { dir in
            try writeFiles(["s/scenario.yaml": "smoke: { expect-output: ok }\n", "s/Dockerfile": "FROM scratch\n"], under: dir)
            let scenario = try ScenarioLoader().load(path: dir + "/s")
            let plan = RunPlan(variants: ["s": ["default"]], settings: RunSettings(.init(repeatCount: 1)))
            var elsewhere = Sample.environment()
            elsewhere.host = "another-machine"
            let db = dir + "/r.sqlite"
            let store = try ResultStore(path: db)
            let stored = RunScenario(name: "s", path: dir + "/s", contentHash: scenario.contentHash())
            _ = try await store.importRun(
                RunRecord(startedAt: Sample.date, status: .failed, environment: elsewhere, scenarios: [stored], plan: plan), results: [])
            var changed = stored
            changed.contentHash = "0000"
            _ = try await store.importRun(
                RunRecord(startedAt: Sample.date, status: .interrupted, environment: elsewhere, scenarios: [changed], plan: plan), results: [])

            try await Self.refused(["run", "--resume", "1", "--db", db], status: 64, says: "run 1 was measured elsewhere (host: another-machine → ")
            try await Self.refused(["run", "--resume", "2", "--db", db], status: 65, says: "changed since run 2 started")

            let url = try await DockerEngine.output(["context", "inspect", "default", "--format", "{{.Endpoints.docker.Host}}"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try await Self.refused(
                ["run", dir + "/s", "--db", dir + "/twice.sqlite", "--context", "default", "--host", url], status: 64,
                says: "are the same engine; name each engine once")
            #expect(!FileManager.default.fileExists(atPath: dir + "/twice.sqlite"), "a refused run wrote a database")
        }
    }
}
