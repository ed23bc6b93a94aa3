import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchStore
import ImageBenchTestSupport
import Testing

/// Runs the built `imagebench` binary.
func imagebench(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) async throws -> CommandResult {
    try await SubprocessExecutor().run(Command(PackagePaths.binary, arguments, environment: environment, timeout: 600, workingDirectory: directory))
}

@Suite("imagebench command line without an engine")
struct CLITests {
    @Test("list prints every variant and its exact docker commands, and needs no engine")
    func list() async throws {
        let r = try await imagebench(
            ["list", PackagePaths.scenarios + "/go-http", "--profile", "offline"], environment: ["DOCKER_HOST": "unix:///nonexistent.sock"])
        #expect(r.exitCode == 0, "\(r.stderr)")
        #expect(r.stdout.components(separatedBy: "\n  cold: ").count - 1 == 7)
        #expect(r.stdout.contains("linking=dynamic,runtime=scratch  (expect-broken)"))
        #expect(r.stdout.contains("--build-arg RUNTIME=imagebench-local/musl-busybox:1"))
        #expect(r.stdout.contains("builder     imagebench-local/go-builder:bookworm (stands in for golang:1.22-bookworm, profile offline)"))
        // A service: started detached with its port on loopback, then asked over HTTP, then timed again.
        // The commands name the client the test's environment chose (IMAGEBENCH_DOCKER, else docker).
        let docker = DockerEngine.executable
        #expect(
            r.stdout.contains(
                "smoke: \(docker) run --detach --publish 127.0.0.1::8080 --name imagebench-r${RUN}-v${VARIANT}-${TOKEN} --label imagebench.run=${RUN} ${IMAGE}"
            ), "\(r.stdout)")
        #expect(r.stdout.contains("smoke: \(docker) port imagebench-r${RUN}-v${VARIANT}-${TOKEN} 8080/tcp, then over HTTP: GET /healthz → 200"))
        #expect(r.stdout.contains("start: the same docker run --repeat times more"))
    }

    @Test("a broken scenario: one line naming file and line, exit 65")
    func badScenario() async throws {
        try await withTemporaryDirectory { dir in
            try writeFiles(["s/scenario.yaml": "name: s\ncolour: red\n", "s/Dockerfile": "FROM scratch\n"], under: dir)
            let r = try await imagebench(["run", dir + "/s", "--db", dir + "/db.sqlite"])
            #expect(r.exitCode == 65)
            #expect(
                r.stderr
                    == "imagebench: error: \(dir)/s/scenario.yaml:2: unknown key \"colour\" in the scenario; expected one of: name, description, context, dockerfile, images, build-args, axes, exclude, expect-broken, smoke, edit, thresholds, cache, budgets, secrets\n"
            )
            #expect(!FileManager.default.fileExists(atPath: dir + "/db.sqlite"), "nothing is written for bad input")
        }
    }

    @Test(
        "bad flags name the flag and the fix, exit 64",
        arguments: [
            (["run", "--repeat", "0"], "--repeat must be between 1 and 1000"),
            (["run", "--phases", "cold,hot"], "unknown phase \"hot\""),
            (["run", "--phases", "cold,pull"], "--phases pull times a pull from the registry; add --registry HOST:PORT"),
            (["run", "--phases", "ci,pull", "--registry", "127.0.0.1:5000"], "add cold, e.g. --phases cold,pull"),
            (["run", "--only", "linking"], "--only \"linking\" must be axis=value"),
            (["report", "--run", "abc"], "--run must be a run id"),
            (["run", "--label", "x"], "must be key=value"),
            (["run", "--host", "builder1"], "--host \"builder1\" is not an engine URL; write e.g. ssh://"),
            (["run", "--context", "b1", "--context", "b1"], "b1 is given twice"),
            (["run", "--jobs-per-host", "0"], "--jobs-per-host must be between 1 and 64"),
            (["run", "--engine", "rkt"], "--engine"),
            (["run", "--resume", "1", "--host", "tcp://10.0.0.5:2376"], "leave out --host"),
        ])
    func badFlags(_ arguments: [String], _ says: String) async throws {
        let r = try await imagebench(arguments)
        #expect(r.exitCode == 64)
        #expect(r.stderr.contains(says), "\(r.stderr)")
    }

    @Test("--only naming an axis no scenario has is refused before anything runs")
    func onlyUnknownAxis() async throws {
        let r = try await imagebench(["list", PackagePaths.scenarios + "/go-http", "--only", "arch=arm"])
        #expect(r.exitCode == 64)
        #expect(r.stderr.contains("no scenario has an axis \"arch\"; axes: linking, runtime"))
    }

    @Test("db check: ok with exit 0; not a database, missing or newer: one line or a clear report, exit 74")
    func databaseCheck() async throws {
        try await withTemporaryDirectory { dir in
            let missing = try await imagebench(["db", "check", "--db", dir + "/none.sqlite"])
            #expect(
                missing.exitCode == 74 && missing.stderr.hasPrefix("imagebench: error: \(dir)/none.sqlite: no database here"), "\(missing.stderr)")
            try "not sqlite at all, but long enough to be read as a header".write(toFile: dir + "/x.sqlite", atomically: true, encoding: .utf8)
            let junk = try await imagebench(["db", "check", "--db", dir + "/x.sqlite"])
            #expect(junk.exitCode == 74 && junk.stderr.split(separator: "\n").count == 1, "\(junk.stderr)")
            let good = dir + "/good.sqlite"
            let runs = try await imagebench(["runs", "--db", good])
            #expect(runs.exitCode == 0)
            _ = try ResultStore(path: good)
            let ok = try await imagebench(["db", "check", "--db", good])
            #expect(ok.exitCode == 0, "\(ok.stderr)")
            #expect(
                ok.stdout.contains(
                    "integrity: ok\nschema version: \(ResultStore.schemaVersion) (this imagebench knows up to \(ResultStore.schemaVersion))"))
            #expect(ok.stdout.contains("rows: ") && ok.stdout.contains("runs 0"))
        }
    }

    @Test("report and runs on a database that does not exist")
    func noDatabase() async throws {
        try await withTemporaryDirectory { dir in
            let report = try await imagebench(["report"], in: dir)
            #expect(report.exitCode == 5)
            #expect(report.stderr.contains("Reports/imagebench.sqlite holds no runs yet"))
            let runs = try await imagebench(["runs"], in: dir)
            #expect(runs.exitCode == 0)
            #expect(runs.stdout.contains("No runs yet"))
            #expect(!FileManager.default.fileExists(atPath: dir + "/Reports/imagebench.sqlite"))
        }
    }

    @Test("no engine: one line with the fix, exit 69, no run recorded")
    func noEngine() async throws {
        try await withTemporaryDirectory { dir in
            let r = try await imagebench(
                ["run", PackagePaths.scenarios + "/go-http", "--db", dir + "/db.sqlite"], environment: ["DOCKER_HOST": "unix:///nonexistent.sock"])
            #expect(r.exitCode == 69)
            #expect(r.stderr.hasPrefix("imagebench: error: no Docker engine answers"))
            #expect(r.stderr.contains("start the engine"))
            #expect(r.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test("the only engine named by --host does not answer: one line naming it, exit 69")
    func deadHost() async throws {
        try await withTemporaryDirectory { dir in
            let r = try await imagebench([
                "run", PackagePaths.scenarios + "/go-http", "--db", dir + "/db.sqlite", "--host", "unix:///nonexistent.sock",
            ])
            #expect(r.exitCode == 69)
            #expect(
                r.stderr.hasPrefix("imagebench: error: no Docker engine answers `\(DockerEngine.executable) --host unix:///nonexistent.sock version"),
                "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: dir + "/db.sqlite"))
        }
    }

    @Test("a docker client that does not exist: exit 69 naming --docker")
    func noClient() async throws {
        let r = try await imagebench(["run", PackagePaths.scenarios + "/go-http", "--docker", "/nonexistent/docker", "--db", "/tmp/never.sqlite"])
        #expect(r.exitCode == 69)
        #expect(r.stderr.contains("--docker"))
    }
}

@Suite("imagebench merge")
struct MergeTests {
    /// A shard's builds: with steps; `shifted` puts a step of its own first, so its step texts get other ids.
    static func builds(shifted: Bool) -> [BuildRecord] {
        var builds = Sample.withSteps(Sample.builds(.cold, [3.1, 3.2]))
        if shifted {
            let own = StepRecord(
                stage: nil, number: 0, total: nil, instruction: "[auth] token", kind: .internal, cached: false, start: 0, seconds: 0.01)
            for i in builds.indices { builds[i].steps!.insert(own, at: 0) }
        }
        return builds
    }

    static func shard(_ path: String, labels: [String: String], host: String? = nil, shifted: Bool = false) async throws -> String {
        let store = try ResultStore(path: path)
        var environment = Sample.environment()
        if let host { environment.host = host }
        let run = RunRecord(startedAt: Sample.date, status: .complete, labels: labels, environment: environment)
        var result = VariantResult(runID: 0, scenario: "go-http", axes: [AxisChoice(axis: "linking", value: "static")], status: .ok)
        result.builds = builds(shifted: shifted)
        _ = try await store.importRun(run, results: [result])
        return run.uid
    }

    @Test("shards merge into one file with their uids; merging again adds nothing; inputs stay unchanged")
    func merge() async throws {
        try await withTemporaryDirectory { dir in
            let a = try await Self.shard(dir + "/a.sqlite", labels: ["shard": "1"])
            let b = try await Self.shard(dir + "/b.sqlite", labels: ["shard": "2"], shifted: true)
            let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.sqlite"))
            let first = try await imagebench(["merge", dir + "/all.sqlite", dir + "/a.sqlite", dir + "/b.sqlite"])
            #expect(first.exitCode == 0, "\(first.stderr)")
            #expect(first.stdout.hasSuffix("\(dir)/all.sqlite: 2 runs added, 0 skipped (already there)\n"), "\(first.stdout)")
            let again = try await imagebench(["merge", dir + "/all.sqlite", dir + "/b.sqlite", dir + "/a.sqlite"])
            #expect(again.stdout.hasSuffix("0 runs added, 2 skipped (already there)\n"), "\(again.stdout)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/a.sqlite")) == before, "an input was changed")
            let merged = try ResultStore(path: dir + "/all.sqlite")
            let runs = try await merged.runSummaries()
            #expect(runs.map(\.run.uid) == [a, b])
            #expect(runs.map { $0.run.labels["shard"] } == ["1", "2"])
            #expect(try await merged.results(runID: runs[1].run.id).first?.samples(.cold) == [3.1, 3.2])
            // Every build's steps, though the shards numbered their step texts differently.
            for (run, shifted) in [(runs[0].run.id, false), (runs[1].run.id, true)] {
                #expect(try await merged.results(runID: run).first?.builds.map(\.steps) == Self.builds(shifted: shifted).map(\.steps))
            }
        }
    }

    @Test("compare refuses to gate across hosts or engines unless --allow-mixed, and then says so")
    func mixed() async throws {
        try await withTemporaryDirectory { dir in
            _ = try await Self.shard(dir + "/a.sqlite", labels: [:], host: "ci-1")
            _ = try await Self.shard(dir + "/b.sqlite", labels: [:], host: "ci-2")
            _ = try await imagebench(["merge", dir + "/all.sqlite", dir + "/a.sqlite", dir + "/b.sqlite"])
            let refused = try await imagebench(["compare", "--db", dir + "/all.sqlite", "--baseline", "1", "--candidate", "2"])
            #expect(refused.exitCode == 64)
            #expect(refused.stderr.contains("come from different hosts or engines (host: ci-1 → ci-2)") && refused.stderr.contains("--allow-mixed"))
            let allowed = try await imagebench(["compare", "--db", dir + "/all.sqlite", "--baseline", "1", "--candidate", "2", "--allow-mixed"])
            #expect(allowed.exitCode == 0, "\(allowed.stderr)")
            #expect(allowed.stderr.contains("come from different environments: host: ci-1 → ci-2"))
        }
    }

    @Test("a shard written by a newer imagebench is refused before anything is written")
    func newerShard() async throws {
        try await withTemporaryDirectory { dir in
            _ = try await Self.shard(dir + "/a.sqlite", labels: [:])
            _ = try await Self.shard(dir + "/new.sqlite", labels: [:])
            _ = try await imagebench(["runs", "--db", dir + "/new.sqlite"])
            let raise = try await SubprocessExecutor().run(
                Command(
                    "python3",
                    [
                        "-c",
                        "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"INSERT INTO schema_migrations VALUES (99,'future',0)\"); c.commit()",
                        dir + "/new.sqlite",
                    ]))
            try #require(raise.succeeded, "\(raise.stderr)")
            let r = try await imagebench(["merge", dir + "/all.sqlite", dir + "/a.sqlite", dir + "/new.sqlite"])
            #expect(r.exitCode == 74)
            #expect(r.stderr.contains("\(dir)/new.sqlite: written by a newer imagebench (schema version 99"), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/all.sqlite"))
        }
    }
}
