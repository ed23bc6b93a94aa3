import ArgumentParser
import Foundation
import ImageBenchCore
import ImageBenchReport
import ImageBenchStore

struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare a candidate run with a baseline run; exit 2 on a regression, 4 when there are only improvements.",
        discussion: """
            A size regression is growth beyond the threshold (default 1%). A time regression is growth of the median \
            beyond the threshold (default 25%) that is also significant by \(WelchTest.name); with fewer than 2 \
            repetitions on a side it says so instead of guessing. A working variant that stopped working is always a \
            regression. Thresholds can be set per scenario (thresholds: {size: 2%, cold: 30%}); flags override them.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, markdown, json
    }

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("The baseline run: an id, latest, or label:key=value.", valueName: "run"))
    var baseline: String

    @Option(name: .long, help: ArgumentHelp("The candidate run: an id, latest, or label:key=value.", valueName: "run"))
    var candidate = "latest"

    @Option(name: .long, help: ArgumentHelp("Size growth in percent that counts as a regression (default 1, or the scenario's).", valueName: "pct"))
    var maxSizeGrowth: String?

    @Option(
        name: .long, help: ArgumentHelp("Build-time growth in percent that counts as a regression (default 25, or the scenario's).", valueName: "pct")
    )
    var maxTimeGrowth: String?

    @Option(name: .long, help: "Output format: table, markdown or json.")
    var format: Format = .table

    @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path"))
    var output: String?

    @Flag(name: .long, help: "Gate across runs from different hosts or Docker engines (otherwise refused with exit 64).")
    var allowMixed = false

    func validate() throws {
        for (flag, value) in [("--baseline", baseline), ("--candidate", candidate)] where RunSelector(value) == nil {
            throw ValidationError("\(flag) must be a run id, latest or label:key=value, e.g. \(flag) label:branch=main")
        }
        for (flag, value) in [("--max-size-growth", maxSizeGrowth), ("--max-time-growth", maxTimeGrowth)] {
            if let value, Thresholds.parsePercent(value) == nil { throw ValidationError("\(flag) must be a percentage, e.g. \(flag) 5") }
        }
    }

    var overrides: Thresholds {
        var t = Thresholds()
        if let size = maxSizeGrowth.flatMap(Thresholds.parsePercent) { t.percent[.size] = size }
        if let time = maxTimeGrowth.flatMap(Thresholds.parsePercent) {
            for metric in Metric.allCases where metric.isTime { t.percent[metric] = time }
        }
        return t
    }

    func run() async throws {
        guard let store = try database.openExisting() else { throw RequestError.runNotFound(baseline, database: database.path) }
        let lookup = RunLookup(store: store, database: database.path)
        let base = try await lookup.snapshot(baseline)
        let candidateRun = try await lookup.snapshot(candidate)
        let comparison = Comparison.compare(baseline: base, candidate: candidateRun, overrides: overrides)
        let engines = comparison.engineDifferences
        if !engines.isEmpty && !allowMixed {
            throw RequestError(
                .otherEnvironment,
                "runs \(base.run.id) and \(candidateRun.run.id) come from different hosts or engines (\(engines.joined(separator: "; "))), so their times are not comparable; pass --allow-mixed to gate across them anyway"
            )
        }
        if !comparison.environmentDifferences.isEmpty {
            Console.warning(
                "runs \(base.run.id) and \(candidateRun.run.id) come from different environments: \(comparison.environmentDifferences.joined(separator: "; "))"
            )
        }
        let text: String
        switch format {
        case .table: text = ComparisonReport.table(comparison)
        case .json: text = ComparisonReport.json(comparison)
        case .markdown: text = MarkdownReport.render(RunReport(runs: [candidateRun.run], results: candidateRun.results), comparison: comparison)
        }
        try OutputFile.write(text, to: output)
        switch comparison.verdict {
        case .regression: throw ExitStatus.regression.exitCode
        case .onlyImprovements: throw ExitStatus.onlyImprovements.exitCode
        case .noRegression: return
        }
    }
}
