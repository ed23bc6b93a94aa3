/// dpkg's database as Debian and Ubuntu images have it (`/var/lib/dpkg/status`, `info/NAME.list`) and as
/// distroless writes it (one stanza file per package in `status.d/`, its files in `status.d/NAME.md5sums`).
enum DpkgDatabase {
    static let statusPath = "var/lib/dpkg/status"
    static let statusFolder = "var/lib/dpkg/status.d/"
    static let infoFolder = "var/lib/dpkg/info/"
    /// The fields read from a stanza.
    static let fields: Set<String> = ["Package", "Version", "Status", "Installed-Size", "Architecture"]

    /// Each package with the paths its file list names; nil when the image has no dpkg database.
    static func packages(_ image: ImageLayers, final: FinalFiles) -> [(InstalledPackage, [String])]? {
        var result: [(InstalledPackage, [String])] = []
        var any = false
        if let status = final.file(statusPath), let bytes = image.content(statusPath, layer: status.layer) {
            any = true
            let changed = changedLayers(image)
            for stanza in ControlStanzas.parse(bytes) {
                guard let package = installed(stanza, layer: 0) else { continue }
                var found = package
                found.layer = changed[package.name] ?? status.layer
                let arch = stanza["Architecture"] ?? ""
                let list = [infoFolder + package.name + ":" + arch + ".list", infoFolder + package.name + ".list"].lazy
                    .compactMap { path in final.file(path).flatMap { image.content(path, layer: $0.layer) } }.first
                result.append((found, list.map(listedPaths) ?? []))
            }
        }
        for (path, entry) in final.entries.filter({ $0.value.kind == .file && $0.key.hasPrefix(statusFolder) }).sorted(by: { $0.key < $1.key }) {
            let name = path.dropFirst(statusFolder.count)
            if name.contains("/") || name.hasSuffix(".md5sums") || name.hasSuffix(".list") { continue }
            guard let bytes = image.content(path, layer: entry.layer) else { continue }
            any = true
            for stanza in ControlStanzas.parse(bytes) {
                guard let package = installed(stanza, layer: entry.layer) else { continue }
                let sums = path + ".md5sums"
                let paths = final.file(sums).flatMap { image.content(sums, layer: $0.layer) }.map(md5sumsPaths) ?? []
                result.append((package, paths))
            }
        }
        return any ? result : nil
    }

    /// A package in the database (not one dpkg knows only as `not-installed`), with no bytes measured yet.
    static func installed(_ stanza: [String: String], layer: Int) -> InstalledPackage? {
        guard let name = stanza["Package"], !name.isEmpty else { return nil }
        if let status = stanza["Status"], status.hasSuffix("not-installed") { return nil }
        let declared = stanza["Installed-Size"].flatMap { Int64($0) }.map { $0 * 1024 }
        return InstalledPackage(name: name, version: stanza["Version"] ?? "", layer: layer, declaredBytes: declared, bytes: 0, files: 0)
    }

    /// For each package, the newest layer whose status file added it or changed its version or state.
    static func changedLayers(_ image: ImageLayers) -> [String: Int] {
        PackageAnalysis.changedLayers(image, database: statusPath) { bytes in
            ControlStanzas.parse(bytes).compactMap { stanza in
                stanza["Package"].map { ($0, (stanza["Version"] ?? "") + "\u{0}" + (stanza["Status"] ?? "")) }
            }
        }
    }

    /// `info/NAME.list`: one absolute path per line, directories included (`/.` first).
    /// dpkg writes them clean, so only a line that is not is cleaned.
    static func listedPaths(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
            if looksClean(line) { return String(decoding: line.dropFirst(), as: UTF8.self) }
            let path = GoPath.clean(String(decoding: line, as: UTF8.self)).trimmingPrefix("/")
            return path.isEmpty || path == "." ? nil : String(path)
        }
    }

    /// Absolute, no `//`, no `/.` (so no `.` or `..` names), no trailing `/`: clean as it is.
    static func looksClean(_ line: ArraySlice<UInt8>) -> Bool {
        guard line.first == UInt8(ascii: "/"), line.count > 1, line.last != UInt8(ascii: "/") else { return false }
        var previous: UInt8 = 0
        for byte in line {
            if previous == UInt8(ascii: "/") && (byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".")) { return false }
            previous = byte
        }
        return true
    }

    /// `NAME.md5sums`: `<md5>  <path relative to />` per line.
    static func md5sumsPaths(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return nil }
            let rest = line[space...].drop { $0 == UInt8(ascii: " ") }
            let path = GoPath.clean(String(decoding: rest, as: UTF8.self)).trimmingPrefix("/")
            return path.isEmpty || path == "." ? nil : String(path)
        }
    }
}
