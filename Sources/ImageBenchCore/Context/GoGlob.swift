/// The syntax check of Go's `filepath.Match` (Unix), which moby/patternmatcher runs on every pattern
/// (`filepath.Match(p, ".")`) and whose `ErrBadPattern` makes Docker refuse the build context. A port
/// of `scanChunk`, `matchChunk` and `getEsc` (go/src/path/filepath/match.go) that only looks at syntax:
/// an unclosed `[`, a class that starts with `-` or `]`, a range with a missing end (`[x-]`), a trailing `\`.
enum GoGlob {
    /// Whether `filepath.Match` accepts the pattern (it returns no `ErrBadPattern` for any name).
    static func isValid(_ pattern: String) -> Bool {
        var rest = Array(pattern.unicodeScalars)[...]
        while !rest.isEmpty {
            let (chunk, after) = scanChunk(rest)
            guard chunkIsValid(chunk) else { return false }
            rest = after
        }
        return true
    }

    /// Skips leading stars, then takes up to the next `*` outside a class (a `\` escapes one scalar).
    static func scanChunk(_ pattern: ArraySlice<Unicode.Scalar>) -> (chunk: ArraySlice<Unicode.Scalar>, rest: ArraySlice<Unicode.Scalar>) {
        var p = pattern
        while p.first == "*" { p = p.dropFirst() }
        var inRange = false
        var i = p.startIndex
        scan: while i < p.endIndex {
            switch p[i] {
            case "\\":
                if i + 1 < p.endIndex { i += 1 }
            case "[": inRange = true
            case "]": inRange = false
            case "*":
                if !inRange { break scan }
            default: break
            }
            i += 1
        }
        return (p[p.startIndex..<i], p[i...])
    }

    /// `matchChunk`'s checks: a class needs a range or character, a closing `]`, ranges with both ends;
    /// an escape needs a character after it.
    static func chunkIsValid(_ chunk: ArraySlice<Unicode.Scalar>) -> Bool {
        var c = chunk
        while let head = c.first {
            switch head {
            case "[":
                c = c.dropFirst()
                if c.first == "^" { c = c.dropFirst() }
                var ranges = 0
                while true {
                    if c.first == "]" && ranges > 0 {
                        c = c.dropFirst()
                        break
                    }
                    guard let afterLow = escapedScalar(c) else { return false }
                    c = afterLow
                    if c.first == "-" {
                        guard let afterHigh = escapedScalar(c.dropFirst()) else { return false }
                        c = afterHigh
                    }
                    ranges += 1
                }
            case "\\":
                c = c.dropFirst()
                if c.isEmpty { return false }
                c = c.dropFirst()
            default:
                c = c.dropFirst()
            }
        }
        return true
    }

    /// `getEsc`: one class character (possibly escaped); nil where Go returns ErrBadPattern, including
    /// when nothing follows it.
    static func escapedScalar(_ chunk: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar>? {
        guard let first = chunk.first, first != "-", first != "]" else { return nil }
        var c = chunk
        if first == "\\" {
            c = c.dropFirst()
            if c.isEmpty { return nil }
        }
        c = c.dropFirst()
        return c.isEmpty ? nil : c
    }
}
