import Foundation

/// Finds secrets by what a file holds, with the shapes of gitleaks 8.16's default rules for the families
/// imagebench claims (see ``SecretRule``), matched byte by byte in one pass over the file instead of by
/// regular expressions: each position is tried only against the rules whose first byte it has.
///
/// Only text is read (no NUL byte in its first 8000, git's test), up to ``sizeLimit`` bytes. Names still
/// count, apart: a file named as the usual pre-commit checks list (`.env`, `id_rsa`, `*.pem` ...) whose
/// content no rule flags is a name-only warning, unless its content is recognised as public (certificates,
/// public keys), which is nothing at all.
public enum SecretScanner {
    /// Files larger than this are not read for secrets: 4 MiB holds any configuration, environment or key
    /// file and the JavaScript bundles keys leak into (a production bundle is 0.2 to 2 MB); what is larger
    /// is data, archives and binaries, and reading it would cost the analysis its speed.
    public static let sizeLimit = 4 << 20

    /// How much of a file's start decides whether it is text.
    public static let textProbe = 8000
    /// How much of a file too large for the content rules, but named as secrets are, is read to tell
    /// whether it is public (a CA bundle is 200 kB and starts with a certificate).
    public static let publicProbe = 64 << 10

    /// Whether `bytes` (a file's first bytes, at least ``textProbe`` of them when the file has them) look like text.
    public static func isText(_ bytes: some Collection<UInt8>) -> Bool { !bytes.prefix(textProbe).contains(0) }

    /// Whether a file of `size` bytes is read for secrets (its content still has to be text).
    public static func mayScan(size: Int64) -> Bool { size > 0 && size <= Int64(sizeLimit) }

    /// The findings in `bytes`, the content of the file at `path` (absolute in an image), in `layer`.
    /// Text only: binary content yields none.
    public static func scan(_ bytes: [UInt8], path: String, layer: Int? = nil) -> [SecretFinding] {
        guard isText(bytes) else { return [] }
        var found = bytes.withUnsafeBufferPointer { tokens(in: $0) }
        if ConfigFile.isConfig(path) { found += bytes.withUnsafeBufferPointer { ConfigFile.assignments(in: $0) } }
        guard !found.isEmpty else { return [] }
        let lines = LineIndex(bytes)
        return found.sorted { $0.offset < $1.offset }.map {
            SecretFinding(kind: .content, rule: $0.rule, path: path, layer: layer, line: lines.line(at: $0.offset), excerpt: $0.excerpt)
        }
    }

    /// What a file holds and its name say: its content findings; else, when its name is one the usual
    /// pre-commit checks list (``SecretPatterns``) and its content is not recognised as public, one name-only
    /// warning; else none. `bytes` is the file's content, or its first bytes when it is larger than ``sizeLimit``
    /// (no content rule runs on a part).
    public static func findings(_ bytes: [UInt8], path: String, layer: Int? = nil, whole: Bool = true) -> [SecretFinding] {
        let found = whole ? scan(bytes, path: path, layer: layer) : []
        if !found.isEmpty { return found }
        guard SecretPatterns.looksSecret(path), !isPublic(bytes) else { return [] }
        return [SecretFinding(kind: .name, rule: nil, path: path, layer: layer)]
    }

    /// ``findings(_:path:layer:whole:)`` of the file at `fullPath` on this machine (`size` bytes, shown as
    /// `path`), read as the layer streams are: its first 8000 bytes, and the rest only when they are text
    /// (all of it up to ``sizeLimit``, or ``publicProbe`` of a larger file). None when it cannot be opened.
    public static func findings(inFileAt fullPath: String, path: String, size: Int64, layer: Int? = nil) -> [SecretFinding] {
        guard let handle = FileHandle(forReadingAtPath: fullPath) else { return [] }
        defer { try? handle.close() }
        let whole = mayScan(size: size)
        guard var bytes = (try? handle.read(upToCount: textProbe)).map({ [UInt8]($0) }) else { return [] }
        if isText(bytes), bytes.count == textProbe, let more = try? handle.read(upToCount: (whole ? sizeLimit : publicProbe) - textProbe) {
            bytes += more
        }
        return findings(bytes, path: path, layer: layer, whole: whole)
    }

