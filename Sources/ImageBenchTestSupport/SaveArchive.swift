/// Builds `docker save`-shaped archives for unit tests: `<n>/layer.tar` per layer plus manifest.json.
public enum SaveArchive {
    /// A tar of `(name, content)` entries; names ending in `/` are directories.
    public static func tar(_ entries: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (name, content) in entries {
            var block = [UInt8](repeating: 0, count: 512)
            for (i, b) in name.utf8.enumerated() { block[i] = b }
            let data = Array(content.utf8)
            let size = String(data.count, radix: 8)
            for (i, b) in (String(repeating: "0", count: 11 - size.count) + size).utf8.enumerated() { block[124 + i] = b }
            block[156] = name.hasSuffix("/") ? UInt8(ascii: "5") : UInt8(ascii: "0")
            for (i, b) in "ustar".utf8.enumerated() { block[257 + i] = b }
            out += block + data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
        }
        return out + [UInt8](repeating: 0, count: 1024)
    }

    /// A whole save archive whose layers hold these files, as a String (the fake executor's stdout).
    public static func string(layers: [[(String, String)]]) -> String {
        var entries: [(String, String)] = []
        var paths: [String] = []
        for (i, files) in layers.enumerated() {
            entries.append(("l\(i)/layer.tar", String(decoding: tar(files), as: UTF8.self)))
            paths.append("\"l\(i)/layer.tar\"")
        }
        entries.append(("manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[\(paths.joined(separator: ","))]}]"))
        return String(decoding: tar(entries), as: UTF8.self)
    }
}
