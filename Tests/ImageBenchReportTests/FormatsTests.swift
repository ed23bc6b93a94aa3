import Foundation
import ImageBenchCore
import ImageBenchReport
import ImageBenchTestSupport
import Testing

/// Every output format from one fixed model: a baseline run 2 and the candidate run 3 of ReportTests.
@Suite("Report formats")
struct FormatsTests {
    static func check(_ text: String, _ name: String) {
        if let mismatch = snapshotMismatch(text, named: name) { Issue.record(Comment(rawValue: mismatch)) }
    }

    @Test("comparison of the fixed model: alpine grew and slowed, dynamic/debian broke, scratch is new, old was removed")
    func comparisonData() throws {
        let c = ReportFixture.comparison()
        #expect(c.verdict == .regression)
        #expect(c.regressions.map(\.variant) == ["linking=static,runtime=alpine", "linking=dynamic,runtime=debian"])
        let alpine = try #require(c.changes.first { $0.variant == "linking=static,runtime=alpine" })
        #expect(alpine.metrics.map(\.kind) == [.regression, .regression, .unchanged, .unchanged, .unchanged])
        #expect(alpine.metrics.map(\.metric) == [.size, .cold, .warm, .edit, .start], "a service is compared on its start time too")
        #expect(c.added.map(\.variant) == ["linking=static,runtime=scratch"])
        #expect(c.removed.map(\.variant) == ["linking=old"])
    }

    @Test("markdown: verdict line, a table per scenario, change columns, layers in <details>")
    func markdown() {
        let text = MarkdownReport.render(ReportFixture.report(), comparison: ReportFixture.comparison())
        Self.check(text, "report.md")
        #expect(
            text.hasPrefix(
                "### imagebench: ❌ regression in 2 variants against run 2: linking=static,runtime=alpine, linking=dynamic,runtime=debian\n"))
        #expect(
            text.contains(
                "| `linking=static,runtime=alpine` | ok | 7.16 MB | +160 kB (+2.3%) ▲ ❌ | ~3.65 MB | 2.69 MB | 0 B | 2 | 12.1 s ± 0.404 | +3.00 s (+33.0%) ▲ ❌ |"
            ))
        #expect(text.contains("<details><summary>Layers per variant"))
        #expect(text.contains("- 🚨 `linking=static,runtime=scratch`: secrets inside the image: `assigned-secret /app/.env (layer 0, line 2)`"))
        #expect(
            text.contains("- `linking=static,runtime=scratch`: named like secrets inside the image, content not flagged: `/app/id_rsa (layer 0)`"))
        #expect(text.contains("Added since the baseline: `linking=static,runtime=scratch`."))
    }

    @Test("markdown without a baseline has no change columns")
    func markdownPlain() {
        let text = MarkdownReport.render(ReportFixture.report())
        Self.check(text, "report-plain.md")
        #expect(!text.contains("Δ"))
        #expect(
            text.contains(
                "| variant | status | size | compressed | unique | wasted | layers | cold | warm | edit | start | slowest step (cold) | smoke | memory |"
            ))
        #expect(text.contains("| 0.310 s ± 0.031 | "), "the service's start time")
        #expect(text.contains("| 3.43 MB |"), "its memory after the first answer, in SI units")
        #expect(text.contains("start: seconds from `docker run` to the service's first expected HTTP answer"))
    }

    @Test("html: self-contained, with size, time, trend and layer charts")
    func html() {
        let text = HTMLReport.render(ReportFixture.report(), comparison: ReportFixture.comparison(), trends: ReportFixture.trends())
        Self.check(text, "report.html")
        for chart in ["size-chart", "time-chart", "trend-chart", "layer-chart", "step-chart"] { #expect(text.contains("class=\"chart \(chart)\"")) }
        #expect(!text.contains("<script"))
        #expect(!text.contains("http://") || text.contains("http://www.w3.org/2000/svg"))
        #expect(!text.contains("https://"))
        #expect(!text.contains("@import") && !text.contains("url("))
    }

    @Test("csv: a header and one row per variant and phase, in bytes and seconds")
    func csv() {
        let text = CSVReport.render(ReportFixture.report())
        Self.check(text, "report.csv")
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1 + 4 * 4, "a row per variant and time: cold, warm, edit and start")
        #expect(lines[4].contains(",start,3,0.31,") && lines[4].hasSuffix(",3428844,,,,,,,,,,,,"), "the service's start times and memory")
        #expect(lines[0].hasPrefix("run_id,scenario,variant,status,size_bytes"))
        #expect(
            lines[5]
                == "3,go-http,\"linking=static,runtime=scratch\",ok,4472832,1,1480,cold,3,3.71,3.743333,0.142945,3.62,3.9,3.62;3.71;3.9,true,0,0.41,3,1210,.env,4472832,0,1200,0.9,\"assigned-secret /app/.env (layer 0, line 2)\",2150000,registry,docker,default,ci-1,20.10.24+dfsg1,overlay2,2,2,1180,.dockerignore,classic,,,,,,,/app/id_rsa (layer 0),zstd,,,,,"
        )
    }

    @Test("compare as a table and as JSON")
    func compareFormats() throws {
        let c = ReportFixture.comparison()
        Self.check(ComparisonReport.table(c), "compare.txt")
        let json = ComparisonReport.json(c)
        Self.check(json, "compare.json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["verdict"] as? String == "regression")
        #expect(object["test"] as? String == "Welch's t-test, two-sided, 95%")
    }

    @Test("history: one row per run with the change, and a sparkline")
    func history() {
        let text = HistoryReport.render(ReportFixture.trends()["go-http"]!.filter { $0.metric == .size })
        Self.check(text, "history.txt")
        #expect(text.contains("linking=static,runtime=scratch  ▁██"))
        #expect(text.contains("+72.8 kB (+1.7%) ▲"))
    }
}