    /// Whether a file at `path` of `size` bytes is worth reading at all: outside the folders a
    /// distribution's packages fill (``packageFolders``), a file named as secrets are, or one the content
    /// rules read (see ``mayScan(size:)``).
    public static func wants(_ path: String, size: Int64) -> Bool {
        // A whiteout (`.wh.NAME`) marks NAME deleted: not a file in the image, though its name may look like one.
        if path.lastPathSegment.hasPrefix(".wh.") { return false }
        let relative = path.hasPrefix("/") ? path.dropFirst() : Substring(path)
        if packageFolders.contains(where: { relative.hasPrefix($0) }) { return false }
        return SecretPatterns.looksSecret(path) || mayScan(size: size)
    }

    /// Folders whose files an OS package manager installs (libraries, shared data, headers, package
    /// databases and caches). Trivy's secret scanner likewise leaves files of OS packages out; reading
    /// them would cost the analysis its speed (the Go builder's 1 GB is mostly /usr/lib/go and /usr/share)
    /// and flag the test keys that toolchains ship (Go's `crypto/tls/testdata/example-key.pem`). An
    /// application copied there is not read, nor a file named as secrets are.
    public static let packageFolders = [
        "usr/lib/", "usr/share/", "usr/include/", "usr/libexec/", "lib/", "lib32/", "lib64/", "var/lib/dpkg/", "var/lib/apt/",
        "var/lib/apk/", "var/lib/rpm/", "var/cache/", "lib/apk/db/",
    ]

    /// Whether the content is recognised as public: a certificate, a certificate revocation list or a public
    /// key (PEM), or an OpenSSH public key line, and no private key.
    public static func isPublic(_ bytes: [UInt8]) -> Bool {
        guard isText(bytes) else { return false }
        let text = String(decoding: bytes.prefix(64 << 10), as: UTF8.self)
        if text.contains("PRIVATE KEY") { return false }
        let pem = [
            "-----BEGIN CERTIFICATE-----", "-----BEGIN TRUSTED CERTIFICATE-----", "-----BEGIN X509 CRL-----", "-----BEGIN PUBLIC KEY-----",
            "-----BEGIN RSA PUBLIC KEY-----", "-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----BEGIN OPENSSH PUBLIC KEY-----",
        ]
        if pem.contains(where: text.contains) { return true }
        let first = text.drop { $0 == " " || $0 == "\n" }
        return ["ssh-rsa ", "ssh-ed25519 ", "ssh-dss ", "ecdsa-sha2-", "sk-ssh-ed25519@openssh.com ", "sk-ecdsa-sha2-"].contains {
            first.hasPrefix($0)
        }
    }

    /// A match before it becomes a finding: where, which rule, and the masked text.
    struct Match {
        var offset: Int
        var rule: SecretRule
        var excerpt: String
    }

    /// `AKIA…(20 chars)`: the shape's fixed part, then how long the secret is; never the secret.
    static func mask(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, keep: Int) -> String {
        let shown = String(decoding: bytes[start..<min(end, start + keep)], as: UTF8.self)
        return "\(shown)…(\(end - start) chars)"
    }

    // MARK: Fixed shapes

