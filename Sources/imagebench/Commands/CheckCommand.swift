import ArgumentParser
import Foundation
import ImageBenchCore
import ImageBenchReport
import ImageBenchStore

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a run against its scenarios' budgets (budgets: in scenario.yaml, dive's .dive-ci): PASS, FAIL or SKIP per rule and variant.",
        discussion: """
            Exits with status 7 when a rule fails. The budgets are those the run recorded from its scenarios; \
            name scenario folders to check the run against their budgets as the files say now.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, junit
    }

    @Argument(help: ArgumentHelp("Scenario folders whose current budgets to apply (default: the budgets the run recorded).", valueName: "scenario"))
    var scenarios: [String] = []

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("The run: an id, latest, or label:key=value.", valueName: "run"))
    var run = "latest"

    @Option(name: .long, help: "Output format: text (as dive's CI mode prints its rules) or junit (JUnit XML, a test case per variant and rule).")
    var format: Format = .text

    @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path"))
    var output: String?

    func validate() throws {
        if RunSelector(run) == nil { throw ValidationError("--run must be a run id, latest or label:key=value, e.g. --run 3") }
    }

    func run() async throws {
        guard let store = try database.openExisting() else { throw RequestError.runNotFound(run, database: database.path) }
        let snapshot = try await RunLookup(store: store, database: database.path).snapshot(run)
        var budgets = snapshot.run.budgets
        for path in scenarios {
            let scenario = try ScenarioLoader(allowOutside: true).load(path: path)
            guard budgets[scenario.name] != nil else {
                throw RequestError(
                    .noScenario,
                    "run \(snapshot.run.id) has no scenario \(scenario.name) (from \(path)); its scenarios: \(budgets.keys.sorted().joined(separator: ", "))"
                )
            }
            budgets[scenario.name] = scenario.budgets
        }
        let check = BudgetCheck.evaluate(runID: snapshot.run.id, results: snapshot.results, budgets: budgets)
        try OutputFile.write(format == .junit ? CheckReport.junit(check) : CheckReport.text(check), to: output)
        if check.failed { throw ExitStatus.budgetExceeded.exitCode }
    }
}
