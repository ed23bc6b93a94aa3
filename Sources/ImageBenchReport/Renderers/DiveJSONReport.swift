import Foundation
import ImageBenchCore

/// `analyze --format dive-json`: the schema of dive's `--json` export (dive 0.13,
/// `cmd/dive/cli/internal/command/export`), so tools written for dive read imagebench's analysis. The
/// keys come in dive's order (Go keeps a struct's field order). Each layer's `fileList` (every file's mode and owner) is left out:
/// imagebench does not keep modes and owners.
public enum DiveJSONReport {
    /// The export of an analysis. `sizeBytes` is dive's: the sum of the layers' file sizes; every
    /// path written more than once is listed, largest waste first, as dive lists them.
    public static func render(_ a: ImageAnalysis) -> String {
        // Written by hand: Go's encoding/json keeps the struct's field order, JSONEncoder does not.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        func string(_ value: String) -> String {
            let data = (try? encoder.encode([value])) ?? Data("[\"\"]".utf8)
            return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
        }
        func number(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        }
        var out = "{\n  \"layer\": ["
        for (i, layer) in a.layers.enumerated() {
            let digest = layer.digest ?? ""
            let id = layer.index < a.layerIDs.count ? a.layerIDs[layer.index] : String(digest.split(separator: ":").last ?? "")
            let command = layer.index < a.commands.count ? a.commands[layer.index] : ""
            out += (i == 0 ? "\n" : ",\n") + "    {\n      \"index\": \(layer.index),\n      \"id\": \(string(id)),\n"
            out += "      \"digestId\": \(string(digest)),\n      \"sizeBytes\": \(layer.sizeBytes),\n      \"command\": \(string(command))\n    }"
        }
        out += a.layers.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"image\": {\n    \"sizeBytes\": \(a.layers.reduce(0) { $0 + $1.sizeBytes }),\n"
        out += "    \"inefficientBytes\": \(a.waste.wastedBytes),\n    \"efficiencyScore\": \(number(a.waste.efficiency)),\n    \"fileReference\": ["
        for (i, file) in a.waste.inefficiencies.enumerated() {
            out += (i == 0 ? "\n" : ",\n") + "      {\n        \"count\": \(file.count),\n        \"sizeBytes\": \(file.cumulativeBytes),\n"
            out += "        \"file\": \(string(file.path))\n      }"
        }
        out += a.waste.inefficiencies.isEmpty ? "]\n" : "\n    ]\n"
        return out + "  }\n}\n"
    }
}
