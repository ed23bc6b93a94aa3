import Foundation
import ImageBenchCore
import ImageBenchReport
import ImageBenchTestSupport
import Testing

/// The `ci` phase in every format: columns only when a variant has it, the verdict under the table,
/// the skip reason, the target, and `compare` gating on it.
@Suite("ci phase in reports")
struct CIReportTests {
    /// A run of two variants: `inline` took its two steps from the cache on the fresh runner; `classic` was skipped.
    static func report(ciSeconds: [Double] = [0.4, 0.5, 0.45]) -> RunReport {
        var inline = VariantResult(
            runID: 4, scenario: "go-http", axes: [AxisChoice(axis: "cache", value: "inline")], status: .ok,
            image: ImageFacts(ref: "imagebench/go-http:r4-inline", id: "sha256:i", sizeBytes: 2_000_000, layers: 1))
        inline.target = "build"
        inline.ci = CIPhaseResult(cache: .inline, cacheImage: "127.0.0.1:5000/imagebench/go-http:r4-cache-inline-abcd")
        inline.builds =
            Sample.builds(.cold, [12.1, 12.3, 12.2]) + Sample.withSteps(Sample.builds(.ci, ciSeconds), cached: Sample.goInstructions)
            + Sample.withSteps(Sample.builds(.ciNone, [12.9, 13.2, 13.0]))
        var classic = VariantResult(
            runID: 4, scenario: "go-http", axes: [AxisChoice(axis: "cache", value: "classic")], status: .ok,
            image: ImageFacts(ref: "imagebench/go-http:r4-classic", id: "sha256:c", sizeBytes: 2_000_000, layers: 1),
            builds: Sample.builds(.cold, [12.0]))
        classic.ci = CIPhaseResult(cache: .classic, skipped: "cache: classic takes its cache image from a registry: give --registry HOST:PORT")
        var run = RunRecord(id: 4, startedAt: Sample.date, status: .complete, environment: Sample.environment())
        run.environment.ciEngine = EngineRecord(
            kind: .docker, endpoint: "imagebench's own ci engine (unix:///tmp/imagebench-ci-abcd/docker.sock)", host: "ci-1",
            serverVersion: "20.10.24+dfsg1", storageDriver: "overlay2", cpus: 2, memoryBytes: 1)
        return RunReport(runs: [run], results: [inline, classic])
    }

    @Test("table, Markdown, HTML, JSON and CSV show the ci columns, the verdict, the skip and the target")
    func formats() throws {
        let report = Self.report()
        let table = TableReport.render(report)
        #expect(table.contains("ci s") && table.contains("ci-none s"), "\(table)")
        #expect(table.contains("ci phase engine: imagebench's own ci engine"))
        #expect(
            table.contains(
                "cache=inline: ci (fresh runner, inline cache from the registry): 0.03× the time without cache (median 0.450 s vs 13.0 s, n = 3 and 3, p = 0.000); from the cache: build 2/4 WORKDIR /src, build 3/4 COPY go.mod main.go ./, build 4/4 RUN go build -o /app ., stage-1 2/2 COPY --from=build /app /app; ran: no step"
            ), "\(table)")
        #expect(table.contains("cache=classic: ci phase skipped: cache: classic takes its cache image from a registry"))
        #expect(table.contains("cache=inline: builds --target build: that stage alone"))
        #expect(table.contains("ci: a fresh CI runner"))
        let markdown = MarkdownReport.render(report)
        #expect(markdown.contains("| ci | ci-none |"), "\(markdown)")
        #expect(markdown.contains("- `cache=inline` ci (fresh runner, inline cache from the registry): 0.03×"))
        #expect(markdown.contains("from the cache: `build 2/4 WORKDIR /src`"))
        let html = HTMLReport.render(report)
        #expect(html.contains("<th>ci</th><th>ci-none</th>") && html.contains("ci phase skipped: cache: classic"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONReport.render(report).utf8)) as? [String: Any])
        let results = try #require(json["results"] as? [[String: Any]])
        let ci = try #require(results[0]["ci"] as? [String: Any])
        #expect(ci["cache"] as? String == "inline" && ci["with_cache_n"] as? Int == 3 && ci["without_cache_n"] as? Int == 3)
        #expect((ci["ratio"] as? Double).map { abs($0 - 0.45 / 13.0) < 1e-9 } == true)
        #expect((ci["cached_steps"] as? [String])?.count == 4)
        #expect(results[0]["target"] as? String == "build")
        #expect((results[1]["ci"] as? [String: Any])?["skipped"] as? String != nil)
        #expect((results[0]["phases"] as? [String: Any])?["ci-none"] != nil)
        let csv = CSVReport.render(report)
        #expect(csv.contains(",ci,3,0.45,") && csv.contains(",ci-none,3,13,"), "\(csv)")
        // A run without the phase shows none of it.
        #expect(!TableReport.render(ReportFixture.report()).contains("ci s"))
    }

    @Test("compare gates a slower ci phase like any other, and shows the ci column only when a run has it")
    func compareGates() {
        let baseline = RunSnapshot(run: Self.report().runs[0], results: Self.report().results, thresholds: [:])
        var slower = Self.report(ciSeconds: [9.1, 9.3, 9.2])
        slower.runs[0].id = 5
        let c = Comparison.compare(baseline: baseline, candidate: RunSnapshot(run: slower.runs[0], results: slower.results, thresholds: [:]))
        #expect(c.changes[0].metrics.first { $0.metric == .ci }?.kind == .regression)
        #expect(c.verdict == .regression)
        #expect(c.shownMetrics.contains(.ci))
        #expect(ComparisonReport.table(c).contains(" ci "))
        #expect(!ReportFixture.comparison().shownMetrics.contains(.ci))
    }
}
