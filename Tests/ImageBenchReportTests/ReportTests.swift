import Foundation
import ImageBenchCore
import ImageBenchReport
import ImageBenchTestSupport
import Testing

@Suite("Report rendering")
struct ReportTests {
    /// A fixed model shaped like a go-http run: two working variants, one expected-broken, one failed build.
    static func report() -> RunReport {
        var run = RunRecord(
            id: 3, startedAt: Sample.date, finishedAt: Sample.date.addingTimeInterval(600), status: .complete, labels: ["branch": "main"],
            profile: "offline", environment: Sample.environment())
        run.scenarios = [
            RunScenario(
                name: "go-http", path: "/repo/Scenarios/go-http", contentHash: "abc",
                images: [
                    ResolvedImage(name: "alpine", requested: "alpine:3.20", used: "imagebench-local/musl-busybox:1", source: "profile offline"),
                    ResolvedImage(name: "tool", requested: "mine:1", used: "mine:1", source: "scenario"),
                ])
        ]
        func axes(_ l: String, _ r: String) -> [AxisChoice] { [AxisChoice(axis: "linking", value: l), AxisChoice(axis: "runtime", value: r)] }
        let alpine = VariantResult(
            runID: 3, scenario: "go-http", axes: axes("static", "alpine"), status: .ok,
            image: ImageFacts(ref: "imagebench/go-http:r3-a", id: "sha256:a", sizeBytes: 7_160_000, layers: 2),
            contextBytes: 1480,
            builds: Sample.builds(.cold, [12.1, 11.8, 12.6]) + Sample.builds(.warm, [0.41, 0.39, 0.44]) + Sample.builds(.edit, [11.2, 11.5, 11.1]),
            smoke: SmokeResult(ok: true, exitCode: 0, seconds: 0.52, output: "ok true"))
        let scratch = VariantResult(
            runID: 3, scenario: "go-http", axes: axes("static", "scratch"), status: .ok,
            image: ImageFacts(ref: "imagebench/go-http:r3-s", id: "sha256:s", sizeBytes: 4_472_832, layers: 1),
            contextBytes: 1480, builds: Sample.builds(.cold, [3.62, 3.71, 3.90]) + Sample.builds(.warm, [0.2]),
            smoke: SmokeResult(ok: true, exitCode: 0, seconds: 0.41, output: "ok true"))
        let dynamic = VariantResult(
            runID: 3, scenario: "go-http", axes: axes("dynamic", "scratch"), status: .expectedBroken,
            image: ImageFacts(ref: "imagebench/go-http:r3-d", id: "sha256:d", sizeBytes: 4_960_000, layers: 1),
            contextBytes: 1480, builds: Sample.builds(.cold, [16.5]),
            smoke: SmokeResult(ok: false, exitCode: 1, seconds: 0.3, output: "exec /app: no such file or directory"))
        var failed = VariantResult(
            runID: 3, scenario: "go-http", axes: axes("dynamic", "debian"), status: .buildFailed,
            problem: "cold build 1 failed (exit 1): gcc: not found")
        failed.builds = [
            BuildRecord(
                phase: .cold, repetition: 1, startedAt: Sample.date, seconds: 2, outcome: .failed, exitCode: 1, builder: .classic, imageID: nil,
                outputTail: "gcc: not found")
        ]
        return RunReport(runs: [run], results: [alpine, scratch, dynamic, failed])
    }

    @Test("table: sorted by size, SI units, median (min–max), ratio to the smallest working variant")
    func table() {
        let text = TableReport.render(Self.report())
        if let mismatch = snapshotMismatch(text, named: "table.txt") { Issue.record(Comment(rawValue: mismatch)) }
        #expect(text.contains("4.47 MB"))
        #expect(text.contains("3.71 (3.62–3.90)"))
        #expect(text.contains("1.60×"))
        #expect(text.contains("  alpine  imagebench-local/musl-busybox:1 (stands in for alpine:3.20, profile offline)\n"))
    }

    @Test("json: the documented fields, every repetition kept")
    func json() throws {
        let text = JSONReport.render(Self.report())
        if let mismatch = snapshotMismatch(text, named: "report.json") { Issue.record(Comment(rawValue: mismatch)) }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs[0]["id"] as? Int == 3)
        #expect(runs[0]["status"] as? String == "complete")
        let environment = try #require(runs[0]["environment"] as? [String: Any])
        #expect(environment["docker_client"] as? String == "28.2.2")
        #expect(environment["docker_server"] as? String == "20.10.24+dfsg1")
        let results = try #require(object["results"] as? [[String: Any]])
        let scratch = try #require(results.first { $0["variant"] as? String == "linking=static,runtime=scratch" })
        #expect(scratch["status"] as? String == "ok")
        #expect(scratch["axes"] as? [String: String] == ["linking": "static", "runtime": "scratch"])
        #expect(scratch["context_bytes"] as? Int == 1480)
        let image = try #require(scratch["image"] as? [String: Any])
        #expect(image["size_bytes"] as? Int == 4_472_832)
        #expect(image["layers"] as? Int == 1)
        let phases = try #require(scratch["phases"] as? [String: [String: Any]])
        #expect(phases["cold"]?["n"] as? Int == 3)
        #expect(phases["cold"]?["median_s"] as? Double == 3.71)
        #expect(phases["cold"]?["samples_s"] as? [Double] == [3.62, 3.71, 3.90])
        #expect(phases["edit"]?.isEmpty == true)
        let smoke = try #require(scratch["smoke"] as? [String: Any])
        #expect(smoke["ok"] as? Bool == true)
        #expect(smoke["exit_code"] as? Int == 0)
    }

    @Test("SI units with three significant digits")
    func units() {
        #expect(Units.bytes(512) == "512 B")
        #expect(Units.bytes(1480) == "1.48 kB")
        #expect(Units.bytes(4_472_832) == "4.47 MB")
        #expect(Units.bytes(203_000_000) == "203 MB")
        #expect(Units.bytes(999_999) == "1.00 MB")
        #expect(Units.bytes(12_340_000_000) == "12.3 GB")
        #expect(Units.seconds(0.4123) == "0.412 s")
        #expect(Units.seconds(83.21) == "83.2 s")
    }

    @Test("an empty database says what to do")
    func empty() {
        #expect(TableReport.render(RunReport(runs: [], results: [])) == "No runs yet: run `imagebench run SCENARIO` first.\n")
    }
}
