import ArgumentParser
import ImageBenchReport
import ImageBenchStore

struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the runs in the database: id, time, status, scenarios, variant count, labels.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let store = try database.openExisting() else {
            print(RunsList.render([]), terminator: "")
            return
        }
        let summaries = try await store.runSummaries()
        print(RunsList.render(summaries.map { ($0.run, $0.variantCount) }), terminator: "")
    }
}