    static func isUpperAlnum(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) }
    static func isAlnum(_ b: UInt8) -> Bool { isUpperAlnum(b) || (b >= 0x61 && b <= 0x7A) }
    static func isWord(_ b: UInt8) -> Bool { isAlnum(b) || b == 0x5F }
    static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 32 : b }

    /// How many bytes from `start` satisfy `allowed`, at most `limit`.
    static func run(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, limit: Int, _ allowed: (UInt8) -> Bool) -> Int {
        var n = 0
        while n < limit, start + n < p.count, allowed(p[start + n]) { n += 1 }
        return n
    }

    /// Whether `literal` is at `at` (ASCII; case-insensitive when `fold`, `literal` then in lower case).
    static func has(_ p: UnsafeBufferPointer<UInt8>, _ at: Int, _ literal: StaticString, fold: Bool = false) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard at >= 0, at + count <= p.count else { return false }
        let bytes = literal.utf8Start
        for i in 0..<count where (fold ? lower(p[at + i]) : p[at + i]) != bytes[i] { return false }
        return true
    }

    /// gitleaks' terminator after a secret: `['|"|\n|\r|\s|\x60|;]` or the end.
    static func endsToken(_ p: UnsafeBufferPointer<UInt8>, _ at: Int) -> Bool {
        guard at < p.count else { return true }
        return [0x27, 0x7C, 0x22, 0x0A, 0x0D, 0x20, 0x09, 0x0B, 0x0C, 0x60, 0x3B].contains(p[at])
    }

    /// The second to fourth letters of aws-access-token's prefixes after the `A` (AKIA, AGPA ...).
    static let awsPrefixes: Set<[UInt8]> = Set(["KIA", "GPA", "IDA", "ROA", "IPA", "NPA", "NVA", "SIA"].map { Array($0.utf8) })

    /// Every fixed-shape token, leftmost first, not overlapping (as a regular expression's matches).
    static func tokens(in p: UnsafeBufferPointer<UInt8>) -> [Match] {
        var found: [Match] = []
        var i = 0
        while i < p.count {
            if let (match, end) = token(in: p, at: i) {
                found.append(match)
                i = end
            } else {
                i += 1
            }
        }
        return found
    }

    /// The token starting at `i`, and where it ends.
    static func token(in p: UnsafeBufferPointer<UInt8>, at i: Int) -> (Match, Int)? {
        switch lower(p[i]) {
        case UInt8(ascii: "a"):
            // aws-access-token: (A3T[A-Z0-9]|AKIA|...)[A-Z0-9]{16}, case-sensitive.
            if p[i] == UInt8(ascii: "A"), i + 20 <= p.count, isUpperAlnum(p[i + 1]), isUpperAlnum(p[i + 2]), isUpperAlnum(p[i + 3]) {
                let prefix =
                    (p[i + 1] == UInt8(ascii: "3") && p[i + 2] == UInt8(ascii: "T")) || awsPrefixes.contains([p[i + 1], p[i + 2], p[i + 3]])
                if prefix, run(p, i + 4, limit: 16, isUpperAlnum) == 16 {
                    return (Match(offset: i, rule: .awsAccessToken, excerpt: mask(p, i, i + 20, keep: 4)), i + 20)
                }
            }
            // gcp-api-key: (?i)\b(AIza[0-9A-Za-z\\-_]{35}) then a terminator. In gitleaks 8.16 `\\-_` is the range
            // from `\` to `_`, which leaves out the `-` Google's keys hold; imagebench takes `-` too.
            if has(p, i, "aiza", fold: true), i == 0 || !isWord(p[i - 1]) {
                let body = run(p, i + 4, limit: 35) { isAlnum($0) || $0 == 0x2D || ($0 >= 0x5C && $0 <= 0x5F) }
                if body == 35, endsToken(p, i + 39) {
                    return (Match(offset: i, rule: .gcpApiKey, excerpt: mask(p, i, i + 39, keep: 4)), i + 39)
                }
            }
        case UInt8(ascii: "g"):
            if has(p, i, "gh"), i + 3 < p.count, p[i + 3] == UInt8(ascii: "_") {
                let rule: SecretRule? =
                    switch p[i + 2] {
                    case UInt8(ascii: "p"): .githubPat
                    case UInt8(ascii: "o"): .githubOauth
                    case UInt8(ascii: "u"), UInt8(ascii: "s"): .githubAppToken
                    case UInt8(ascii: "r"): .githubRefreshToken
                    default: nil
                    }
                if let rule, run(p, i + 4, limit: 36, isAlnum) == 36 {
                    return (Match(offset: i, rule: rule, excerpt: mask(p, i, i + 40, keep: 4)), i + 40)
                }
            }
            if has(p, i, "github_pat_"), run(p, i + 11, limit: 82, isWord) == 82 {
                return (Match(offset: i, rule: .githubFineGrainedPat, excerpt: mask(p, i, i + 93, keep: 11)), i + 93)
            }
            if has(p, i, "glpat-"), run(p, i + 6, limit: 20, { isWord($0) || $0 == UInt8(ascii: "-") }) == 20 {
                return (Match(offset: i, rule: .gitlabPat, excerpt: mask(p, i, i + 26, keep: 6)), i + 26)
            }
        case UInt8(ascii: "x"):
            // slack-access-token: xox[baprs]-([0-9a-zA-Z]{10,48}).
            if has(p, i, "xox"), i + 4 < p.count, "baprs".utf8.contains(p[i + 3]), p[i + 4] == UInt8(ascii: "-") {
                let body = run(p, i + 5, limit: 48, isAlnum)
                if body >= 10 { return (Match(offset: i, rule: .slackAccessToken, excerpt: mask(p, i, i + 5 + body, keep: 5)), i + 5 + body) }
            }
        case UInt8(ascii: "h"):
            if has(p, i, "https://hooks.slack.com/") {
                for kind in [9, 10] where kind == 9 ? has(p, i + 24, "services/") : has(p, i + 24, "workflows/") {
                    let start = i + 24 + kind
                    let body = run(p, start, limit: 46) { isAlnum($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/") }
                    if body >= 44 { return (Match(offset: i, rule: .slackWebHook, excerpt: mask(p, i, start + body, keep: start - i)), start + body) }
                }
            }
        case UInt8(ascii: "s"), UInt8(ascii: "p"):
            // stripe-access-token: (?i)(sk|pk)_(test|live)_[0-9a-z]{10,32}.
            if has(p, i + 1, "k_", fold: true),
                has(p, i + 3, "test_", fold: true) || has(p, i + 3, "live_", fold: true)
            {
                let body = run(p, i + 8, limit: 32, isAlnum)
                if body >= 10 { return (Match(offset: i, rule: .stripeAccessToken, excerpt: mask(p, i, i + 8 + body, keep: 8)), i + 8 + body) }
            }
        case UInt8(ascii: "e"):
            if let end = jwt(p, at: i) { return (Match(offset: i, rule: .jwt, excerpt: mask(p, i, end, keep: 2)), end) }
        case UInt8(ascii: "-"):
            if let (end, header) = privateKey(p, at: i) { return (Match(offset: i, rule: .privateKey, excerpt: header + "…"), end) }
        default:
            break
        }
        return nil
    }

    /// jwt: (?i)\b(ey[0-9a-z]{30,34}\.ey[0-9a-z-\/_]{30,500}\.[0-9a-zA-Z-\/_]{10,200}={0,2}) then a
    /// terminator; the end of the match, or nil.
    static func jwt(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        guard has(p, i, "ey", fold: true), i == 0 || !isWord(p[i - 1]) else { return nil }
        func segment(_ b: UInt8) -> Bool { isAlnum(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "/") || b == UInt8(ascii: "_") }
        let first = run(p, i + 2, limit: 35, isAlnum)
        guard (30...34).contains(first) else { return nil }
        var at = i + 2 + first
        guard at < p.count, p[at] == UInt8(ascii: "."), has(p, at + 1, "ey", fold: true) else { return nil }
        let second = run(p, at + 3, limit: 501, segment)
        guard (30...500).contains(second) else { return nil }
        at += 3 + second
        guard at < p.count, p[at] == UInt8(ascii: ".") else { return nil }
        let third = run(p, at + 1, limit: 200, segment)
        guard third >= 10 else { return nil }
        at += 1 + third
        at += run(p, at, limit: 2) { $0 == UInt8(ascii: "=") }
        return endsToken(p, at) ? at : nil
    }

    /// private-key: (?i)-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY( BLOCK)?-----[\s\S-]*KEY( BLOCK)?---- — from
    /// the header to the last `KEY----` after it, as the greedy expression takes it; its end and header.
    static func privateKey(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> (Int, String)? {
        guard has(p, i, "-----begin", fold: true) else { return nil }
        var at = i + 10
        let label = run(p, at, limit: 100) { isAlnum($0) || $0 == 0x20 || $0 == 0x5F || $0 == 0x2D }
        // The label's run may have eaten into "PRIVATE KEY": find it within the run.
        var header: Int?
        for start in stride(from: at + label, through: at, by: -1) where has(p, start, "private key", fold: true) {
            header = start
            break
        }
        guard let found = header else { return nil }
        at = found + 11
        if has(p, at, " block", fold: true) { at += 6 }
        guard has(p, at, "-----") else { return nil }
        let bodyStart = at + 5
        // The last "KEY----" (or "KEY BLOCK----") after the header.
        var end: Int?
        var j = p.count - 7
        while j >= bodyStart {
            if has(p, j, "key----", fold: true) {
                end = j + 7
                break
            }
            if j + 13 <= p.count, has(p, j, "key block----", fold: true) {
                end = j + 13
                break
            }
            j -= 1
        }
        guard let end else { return nil }
        return (end, String(decoding: p[i..<bodyStart], as: UTF8.self))
    }
}

/// Where each line of a file starts, for 1-based line numbers of byte offsets.
struct LineIndex {
    let starts: [Int]

    init(_ bytes: [UInt8]) {
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { starts.append(i + 1) }
        self.starts = starts
    }

    func line(at offset: Int) -> Int {
        var low = 0
        var high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }
}
