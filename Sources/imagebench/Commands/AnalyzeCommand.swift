import ArgumentParser
import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchReport

struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract:
            "Look inside an image: per layer its size and the files it adds, changes and deletes; efficiency and waste as dive computes them; its OS packages and Go binaries."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Argument(help: ArgumentHelp("An image reference or id.", valueName: "image"))
    var image: String

    @Option(name: .long, help: "Output format: table or json.")
    var format: Format = .table

    @Option(name: .long, help: ArgumentHelp("How many of the most wasteful files to list.", valueName: "n"))
    var top = 10

    @Flag(
        name: .long, help: "Also estimate each layer's gzip-compressed size (what a push transfers); reads the layers' contents, so it takes longer.")
    var compressed = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where to read the layers: auto (the engine's overlay2 folders when readable here, else docker save), save or overlay2.",
            valueName: "source"))
    var source: LayerSource = .auto

    @Flag(name: .customLong("no-packages"), help: "Skip the OS packages and Go build information (read only file names and sizes).")
    var noPackages = false

    @OptionGroup var dockerOptions: DockerOptions

    func run() async throws {
        let docker = dockerOptions.client()
        let layers = try await docker.layers(of: image, estimateCompressed: compressed, source: source, contents: !noPackages)
        let insight = ImageInsight.analyze(layers, packages: !noPackages).insight
        var analysis = ImageAnalysis(
            image: image, layers: insight.layers, waste: WasteAnalysis.analyze(layers.files), linkage: insight.linkage,
            compressedSource: layers.compressed?.source, source: layers.source)
        analysis.packages = insight.packages
        analysis.goBinaries = insight.goBinaries
        print(format == .json ? AnalysisReport.json(analysis, top: top) : AnalysisReport.table(analysis, top: top), terminator: "")
    }
}

extension LayerSource: ExpressibleByArgument {}
