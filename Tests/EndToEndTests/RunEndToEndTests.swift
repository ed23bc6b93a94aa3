import Foundation
import ImageBenchDocker
import ImageBenchStore
import ImageBenchTestSupport
import Testing

/// `imagebench run` as a user runs it, on a real engine, with a small fast scenario.
@Suite(
    "imagebench run end to end", .serialized, .enabled("needs a Docker engine and the offline base images") { await DockerEngine.hasOfflineBases() })
struct RunEndToEndTests {
    static let pwned = "/tmp/imagebench-pwned-\(UUID().uuidString)"

    /// A scenario on the musl-busybox stand-in: builds take about a second.
    static func writeScenario(in dir: String) throws {
        try writeFiles(
            [
                "tiny/scenario.yaml": """
                description: tiny busybox image
                images: { base: imagebench-local/musl-busybox:1 }
                build-args: { BASE: "${images.base}", MSG: "a; touch \(pwned) $(touch \(pwned))" }
                axes:
                  pad:
                    small: { build-args: { PAD: "1" } }
                    big: { build-args: { PAD: "300" } }
                  entry:
                    good: {}
                    missing: { dockerfile: Dockerfile.missing }
                    fails: { dockerfile: Dockerfile.fails }
                exclude:
                  - { pad: big, entry: missing }
                  - { pad: big, entry: fails }
                expect-broken:
                  - { entry: missing }
                smoke: { expect-output: "a; touch", timeout: 20s }
                edit: msg.txt
                """,
                "tiny/Dockerfile": """
                ARG BASE
                FROM ${BASE}
                ARG PAD=0
                ARG MSG
                COPY msg.txt /msg.txt
                RUN head -c $((PAD*1000)) /dev/zero > /pad && echo "$MSG" > /msg
                ENTRYPOINT ["cat", "/msg"]
                """,
                "tiny/Dockerfile.missing": "ARG BASE\nFROM ${BASE}\nENTRYPOINT [\"/nonexistent\"]\n",
                "tiny/Dockerfile.fails": "ARG BASE\nFROM ${BASE}\nRUN echo about to fail && false\n",
                "tiny/msg.txt": "hello\n",
            ], under: dir)
    }

