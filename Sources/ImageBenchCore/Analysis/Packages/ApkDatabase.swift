import Foundation

/// apk's database (`/lib/apk/db/installed`): one block per package, `P:` name, `V:` version, `I:`
/// installed size in bytes, `F:` a folder and `R:` a file in the folder named before it.
enum ApkDatabase {
    static let installedPath = "lib/apk/db/installed"

    struct Entry {
        var name = ""
        var version = ""
        var declared: Int64?
        var paths: [String] = []
    }

    static func parse(_ bytes: [UInt8]) -> [Entry] {
        var entries: [Entry] = []
        var current = Entry()
        var folder = ""
        func flush() {
            if !current.name.isEmpty { entries.append(current) }
            current = Entry()
            folder = ""
        }
        for raw in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let line = String(decoding: raw, as: UTF8.self)
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                flush()
                continue
            }
            guard line.count >= 2, line.dropFirst().first == ":" else { continue }
            let value = String(line.dropFirst(2))
            switch line.first {
            case "P": current.name = value
            case "V": current.version = value
            case "I": current.declared = Int64(value)
            case "F": folder = value
            case "R": current.paths.append(folder.isEmpty ? value : folder + "/" + value)
            default: break
            }
        }
        flush()
        return entries
    }

    static func packages(_ image: ImageLayers, final: FinalFiles) -> [(InstalledPackage, [String])]? {
        guard let db = final.file(installedPath), let bytes = image.content(installedPath, layer: db.layer) else { return nil }
        let changed = PackageAnalysis.changedLayers(image, database: installedPath) { parse($0).map { ($0.name, $0.version) } }
        return parse(bytes).map { entry in
            let package = InstalledPackage(
                name: entry.name, version: entry.version, layer: changed[entry.name] ?? db.layer, declaredBytes: entry.declared, bytes: 0, files: 0)
            return (package, entry.paths.map { String(GoPath.clean($0).trimmingPrefix("/")) })
        }
    }
}
