import Foundation
import ImageBenchDocker
import ImageBenchStore
import ImageBenchTestSupport
import Testing

/// Faults on a real engine: hung builds and containers, signals, and two runs sharing one database.
@Suite("faults end to end", .serialized, .enabled("needs a Docker engine and the offline base images") { await DockerEngine.hasOfflineBases() })
struct FaultEndToEndTests {
    static func writeScenario(in dir: String) throws {
        try writeFiles(
            [
                "f/scenario.yaml": """
                images: { base: imagebench-local/musl-busybox:1 }
                build-args: { BASE: "${images.base}" }
                axes:
                  step:
                    quick: {}
                    slow: { dockerfile: Dockerfile.slow }
                    hang: { dockerfile: Dockerfile.hang }
                smoke: { expect-output: ok, timeout: 10s }
                """,
                "f/Dockerfile": "ARG BASE\nFROM ${BASE}\nRUN echo ok > /ok\nENTRYPOINT [\"cat\", \"/ok\"]\n",
                "f/Dockerfile.slow": "ARG BASE\nFROM ${BASE}\nRUN echo slow step started && sleep 120\nENTRYPOINT [\"cat\", \"/ok\"]\n",
                "f/Dockerfile.hang": "ARG BASE\nFROM ${BASE}\nRUN echo ok > /ok\nENTRYPOINT [\"sleep\", \"120\"]\n",
            ], under: dir)
    }

    static func labels() -> (String, [String]) {
        let mine = "imagebench.test.case=\(UUID().uuidString.prefix(8).lowercased())"
        return (mine, ["--image-label", "imagebench.test=1", "--image-label", mine])
    }

    static func leftovers(_ label: String) async throws -> String {
        try await DockerEngine.output(["ps", "--all", "--quiet", "--filter", "label=\(label)"])
            + DockerEngine.output(["image", "ls", "--quiet", "--filter", "label=\(label)"])
    }