    @Test("run, runs, report: statuses, exit codes, JSON, labels, no shell, images removed")
    func fullRun() async throws {
        try await withTemporaryDirectory { dir in
            try Self.writeScenario(in: dir)
            let db = dir + "/results.sqlite"
            // A label of this test's own, so images of suites running in parallel do not count.
            let mine = "imagebench.test.case=\(UUID().uuidString.prefix(8).lowercased())"
            let testLabel = ["--image-label", "imagebench.test=1", "--image-label", mine]

            let ok = try await imagebench(
                ["run", dir + "/tiny", "--db", db, "--repeat", "2", "--only", "entry=good", "--only", "entry=missing", "--label", "branch=main"]
                    + testLabel)
            #expect(ok.exitCode == 0, "\(ok.stderr)")
            #expect(ok.stdout.contains("pad=small,entry=good"))
            #expect(ok.stdout.contains("expected-broken"))
            #expect(ok.stderr.contains("[2/3] tiny pad=small,entry=missing: expected-broken"))

            let failing = try await imagebench(["run", dir + "/tiny", "--db", db, "--repeat", "1", "--only", "entry=fails"] + testLabel)
            #expect(failing.exitCode == 3)
            #expect(failing.stdout.contains("build-failed"))
            // The failed RUN step's container is removed (classic builds use --force-rm).
            let commands = try await DockerEngine.output(["ps", "--all", "--no-trunc", "--format", "{{.Command}}"])
            #expect(!commands.contains("about to fail"), "the failed step's container was left behind")

            let runs = try await imagebench(["runs", "--db", db])
            #expect(runs.exitCode == 0)
            let lines = runs.stdout.split(separator: "\n")
            #expect(lines.count == 4)
            #expect(lines[2].contains("complete") && lines[2].contains("tiny") && lines[2].hasSuffix("branch=main"))

            let json = try await imagebench(["report", "--db", db, "--run", "1", "--format", "json"])
            #expect(json.exitCode == 0)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let results = try #require(object["results"] as? [[String: Any]])
            #expect(
                Set(results.compactMap { $0["variant"] as? String }) == ["pad=small,entry=good", "pad=big,entry=good", "pad=small,entry=missing"])
            let big = try #require(results.first { $0["variant"] as? String == "pad=big,entry=good" })
            let small = try #require(results.first { $0["variant"] as? String == "pad=small,entry=good" })
            let bigSize = try #require((big["image"] as? [String: Any])?["size_bytes"] as? Int)
            let smallSize = try #require((small["image"] as? [String: Any])?["size_bytes"] as? Int)
            #expect(bigSize - smallSize == 299_000)
            let phases = try #require(small["phases"] as? [String: [String: Any]])
            #expect(phases["cold"]?["n"] as? Int == 2 && phases["warm"]?["n"] as? Int == 2 && phases["edit"]?["n"] as? Int == 2)
            #expect((small["smoke"] as? [String: Any])?["output"] as? String == "a; touch \(Self.pwned) $(touch \(Self.pwned))")

            let failedReport = try await imagebench(["report", "--db", db, "--format", "json"])
            #expect(failedReport.stdout.contains("about to fail"))

            #expect(!FileManager.default.fileExists(atPath: Self.pwned), "a build-arg value reached a shell")
            #expect(try String(contentsOfFile: dir + "/tiny/msg.txt", encoding: .utf8) == "hello\n", "the edit phase changed the user's file")
            let left = try await DockerEngine.output(["image", "ls", "--quiet", "--filter", "label=\(mine)"])
            #expect(left.isEmpty, "images left behind: \(left)")
            #expect(try await ResultStore(path: db).integrityCheck() == "ok")
        }
    }

    @Test("the default database is Reports/imagebench.sqlite under the current folder; IMAGEBENCH_DB overrides it")
    func defaultDatabase() async throws {
        try await withTemporaryDirectory { dir in
            try Self.writeScenario(in: dir)
            let args = [
                "run", "tiny", "--repeat", "1", "--phases", "cold", "--only", "entry=good", "--only", "pad=small", "--image-label",
                "imagebench.test=1",
            ]
            let r = try await imagebench(args, in: dir)
            #expect(r.exitCode == 0, "\(r.stderr)")
            #expect(FileManager.default.fileExists(atPath: dir + "/Reports/imagebench.sqlite"))
            let other = try await imagebench(args, in: dir, environment: ["IMAGEBENCH_DB": dir + "/other.sqlite"])
            #expect(other.exitCode == 0)
            #expect(FileManager.default.fileExists(atPath: dir + "/other.sqlite"))
            let report = try await imagebench(["report"], in: dir)
            #expect(report.stdout.contains("Run 1 · complete"))
        }
    }

    @Test("a classic multi-stage build leaves none of its step images behind, not even the builder stage's")
    func noDanglingStages() async throws {
        try await withTemporaryDirectory { dir in
            let token = "stage-\(UUID().uuidString.prefix(8).lowercased())"
            try writeFiles(
                [
                    "m/scenario.yaml": """
                    images: { base: imagebench-local/musl-busybox:1 }
                    build-args: { BASE: "${images.base}" }
                    axes:
                      builder:
                        classic: { builder: classic }
                    smoke: { expect-output: \(token) }
                    edit: msg.txt
                    """,
                    "m/Dockerfile": """
                    ARG BASE
                    FROM ${BASE} AS build
                    COPY msg.txt /msg.txt
                    RUN echo \(token) > /out && cat /msg.txt >> /out
                    FROM ${BASE}
                    COPY --from=build /out /out
                    ENTRYPOINT ["cat", "/out"]
                    """,
                    "m/msg.txt": "hello\n",
                ], under: dir)
            let r = try await imagebench(["run", dir + "/m", "--db", dir + "/r.sqlite", "--repeat", "2", "--image-label", "imagebench.test=1"])
            #expect(r.exitCode == 0, "\(r.stderr)")
            let ids = try await DockerEngine.output(["image", "ls", "--all", "--quiet", "--filter", "since=imagebench-local/musl-busybox:1"])
                .split(separator: "\n").map(String.init)
            if !ids.isEmpty {
                let commands = try await DockerEngine.output(["image", "inspect", "--format", "{{.ContainerConfig.Cmd}}"] + ids)
                #expect(!commands.contains(token), "a step image of the run is still there")
            }
        }
    }
}
