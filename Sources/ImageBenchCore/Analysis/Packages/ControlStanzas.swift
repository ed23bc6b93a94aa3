import Foundation

/// Debian control-file stanzas (`Field: value`, continuation lines begin with white space, stanzas
/// separated by blank lines), as dpkg writes `/var/lib/dpkg/status`. Only the fields in `keys` are kept,
/// and only their first line: the fields imagebench reads are one line.
enum ControlStanzas {
    static func parse(_ bytes: [UInt8], keys: Set<String> = DpkgDatabase.fields) -> [[String: String]] {
        var stanzas: [[String: String]] = []
        var current: [String: String] = [:]
        for raw in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let line = raw.last == UInt8(ascii: "\r") ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
                if !current.isEmpty { stanzas.append(current) }
                current = [:]
                continue
            }
            if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") || line.first == UInt8(ascii: "#") { continue }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            // Field names are short; a long one (or a description line) is not one imagebench reads.
            guard colon - line.startIndex <= 16 else { continue }
            let key = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            guard keys.contains(key) else { continue }
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if current[key] == nil { current[key] = value }
        }
        if !current.isEmpty { stanzas.append(current) }
        return stanzas
    }
}
