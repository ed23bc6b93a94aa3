import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchStore
import ImageBenchTestSupport
import Testing

/// The `ci` phase on real engines: imagebench's own engine as the fresh runner, a loopback registry
/// (scripts/registry) for the cache images, and docker's own output (kept by a wrapper) as the oracle
/// for cache hits. The user's engine must come out as it went in.
@Suite(
    "ci phase: a fresh runner with a registry cache", .serialized,
    .enabled("needs root, dockerd, /usr/bin/docker (Debian's docker.io) and the offline bases") {
        guard getuid() == 0, OwnedEngine.missingNeeds() == nil, FileManager.default.isExecutableFile(atPath: "/usr/bin/docker") else { return false }
        return await DockerEngine.hasOfflineBases()
    })
struct CIEndToEndTests {
    static let port = "5078"

    /// Runs `body` with a registry on loopback, stopped when it ends (before the next test starts one).
    static func withRegistry(port: String = port, _ body: (String) async throws -> Void) async throws {
        let address = try await registry("start", port: port)
        do {
            try await body(address)
        } catch {
            _ = try? await registry("stop", port: port)
            throw error
        }
        _ = try await registry("stop", port: port)
    }

    static func registry(_ action: String, port: String = port) async throws -> String {
        let r = try await SubprocessExecutor().run(Command(PackagePaths.root + "/scripts/registry", [action, port], timeout: 300))
        try #require(r.succeeded, "scripts/registry \(action) failed: \(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `docker system df -v` of the user's engine without its relative times ("3 minutes ago"), which
    /// change while nothing else does.
    static func userEngineState() async throws -> String {
        let said = try await DockerEngine.output(["system", "df", "-v"])
        let times = try NSRegularExpression(pattern: "(About an? |Less than a |[0-9]+ )(second|minute|hour|day|week|month|year)s? ago")
        let timeless = times.stringByReplacingMatches(in: said, range: NSRange(said.startIndex..., in: said), withTemplate: "T")
        // Sorted: docker lists images created in the same second in no fixed order.
        return timeless.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
            .sorted().joined(separator: "\n")
    }

    @Test("inline and classic caches from a loopback registry beat no cache on a fresh runner; hits are docker's; nothing is left")
    func freshRunner() async throws {
        try await Self.withRegistry { address in
            try await withTemporaryDirectory { dir in
                // The final stage does the slow work: inline cache (min mode) covers it.
                try writeFiles(
                    [
                        "s/scenario.yaml": """
                        axes:
                          cache:
                            none: { cache: none }
                            inline: { cache: inline, builder: buildkit }
                            classic: { cache: classic, builder: classic }
                        smoke: { expect-output: hello }
                        """,
                        "s/Dockerfile":
                            "FROM imagebench-local/musl-busybox:1\nCOPY a.txt /a.txt\nRUN sleep 3 && cp /a.txt /b.txt\nCMD [\"cat\", \"/b.txt\"]\n",
                        "s/a.txt": "hello\n",
                        "docker": StepsEndToEndTests.loggingWrapper,
                    ], under: dir)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir + "/docker")
                try FileManager.default.createDirectory(atPath: dir + "/log", withIntermediateDirectories: true)
                let before = try await Self.userEngineState()
                let db = dir + "/r.sqlite"
                // On Debian 12's dockerd 20.10 (graph driver), where inline keeps working; the max modes' test takes 26.1.
                let r = try await imagebench(
                    ["run", dir + "/s", "--db", db, "--docker", dir + "/docker", "--phases", "ci", "--repeat", "2", "--registry", address],
                    environment: ["IB_LOG": dir + "/log", "IMAGEBENCH_CI_DOCKERD": "dockerd"])
                #expect(r.exitCode == 0, "\(r.stderr)")
                let after = try await Self.userEngineState()
                #expect(before == after, "the user's engine changed")
                // Nothing of the fresh runner is left: no folder, no bridge, no daemon.
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter { $0.hasPrefix("imagebench-ci-") }
                #expect(leftovers.isEmpty, "\(leftovers)")
                let links = try await SubprocessExecutor().run(Command("ip", ["-o", "link", "show"], timeout: 30)).stdout
                #expect(!links.contains("ibci"), "\(links)")
                let daemons = try await SubprocessExecutor().run(Command("pgrep", ["-af", "imagebench-ci-"], timeout: 30)).stdout
                #expect(daemons.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(daemons)")

                let store = try ResultStore(path: db)
                let latest = try #require(try await store.latestRunID())
                let run = try #require(try await store.run(id: latest))
                #expect(run.environment.ciEngine?.endpoint.contains("imagebench's own ci engine") == true)
                let snapshot = try #require(try await store.snapshot(runID: run.id))
                #expect(snapshot.results.count == 3)
                // docker's outputs in the order the builds ran; the seed builds (tag ...-ci0) are not recorded.
                let logs = try StepsEndToEndTests.orderedLogs(in: dir + "/log").filter { !$0.tag.hasSuffix("-ci0") }
                let builds = snapshot.results.flatMap(\.builds).sorted { $0.startedAt < $1.startedAt }
                #expect(logs.count == builds.count, "\(logs.map(\.tag))")
                for (build, log) in zip(builds, logs) {
                    let steps = try #require(build.steps)
                    #expect(
                        steps.filter(\.cached).count == DockerSaid.cacheHits(log.lines, builder: build.builder), "\(build.phase) \(build.repetition)")
                    #expect(build.engine?.endpoint.contains("imagebench's own ci engine") == true)
                }
                for result in snapshot.results {
                    #expect(result.status == .ok, "\(result.name): \(result.problem ?? "")")
                    // A reset runner has nothing cached: no build without a cache source hits.
                    for build in result.builds where build.phase == .ciNone || result.name == "cache=none" {
                        #expect(!(build.steps ?? []).contains { $0.kind == .instruction && $0.cached }, "\(result.name) \(build.phase)")
                    }
                    let verdict = try #require(CIVerdict(result))
                    if result.name == "cache=none" {
                        #expect(verdict.without == nil && result.samples(.ci).count == 2)
                        continue
                    }
                    #expect(verdict.cache.rawValue == result.name.replacingOccurrences(of: "cache=", with: ""))
                    let ratio = try #require(verdict.ratio)
                    #expect(ratio < 0.5, "\(result.name): \(ratio)")
                    #expect(verdict.hits.contains { $0.step.instruction.hasPrefix("RUN sleep 3") }, "\(result.name)")
                    #expect(verdict.alternatingMisses.isEmpty)
                }
                let report = try await imagebench(["report", "--db", db])
                #expect(report.stdout.contains("ci (fresh runner, inline cache from the registry): 0."), "\(report.stdout)")
                #expect(report.stdout.contains("ci phase engine: imagebench's own ci engine"))
            }
        }
    }

    @Test(
        "registry-max and local-max on the ci engine's containerd store: the build stage comes from the cache, as inline's min mode cannot give it"
    )
    func maxModes() async throws {
        try await Self.withRegistry { address in
            try await withTemporaryDirectory { dir in
                // The final stage copies the edited file before it copies from the build stage.
                try writeFiles(
                    [
                        "s/scenario.yaml": """
                        axes:
                          cache:
                            inline: { cache: inline, builder: buildkit }
                            registry-max: { cache: registry-max, builder: buildkit }
                            local-max: { cache: local-max, builder: buildkit }
                        smoke: { expect-output: built }
                        edit: a.txt
                        """,
                        "s/Dockerfile": """
                        FROM imagebench-local/musl-busybox:1 AS build
                        RUN sleep 2 && echo built > /built
                        FROM imagebench-local/musl-busybox:1
                        COPY a.txt /a.txt
                        COPY --from=build /built /built
                        CMD ["cat", "/built"]

                        """,
                        "s/a.txt": "hello\n",
                    ], under: dir)
                let db = dir + "/r.sqlite"
                let before = try await Self.userEngineState()
                let r = try await imagebench(["run", dir + "/s", "--db", db, "--phases", "ci", "--repeat", "2", "--registry", address])
                #expect(r.exitCode == 0, "\(r.stderr)")
                #expect(try await Self.userEngineState() == before, "the user's engine changed")
                let store = try ResultStore(path: db)
                let latest = try #require(try await store.latestRunID())
                let run = try #require(try await store.run(id: latest))
                #expect(run.environment.ciEngine?.serverVersion.hasPrefix("26.1") == true, "\(String(describing: run.environment.ciEngine))")
                let snapshot = try #require(try await store.snapshot(runID: run.id))
                for result in snapshot.results {
                    #expect(result.status == .ok && result.ci?.skipped == nil, "\(result.name): \(result.problem ?? result.ci?.skipped ?? "")")
                    let verdict = try #require(CIVerdict(result), "\(result.name)")
                    #expect(result.samples(.ci).count == 2 && result.samples(.ciNone).count == 2)
                    let slow = verdict.steps?.steps.first { $0.step.instruction.hasPrefix("RUN sleep 2") }
                    if result.name == "cache=inline" {
                        #expect(slow?.cachedCount == 0, "min mode has no build stage: \(String(describing: slow))")
                    } else {
                        #expect(slow?.cachedCount == 2, "\(result.name): \(String(describing: slow))")
                        #expect(verdict.hits.contains { $0.step.instruction.hasPrefix("RUN sleep 2") })
                    }
                }
                // The local cache folder went with the run; nothing of the ci engine is left.
                #expect(try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter { $0.hasPrefix("imagebench-ci-") }.isEmpty)
                let report = try await imagebench(["report", "--db", db])
                #expect(report.stdout.contains("ci (fresh runner, registry cache, mode=max"), "\(report.stdout)")
                #expect(
                    report.stdout.contains(
                        "cache=registry-max over cache=inline: 1 more step from the cache in every ci build (build 2/2 RUN sleep 2"),
                    "\(report.stdout)")
            }
        }
    }

    @Test("Ctrl-C during a ci build: exit 130, the fresh runner gone; --resume finishes the phase on a new one")
    func interruptedAndResumed() async throws {
        try await Self.withRegistry { address in
            try await withTemporaryDirectory { dir in
                try writeFiles(
                    [
                        "s/scenario.yaml": "cache: inline\nsmoke: { expect-output: hello }\n",
                        "s/Dockerfile":
                            "FROM imagebench-local/musl-busybox:1\nCOPY a.txt /a.txt\nRUN sleep 4 && cp /a.txt /b.txt\nCMD [\"cat\", \"/b.txt\"]\n",
                        "s/a.txt": "hello\n",
                    ], under: dir)
                let db = dir + "/r.sqlite"
                let args = ["run", dir + "/s", "--db", db, "--docker", "/usr/bin/docker", "--phases", "ci", "--repeat", "1", "--registry", address]
                // The baseline build (4 s) is in flight 2 s after the engine is up.
                let (status, _, stderr) = try await FaultEndToEndTests.interrupt(
                    args, in: dir, waitFor: "ci phase: builds on", after: 3, kill: "kill -INT $pid")
                #expect(status == "130", "\(stderr)")
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: "/tmp").filter { $0.hasPrefix("imagebench-ci-") }
                #expect(leftovers.isEmpty, "\(leftovers)")
                let daemons = try await SubprocessExecutor().run(Command("pgrep", ["-af", "imagebench-ci-"], timeout: 30)).stdout
                #expect(daemons.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(daemons)")
                let resumed = try await imagebench(["run", "--resume", "1", "--db", db, "--docker", "/usr/bin/docker"])
                #expect(resumed.exitCode == 0, "\(resumed.stderr)")
                let store = try ResultStore(path: db)
                let snapshot = try #require(try await store.snapshot(runID: 1))
                let result = try #require(snapshot.results.first)
                #expect(result.status == .ok, "\(result.problem ?? "")")
                #expect(Set(result.builds.map(\.key)) == [BuildKey(.ci, 1), BuildKey(.ciNone, 1)])
                let ratio = try #require(CIVerdict(result)?.ratio)
                #expect(ratio < 0.5)
            }
        }
    }

    /// A one-step scenario whose image prints `hi`, in `DIR/s`.
    static func writeEcho(in dir: String) throws {
        try writeFiles(
            ["s/scenario.yaml": "smoke: { expect-output: hi }\n", "s/Dockerfile": "FROM imagebench-local/musl-busybox:1\nCMD [\"echo\", \"hi\"]\n"],
            under: dir)
    }

    @Test("a --ci-engine that is the run's own engine is refused with one line before anything is reset")
    func ownEngineRefused() async throws {
        try await withTemporaryDirectory { dir in
            try Self.writeEcho(in: dir)
            // As a set: docker lists images created in the same second in no fixed order.
            func imageIDs() async throws -> Set<String> {
                Set(try await DockerEngine.output(["image", "ls", "--quiet", "--no-trunc"]).split(whereSeparator: \.isNewline).map(String.init))
            }
            let images = try await imageIDs()
            let r = try await imagebench([
                "run", dir + "/s", "--db", dir + "/r.sqlite", "--phases", "ci", "--ci-engine", "unix:///var/run/docker.sock",
                "--image-label", "imagebench.test=1",
            ])
            #expect(r.exitCode == 64, "\(r.stderr)")
            #expect(r.stderr.hasPrefix("imagebench: error: --ci-engine unix:///var/run/docker.sock is "), "\(r.stderr)")
            #expect(r.stderr.contains("an engine this run builds on") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(try await imageIDs() == images, "the engine was touched")
            #expect(!FileManager.default.fileExists(atPath: dir + "/r.sqlite"), "a refused run writes nothing")
        }
    }

    @Test("a --ci-engine that does not answer: the ci phase is skipped with one line, the run still ends")
    func unreachableEngine() async throws {
        try await withTemporaryDirectory { dir in
            try Self.writeEcho(in: dir)
            let db = dir + "/r.sqlite"
            let r = try await imagebench([
                "run", dir + "/s", "--db", db, "--phases", "cold,ci", "--repeat", "1", "--ci-engine", "unix://\(dir)/none.sock",
                "--image-label", "imagebench.test=1",
            ])
            #expect(r.exitCode == 0, "\(r.stderr)")
            #expect(r.stderr.contains("ci phase skipped: the ci engine unix://\(dir)/none.sock does not answer"), "\(r.stderr)")
            let report = try await imagebench(["report", "--db", db])
            #expect(report.stdout.contains("ci phase skipped: the ci engine"), "\(report.stdout)")
        }
    }
}
