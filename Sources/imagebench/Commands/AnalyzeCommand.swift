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
        case diveJSON = "dive-json"
    }

    @Argument(
        help: ArgumentHelp(
            "An image reference or id in the engine, or a file: docker-archive:PATH (docker save) or oci-archive:PATH (an OCI image layout tarball).",
            valueName: "image"))
    var image: String

    @Option(name: .long, help: "Output format: table, json, or dive-json (the schema of dive's --json export).")
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

    func validate() throws {
        if format == .diveJSON && source == .overlay2 {
            throw ValidationError(
                "--format dive-json reads the tar headers of docker save (modes and owners, as dive does); leave --source out or use --source save")
        }
    }

    func run() async throws {
        // dive-json needs every tar header (the engine's image is then read through docker save, as dive
        // reads it), and no packages.
        let packages = !noPackages && format != .diveJSON
        let layers = try await ImageInput(reference: image).layers(
            docker: dockerOptions.client(), estimateCompressed: compressed, source: source, contents: packages, entries: format == .diveJSON)
        let (insight, _, waste) = ImageInsight.analyze(layers, packages: packages)
        var analysis = ImageAnalysis(
            image: image, layers: insight.layers, waste: waste, linkage: insight.linkage,
            compressedSource: layers.compressed?.source, source: layers.source)
        analysis.packages = insight.packages
        analysis.goBinaries = insight.goBinaries
        analysis.layerIDs = layers.layerIDs
        analysis.commands = layers.commands
        analysis.entries = layers.entries
        analysis.secrets = insight.secretFindings ?? []
        switch format {
        case .table: print(AnalysisReport.table(analysis, top: top), terminator: "")
        case .json: print(AnalysisReport.json(analysis, top: top), terminator: "")
        case .diveJSON: print(DiveJSONReport.render(analysis), terminator: "")
        }
    }
}

extension LayerSource: ExpressibleByArgument {}
