import Foundation
import ImageBenchCore
import ImageBenchReport
import ImageBenchTestSupport
import Testing

@Suite("Report rendering")
struct ReportTests {
    @Test("table: sorted by size, SI units, median (min–max), ratio to the smallest working variant")
    func table() {
        let text = TableReport.render(ReportFixture.report())
        if let mismatch = snapshotMismatch(text, named: "table.txt") { Issue.record(Comment(rawValue: mismatch)) }
        #expect(text.contains("4.47 MB"))
        #expect(text.contains("3.71 (3.62–3.90)"))
        #expect(text.contains("1.60×"))
        #expect(text.contains("  alpine  imagebench-local/musl-busybox:1 (stands in for alpine:3.20, profile offline)\n"))
    }

    @Test("json: the documented fields, every repetition kept")
    func json() throws {
        let text = JSONReport.render(ReportFixture.report())
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
