import ArgumentParser
import Foundation
import ImageBenchReport
import ImageBenchStore

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Show a run's comparison table: per variant status, size, layers, build times and smoke test.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("Run id, or latest.", valueName: "id"))
    var run = "latest"

    @Option(name: .long, help: "Output format: table or json.")
    var format: Format = .table

    @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path"))
    var output: String?

    func validate() throws {
        if run != "latest" && Int64(run) == nil { throw ValidationError("--run must be a run id (a number) or latest, e.g. --run 3") }
    }

    func run() async throws {
        guard let store = try database.openExisting() else { throw RunNotFound(requested: run, database: database.path) }
        let id = run == "latest" ? try await store.latestRunID() : Int64(run)
        guard let id, let record = try await store.run(id: id) else { throw RunNotFound(requested: run, database: database.path) }
        let report = RunReport(runs: [record], results: try await store.results(runID: id))
        let text = format == .json ? JSONReport.render(report) : TableReport.render(report)
        if let output {
            do {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw ValidationError("--output \(output): cannot write the file (\(error.localizedDescription)); check the folder exists")
            }
        } else {
            print(text, terminator: "")
        }
    }
}