@Suite("Engines in reports")
struct EngineReportTests {
    /// The fixture with its variants spread over two engines, the second of another `kind`/version.
    static func report(secondServer: String) -> RunReport {
        var report = ReportFixture.report()
        var first = Sample.environment()
        first.endpoint = "ssh://ci@builder1"
        var second = first
        second.endpoint = "ssh://ci@builder2"
        second.dockerServer = secondServer
        report.runs[0].environment.engines = [first.engineRecord, second.engineRecord]
        for i in report.results.indices { report.results[i].engine = (i % 2 == 0 ? first : second).engineRecord }
        return report
    }

    @Test("variants on two equal engines: an engine column, both engines in the header, no warning")
    func equalEngines() {
        let table = TableReport.render(Self.report(secondServer: "20.10.24+dfsg1"))
        #expect(
            table.contains(
                "2 engines: docker 20.10.24+dfsg1 at ssh://ci@builder1 on ci-1 (overlay2, 2 CPUs); docker 20.10.24+dfsg1 at ssh://ci@builder2"))
        let header = table.split(separator: "\n").first { $0.hasPrefix("variant ") } ?? ""
        #expect(header.hasSuffix("engine"), "\(header)")
        #expect(table.contains("ssh://ci@builder2"))
        #expect(!table.contains("warning:"))
    }

    @Test("variants on engines that differ: every format says so; one engine: no column")
    func mixedEngines() {
        let report = Self.report(secondServer: "24.0.7")
        #expect(TableReport.render(report).contains("warning: the variants were built on 2 different engines"))
        let markdown = MarkdownReport.render(report)
        #expect(markdown.contains("> ⚠️ Mixed engines: the variants were built on 2 different engines") && markdown.contains("| engine |"))
        #expect(HTMLReport.render(report).contains("<p class=\"warning\">Mixed engines:") && HTMLReport.render(report).contains("<th>engine</th>"))
        #expect(CSVReport.render(report).contains(",docker,ssh://ci@builder2,ci-1,24.0.7,overlay2,2"))
        #expect(JSONReport.render(report).contains("\"endpoint\" : \"ssh://ci@builder2\""))
        let single = TableReport.render(ReportFixture.report()).split(separator: "\n").first { $0.hasPrefix("variant ") } ?? ""
        #expect(single.hasSuffix("smoke           memory") && !single.contains("engine"), "\(single)")
    }
}
