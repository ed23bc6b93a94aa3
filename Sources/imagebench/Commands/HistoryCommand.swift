import ArgumentParser
import ImageBenchCore
import ImageBenchReport
import ImageBenchStore

extension Metric: ExpressibleByArgument {}
extension HistoryAxis: ExpressibleByArgument {}

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show a scenario's metric over its runs: one row per run with the value and the change, and a sparkline.")

    @OptionGroup var database: DatabaseOptions

    @Argument(help: ArgumentHelp("The scenario's name (as in `imagebench runs`).", valueName: "scenario"))
    var scenario: String

    @Option(name: .long, help: ArgumentHelp("Only this variant, e.g. linking=static,runtime=scratch.", valueName: "variant"))
    var variant: String?

    @Option(
        name: .long,
        help:
            "size, compressed, cold, warm, edit, ci (a fresh runner with its cache), ci-none (without) or start (a service's start to its first answer)."
    )
    var metric: Metric = .size

    @Option(name: .long, help: ArgumentHelp("How many of the latest runs (with --by commit: commits) to show.", valueName: "n"))
    var last = 20

    @Option(
        name: .long,
        help:
            "run: a row per run; commit: a row per commit (its newest run), with the commit's date and subject and the commits `run --commits` skipped."
    )
    var by: HistoryAxis = .run

    func validate() throws {
        guard (1...100_000).contains(last) else { throw ValidationError("--last must be between 1 and 100000, e.g. --last 30") }
    }

    func run() async throws {
        guard let store = try database.openExisting() else { throw RequestError.runNotFound("latest", database: database.path) }
        let series = try await store.history(scenario: scenario, variant: variant, metric: metric, last: by == .commit ? 100_000 : last)
        if by == .commit {
            let commits = CommitHistory.build(series: series, runs: try await store.runSummaries().map(\.run), scenario: scenario, last: last)
            if !commits.contains(where: { !$0.rows.isEmpty }) {
                throw RequestError(
                    .noHistory,
                    "\(database.path) has no runs of scenario \"\(scenario)\" that recorded a git commit; make some with `imagebench run SCENARIO --commits A..B`"
                )
            }
            print(HistoryReport.byCommit(commits), terminator: "")
            return
        }
        if series.isEmpty {
            let known = Set(try await store.runSummaries().flatMap { $0.run.scenarios.map(\.name) }).sorted()
            let what = variant.map { "variant \"\($0)\" of scenario \"\(scenario)\"" } ?? "scenario \"\(scenario)\""
            throw RequestError(
                .noHistory,
                "\(database.path) has no runs of \(what); scenarios recorded: \(known.isEmpty ? "none" : known.joined(separator: ", "))")
        }
        print(HistoryReport.render(series), terminator: "")
    }
}
