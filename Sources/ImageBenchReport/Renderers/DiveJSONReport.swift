import Foundation
import ImageBenchCore

/// `analyze --format dive-json`: the schema of dive's `--json` export (dive 0.13,
/// `cmd/dive/cli/internal/command/export`), so tools written for dive read imagebench's analysis. The
/// keys come in dive's order. Each layer's `fileList` (every file's mode and owner) is left out:
/// imagebench does not keep modes and owners.
public enum DiveJSONReport {
    struct Export: Encodable {
        var layer: [Layer]
        var image: Image
    }

    struct Layer: Encodable {
        var index: Int
        var id: String
        var digestId: String
        var sizeBytes: Int64
        var command: String
    }

    struct Image: Encodable {
        var sizeBytes: Int64
        var inefficientBytes: Int64
        var efficiencyScore: Double
        var fileReference: [FileReference]
    }

    struct FileReference: Encodable {
        var count: Int
        var sizeBytes: Int64
        var file: String
    }

    /// The export of an analysis. `sizeBytes` is dive's: the sum of the layers' file sizes; every
    /// path written more than once is listed, largest waste first, as dive lists them.
    public static func render(_ a: ImageAnalysis) -> String {
        let layers = a.layers.map { layer in
            let digest = layer.digest ?? ""
            return Layer(
                index: layer.index,
                id: layer.index < a.layerIDs.count ? a.layerIDs[layer.index] : String(digest.split(separator: ":").last ?? ""),
                digestId: digest, sizeBytes: layer.sizeBytes, command: layer.index < a.commands.count ? a.commands[layer.index] : "")
        }
        let export = Export(
            layer: layers,
            image: Image(
                sizeBytes: a.layers.reduce(0) { $0 + $1.sizeBytes }, inefficientBytes: a.waste.wastedBytes, efficiencyScore: a.waste.efficiency,
                fileReference: a.waste.inefficiencies.map { FileReference(count: $0.count, sizeBytes: $0.cumulativeBytes, file: $0.path) }))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(export)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }
}
