import Foundation
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
        #expect(r.stdout.contains("docker run --rm --name imagebench-r${RUN}-v${VARIANT}-${TOKEN}"))
    }

    @Test("a broken scenario: one line naming file and line, exit 65")
    func badScenario() async throws {
        try await withTemporaryDirectory { dir in
            try writeFiles(["s/scenario.yaml": "name: s\ncolour: red\n", "s/Dockerfile": "FROM scratch\n"], under: dir)
            let r = try await imagebench(["run", dir + "/s", "--db", dir + "/db.sqlite"])
            #expect(r.exitCode == 65)
            #expect(
                r.stderr
                    == "imagebench: error: \(dir)/s/scenario.yaml:2: unknown key \"colour\" in the scenario; expected one of: name, description, context, dockerfile, images, build-args, axes, exclude, expect-broken, smoke, edit, thresholds\n"
            )
            #expect(!FileManager.default.fileExists(atPath: dir + "/db.sqlite"), "nothing is written for bad input")
        }
    }

    @Test(
        "bad flags name the flag and the fix, exit 64",
        arguments: [
            (["run", "--repeat", "0"], "--repeat must be between 1 and 1000"),
            (["run", "--phases", "cold,hot"], "unknown phase \"hot\""),
            (["run", "--only", "linking"], "--only \"linking\" must be axis=value"),
            (["report", "--run", "abc"], "--run must be a run id"),
            (["run", "--label", "x"], "must be key=value"),
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

    @Test("a docker client that does not exist: exit 69 naming --docker")
    func noClient() async throws {
        let r = try await imagebench(["run", PackagePaths.scenarios + "/go-http", "--docker", "/nonexistent/docker", "--db", "/tmp/never.sqlite"])
        #expect(r.exitCode == 69)
        #expect(r.stderr.contains("--docker"))
    }
}
