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
                smoke: { expect-output: ok, timeout: 3s }
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

    @Test("--build-timeout stops a hung RUN and the smoke timeout a hung container; both are recorded and the run goes on")
    func timeouts() async throws {
        try await withTemporaryDirectory { dir in
            try Self.writeScenario(in: dir)
            let db = dir + "/r.sqlite"
            let (mine, labels) = Self.labels()
            let started = Date()
            let r = try await imagebench(
                ["run", dir + "/f", "--db", db, "--repeat", "1", "--phases", "cold", "--build-timeout", "5s"] + labels)
            #expect(Date().timeIntervalSince(started) < 60, "a hung build or container was waited for")
            #expect(r.exitCode == 3, "\(r.stderr)")
            let (_, results) = try await Self.results(db)
            func find(_ v: String) throws -> [String: Any] { try #require(results.first { $0["variant"] as? String == "step=\(v)" }) }
            #expect(try find("quick")["status"] as? String == "ok")
            let slow = try find("slow")
            #expect(slow["status"] as? String == "build-failed")
            #expect((slow["problem"] as? String)?.contains("timed out after 5 s") == true, "\(slow["problem"] ?? "")")
            let build = try #require((slow["builds"] as? [[String: Any]])?.first)
            #expect(build["outcome"] as? String == "timeout")
            #expect((build["output_tail"] as? String)?.contains("slow step started") == true)
            let hang = try find("hang")
            #expect(hang["status"] as? String == "broken")
            #expect((hang["smoke"] as? [String: Any])?["timed_out"] as? Bool == true)
            #expect((hang["problem"] as? String)?.contains("no exit within 3 s") == true, "\(hang["problem"] ?? "")")
            #expect(try await Self.leftovers(mine).isEmpty)
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
            // Job control on (set -m), so the background job does not start with SIGINT ignored, as a
            // shell's background jobs otherwise do; the signal goes to imagebench alone, not its group.
            let script = """
                set -m
                "$0" "$@" >"\(dir)/out" 2>"\(dir)/err" &
                pid=$!
                for i in $(seq 1 100); do grep -q "step=quick: ok" "\(dir)/err" 2>/dev/null && break; sleep 0.2; done
                sleep 2
                start=$(date +%s.%N)
                kill -\(signal) $pid
                wait $pid
                status=$?
                echo "$status $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
                """
            let r = try await SubprocessExecutor().run(Command("/bin/bash", ["-c", script, PackagePaths.binary] + args, timeout: 120))
            let parts = r.stdout.split(separator: " ")
            let stderr = (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? ""
            #expect(parts.first == "130", "exit: \(r.stdout) \(stderr)")
            #expect((Double(parts.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 99) < 10, "took \(r.stdout)")
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
