import Foundation
import ImageBenchCore

/// `imagebench analyze` as a table or JSON.
public enum AnalysisReport {
    public static func table(_ a: ImageAnalysis, top: Int) -> String {
        var out =
            "\(a.image): \(a.layers.count) layer\(a.layers.count == 1 ? "" : "s"), \(Units.bytes(a.layers.reduce(0) { $0 + $1.sizeBytes })) of files"
        let compressed = a.compressedSource != nil
        // An archive's blobs may be zstd: they are "compressed", the others gzip.
        let packed = a.compressedSource == .archive ? "compressed" : "gzip"
        if compressed {
            out +=
                ", \(Units.bytes(a.layers.reduce(0) { $0 + ($1.compressedBytes ?? 0) })) \(packed == "gzip" ? "gzip-compressed" : packed) (\(a.compressedSource!.rawValue))"
        }
        out += "\n"
        var table = TextTable(
            headers: ["layer", "digest", "size"] + (compressed ? [packed] : []) + ["added", "changed", "deleted"],
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
        out += secretsText(a.secrets)
        out += packagesText(a.packages, top: top, checked: a.goBinaries != nil)
        out += goBinariesText(a.goBinaries ?? [])
        let from =
            switch a.source {
            case "overlay2": "the engine's overlay2 layer folders"
            case "docker-archive", "oci-archive": "the \(a.source) file"
            default: "`docker save`"
            }
        let compressedFrom =
            switch a.compressedSource {
            case .registry: "the layer tar gzip-compressed, from the registry's manifest"
            case .archive: "the archive's compressed layer blobs"
            default: "the layer tar gzip-compressed, estimated here"
            }
        return out + "Sizes: uncompressed file bytes per layer from \(from), SI units" + (compressed ? "; compressed: \(compressedFrom)" : "")
            + ".\n"
    }

    /// The secrets `analyze` found: by content with the masked excerpt, then the files named like secrets.
    static func secretsText(_ findings: [SecretFinding]) -> String {
        let content = findings.filter { $0.kind == .content }
        let names = findings.filter { $0.kind == .name }
        var out = ""
        if content.isEmpty {
            out += "Secrets: none found by content\n"
        } else {
            var table = TextTable(headers: ["rule", "layer", "path:line", "excerpt (masked)"], alignments: [.left, .right, .left, .left])
            for f in content {
                table.append([f.rule?.rawValue ?? "", f.layer.map(String.init) ?? "", f.path + (f.line.map { ":\($0)" } ?? ""), f.excerpt ?? ""])
            }
            out += "Secrets found by content:\n" + table.render()
        }
        if !names.isEmpty {
            out += "Named like secrets, content not flagged: " + names.map(\.summary).joined(separator: ", ") + "\n"
        }
        return out
    }

    /// The package table of `analyze`: the largest packages by the bytes their files take in the image.
    static func packagesText(_ p: PackageAnalysis?, top: Int, checked: Bool) -> String {
        guard let p else { return checked ? "Packages: no package database (no /var/lib/dpkg or /lib/apk/db in the image)\n" : "" }
        let declared = p.packages.reduce(Int64(0)) { $0 + ($1.declaredBytes ?? 0) }
        var out =
            "Packages (\(p.manager)): \(p.packages.count), \(Units.bytes(p.ownedBytes)) in their files (declared \(Units.bytes(declared))); "
            + "\(Units.bytes(p.unownedBytes)) in files no package lists\n"
        var table = TextTable(
            headers: ["bytes", "declared", "files", "layer", "package", "version"], alignments: [.right, .right, .right, .right, .left, .left])
        for package in p.packages.prefix(top) {
            table.append([
                Units.bytes(package.bytes), package.declaredBytes.map(Units.bytes) ?? "—", String(package.files), String(package.layer), package.name,
                package.version,
            ])
        }
        if p.packages.count > top { table.append(["", "", "", "", "(\(p.packages.count - top) more)", ""]) }
        out += table.render()
        if !p.unownedFiles.isEmpty {
            out +=
                "Largest files no package lists: " + p.unownedFiles.prefix(3).map { "\($0.path) \(Units.bytes($0.bytes))" }.joined(separator: ", ")
                + "\n"
        }
        if p.layers.count > 1 {
            out +=
                "Packages per layer: " + p.layers.map { "layer \($0.index) \($0.packages) (\(Units.bytes($0.bytes)))" }.joined(separator: ", ") + "\n"
        }
        return out
    }

    static func goBinariesText(_ binaries: [GoBinary]) -> String {
        var out = ""
        for binary in binaries {
            let main = binary.mainModule.map { " \($0.path) \($0.version)" } ?? binary.mainPath.map { " \($0)" } ?? ""
            out +=
                "Go binary \(binary.path): \(binary.goVersion)\(main), \(binary.modules.count) module\(binary.modules.count == 1 ? "" : "s"); \(binary.buildSummary)\n"
            for module in binary.modules {
                out += "  dep \(module.path) \(module.version)\(module.replacement.map { " => \($0)" } ?? "")\n"
            }
        }
        return out
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
        var packages: [InstalledPackage]?
        var packageDatabase: PackageDatabase?
        var goBinaries: [GoBinary]?
        var secrets: [SecretFinding]
        struct PackageDatabase: Encodable {
            var manager: String
            var ownedBytes: Int64
            var unownedBytes: Int64
            var unownedFiles: [PackageAnalysis.PathBytes]
            var layers: [PackageAnalysis.LayerPackages]
            enum CodingKeys: String, CodingKey {
                case manager, layers
                case ownedBytes = "owned_bytes"
                case unownedBytes = "unowned_bytes"
                case unownedFiles = "unowned_files"
            }
        }
        enum CodingKeys: String, CodingKey {
            case image, layers, efficiency, linkage, source, packages, secrets
            case packageDatabase = "package_database"
            case goBinaries = "go_binaries"
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
            compressedSource: a.compressedSource, source: a.source,
            packages: a.goBinaries == nil ? nil : a.packages?.packages ?? [],
            packageDatabase: a.packages.map {
                Document.PackageDatabase(
                    manager: $0.manager, ownedBytes: $0.ownedBytes, unownedBytes: $0.unownedBytes, unownedFiles: $0.unownedFiles, layers: $0.layers)
            }, goBinaries: a.goBinaries, secrets: a.secrets)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(doc)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }
}
