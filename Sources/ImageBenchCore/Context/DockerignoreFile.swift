import Foundation

/// Reads a `.dockerignore` as moby/patternmatcher's `ignorefile.ReadAll` does, byte for byte: lines as
/// Go's `bufio.ScanLines` cuts them (at `\n`, dropping one `\r` before it, so CRLF files read like LF
/// ones; a lone `\r` is not a line break), a UTF-8 byte-order mark dropped from the first line, lines
/// that start with `#` skipped, then `TrimSpace`, `filepath.Clean` and a leading `/` dropped. Bytes
/// that are not UTF-8 cost only their own line (decoded with U+FFFD), never the file.
public enum DockerignoreFile {
    /// One pattern and the line it came from (1-based).
    public struct Line: Sendable, Equatable {
        public var pattern: String
        public var number: Int
        /// The line as the file holds it, trimmed: what a message quotes.
        public var written: String

        public init(pattern: String, number: Int, written: String? = nil) {
            self.pattern = pattern
            self.number = number
            self.written = written ?? pattern
        }
    }

    public static func read(_ bytes: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var number = 0
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var line = bytes[start..<end]
            start = end + 1
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if number == 0, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
            number += 1
            if line.first == UInt8(ascii: "#") { continue }
            let written = GoPath.trimSpace(String(decoding: line, as: UTF8.self))
            var pattern = written
            if pattern.isEmpty { continue }
            let invert = pattern.hasPrefix("!")
            if invert { pattern = GoPath.trimSpace(scalars: pattern.unicodeScalars.dropFirst()) }
            if !pattern.isEmpty {
                pattern = GoPath.clean(pattern)
                if pattern.utf8.count > 1 && pattern.hasPrefix("/") { pattern.removeFirst() }
            }
            lines.append(Line(pattern: invert ? "!" + pattern : pattern, number: number, written: written))
        }
        return lines
    }

    /// Reads the file at `path`; nil when there is none.
    public static func read(path: String) -> [Line]? {
        FileManager.default.contents(atPath: path).map { read([UInt8]($0)) }
    }
}
