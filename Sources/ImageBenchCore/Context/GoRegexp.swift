/// The part of Go's `regexp` (RE2 syntax, Perl flags) that moby/patternmatcher's regular expressions can
/// hold, parsed and matched here so a pattern means what it means to Docker: classes as RE2 reads them
/// (`[^abc]` negates, `[:alpha:]` inside a class, `[` inside a class is a character), `\d \s \w`,
/// `\A \z \b \B`, anchors, groups, `* + ?`. A pattern RE2 rejects (a reversed range such as `[l-O]`, an
/// unknown escape such as `\y`) is a `nil` parse, which Docker reports as "syntax error in pattern".
/// `\p{...}` classes, `\Q...\E` and `(?flags)` are refused too: imagebench does not read them (Docker
/// does, where a pattern can reach them).
struct GoRegexp: Sendable {
    indirect enum Node: Sendable {
        case scalar(Unicode.Scalar)
        case anyButNewline
        case set(ScalarSet)
        case textStart, textEnd
        case wordBoundary(Bool)
        case sequence([Node])
        case either([Node])
        case repeated(Node, min: Int, max: Int?)
    }

    /// A character class: ranges of scalars, maybe negated.
    struct ScalarSet: Sendable {
        var ranges: [ClosedRange<UInt32>] = []
        var negated = false

        func contains(_ c: Unicode.Scalar) -> Bool {
            ranges.contains { $0.contains(c.value) } != negated
        }

