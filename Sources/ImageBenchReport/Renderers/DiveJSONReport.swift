import Foundation
import ImageBenchCore

/// `analyze --format dive-json`: the schema of dive's `--json` export (dive 0.13,
/// `cmd/dive/cli/internal/command/export`), so tools written for dive read imagebench's analysis. The
/// keys come in dive's order (Go keeps a struct's field order). Each layer's `fileList` is dive's layer
/// tree walked children first, names in byte order, each node's tar header as Go's archive/tar reads it.
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
            out += "      \"digestId\": \(string(digest)),\n      \"sizeBytes\": \(layer.sizeBytes),\n      \"command\": \(string(command))"
            if layer.index < a.entries.count {
                let list = fileList(a.entries[layer.index])
                out += ",\n      \"fileList\": [" + (list.isEmpty ? "]" : "")
                for (j, file) in list.enumerated() {
                    out += (j == 0 ? "\n" : ",\n") + "        {\n          \"path\": \(string(file?.name ?? "")),\n"
                    out += "          \"typeFlag\": \(file.map(goTypeflag) ?? 0),\n          \"linkName\": \(string(file?.linkname ?? "")),\n"
                    let mode = file.map(goFileMode) ?? 0
                    out += "          \"size\": \(file?.size ?? 0),\n          \"fileMode\": \(mode),\n"
                    out +=
                        "          \"uid\": \(file?.uid ?? 0),\n          \"gid\": \(file?.gid ?? 0),\n          \"isDir\": \(mode & (1 << 31) != 0)\n        }"
                }
                if !list.isEmpty { out += "\n      ]" }
            }
            out += "\n    }"
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

    /// dive's tree of one layer (`filetree.AddPath`): a node per path component, the entry's header on the
    /// last one (a later entry of the same path replaces it), components dive never adds (`.wh..wh.`) cut
    /// their path off; then walked children first, names in byte order (`VisitDepthChildFirst`, `ByName`).
    /// A folder no entry names is a node with an empty header (nil).
    static func fileList(_ entries: [TarEntry]) -> [TarEntry?] {
        final class Node {
            var children: [String: Node] = [:]
            var entry: TarEntry?
        }
        let root = Node()
        for entry in entries {
            let names = entry.name.split(separator: "/").map(String.init)
            var node = root
            for (index, name) in names.enumerated() {
                if let child = node.children[name] {
                    node = child
                } else {
                    if name.hasPrefix(".wh..wh.") { break }
                    let child = Node()
                    node.children[name] = child
                    node = child
                }
                if index == names.count - 1 { node.entry = entry }
            }
        }
        var out: [TarEntry?] = []
        func visit(_ node: Node) {
            for name in node.children.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                let child = node.children[name]!
                visit(child)
                out.append(child.entry)
            }
        }
        visit(root)
        return out
    }

    /// The type flag as Go's archive/tar reports it: the old regular-file flag NUL reads as `0`.
    static func goTypeflag(_ entry: TarEntry) -> UInt8 {
        entry.typeflag == 0 ? UInt8(ascii: "0") : entry.typeflag
    }

    /// Go's `tar.Header.FileInfo().Mode()`: the permission bits, setuid/setgid/sticky as Go's mode bits,
    /// and the file type from the mode field and the type flag.
    static func goFileMode(_ entry: TarEntry) -> UInt32 {
        let raw = entry.mode
        var mode = raw & 0o777
        if raw & 0o4000 != 0 { mode |= 1 << 23 }  // ModeSetuid
        if raw & 0o2000 != 0 { mode |= 1 << 22 }  // ModeSetgid
        if raw & 0o1000 != 0 { mode |= 1 << 20 }  // ModeSticky
        switch raw & ~0o7777 {
        case 0o40000: mode |= 1 << 31  // ModeDir
        case 0o10000: mode |= 1 << 25  // ModeNamedPipe
        case 0o120000: mode |= 1 << 27  // ModeSymlink
        case 0o60000: mode |= 1 << 26  // ModeDevice
        case 0o20000: mode |= 1 << 26 | 1 << 21  // ModeDevice | ModeCharDevice
        case 0o140000: mode |= 1 << 24  // ModeSocket
        default: break
        }
        switch goTypeflag(entry) {
        case UInt8(ascii: "2"): mode |= 1 << 27
        case UInt8(ascii: "3"): mode |= 1 << 26 | 1 << 21
        case UInt8(ascii: "4"): mode |= 1 << 26
        case UInt8(ascii: "5"): mode |= 1 << 31
        case UInt8(ascii: "6"): mode |= 1 << 25
        default: break
        }
        return mode
    }
}
