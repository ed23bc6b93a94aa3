import Foundation

/// `.dockerignore` matching with docker's own rules (moby/patternmatcher, as the docker CLI uses it):
/// `*` and `?` stay within one path segment, `**` spans any number of them, `!` re-includes, the last
/// matching pattern wins, patterns are cleaned (`./a/` → `a`, leading `/` dropped), and a pattern that
/// matches a directory excludes everything below it.
public struct DockerignoreMatcher: Sendable {
    struct Pattern: Sendable {
        enum Kind: Sendable {
            case exact, prefix, suffix
            case regex(String)
        }

        var exclusion: Bool
        var cleaned: String
        var kind: Kind
    }

    let patterns: [Pattern]

    /// Parses `.dockerignore` text: one pattern per line, `#` lines are comments.
    public init(text: String) {
        var lines: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.hasPrefix("#") { continue }
            line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let invert = line.hasPrefix("!")
            if invert { line = String(line.dropFirst()).trimmingCharacters(in: .whitespaces) }
            if !line.isEmpty {
                line = Self.clean(line)
                if line.count > 1 && line.hasPrefix("/") { line.removeFirst() }
            }
            lines.append(invert ? "!" + line : line)
        }
        self.init(patterns: lines)
    }

    /// Patterns as the matcher receives them (already read from the file).
    public init(patterns: [String]) {
        self.patterns = patterns.compactMap { raw -> Pattern? in
            var p = raw.trimmingCharacters(in: .whitespaces)
            if p.isEmpty { return nil }
            p = Self.clean(p)
            var exclusion = false
            if p.hasPrefix("!") {
                guard p.count > 1 else { return nil }
                exclusion = true
                p.removeFirst()
            }
            return Pattern(exclusion: exclusion, cleaned: p, kind: Self.compile(p))
        }
    }

    /// Whether `path` (slash-separated, relative to the context) is left out of the context.
    public func excludes(_ path: String) -> Bool {
        let file = Self.clean(path)
        if file == "." { return false }
        let parentDirs = file.split(separator: "/").dropLast().map(String.init)
        var matched = false
        for pattern in patterns where pattern.exclusion == matched {
            var match = Self.match(pattern, file)
            if !match {
                for i in parentDirs.indices {
                    if Self.match(pattern, parentDirs[...i].joined(separator: "/")) {
                        match = true
                        break
                    }
                }
            }
            if match { matched = !pattern.exclusion }
        }
        return matched
    }

    /// Whether an exclusion (`!`) pattern starts inside this excluded directory, so the walk must look
    /// inside it: the docker CLI's rule (`archive.TarWithOptions`), wildcards and all.
    public func mayReinclude(under directory: String) -> Bool {
        patterns.contains { $0.exclusion && ($0.cleaned + "/").hasPrefix(directory + "/") }
    }

    static func match(_ p: Pattern, _ path: String) -> Bool {
        switch p.kind {
        case .exact: return path == p.cleaned
        case .prefix: return path.hasPrefix(String(p.cleaned.dropLast(2)))
        case .suffix:
            let suffix = String(p.cleaned.dropFirst(2))
            if path.hasSuffix(suffix) { return true }
            return suffix.hasPrefix("/") && path == String(suffix.dropFirst())
        case .regex(let expression):
            return path.range(of: expression, options: .regularExpression) != nil
        }
    }

    /// Converts a pattern to its match kind the way patternmatcher's `compile` does.
    static func compile(_ pattern: String) -> Pattern.Kind {
        var regex = "^"
        var exact = true
        var kind = 0  // 0 exact, 1 prefix, 2 suffix, 3 regex
        let chars = Array(pattern)
        var i = 0
        var index = 0
        while i < chars.count {
            let ch = chars[i]
            i += 1
            defer { index += 1 }
            if ch == "*" {
                if i < chars.count && chars[i] == "*" {
                    i += 1
                    if i < chars.count && chars[i] == "/" { i += 1 }
                    if i >= chars.count {
                        if exact && kind == 0 {
                            kind = 1
                        } else {
                            regex += ".*"
                            kind = 3
                        }
                    } else {
                        regex += "(.*/)?"
                        kind = 3
                    }
                    exact = false
                    if index == 0 { kind = 2 }
                } else {
                    regex += "[^/]*"
                    kind = 3
                    exact = false
                }
            } else if ch == "?" {
                regex += "[^/]"
                kind = 3
                exact = false
            } else if ".+()|{}$^".contains(ch) {
                regex += "\\" + String(ch)
            } else if ch == "\\" {
                if i < chars.count {
                    regex += "\\" + String(chars[i])
                    i += 1
                    kind = 3
                    exact = false
                } else {
                    regex += "\\\\"
                }
            } else if ch == "[" || ch == "]" {
                regex += String(ch)
                kind = 3
                exact = false
            } else {
                regex += String(ch)
            }
        }
        switch kind {
        case 1: return .prefix
        case 2: return .suffix
        case 3: return .regex(regex + "$")
        default: return .exact
        }
    }

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
}

extension StringProtocol {
    /// What follows the last `/` (all of it when there is none): a path's file name, without Foundation.
    var lastPathSegment: SubSequence {
        guard let slash = lastIndex(of: "/") else { return self[...] }
        return self[index(after: slash)...]
    }
}
