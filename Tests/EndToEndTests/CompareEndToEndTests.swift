import Foundation
import ImageBenchDocker
import ImageBenchStore
import ImageBenchTestSupport
import Testing

/// Two real runs of a small scenario, one bigger than the other: compare's exit codes and every report format.
@Suite(
    "compare, report formats and history end to end", .serialized,
    .enabled("needs a Docker engine and the offline base images") { await DockerEngine.hasOfflineBases() })
struct CompareEndToEndTests {
    static func scenario(in dir: String, pad: Int) throws {
        try writeFiles(
            [
                "grow/scenario.yaml": """
                images: { base: imagebench-local/musl-busybox:1 }
                build-args: { BASE: "${images.base}", PAD: "\(pad)" }
                axes:
                  kind:
                    plain: {}
                thresholds: { size: 5% }
                smoke: { expect-output: hello }
                """,
                "grow/Dockerfile":
                    "ARG BASE\nFROM ${BASE}\nARG PAD\nRUN head -c $((PAD*1000)) /dev/zero > /pad && echo hello > /msg\nENTRYPOINT [\"cat\", \"/msg\"]\n",
            ], under: dir)
    }

    @Test("exit 0 for no change, 2 for a regression, 4 for only improvements, 5 for a missing run; reports in every format")
    func compareExitCodes() async throws {
        try await withTemporaryDirectory { dir in
            let db = dir + "/r.sqlite"
            let common = ["--db", db, "--repeat", "2", "--phases", "cold,warm", "--image-label", "imagebench.test=1"]
            try Self.scenario(in: dir, pad: 100)
            let first = try await imagebench(["run", dir + "/grow", "--label", "branch=main"] + common)
            try #require(first.exitCode == 0, "\(first.stdout)\(first.stderr)")
            try Self.scenario(in: dir, pad: 1000)
            let second = try await imagebench(["run", dir + "/grow", "--label", "branch=pr"] + common)
            try #require(second.exitCode == 0, "\(second.stdout)\(second.stderr)")

            let same = try await imagebench(["compare", "--db", db, "--baseline", "1", "--candidate", "1"])
            #expect(same.exitCode == 0, "\(same.stdout)\(same.stderr)")
            #expect(same.stdout.contains("Verdict: no-regression"))

            let regression = try await imagebench(["compare", "--db", db, "--baseline", "label:branch=main", "--candidate", "latest"])
            #expect(regression.exitCode == 2)
            #expect(regression.stdout.contains("regression: size (limit 5%)"))

            let tolerant = try await imagebench(["compare", "--db", db, "--baseline", "1", "--max-size-growth", "200", "--max-time-growth", "1000"])
            #expect(tolerant.exitCode == 0, "\(tolerant.stdout)")

            // Size decides here: under a loaded CI machine, two repetitions of sub-second builds can differ
            // significantly in time either way.
            let improvements = try await imagebench([
                "compare", "--db", db, "--baseline", "2", "--candidate", "1", "--format", "json", "--max-time-growth", "1000",
            ])
            #expect(improvements.exitCode == 4)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(improvements.stdout.utf8)) as? [String: Any])
            #expect(object["verdict"] as? String == "only-improvements")

            let missing = try await imagebench(["compare", "--db", db, "--baseline", "label:branch=nope"])
            #expect(missing.exitCode == 5)
            #expect(missing.stderr.contains("run label:branch=nope is not in"))

            let markdown = try await imagebench(["compare", "--db", db, "--baseline", "1", "--format", "markdown"])
            #expect(markdown.exitCode == 2)
            #expect(markdown.stdout.hasPrefix("### imagebench: ❌ regression in 1 variant against run 1: kind=plain"))

            for format in ["markdown", "html", "csv", "json", "table"] {
                let file = dir + "/out/report.\(format)"
                let r = try await imagebench(
                    ["report", "--db", db, "--format", format, "--output", file]
                        + (["markdown", "html"].contains(format) ? ["--baseline", "1"] : []))
                #expect(r.exitCode == 0, "\(format): \(r.stderr)")
                #expect(((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").count > 100, "\(format)")
            }
            let html = try String(contentsOfFile: dir + "/out/report.html", encoding: .utf8)
            #expect(html.contains("class=\"chart trend-chart\""))

            let history = try await imagebench(["history", "grow", "--db", db])
            #expect(history.exitCode == 0)
            #expect(history.stdout.contains("+900 kB"))
            let none = try await imagebench(["history", "nothing", "--db", db])
            #expect(none.exitCode == 64)
            #expect(none.stderr.contains("scenarios recorded: grow"))
        }
    }
}
