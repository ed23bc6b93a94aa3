/// Go's string and path functions as Docker's code applies them to slash-separated paths and
/// `.dockerignore` lines: `path.Clean`, `path.Dir`, `strings.TrimSpace`. They compare and cut bytes, so
/// these work on UTF-8 bytes too, never on Swift's canonically equivalent characters.
public enum GoPath {
    /// Go's `path.Clean`: collapses `//`, `.` and `..`, drops a trailing `/`.
    public static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        if isClean(path) { return path }
        let rooted = path.hasPrefix("/")
        var out: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = out.last, last != ".." {
                    out.removeLast()
                } else if !rooted {
                    out.append(part)
                }
                continue
            }
            out.append(part)
        }
        let joined = out.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// True when `clean` would return `path` unchanged: no empty, `.` or `..` segment and no trailing
    /// `/` (a leading one is kept). Tar entry names nearly always are, and this check costs one pass.
    static func isClean(_ path: String) -> Bool {
        var segment = 0  // bytes in the current segment
        var dots = 0  // of which dots, while only dots
        var first = true
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if segment == 0 && !first { return false }
                if segment > 0 && dots == segment && dots <= 2 { return false }
                if !first || segment > 0 { segment = 0 }
                dots = 0
                first = false
                continue
            }
            segment += 1
            if byte == UInt8(ascii: ".") && dots == segment - 1 { dots += 1 }
        }
        return segment > 0 && !(dots == segment && dots <= 2)
    }

    /// Go's `path.Dir` of a cleaned relative path: everything before the last `/`, or `.`.
    public static func dir(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        return clean(String(path[..<slash]))
    }

    /// Go's `strings.TrimSpace`: drops Unicode white space (`unicode.IsSpace`: tab, line feed, vertical
    /// tab, form feed, carriage return, space, U+0085, U+00A0 and the other White_Space characters) at both ends.
    public static func trimSpace<S: StringProtocol>(_ text: S) -> String { trimSpace(scalars: text.unicodeScalars) }

    static func trimSpace<C: BidirectionalCollection<Unicode.Scalar>>(scalars: C) -> String {
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// Byte-wise equality, as Go's `==` on strings (`é` and `e` + U+0301 differ).
    static func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    /// Byte-wise `strings.HasPrefix`.
    static func hasPrefix(_ s: String, _ prefix: some Collection<UInt8>) -> Bool { s.utf8.starts(with: prefix) }

    /// Byte-wise `strings.HasSuffix`.
    static func hasSuffix(_ s: String, _ suffix: some BidirectionalCollection<UInt8>) -> Bool { s.utf8.reversed().starts(with: suffix.reversed()) }
}

extension StringProtocol {
    /// What follows the last `/` (all of it when there is none): a path's file name, without Foundation.
    var lastPathSegment: SubSequence {
        guard let slash = lastIndex(of: "/") else { return self[...] }
        return self[index(after: slash)...]
    }
}