    static func results(_ db: String) async throws -> (run: [String: Any], results: [[String: Any]]) {
        let json = try await imagebench(["report", "--db", db, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let run = try #require((object["runs"] as? [[String: Any]])?.first)
        return (run, try #require(object["results"] as? [[String: Any]]))
    }

    /// Runs imagebench with `args` in the background, waits until its progress says `waitFor`, then
    /// `after` seconds more, runs `kill` (shell; `$pid` is imagebench's), and waits for it to exit.
    /// Job control is on, so the background job does not start with SIGINT ignored as a shell's
    /// background jobs otherwise do; the signal goes to imagebench alone, not to its process group.
    static func interrupt(
        _ args: [String], in dir: String, waitFor: String, after: Double, kill: String, environment: [String: String] = [:]
    ) async throws -> (status: String, seconds: Double, stderr: String) {
        let script = """
            set -m
            "$0" "$@" >"\(dir)/out" 2>"\(dir)/err" &
            pid=$!
            for i in $(seq 1 100); do grep -q "\(waitFor)" "\(dir)/err" 2>/dev/null && break; sleep 0.2; done
            sleep \(after)
            start=$(date +%s.%N)
            \(kill)
            wait $pid
            status=$?
            echo "$status $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
            """
        let r = try await SubprocessExecutor().run(
            Command("/bin/bash", ["-c", script, PackagePaths.binary] + args, environment: environment, timeout: 120))
        let parts = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
        let stderr = (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? ""
        return (parts.first.map(String.init) ?? "", parts.last.flatMap { Double($0) } ?? 99, stderr)
    }

    @Test("--build-timeout stops a hung RUN and the smoke timeout a hung container; both are recorded and the run goes on")
    func timeouts() async throws {
        try await withTemporaryDirectory { dir in
            try Self.writeScenario(in: dir)
            let db = dir + "/r.sqlite"
            let (mine, labels) = Self.labels()
            let started = Date()
            let r = try await imagebench(
                ["run", dir + "/f", "--db", db, "--repeat", "1", "--phases", "cold", "--build-timeout", "45s"] + labels)
            // 45 s: the quick build's one RUN step took over 20 s once beside the rest of the suite (CI, stop 31).
            #expect(Date().timeIntervalSince(started) < 150, "a hung build or container was waited for")
            #expect(r.exitCode == 3, "\(r.stderr)")
            let (_, results) = try await Self.results(db)
            func find(_ v: String) throws -> [String: Any] { try #require(results.first { $0["variant"] as? String == "step=\(v)" }) }
            let quick = try find("quick")
            #expect(quick["status"] as? String == "ok", "\(quick["problem"] ?? "")")
            let slow = try find("slow")
            #expect(slow["status"] as? String == "build-failed")
            #expect((slow["problem"] as? String)?.contains("timed out after 45 s") == true, "\(slow["problem"] ?? "")")
            let build = try #require((slow["builds"] as? [[String: Any]])?.first)
            #expect(build["outcome"] as? String == "timeout")
            #expect((build["output_tail"] as? String)?.contains("slow step started") == true)
            let hang = try find("hang")
            #expect(hang["status"] as? String == "broken")
            #expect((hang["smoke"] as? [String: Any])?["timed_out"] as? Bool == true)
            #expect((hang["problem"] as? String)?.contains("no exit within 10 s") == true, "\(hang["problem"] ?? "")")
            let left = try await Self.leftovers(mine)
            #expect(left.isEmpty, "left behind: \(left)")
            let running = try await DockerEngine.output(["ps", "--format", "{{.Command}}"])
            #expect(!running.contains("sleep 120"), "a hung build step or container still runs")
        }
    }

    @Test("SIGTERM, then SIGINT, during a build: exit 130, run interrupted, finished builds kept, nothing left behind", arguments: ["TERM", "INT"])
    func interrupted(signal: String) async throws {
        try await withTemporaryDirectory { dir in
            try Self.writeScenario(in: dir)
            let db = dir + "/r.sqlite"
            let (mine, labels) = Self.labels()
            let args = ["run", dir + "/f", "--db", db, "--repeat", "1", "--phases", "cold", "--only", "step=quick", "--only", "step=slow"] + labels
            let (status, seconds, stderr) = try await Self.interrupt(args, in: dir, waitFor: "step=quick: ok", after: 2, kill: "kill -\(signal) $pid")
            #expect(status == "130", "exit: \(status) \(stderr)")
            #expect(seconds < 10, "took \(seconds) s")
            #expect(stderr.contains("imagebench: run 1 interrupted; its finished builds are in \(db)"), "\(stderr)")
            let (run, results) = try await Self.results(db)
            #expect(run["status"] as? String == "interrupted")
            let quick = try #require(results.first { $0["variant"] as? String == "step=quick" })
            #expect(quick["status"] as? String == "ok" && (quick["builds"] as? [Any])?.count == 1)
            let slow = try #require(results.first { $0["variant"] as? String == "step=slow" })
            #expect((slow["builds"] as? [Any])?.isEmpty == true, "the build in flight is not a result")
            #expect(try await Self.leftovers(mine).isEmpty)
            let running = try await DockerEngine.output(["ps", "--format", "{{.Command}}"])
            #expect(!running.contains("sleep 120"), "the build's RUN step still runs")
            #expect(try await ResultStore(path: db).integrityCheck() == "ok")
        }
    }

    @Test("the engine killed during a build: one line with the resume command, exit 69 within seconds, finished builds kept")
    func engineKilled() async throws {
        try await EngineEndToEndTests.withSecondEngine("ibkill") { host in
            try await withTemporaryDirectory { dir in
                try Self.writeScenario(in: dir)
                let db = dir + "/r.sqlite"
                let args = ["run", dir + "/f", "--db", db, "--repeat", "1", "--phases", "cold", "--only", "step=quick", "--only", "step=slow"]
                let (status, seconds, stderr) = try await Self.interrupt(
                    args, in: dir, waitFor: "step=quick: ok", after: 2, kill: "kill -9 \"$(cat /tmp/imagebench-ibkill/docker.pid)\"",
                    environment: ["DOCKER_HOST": host])
                #expect(status == "69", "exit: \(status) \(stderr)")
                #expect(seconds < 15, "took \(seconds) s")
                let errors = stderr.split(separator: "\n").filter { $0.hasPrefix("imagebench: error:") }
                #expect(errors.count == 1, "\(stderr)")
                #expect(
                    errors.first?.hasPrefix("imagebench: error: the Docker engine stopped answering during the cold build 1 of f step=slow") == true
                        && errors.first?.hasSuffix("Start the engine again, then: imagebench run --resume 1") == true, "\(stderr)")
                let (run, results) = try await Self.results(db)
                #expect(run["status"] as? String == "failed")
                let quick = try #require(results.first { $0["variant"] as? String == "step=quick" })
                #expect(quick["status"] as? String == "ok" && (quick["builds"] as? [Any])?.count == 1)
                let slow = try #require(results.first { $0["variant"] as? String == "step=slow" })
                #expect((slow["builds"] as? [Any])?.isEmpty == true, "the build lost with the engine is not a result")
                #expect(try await ResultStore(path: db).integrityCheck() == "ok")
            }
        }
    }

    @Test("a second Ctrl-C quits at once: the build in flight is killed, the run can still be resumed")
    func secondInterrupt() async throws {
        try await withTemporaryDirectory { dir in
            try Self.writeScenario(in: dir)
            let db = dir + "/r.sqlite"
            let (mine, labels) = Self.labels()
            let args = ["run", dir + "/f", "--db", db, "--repeat", "1", "--phases", "cold", "--only", "step=quick", "--only", "step=slow"] + labels
            let (status, seconds, stderr) = try await Self.interrupt(
                args, in: dir, waitFor: "step=quick: ok", after: 2, kill: "kill -INT $pid; sleep 0.05; kill -INT $pid")
            #expect(status == "130", "exit: \(status) \(stderr)")
            #expect(seconds < 3, "took \(seconds) s")
            #expect(stderr.contains("quit at once") || stderr.contains("interrupted"), "\(stderr)")
            // The killed build's client is gone; the engine cancels the build and its RUN step.
            var running = ""
            for _ in 0..<30 {
                running = try await DockerEngine.output(["ps", "--format", "{{.Command}}"])
                if !running.contains("sleep 120") { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(!running.contains("sleep 120"), "the build's RUN step still runs")
            // Nothing was cleaned up at once; what the run made is labelled, so remove it here.
            let left = try await Self.leftovers(mine).split(separator: "\n").map(String.init)
            if !left.isEmpty { _ = try await DockerEngine.output(["image", "rm", "--force"] + left) }
            #expect(try await ResultStore(path: db).integrityCheck() == "ok")
        }
    }

    @Test("run --resume after an interrupt builds only what the run lacks; its report matches an uninterrupted run's")
    func resume() async throws {
        try await withTemporaryDirectory { dir in
            try writeFiles(
                [
                    "r/scenario.yaml": """
                    images: { base: imagebench-local/musl-busybox:1 }
                    build-args: { BASE: "${images.base}" }
                    axes:
                      step:
                        a: {}
                        b: { dockerfile: Dockerfile.sleep }
                        c: {}
                    smoke: { expect-output: ok }
                    edit: msg.txt
                    """,
                    "r/Dockerfile": "ARG BASE\nFROM ${BASE}\nCOPY msg.txt /msg.txt\nRUN echo ok > /ok\nENTRYPOINT [\"cat\", \"/ok\"]\n",
                    "r/Dockerfile.sleep":
                        "ARG BASE\nFROM ${BASE}\nCOPY msg.txt /msg.txt\nRUN sleep 4 && echo ok > /ok\nENTRYPOINT [\"cat\", \"/ok\"]\n",
                    "r/msg.txt": "hi\n",
                ], under: dir)
            let db = dir + "/r.sqlite"
            let (mine, labels) = Self.labels()
            let args = ["run", dir + "/r", "--db", db, "--repeat", "1"] + labels
            let stopped = try await Self.interrupt(args, in: dir, waitFor: "step=a: ok", after: 1, kill: "kill -INT $pid")
            #expect(stopped.status == "130", "\(stopped.status) \(stopped.stderr)")
            let before = try await Self.results(db)
            #expect(before.run["status"] as? String == "interrupted")
            let aBefore = try #require(before.results.first { $0["variant"] as? String == "step=a" })
            // BuildKit goes on with a cancelled build's step for a moment after its client is gone; the resumed cold
            // build of step=b would meet that step of the same Dockerfile still running. A user resumes later.
            try await Task.sleep(for: .seconds(4))

            let resumed = try await imagebench(["run", "--resume", "1", "--db", db])
            #expect(resumed.exitCode == 0, "\(resumed.stderr)")
            #expect(resumed.stderr.contains("imagebench: resuming run 1: 1 of 3 variants finished; building the rest"), "\(resumed.stderr)")
            let again = try await imagebench(["run", "--resume", "1", "--db", db])
            #expect(again.exitCode == 0 && again.stderr.contains("run 1 is complete; nothing to resume"))
            let after = try await Self.results(db)
            #expect(after.run["status"] as? String == "complete")
            // The finished variant is kept as it was, not built again.
            let aAfter = try #require(after.results.first { $0["variant"] as? String == "step=a" })
            for key in ["builds", "image", "smoke", "status", "insight"] {
                #expect(
                    NSDictionary(dictionary: [key: aAfter[key] ?? 0]) == NSDictionary(dictionary: [key: aBefore[key] ?? 0]), "step=a's \(key) changed"
                )
            }

            // The same scenario without an interruption, for comparison.
            let whole = try await imagebench(["run", dir + "/r", "--db", dir + "/whole.sqlite", "--repeat", "1"] + labels)
            #expect(whole.exitCode == 0, "\(whole.stderr)")
            let reference = try await Self.results(dir + "/whole.sqlite")
            func shape(_ results: [[String: Any]]) -> [String] {
                results.map { r in
                    let builds = (r["builds"] as? [[String: Any]] ?? []).map {
                        "\($0["phase"] ?? "")/\($0["repetition"] ?? "")/\($0["outcome"] ?? "")"
                    }
                    let image = r["image"] as? [String: Any]
                    return "\(r["variant"] ?? "") \(r["status"] ?? "") \(image?["size_bytes"] ?? "-") \(image?["layers"] ?? "-") \(builds.sorted())"
                }.sorted()
            }
            // Each layer's bytes and file counts and the wasted paths, to name the file when the sizes differ.
            func layers(_ results: [[String: Any]]) -> String {
                results.map { r in
                    let insight = r["insight"] as? [String: Any]
                    let layers = (insight?["layers"] as? [[String: Any]] ?? []).map {
                        "\($0["unpacked_bytes"] ?? "-")+\($0["added"] ?? "-")~\($0["changed"] ?? "-")"
                    }
                    let wasted = (insight?["wasted_files"] as? [[String: Any]] ?? []).map { "\($0["path"] ?? "")" }
                    return "\(r["variant"] ?? ""): \(layers) wasted \(wasted) \((r["image"] as? [String: Any])?["id"] ?? "")"
                }.sorted().joined(separator: "; ")
            }
            #expect(
                shape(after.results) == shape(reference.results),
                "resumed: \(layers(after.results)); uninterrupted: \(layers(reference.results))")
            #expect(try await Self.leftovers(mine).isEmpty)
        }
    }

    @Test("--resume refuses other settings, a missing run and a changed scenario")
    func resumeRefusals() async throws {
        try await withTemporaryDirectory { dir in
            let mixed = try await imagebench(["run", "--resume", "1", "--repeat", "5", "--only", "a=b", "--db", dir + "/x.sqlite"])
            #expect(mixed.exitCode == 64 && mixed.stderr.contains("leave out --only, --repeat"), "\(mixed.stderr)")
            let missing = try await imagebench(["run", "--resume", "7", "--db", dir + "/x.sqlite"])
            #expect(missing.exitCode == 5, "\(missing.stderr)")
        }
    }

    @Test("two runs on one database at once both finish with all their builds stored")
    func twoProcesses() async throws {
        try await withTemporaryDirectory { dir in
            try Self.writeScenario(in: dir)
            let db = dir + "/shared.sqlite"
            let (mine, labels) = Self.labels()
            let args = ["run", dir + "/f", "--db", db, "--repeat", "2", "--phases", "cold,warm", "--only", "step=quick"] + labels
            async let first = imagebench(args + ["--label", "who=first"])
            async let second = imagebench(args + ["--label", "who=second"])
            let (a, b) = try await (first, second)
            #expect(a.exitCode == 0, "\(a.stderr)")
            #expect(b.exitCode == 0, "\(b.stderr)")
            #expect(!(a.stderr + b.stderr).contains("locked"))
            let check = try await imagebench(["db", "check", "--db", db])
            #expect(check.exitCode == 0)
            #expect(check.stdout.contains("runs 2") && check.stdout.contains("variants 2") && check.stdout.contains("builds 8"), "\(check.stdout)")
            #expect(try await Self.leftovers(mine).isEmpty)
        }
    }
}
