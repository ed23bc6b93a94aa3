/// One `.dockerignore` pattern as moby/patternmatcher's `New` keeps it and its `compile` reads it: the
/// cleaned text, whether it is an exception (`!`), its path segments, and how it matches (exactly, by
/// prefix for `dir/**`, by suffix for `**/name`, else a regular expression).
public struct DockerignorePattern: Sendable {
    /// Which code turns a pattern into a regular expression.
    public enum Dialect: String, Sendable, Codable {
        /// moby/patternmatcher (docker 23.0 on, BuildKit's fsutil since 2021): exact, prefix and suffix
        /// matches where possible, and `.+()|{}$` escaped.
        case current
        /// docker/docker's `pkg/fileutils` of docker 20.10 and before (its CLI and the fsutil its BuildKit
        /// sends with): always a regular expression, and only `.` and `$` escaped, so `+ ( ) | { } ^` keep
        /// their regular-expression meaning: `a+b` excludes `aab` and not `a+b`. Measured on this
        /// machine's docker 20.10.24, classic and BuildKit.
        case legacy
    }

    enum Kind: Sendable {
        case exact
        /// `dir/**`: the text before the trailing `**`.
        case prefix
        /// `**/name`: the text after the leading `**`.
        case suffix
        case expression(GoRegexp)
    }

    /// Why Docker refuses a pattern, in its own words.
    public struct Refusal: Error, Sendable, Equatable {
        /// The pattern as written in the file.
        public var pattern: String
        /// The file's line (1-based), when it came from one.
        public var line: Int
        /// `syntax error in pattern` (Go's `filepath.ErrBadPattern`) or `illegal exclusion pattern: "!"`.
        public var reason: String

        public init(pattern: String, line: Int, reason: String) {
            self.pattern = pattern
            self.line = line
            self.reason = reason
        }
    }

    /// The pattern after `TrimSpace`, `filepath.Clean` and without its `!`.
    public let cleaned: String
    public let exclusion: Bool
    /// `strings.Split(cleaned, "/")`'s count: how many leading path segments the deprecated `Matches` compares.
    let segments: Int
    let kind: Kind
    /// For an expression: the regular expression exactly as patternmatcher builds it (`^[^/]*\\.txt$`).
    public var expression: String? {
        if case .expression(let regexp) = kind { return regexp.source }
        return nil
    }
    /// `exact`, `prefix`, `suffix` or `expression`, as patternmatcher's `matchType`.
    public var kindName: String {
        switch kind {
        case .exact: "exact"
        case .prefix: "prefix"
        case .suffix: "suffix"
        case .expression: "expression"
        }
    }

    /// `patternmatcher.New` for one pattern: nil for an empty one (skipped), a refusal where Docker
    /// refuses the build: a lone `!`, a pattern `filepath.Match` calls malformed, or one whose regular
    /// expression RE2 rejects (Docker finds that at its first match, imagebench before the build).
    init?(_ raw: String, line: Int, dialect: Dialect = .current) throws(Refusal) {
        var p = GoPath.trimSpace(raw)
        if p.isEmpty { return nil }
        p = GoPath.clean(p)
        var exclusion = false
        if p.hasPrefix("!") {
            if p.unicodeScalars.count == 1 { throw Refusal(pattern: raw, line: line, reason: "illegal exclusion pattern: \"!\"") }
            exclusion = true
            p = String(p.unicodeScalars.dropFirst())
        }
        guard GoGlob.isValid(p), let kind = dialect == .current ? Self.compile(p) : Self.compileLegacy(p) else {
            throw Refusal(pattern: raw, line: line, reason: "syntax error in pattern")
        }
        cleaned = p
        self.exclusion = exclusion
        segments = p.split(separator: "/", omittingEmptySubsequences: false).count
        self.kind = kind
    }

    /// `Pattern.match`.
    func matches(_ path: String) -> Bool {
        switch kind {
        case .exact: return GoPath.same(path, cleaned)
        case .prefix: return GoPath.hasPrefix(path, cleaned.utf8.dropLast(2))
        case .suffix:
            let suffix = cleaned.utf8.dropFirst(2)
            if GoPath.hasSuffix(path, suffix) { return true }
            // `**/foo` matches "foo".
            return suffix.first == UInt8(ascii: "/") && path.utf8.elementsEqual(suffix.dropFirst())
        case .expression(let regexp): return regexp.matches(path)
        }
    }

    /// Characters patternmatcher escapes because they mean something in a regular expression but
    /// nothing in a `filepath.Match` pattern. `^` is not among them, so it keeps its regular-expression
    /// meaning (negation inside `[...]`, the start of the text outside).
    static let escaped: Set<Unicode.Scalar> = Set(".+()|{}$".unicodeScalars)

    /// `Pattern.compile` on Linux: the match kind, and for an expression the exact regular expression
    /// Docker builds (so that it means what it means to Docker), parsed as RE2 would.
    static func compile(_ pattern: String) -> Kind? {
        var expression = "^"
        var kind = 0  // 0 exact, 1 prefix, 2 suffix, 3 expression, as patternmatcher's matchType
        let s = Array(pattern.unicodeScalars)
        var i = 0
        var index = 0
        while i < s.count {
            let ch = s[i]
            i += 1
            defer { index += 1 }
            if ch == "*" {
                if i < s.count && s[i] == "*" {
                    i += 1
                    // `**/` is `**`: the slash is eaten.
                    if i < s.count && s[i] == "/" { i += 1 }
                    if i >= s.count {
                        if kind == 0 {
                            kind = 1
                        } else {
                            expression += ".*"
                            kind = 3
                        }
                    } else {
                        expression += "(.*/)?"
                        kind = 3
                    }
                    if index == 0 { kind = 2 }
                } else {
                    expression += "[^/]*"
                    kind = 3
                }
            } else if ch == "?" {
                expression += "[^/]"
                kind = 3
            } else if escaped.contains(ch) {
                expression += "\\" + String(ch)
            } else if ch == "\\" {
                if i < s.count {
                    expression += "\\" + String(s[i])
                    i += 1
                    kind = 3
                } else {
                    expression += "\\"
                }
            } else if ch == "[" || ch == "]" {
                expression += String(ch)
                kind = 3
            } else {
                expression.unicodeScalars.append(ch)
            }
        }
        switch kind {
        case 1: return .prefix
        case 2: return .suffix
        case 3: return GoRegexp(expression + "$").map(Kind.expression)
        default: return .exact
        }
    }

    /// `Pattern.compile` of docker/docker's `pkg/fileutils` before 23.0 (v20.10.22, as docker 20.10.24's
    /// CLI vendors it), on Linux.
    static func compileLegacy(_ pattern: String) -> Kind? {
        var expression = "^"
        let s = Array(pattern.unicodeScalars)
        var i = 0
        while i < s.count {
            let ch = s[i]
            i += 1
            if ch == "*" {
                if i < s.count && s[i] == "*" {
                    i += 1
                    if i < s.count && s[i] == "/" { i += 1 }
                    expression += i >= s.count ? ".*" : "(.*/)?"
                } else {
                    expression += "[^/]*"
                }
            } else if ch == "?" {
                expression += "[^/]"
            } else if ch == "." || ch == "$" {
                expression += "\\" + String(ch)
            } else if ch == "\\" {
                if i < s.count {
                    expression += "\\" + String(s[i])
                    i += 1
                } else {
                    expression += "\\"
                }
            } else {
                expression.unicodeScalars.append(ch)
            }
        }
        return GoRegexp(expression + "$").map(Kind.expression)
    }
}
