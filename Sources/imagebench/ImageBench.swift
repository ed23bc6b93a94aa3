import ArgumentParser

@main
struct ImageBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imagebench",
        abstract: "Build every variant of a container-image scenario, measure size and build time, check each image runs, and compare.",
        version: "0.1.0",
        subcommands: [
            RunCommand.self, ListCommand.self, ReportCommand.self, CompareCommand.self, CheckCommand.self, HistoryCommand.self, BisectCommand.self,
            AnalyzeCommand.self,
            DiffCommand.self,
            RunsCommand.self,
            DatabaseCommand.self, MergeCommand.self,
        ]
    )
}
