import Foundation
import ImageBenchCore

/// `imagebench analyze` as a table or JSON.
public enum AnalysisReport {
    public static func table(_ a: ImageAnalysis, top: Int) -> String {
        var out = "\(a.image): \(a.layers.count) layers, \(Units.bytes(a.layers.reduce(0) { $0 + $1.sizeBytes })) of files"
        let compressed = a.compressedSource != nil
        if compressed {
            out += ", \(Units.bytes(a.layers.reduce(0) { $0 + ($1.compressedBytes ?? 0) })) gzip-compressed (\(a.compressedSource!.rawValue))"
        }
        out += "\n"
        var table = TextTable(
            headers: ["layer", "digest", "size"] + (compressed ? ["gzip"] : []) + ["added", "changed", "deleted"],
            alignments: [.right, .left, .right] + (compressed ? [.right] : []) + [.right, .right, .right])
        for layer in a.layers {
            table.append(
                [
                    String(layer.index), String((layer.digest ?? "").replacingOccurrences(of: "sha256:", with: "").prefix(12)),
                    Units.bytes(layer.sizeBytes),
                ]
                    + (compressed ? [layer.compressedBytes.map(Units.bytes) ?? "—"] : [])
                    + [String(layer.added), String(layer.changed), String(layer.deleted)])
        }
        out += table.render()
        out += String(
            format: "efficiency %.4f · wasted %@ · user wasted %.2f%% (as dive 0.13 computes them)\n", a.waste.efficiency,
            Units.bytes(a.waste.wastedBytes),
            a.waste.userWastedPercent * 100)
        if let linkage = a.linkage { out += "entrypoint \(linkage.summary)\n" }
        if !a.waste.inefficiencies.isEmpty {
            var files = TextTable(headers: ["total", "count", "path"], alignments: [.right, .right, .left])
            for item in a.waste.inefficiencies.prefix(top) { files.append([Units.bytes(item.cumulativeBytes), String(item.count), item.path]) }
            out += "Largest wasted files:\n" + files.render()
        }
        let from = a.source == "overlay2" ? "the engine's overlay2 layer folders" : "`docker save`"
        return out + "Sizes: uncompressed file bytes per layer from \(from), SI units"
            + (compressed
                ? "; gzip: the layer tar gzip-compressed, \(a.compressedSource == .registry ? "from the registry's manifest" : "estimated here")"
                : "")
            + ".\n"
    }

    struct Document: Encodable {
        var image: String
        var layers: [LayerChange]
        var efficiency: Double
        var wastedBytes: Int64
        var userWastedPercent: Double
        var inefficientFiles: [WasteAnalysis.Inefficiency]
        var linkage: Linkage?
        var compressedSource: CompressedSource?
        var source: String
        enum CodingKeys: String, CodingKey {
            case image, layers, efficiency, linkage, source
            case compressedSource = "compressed_source"
            case wastedBytes = "wasted_bytes"
            case userWastedPercent = "user_wasted_percent"
            case inefficientFiles = "inefficient_files"
        }
    }

    public static func json(_ a: ImageAnalysis, top: Int) -> String {
        let doc = Document(
            image: a.image, layers: a.layers, efficiency: a.waste.efficiency, wastedBytes: a.waste.wastedBytes,
            userWastedPercent: a.waste.userWastedPercent, inefficientFiles: Array(a.waste.inefficiencies.prefix(top)), linkage: a.linkage,
            compressedSource: a.compressedSource, source: a.source)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(doc)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }
}
