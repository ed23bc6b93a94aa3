import ArgumentParser
import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchReport
import ImageBenchStore

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What differs between two images, or two variants of a run: files, OS packages and layers, with bytes.",
        discussion: """
            imagebench diff IMAGE-A IMAGE-B               two images on the engine (or files: docker-archive:PATH, oci-archive:PATH)
            imagebench diff --run 3 VARIANT-A VARIANT-B   two variants of a stored run (their images may be gone)
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, markdown, json
    }

    @Argument(help: ArgumentHelp("The first image (or, with --run, variant): the base of the comparison.", valueName: "a"))
    var a: String

    @Argument(help: ArgumentHelp("The second image (or variant): what is compared with the first.", valueName: "b"))
    var b: String

    @Option(name: .long, help: ArgumentHelp("Compare two variants of this run (an id, latest or label:key=value).", valueName: "run"))
    var run: String?

    @Option(name: .long, help: "Output format: table, markdown or json.")
    var format: Format = .table

    @Option(name: .long, help: ArgumentHelp("How many packages and files to list, largest change first.", valueName: "n"))
    var top = 20

    @Option(
        name: .long,
        help: ArgumentHelp("Where to read an image's layers: auto, save or overlay2 (as analyze).", valueName: "source"))
    var source: LayerSource = .auto

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var dockerOptions: DockerOptions

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be at least 1, e.g. --top 10") }
        if let run, RunSelector(run) == nil { throw ValidationError("--run must be a run id, latest or label:key=value, e.g. --run 3") }
    }

    func run() async throws {
        let diff: ImageDiff
        if let run {
            guard let store = try database.openExisting() else { throw RequestError.runNotFound(run, database: database.path) }
            let snapshot = try await RunLookup(store: store, database: database.path).snapshot(run)
            let variants = try await store.variants(runID: snapshot.run.id)
            func side(_ name: String) async throws -> ImageDiff.Side {
                let matches = variants.filter { $0.result.name == name || "\($0.result.scenario)/\($0.result.name)" == name }
                guard matches.count == 1, let variant = matches.first else {
                    let names = variants.map { "\($0.result.scenario)/\($0.result.name)" }.joined(separator: ", ")
                    throw RequestError(
                        .noVariant,
                        matches.isEmpty
                            ? "run \(snapshot.run.id) has no variant \(name); its variants: \(names)"
                            : "run \(snapshot.run.id) has \(name) in several scenarios; name it as SCENARIO/VARIANT (\(names))")
                }
                guard let files = try await store.files(variantID: variant.id), let insight = variant.result.insight else {
                    throw RequestError(
                        .noVariant,
                        "run \(snapshot.run.id) did not store the files of \(name) (it built no image, or ran before imagebench stored them); "
                            + "run the scenario again, or diff two images")
                }
                return ImageDiff.Side(
                    name: variant.result.name, files: files, packages: insight.packages, layers: insight.layers, secrets: insight.secretFindings)
            }
            diff = ImageDiff(try await side(a), try await side(b))
        } else {
            let docker = dockerOptions.client()
            func side(_ image: String) async throws -> ImageDiff.Side {
                let layers = try await ImageInput(reference: image).layers(docker: docker, source: source)
                let analysed = ImageInsight.analyze(layers)
                return ImageDiff.Side(
                    name: image, files: analysed.final ?? FinalFiles(layers.files), packages: analysed.insight.packages,
                    layers: analysed.insight.layers, secrets: analysed.insight.secretFindings)
            }
            diff = ImageDiff(try await side(a), try await side(b))
        }
        switch format {
        case .table: print(DiffReport.table(diff, top: top), terminator: "")
        case .markdown: print(DiffReport.markdown(diff, top: top), terminator: "")
        case .json: print(DiffReport.json(diff, top: top), terminator: "")
        }
    }
}