        mutating func add(_ other: ScalarSet) {
            if !other.negated {
                ranges += other.ranges
                return
            }
            // The complement of other's ranges, within the scalar values.
            var start: UInt32 = 0
            for r in other.ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                if r.lowerBound > start { ranges.append(start...(r.lowerBound - 1)) }
                start = max(start, r.upperBound &+ 1)
            }
            if start <= 0x10FFFF { ranges.append(start...0x10FFFF) }
        }
    }

    let root: Node
    /// The expression as written.
    let source: String

    /// Parses `expression`; nil when RE2 would reject it (or it uses what imagebench does not read).
    init?(_ expression: String) {
        var parser = Parser(Array(expression.unicodeScalars))
        guard let node = parser.alternation(), parser.position == parser.text.count else { return nil }
        root = node
        source = expression
    }

    /// Whether the expression matches somewhere in `text` (patternmatcher's are anchored with `^...$`).
    func matches(_ text: String) -> Bool {
        let s = Array(text.unicodeScalars)
        for start in 0...s.count where Matcher(s: s).match(root, start, { _ in true }) { return true }
        return false
    }

    struct Matcher {
        let s: [Unicode.Scalar]

        func isWord(_ i: Int) -> Bool {
            guard i >= 0 && i < s.count, s[i].isASCII else { return false }
            let v = s[i].value
            return (48...57).contains(v) || (65...90).contains(v) || (97...122).contains(v) || v == 95
        }

        /// Matches `node` at `i`, then the rest through `next`: backtracking, enough for short paths.
        func match(_ node: Node, _ i: Int, _ next: (Int) -> Bool) -> Bool {
            switch node {
            case .scalar(let c): return i < s.count && s[i] == c && next(i + 1)
            case .anyButNewline: return i < s.count && s[i] != "\n" && next(i + 1)
            case .set(let set): return i < s.count && set.contains(s[i]) && next(i + 1)
            case .textStart: return i == 0 && next(i)
            case .textEnd: return i == s.count && next(i)
            case .wordBoundary(let at): return (isWord(i - 1) != isWord(i)) == at && next(i)
            case .sequence(let nodes): return sequence(nodes[...], i, next)
            case .either(let options): return options.contains { match($0, i, next) }
            case .repeated(let inner, let min, let max): return repeated(inner, min: min, max: max, count: 0, i, next)
            }
        }

        func sequence(_ nodes: ArraySlice<Node>, _ i: Int, _ next: (Int) -> Bool) -> Bool {
            guard let first = nodes.first else { return next(i) }
            return match(first, i) { j in sequence(nodes.dropFirst(), j, next) }
        }

        func repeated(_ inner: Node, min: Int, max: Int?, count: Int, _ i: Int, _ next: (Int) -> Bool) -> Bool {
            if let max, count >= max { return next(i) }
            // One more, as long as it moves on (or the minimum is not reached yet).
            if match(inner, i, { j in (j != i || count < min) && repeated(inner, min: min, max: max, count: count + 1, j, next) }) { return true }
            return count >= min && next(i)
        }
    }

    /// Recursive descent over RE2's grammar, as far as patternmatcher's expressions reach.
    struct Parser {
        let text: [Unicode.Scalar]
        var position = 0

        init(_ text: [Unicode.Scalar]) { self.text = text }

        var peek: Unicode.Scalar? { position < text.count ? text[position] : nil }

        mutating func take() -> Unicode.Scalar? {
            guard position < text.count else { return nil }
            defer { position += 1 }
            return text[position]
        }

        mutating func alternation() -> Node? {
            var options: [Node] = []
            repeat {
                guard let s = sequence() else { return nil }
                options.append(s)
            } while peek == "|" && take() != nil
            return options.count == 1 ? options[0] : .either(options)
        }

        mutating func sequence() -> Node? {
            var nodes: [Node] = []
            while let c = peek, c != "|", c != ")" {
                guard var atom = atom() else { return nil }
                var repeated = false
                if let op = peek, "*+?".unicodeScalars.contains(op) {
                    _ = take()
                    switch op {
                    case "*": atom = .repeated(atom, min: 0, max: nil)
                    case "+": atom = .repeated(atom, min: 1, max: nil)
                    default: atom = .repeated(atom, min: 0, max: 1)
                    }
                    repeated = true
                } else if peek == "{", let (count, length) = braceCount() {
                    // Larger counts are RE2's "invalid repeat count".
                    guard count.min <= 1000, (count.max ?? 0) <= 1000, count.min <= (count.max ?? count.min) else { return nil }
                    position += length
                    atom = .repeated(atom, min: count.min, max: count.max)
                    repeated = true
                }
                if repeated {
                    // `*?` is the lazy form: for a yes/no match the same. Another operator is RE2's
                    // "invalid nested repetition operator".
                    if peek == "?" { _ = take() }
                    if let again = peek, "*+?".unicodeScalars.contains(again) || (again == "{" && braceCount() != nil) { return nil }
                }
                nodes.append(atom)
            }
            return nodes.count == 1 ? nodes[0] : .sequence(nodes)
        }

        /// `{n}`, `{n,}` or `{n,m}` at the current position, and its length; nil when `{` does not start
        /// one (RE2 then reads it as a plain `{`).
        func braceCount() -> (count: (min: Int, max: Int?), length: Int)? {
            var i = position
            guard i < text.count, text[i] == "{" else { return nil }
            i += 1
            func number() -> Int? {
                let start = i
                while i < text.count, ("0"..."9").contains(text[i]) { i += 1 }
                guard i > start, i - start <= 8 else { return nil }
                return Int(String(String.UnicodeScalarView(text[start..<i])))
            }
            guard let low = number() else { return nil }
            var high: Int? = low
            if i < text.count, text[i] == "," {
                i += 1
                high = i < text.count && text[i] == "}" ? nil : number()
                if high == nil && !(i < text.count && text[i] == "}") { return nil }
            }
            guard i < text.count, text[i] == "}" else { return nil }
            return ((low, high), i + 1 - position)
        }

        mutating func atom() -> Node? {
            guard let c = take() else { return nil }
            switch c {
            case "(":
                // Flags and named groups `(?...)` are not in patternmatcher's expressions.
                if peek == "?" { return nil }
                guard let inner = alternation(), take() == ")" else { return nil }
                return inner
            case "[": return characterClass()
            case ".": return .anyButNewline
            case "^": return .textStart
            case "$": return .textEnd
            case "\\": return escapeOutsideClass()
            case "*", "+", "?", ")": return nil  // missing argument to repetition operator; unexpected )
            default: return .scalar(c)
            }
        }

        mutating func escapeOutsideClass() -> Node? {
            guard let c = peek else { return nil }  // trailing backslash
            switch c {
            case "A":
                _ = take()
                return .textStart
            case "z":
                _ = take()
                return .textEnd
            case "b", "B":
                _ = take()
                return .wordBoundary(c == "b")
            default:
                if let set = perlClass() { return .set(set) }
                return escapedScalar().map(Node.scalar)
            }
        }

        /// `\d \D \s \S \w \W`.
        mutating func perlClass() -> ScalarSet? {
            guard let c = peek else { return nil }
            let ranges: [ClosedRange<UInt32>]
            switch c {
            case "d", "D": ranges = [48...57]
            case "s", "S": ranges = [9...10, 12...13, 32...32]
            case "w", "W": ranges = [48...57, 65...90, 95...95, 97...122]
            default: return nil
            }
            _ = take()
            return ScalarSet(ranges: ranges, negated: c.properties.isUppercase)
        }

        /// RE2's `parseEscape` after the backslash: punctuation stands for itself, then octal, hex and the
        /// C escapes; anything else is an invalid escape.
        mutating func escapedScalar() -> Unicode.Scalar? {
            guard let c = take() else { return nil }
            if c.isASCII && !c.properties.isAlphabetic && !("0"..."9").contains(c) { return c }
            switch c {
            case "1"..."7":
                // A single non-zero digit would be a backreference, which RE2 lacks.
                guard let n = peek, ("0"..."7").contains(n) else { return nil }
                return octal(first: c)
            case "0": return octal(first: c)
            case "x": return hex()
            case "a": return Unicode.Scalar(7)
            case "f": return Unicode.Scalar(12)
            case "n": return Unicode.Scalar(10)
            case "r": return Unicode.Scalar(13)
            case "t": return Unicode.Scalar(9)
            case "v": return Unicode.Scalar(11)
            default: return nil  // \p, \Q and unknown letters
            }
        }

        mutating func octal(first: Unicode.Scalar) -> Unicode.Scalar? {
            var value = first.value - 48
            for _ in 0..<2 {
                guard let n = peek, ("0"..."7").contains(n) else { break }
                _ = take()
                value = value * 8 + n.value - 48
            }
            return Unicode.Scalar(value)
        }

        mutating func hex() -> Unicode.Scalar? {
            func digit(_ c: Unicode.Scalar?) -> UInt32? {
                guard let c, c.isASCII else { return nil }
                return UInt32(String(c), radix: 16)
            }
            if peek == "{" {
                _ = take()
                var value: UInt32 = 0
                var digits = 0
                while let d = digit(peek) {
                    _ = take()
                    value = value * 16 + d
                    digits += 1
                    if value > 0x10FFFF { return nil }
                }
                guard digits > 0, take() == "}" else { return nil }
                return Unicode.Scalar(value)
            }
            guard let a = digit(take()), let b = digit(take()) else { return nil }
            return Unicode.Scalar(a * 16 + b)
        }

        static let posixClasses: [String: [ClosedRange<UInt32>]] = [
            "alnum": [48...57, 65...90, 97...122], "alpha": [65...90, 97...122], "ascii": [0...0x7F], "blank": [9...9, 32...32],
            "cntrl": [0...0x1F, 0x7F...0x7F], "digit": [48...57], "graph": [0x21...0x7E], "lower": [97...122], "print": [0x20...0x7E],
            "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E], "space": [9...13, 32...32], "upper": [65...90],
            "word": [48...57, 65...90, 95...95, 97...122], "xdigit": [48...57, 65...70, 97...102],
        ]

        /// After `[`: RE2's `parseClass`, Perl flags (a `-` may stand anywhere; `]` first is a character).
        mutating func characterClass() -> Node? {
            var set = ScalarSet()
            if peek == "^" {
                _ = take()
                set.negated = true
            }
            var first = true
            while true {
                guard let c = peek else { return nil }  // missing closing ]
                if c == "]" && !first {
                    _ = take()
                    break
                }
                first = false
                if c == "[", position + 1 < text.count, text[position + 1] == ":" {
                    guard let named = posixClass() else { return nil }
                    set.add(named)
                    continue
                }
                if c == "\\", position + 1 < text.count {
                    position += 1
                    if let perl = perlClass() {
                        set.add(perl)
                        continue
                    }
                    position -= 1
                }
                guard let low = classScalar() else { return nil }
                var high = low
                if peek == "-", position + 1 < text.count, text[position + 1] != "]" {
                    _ = take()
                    guard let h = classScalar() else { return nil }
                    high = h
                    if high.value < low.value { return nil }  // invalid character class range
                }
                set.ranges.append(low.value...high.value)
            }
            return .set(set)
        }

        mutating func classScalar() -> Unicode.Scalar? {
            guard let c = take() else { return nil }
            if c == "\\" { return escapedScalar() }
            return c
        }

        /// `[:alpha:]` or `[:^alpha:]`; an unknown name is an error.
        mutating func posixClass() -> ScalarSet? {
            let start = position
            position += 2
            var name = ""
            while let c = peek, c != ":" {
                name.unicodeScalars.append(c)
                _ = take()
            }
            guard take() == ":", take() == "]" else {
                position = start
                return nil
            }
            let negated = name.hasPrefix("^")
            guard let ranges = Self.posixClasses[negated ? String(name.dropFirst()) : name] else { return nil }
            return ScalarSet(ranges: ranges, negated: negated)
        }
    }
}
