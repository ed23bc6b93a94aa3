import ArgumentParser
import Foundation
import ImageBenchCore
import ImageBenchReport
import ImageBenchStore

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render a run: terminal table, Markdown for a pull request, self-contained HTML with charts, JSON or CSV.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, markdown, html, json, csv, bmf
        case benchmarkAction = "benchmark-action"
    }

    /// Runs shown in the HTML trend lines.
    static let trendRuns = 30

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("The run: an id, latest, or label:key=value (the latest run with that label).", valueName: "run"))
    var run = "latest"

    @Option(name: .long, help: ArgumentHelp("Compare with this run (id, latest or label:key=value) and show the changes.", valueName: "run"))
    var baseline: String?

    @Option(
        name: .long,
        help:
            "Output format: table, markdown, html, json, csv, bmf (Bencher Metric Format) or benchmark-action (github-action-benchmark's customSmallerIsBetter)."
    )
    var format: Format = .table

    @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path"))
    var output: String?

    @Flag(
        name: .long,
        help: "Per variant, each step's median time, spread and cache hits per phase (table, markdown; csv: a row per variant, phase and step).")
    var steps = false

    @Option(name: .long, help: "The HTML trend lines' axis: run, or commit (each commit's newest run, in commit order).")
    var trendBy: HistoryAxis = .run

    func validate() throws {
        if trendBy == .commit && format != .html { throw ValidationError("--trend-by is for --format html's trend lines") }
        if steps && [.json, .html, .bmf, .benchmarkAction].contains(format) {
            throw ValidationError("--steps works with --format table, markdown or csv; JSON and HTML always include the steps")
        }
        if RunSelector(run) == nil { throw ValidationError("--run must be a run id, latest or label:key=value, e.g. --run 3") }
        if let baseline, RunSelector(baseline) == nil {
            throw ValidationError("--baseline must be a run id, latest or label:key=value, e.g. --baseline label:branch=main")
        }
        if baseline != nil && [.json, .csv, .bmf, .benchmarkAction].contains(format) {
            throw ValidationError("--baseline works with --format table, markdown or html; for JSON use `imagebench compare --format json`")
        }
    }

    func run() async throws {
        guard let store = try database.openExisting() else { throw RequestError.runNotFound(run, database: database.path) }
        let snapshot = try await RunLookup(store: store, database: database.path).snapshot(run)
        let report = RunReport(runs: [snapshot.run], results: snapshot.results)
        var comparison: Comparison?
        if let baseline {
            let base = try await RunLookup(store: store, database: database.path).snapshot(baseline)
            comparison = Comparison.compare(baseline: base, candidate: snapshot)
        }
        let text: String
        switch format {
        case .table:
            text = (steps ? StepsReport.table(report) : TableReport.render(report)) + (comparison.map { "\n" + ComparisonReport.table($0) } ?? "")
        case .markdown: text = steps ? StepsReport.markdown(report) : MarkdownReport.render(report, comparison: comparison)
        case .json: text = JSONReport.render(report)
        case .csv: text = steps ? CSVReport.steps(report) : CSVReport.render(report)
        case .bmf: text = BenchmarkExport.bmf(report)
        case .benchmarkAction: text = BenchmarkExport.benchmarkAction(report)
        case .html:
            var trends: [String: [HistorySeries]] = [:]
            for scenario in report.scenarios {
                trends[scenario] =
                    try await store.history(scenario: scenario, metric: .size, last: Self.trendRuns, upTo: snapshot.run.id)
                    + store.history(scenario: scenario, metric: .cold, last: Self.trendRuns, upTo: snapshot.run.id)
            }
            var commits: [Int64: CommitInfo]?
            if trendBy == .commit {
                commits = Dictionary(
                    try await store.runSummaries().compactMap { summary in summary.run.commit().map { (summary.run.id, $0) } },
                    uniquingKeysWith: { a, _ in a })
            }
            text = HTMLReport.render(report, comparison: comparison, trends: trends, commits: commits)
        }
        try OutputFile.write(text, to: output)
    }
}
