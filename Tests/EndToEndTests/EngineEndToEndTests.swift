import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchStore
import ImageBenchTestSupport
import Testing

/// Several engines in one run: two dockerd daemons on this machine, a dead one, and podman.
@Suite("engines end to end", .serialized, .enabled("needs a Docker engine and the offline base images") { await DockerEngine.hasOfflineBases() })
struct EngineEndToEndTests {
    static let secondEngine = PackagePaths.root + "/scripts/engine"

    /// What `scripts/engine start` is given for the second engines the tests stop and kill, when a test does
    /// not choose: `IMAGEBENCH_TEST_ENGINE` (`scripts/test --fresh-engine` sets `--dockerd 26.1 --store
    /// containerd` for its pass on the Docker of 2026), else Debian's dockerd 20.10 with overlay2.
    static var defaultOptions: [String] {
        (ProcessInfo.processInfo.environment["IMAGEBENCH_TEST_ENGINE"] ?? "").split(separator: " ").map(String.init)
    }

    /// Starts a second dockerd (`scripts/engine start NAME OPTIONS`), runs `body` with its DOCKER_HOST, stops it.
    static func withSecondEngine(_ name: String, options: [String]? = nil, _ body: (String) async throws -> Void) async throws {
        let started = try await SubprocessExecutor().run(Command(secondEngine, ["start", name] + (options ?? defaultOptions), timeout: 300))
        try #require(started.succeeded, "scripts/engine start: \(started.stderr)")
        do {
            try await body(started.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            _ = try? await SubprocessExecutor().run(Command(secondEngine, ["stop", name], timeout: 120))
            throw error
        }
        _ = try await SubprocessExecutor().run(Command(secondEngine, ["stop", name], timeout: 120))
    }

    /// Four variants of different sizes; `sleep` makes each build last long enough to be caught mid-way.
    static func writeScenario(in dir: String, sleep: Int = 0) throws {
        try writeFiles(
            [
                "m/scenario.yaml": """
                images: { base: imagebench-local/musl-busybox:1 }
                build-args: { BASE: "${images.base}" }
                axes:
                  payload:
                    none: { build-args: { KB: "0" } }
                    small: { build-args: { KB: "64" } }
                    medium: { build-args: { KB: "512" } }
                    large: { build-args: { KB: "2048" } }
                smoke: { expect-output: ok }
                edit: msg.txt
                """,
                "m/Dockerfile": """
                ARG BASE
                FROM ${BASE}
                ARG KB
                COPY msg.txt /msg.txt
                RUN sleep \(sleep) && head -c $((KB * 1000)) /dev/zero > /payload && echo ok > /ok
                ENTRYPOINT ["cat", "/ok"]

                """,
                "m/msg.txt": "hi\n",
            ], under: dir)
    }

    static func report(_ db: String) async throws -> (run: [String: Any], results: [[String: Any]]) {
        try await FaultEndToEndTests.results(db)
    }

    static func sizes(_ results: [[String: Any]]) -> [String: Int] {
        Dictionary(
            results.compactMap { r in
                guard let name = r["variant"] as? String, let size = (r["image"] as? [String: Any])?["size_bytes"] as? Int else { return nil }
                return (name, size)
            }, uniquingKeysWith: { a, _ in a })
    }

    @Test(
        "two dockerd on one machine, reached through docker contexts, run one scenario together: both are used, every build names its engine, sizes equal a one-engine run"
    )
    func twoEngines() async throws {
        try await Self.withSecondEngine("ibmulti") { host in
            try await withTemporaryDirectory { dir in
                try Self.writeScenario(in: dir)
                // A context of its own, in a docker configuration of its own: the user's stays untouched.
                let config = ["DOCKER_CONFIG": dir + "/docker-config"]
                let created = try await SubprocessExecutor().run(
                    Command(
                        DockerEngine.executable, ["context", "create", "ib-second", "--docker", "host=\(host)"], environment: config, timeout: 30))
                try #require(created.succeeded, "\(created.stderr)")
                let (mine, labels) = FaultEndToEndTests.labels()
                let common = [dir + "/m", "--repeat", "2"] + labels
                let single = try await imagebench(["run"] + common + ["--db", dir + "/one.sqlite"])
                #expect(single.exitCode == 0, "\(single.stderr)")
                let both = try await imagebench(
                    ["run"] + common + ["--db", dir + "/two.sqlite", "--context", "default", "--context", "ib-second"], environment: config)
                #expect(both.exitCode == 0, "\(both.stderr)")

                let (run, results) = try await Self.report(dir + "/two.sqlite")
                let engines = try #require((run["environment"] as? [String: Any])?["engines"] as? [[String: Any]])
                #expect(engines.count == 2)
                #expect(engines.contains { ($0["endpoint"] as? String) == "context ib-second (\(host))" })
                #expect(engines.contains { ($0["endpoint"] as? String)?.hasPrefix("context default") == true })
                // Both engines built variants, and every build of a variant ran on the variant's engine.
                var used = Set<String>()
                for r in results {
                    let engine = try #require(r["engine"] as? [String: Any], "\(r["variant"] ?? "")")
                    let endpoint = try #require(engine["endpoint"] as? String)
                    used.insert(endpoint)
                    #expect(engine["server_version"] as? String != nil && engine["storage_driver"] as? String == "overlay2")
                    #expect((engine["cpus"] as? Int ?? 0) > 0)
                    let builds = try #require(r["builds"] as? [[String: Any]])
                    #expect(builds.count == 6)
                    #expect(builds.allSatisfy { ($0["engine"] as? [String: Any])?["endpoint"] as? String == endpoint })
                }
                #expect(used.count == 2, "engines used: \(used)")
                let (_, one) = try await Self.report(dir + "/one.sqlite")
                #expect(Self.sizes(results) == Self.sizes(one))
                #expect(Self.sizes(results).count == 4)
                // The table names each variant's engine.
                #expect(both.stdout.contains("engine") && both.stdout.contains("context ib-second"), "\(both.stdout)")
                // Each engine's images were removed at the end.
                let left = try await SubprocessExecutor().run(
                    Command(DockerEngine.executable, ["--host", host, "image", "ls", "--quiet", "--filter", "label=\(mine)"], timeout: 30))
                #expect(left.succeeded && left.stdout.isEmpty, "left on the second engine: \(left.stdout)")
                #expect(try await FaultEndToEndTests.leftovers(mine).isEmpty)
            }
        }
    }

    @Test("an engine killed mid-run fails only the variant it was building; the other engine builds the rest; --resume finishes it")
    func deadEngine() async throws {
        try await Self.withSecondEngine("ibdead") { host in
            try await withTemporaryDirectory { dir in
                try Self.writeScenario(in: dir, sleep: 3)
                let db = dir + "/r.sqlite"
                let (mine, labels) = FaultEndToEndTests.labels()
                let args = ["run", dir + "/m", "--db", db, "--repeat", "1", "--phases", "cold", "--context", "default", "--host", host] + labels
                // Once the second engine has finished one variant, it is killed 1.5 s into its next build.
                let (status, _, stderr) = try await FaultEndToEndTests.interrupt(
                    args, in: dir, waitFor: "on \(host): ok", after: 1.5, kill: "kill -9 \"$(cat /tmp/imagebench-ibdead/docker.pid)\"")
                #expect(status == "69", "exit: \(status) \(stderr)")
                let errors = stderr.split(separator: "\n").filter { $0.hasPrefix("imagebench: error:") }
                #expect(errors.count == 1, "\(stderr)")
                #expect(errors.first?.contains("the engine \(host) stopped answering during the cold build 1 of m payload=") == true, "\(stderr)")
                #expect(errors.first?.hasSuffix("imagebench run --resume 1") == true, "\(stderr)")
                let (run, results) = try await Self.report(db)
                #expect(run["status"] as? String == "failed")
                let ok = results.filter { $0["status"] as? String == "ok" }
                let pending = results.filter { $0["status"] as? String == "pending" }
                #expect(ok.count == 3 && pending.count == 1, "\(results.map { "\($0["variant"] ?? "") \($0["status"] ?? "")" })")
                #expect((pending.first?["builds"] as? [Any])?.isEmpty == true, "the build lost with the engine is not a result")
                let onSecond = ok.filter { (($0["engine"] as? [String: Any])?["endpoint"] as? String) == host }
                #expect(onSecond.count == 1, "the second engine finished one variant before it was killed")
                #expect(try await ResultStore(path: db).integrityCheck() == "ok")

                // Started again, the engine takes its share of the resumed run.
                _ = try await SubprocessExecutor().run(Command(Self.secondEngine, ["stop", "ibdead"], timeout: 120))
                let restarted = try await SubprocessExecutor().run(
                    Command(Self.secondEngine, ["start", "ibdead"] + Self.defaultOptions, timeout: 300))
                try #require(restarted.succeeded, "\(restarted.stderr)")
                let resumed = try await imagebench(["run", "--resume", "1", "--db", db])
                #expect(resumed.exitCode == 0, "\(resumed.stderr)")
                let (after, all) = try await Self.report(db)
                #expect(after["status"] as? String == "complete")
                #expect(all.count == 4 && all.allSatisfy { $0["status"] as? String == "ok" })
                #expect(try await FaultEndToEndTests.leftovers(mine).isEmpty)
            }
        }
    }

    @Test(
        "scripts/engine stop after a kill -9 of dockerd 26.1 with a container running: no daemon, containerd, shim, container, mount, bridge, route, cgroup, firewall rule or folder is left"
    )
    func killedEngineLeavesNothing() async throws {
        guard FileManager.default.isExecutableFile(atPath: OwnedEngine.modernDockerd) else { return }
        let name = "ibnine"
        let started = try await SubprocessExecutor().run(
            Command(Self.secondEngine, ["start", name, "--dockerd", "26.1", "--store", "containerd"], timeout: 300))
        try #require(started.succeeded, "\(started.stderr)")
        let host = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let container = try await SubprocessExecutor().run(
            Command(
                DockerEngine.executable, ["--host", host, "run", "--detach", "--rm", "imagebench-local/musl-busybox:1", "sleep", "600"], timeout: 60))
        #expect(container.succeeded, "\(container.stderr)")
        let pid = try String(contentsOfFile: "/tmp/imagebench-\(name)/docker.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await SubprocessExecutor().run(Command("kill", ["-9", pid], timeout: 30))
        try await Task.sleep(for: .seconds(1))
        let stopped = try await SubprocessExecutor().run(Command(Self.secondEngine, ["stop", name], timeout: 120))
        #expect(stopped.succeeded, "\(stopped.stderr)")
        func said(_ tool: String, _ args: [String]) async throws -> String {
            try await SubprocessExecutor().run(Command(tool, args, timeout: 30)).stdout
        }
        #expect(try await said("pgrep", ["-af", "imagebench-\(name)"]).isEmpty)
        #expect(!(try await said("pgrep", ["-af", "sleep 600"])).contains("sleep 600"))
        #expect(!(try String(contentsOfFile: "/proc/mounts", encoding: .utf8)).contains("imagebench-\(name)"))
        #expect(!(try await said("ip", ["-o", "link", "show"])).contains("\(name)br0"))
        #expect(!(try await said("ip", ["-4", "route", "show", "table", "all"])).contains("\(name)br0"))
        #expect(!(try await said("iptables-save", [])).contains("\(name)br0"))
        let cgroups = try FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup").filter {
            FileManager.default.fileExists(atPath: "/sys/fs/cgroup/\($0)/imagebench-\(name)")
        }
        #expect(cgroups.isEmpty, "\(cgroups)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/imagebench-\(name)"))
    }

    @Test("--jobs-per-host 2 builds two variants at once on one engine; an engine that does not answer at the start is left out, said in one warning")
    func jobsPerHost() async throws {
        try await withTemporaryDirectory { dir in
            try Self.writeScenario(in: dir, sleep: 2)
            let (mine, labels) = FaultEndToEndTests.labels()
            let started = Date()
            let r = try await imagebench(
                ["run", dir + "/m", "--repeat", "1", "--phases", "cold", "--jobs-per-host", "2", "--db", dir + "/r.sqlite"] + labels
                    + ["--context", "default", "--host", "unix:///tmp/imagebench-nothing-here.sock"])
            let seconds = Date().timeIntervalSince(started)
            #expect(r.exitCode == 0, "\(r.stderr)")
            let warnings = r.stderr.split(separator: "\n").filter { $0.hasPrefix("imagebench: warning: leaving out an engine that does not answer") }
            #expect(warnings.count == 1 && warnings.first?.contains("unix:///tmp/imagebench-nothing-here.sock") == true, "\(r.stderr)")
            let (_, results) = try await Self.report(dir + "/r.sqlite")
            #expect(results.count == 4 && results.allSatisfy { $0["status"] as? String == "ok" })
            // Builds overlapped: with one job per engine no two builds run at once.
            let builds = try await ResultStore(path: dir + "/r.sqlite").results(runID: 1).flatMap(\.builds)
            let spans = builds.map { ($0.startedAt.timeIntervalSince1970, $0.startedAt.timeIntervalSince1970 + $0.seconds) }
            let overlapping = spans.indices.contains { i in
                spans.indices.contains { j in i != j && spans[i].0 < spans[j].1 && spans[j].0 < spans[i].1 }
            }
            #expect(overlapping, "no two builds overlapped (run took \(seconds) s)")
            #expect(try await FaultEndToEndTests.leftovers(mine).isEmpty)
        }
    }

    @Test("engine: podman next to docker builds the same Dockerfile with both; the engine is recorded and shown; --engine podman")
    func podman() async throws {
        let found = try await SubprocessExecutor().run(Command("podman", ["version", "--format", "{{.Client.Version}}"], timeout: 30))
        try #require(found.succeeded, "podman is needed (scripts/setup installs it): \(found.stderr)")
        try await withTemporaryDirectory { dir in
            let (mine, labels) = FaultEndToEndTests.labels()
            let db = dir + "/r.sqlite"
            let r = try await imagebench(
                ["run", PackagePaths.scenarios + "/engines", "--profile", "offline", "--repeat", "2", "--db", db] + labels)
            #expect(r.exitCode == 0, "\(r.stderr)")
            let (run, all) = try await Self.report(db)
            let kinds = ((run["environment"] as? [String: Any])?["engines"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }
            // The variant on the engine `scripts/engine start modern` starts is skipped, naming it, when none answers
            // there; where one does (a machine that ran scripts/demo or started it), it is a third engine.
            let modern = all.first { $0["variant"] as? String == "engine=docker-26-containerd" }
            let modernBuilt = modern?["status"] as? String != "skipped"
            if !modernBuilt {
                #expect((modern?["problem"] as? String)?.contains("scripts/engine start modern") == true, "\(modern ?? [:])")
            } else {
                #expect(modern?["status"] as? String == "ok", "\(modern?["problem"] ?? "")")
            }
            #expect(kinds?.sorted() == (modernBuilt ? ["docker", "docker", "podman"] : ["docker", "podman"]))
            let results = all.filter { $0["variant"] as? String != "engine=docker-26-containerd" }
            #expect(results.count == 2)
            for r in results {
                let name = r["variant"] as? String ?? ""
                #expect(r["status"] as? String == "ok", "\(name): \(r["problem"] ?? "")")
                let kind = (r["engine"] as? [String: Any])?["kind"] as? String
                #expect(name == "engine=\(kind ?? "?")")
                let builders = Set(((r["builds"] as? [[String: Any]]) ?? []).compactMap { $0["builder"] as? String })
                #expect(kind != "podman" || builders == ["buildah"], "\(builders)")
                #expect(((r["image"] as? [String: Any])?["size_bytes"] as? Int ?? 0) > 1_000_000)
            }
            // The same files are the same size on both: the size is the layers'. podman's own .Size counts tar streams.
            let sizes = Self.sizes(results)
            #expect(sizes["engine=docker"] == sizes["engine=podman"], "\(sizes)")
            let meanings = results.map { (($0["image"] as? [String: Any])?["engine_size"] as? [String: Any])?["meaning"] as? String ?? "-" }
            #expect(Set(meanings) == ["unpacked", "tar-streams"], "\(meanings)")
            #expect(r.stdout.contains("podman's image store: podman image inspect .Size is the layers' tar streams"), "\(r.stdout)")
            #expect(r.stdout.contains("warning: the variants were built on \(modernBuilt ? 3 : 2) different engines"), "\(r.stdout)")
            #expect(r.stdout.contains("podman 4."), "\(r.stdout)")
            let markdown = try await imagebench(["report", "--db", db, "--format", "markdown"])
            #expect(markdown.stdout.contains("| engine |") && markdown.stdout.contains("Mixed engines"), "\(markdown.stdout)")

            // --engine podman: a scenario that does not choose builds on podman.
            try writeFiles(
                [
                    "p/scenario.yaml":
                        "images: { base: imagebench-local/musl-busybox:1 }\nbuild-args: { BASE: \"${images.base}\" }\nsmoke: { expect-output: ok }\n",
                    "p/Dockerfile": "ARG BASE\nFROM ${BASE}\nRUN echo ok > /ok\nENTRYPOINT [\"cat\", \"/ok\"]\n",
                ], under: dir)
            let p = try await imagebench(["run", dir + "/p", "--engine", "podman", "--repeat", "1", "--db", dir + "/p.sqlite"] + labels)
            #expect(p.exitCode == 0, "\(p.stderr)")
            let (prun, presults) = try await Self.report(dir + "/p.sqlite")
            #expect((prun["environment"] as? [String: Any])?["engine"] as? String == "podman")
            #expect(((presults.first?["engine"] as? [String: Any])?["kind"] as? String) == "podman")
            #expect(p.stdout.contains("1 engine: podman 4."), "\(p.stdout)")
            let left = try await SubprocessExecutor().run(Command("podman", ["image", "ls", "--quiet", "--filter", "label=\(mine)"], timeout: 30))
            #expect(left.succeeded && left.stdout.isEmpty, "left in podman: \(left.stdout)")
            #expect(try await FaultEndToEndTests.leftovers(mine).isEmpty)
        }
    }
}
