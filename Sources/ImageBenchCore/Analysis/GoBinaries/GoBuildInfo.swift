/// Reads the build information the Go linker writes into every Go binary since Go 1.18 (the
/// `.go.buildinfo` section): a 32-byte header beginning `\xff Go buildinf:`, then, with the header's
/// flag 2 set, the Go version and the module information as varint-length strings. This is what
/// Go's `debug/buildinfo` reads and `go version -m` prints. The pointer form of Go 1.13-1.17 is not read.
public enum GoBuildInfo {
    public static let magic: [UInt8] = [0xff] + Array(" Go buildinf:".utf8)
    static let headerSize = 32
    /// The header is 16-byte aligned in the file, as the section is in memory.
    static let alignment = 16
    /// Enough for the module list of any real program.
    public static let captureLimit = 256 << 10

    /// Parses the bytes that begin at the magic; nil when they are not valid build information.
    public static func parse(_ bytes: ArraySlice<UInt8>, path: String) -> GoBinary? {
        guard bytes.count >= headerSize, bytes.starts(with: magic) else { return nil }
        let start = bytes.startIndex
        let pointerSize = bytes[start + 14]
        let flags = bytes[start + 15]
        guard pointerSize == 4 || pointerSize == 8, flags & 2 != 0 else { return nil }
        var at = start + headerSize
        guard let versionBytes = string(bytes, at: &at), let framed = string(bytes, at: &at) else { return nil }
        let version = String(decoding: versionBytes, as: UTF8.self)
        guard version.hasPrefix("go") || version.hasPrefix("devel") else { return nil }
        // The module information is framed by 16 bytes on each side.
        var modinfo = ""
        if framed.count >= 33 && framed[framed.endIndex - 17] == UInt8(ascii: "\n") {
            modinfo = String(decoding: framed[(framed.startIndex + 16)..<(framed.endIndex - 16)], as: UTF8.self)
        } else if !framed.isEmpty {
            return nil
        }
        return binary(path: path, goVersion: version, modinfo: modinfo)
    }

    /// The lines of `go version -m` after its first: `path`, `mod`, `dep`, `=>` and `build`, tab-separated.
    public static func binary(path: String, goVersion: String, modinfo: String) -> GoBinary {
        var result = GoBinary(path: path, goVersion: goVersion, mainPath: nil, mainModule: nil, modules: [], settings: [])
        for line in modinfo.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard let kind = fields.first else { continue }
            func module() -> GoBinary.Module { GoBinary.Module(path: fields.count > 1 ? fields[1] : "", version: fields.count > 2 ? fields[2] : "") }
            switch kind {
            case "path": result.mainPath = fields.count > 1 ? fields[1] : nil
            case "mod": result.mainModule = module()
            case "dep": result.modules.append(module())
            case "=>":
                let target = fields.dropFirst().prefix(2).filter { !$0.isEmpty }.joined(separator: " ")
                if result.modules.isEmpty {
                    result.mainModule?.replacement = target
                } else {
                    result.modules[result.modules.count - 1].replacement = target
                }
            case "build" where fields.count > 1:
                let setting = fields[1...].joined(separator: "\t")
                guard let equals = setting.firstIndex(of: "=") else { continue }
                var value = String(setting[setting.index(after: equals)...])
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = unquote(value) }
                result.settings.append(GoBinary.Setting(key: String(setting[..<equals]), value: value))
            default: continue
            }
        }
        return result
    }

    /// Go's `strconv.Unquote` for the simple escapes `go version -m` writes.
    static func unquote(_ quoted: String) -> String {
        var out = ""
        var escaped = false
        for character in quoted.dropFirst().dropLast() {
            if escaped {
                switch character {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    private static func string(_ bytes: ArraySlice<UInt8>, at index: inout Int) -> ArraySlice<UInt8>? {
        var length = 0
        var shift = 0
        while true {
            guard index < bytes.endIndex, shift < 35 else { return nil }
            let byte = bytes[index]
            index += 1
            length |= Int(byte & 0x7f) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        guard length <= bytes.endIndex - index else { return nil }
        defer { index += length }
        return bytes[index..<(index + length)]
    }
}
