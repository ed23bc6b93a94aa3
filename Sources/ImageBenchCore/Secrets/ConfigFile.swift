import Foundation

/// `assigned-secret`: in a configuration file (env, ini, properties, YAML, JSON, TOML, conf/cfg), a key
/// that names a password, secret or token given a value that is not a placeholder: `DB_PASSWORD=hunter2`,
/// `api_key: "…"`, `"token": "…"`. gitleaks' `generic-api-key` looks at every file and at more key words
/// (`client`, `access`, `auth`, `api`) but wants a value of 10 or more characters and high entropy; this
/// rule looks only where configuration lives, at every value that is not a placeholder.
enum ConfigFile {
    /// Whether the file's name says configuration.
    static func isConfig(_ path: String) -> Bool {
        let name = String(path.split(separator: "/").last ?? "").lowercased()
        if notCredentials.contains(name) { return false }
        if name.hasPrefix(".env") || name.hasSuffix(".env") { return true }
        return [".ini", ".properties", ".yaml", ".yml", ".json", ".toml", ".cfg", ".conf"].contains { name.hasSuffix($0) }
    }

    /// System files whose keys name things, not credentials: nsswitch.conf's `passwd:` names the user
    /// database (`passwd: files`), as pam's and login's settings name their password policies.
    static let notCredentials: Set<String> = ["nsswitch.conf", "login.defs", "pam.conf", "pwquality.conf", "adduser.conf", "deluser.conf"]

    /// Key words that make a key secret, and the endings that make it a pointer to one instead
    /// (`PASSWORD_FILE`, `TOKEN_URL`).
    static let secretWords = [
        "password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "api-key", "accesskey", "access_key", "privatekey", "private_key",
    ]
    static let pointerEndings = [
        "_file", "_path", "_url", "_uri", "_name", "_length", "_len", "_type", "_policy", "_endpoint", "_dir", "_env", "_header", "_ttl", "_expiry",
        "_expires",
    ]

    static func isSecretKey(_ key: Substring) -> Bool {
        let k = key.lowercased()
        return secretWords.contains { k.contains($0) }
            && !pointerEndings.contains { k.hasSuffix($0) || k.hasSuffix($0.replacingOccurrences(of: "_", with: "-")) }
    }

    /// Whether a value says "fill me in" rather than holding a secret.
    static func isPlaceholder(_ value: Substring) -> Bool {
        let v = value.lowercased()
        if v.count < 4 { return true }
        if v.hasPrefix("${") || v.hasPrefix("$(") || v.hasPrefix("{{") || v.hasPrefix("%(") || v.hasPrefix("<")
            || (v.hasPrefix("$") && v.dropFirst().allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" })
        {
            return true
        }
        if Set(v).count == 1 { return true }  // xxxxxx, ******, ......
        let words = [
            "changeme", "change_me", "change-me", "changeit", "password", "secret", "token", "null", "none", "nil", "true", "false", "example",
            "redacted", "todo", "replace_me", "replaceme", "placeholder", "dummy", "notasecret", "not-a-secret",
        ]
        if words.contains(v) { return true }
        return v.hasPrefix("your_") || v.hasPrefix("your-") || v.hasPrefix("<your") || v.hasPrefix("example") || v.contains("xxxx")
    }

    /// Each secret key given a value, by line: `KEY=VALUE`, `KEY: VALUE`, `KEY = "VALUE"`, and `"KEY": "VALUE"`
    /// anywhere on a line (JSON, also minified).
    static func assignments(in p: UnsafeBufferPointer<UInt8>) -> [SecretScanner.Match] {
        var found: [SecretScanner.Match] = []
        var start = 0
        while start < p.count {
            var end = start
            while end < p.count, p[end] != 0x0A { end += 1 }
            let line = String(decoding: p[start..<end], as: UTF8.self)
            for (key, value) in pairs(in: line) where isSecretKey(key) && !isPlaceholder(value) {
                found.append(SecretScanner.Match(offset: start, rule: .assignedSecret, excerpt: "\(key)=…(\(value.count) chars)"))
            }
            start = end + 1
        }
        return found
    }

    /// The key-value pairs a line holds.
    static func pairs(in line: String) -> [(Substring, Substring)] {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)[...]
        if text.isEmpty || text.hasPrefix("#") || text.hasPrefix(";") || text.hasPrefix("!") || text.hasPrefix("//") { return [] }
        if text.contains("\":") { return jsonPairs(text) }
        let body = text.hasPrefix("export ") ? text.dropFirst(7) : text.hasPrefix("- ") ? text.dropFirst(2) : text
        guard let separator = body.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return [] }
        let key = body[..<separator].trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, !key.contains(" "), !key.contains("\"") || (key.hasPrefix("\"") && key.hasSuffix("\"")) else { return [] }
        var value = body[body.index(after: separator)...].trimmingCharacters(in: .whitespaces)[...]
        // A YAML or TOML comment after the value; a value in quotes keeps what they hold.
        if let quote = value.first, quote == "\"" || quote == "'" {
            let inner = value.dropFirst()
            value = inner.firstIndex(of: quote).map { inner[..<$0] } ?? inner
        } else if let comment = value.range(of: " #") {
            value = value[..<comment.lowerBound]
        }
        if value.hasPrefix("|") || value.hasPrefix(">") || value.hasPrefix("&") || value.hasPrefix("*") || value.hasPrefix("[")
            || value.hasPrefix("{")
        {
            return []
        }
        return [(Substring(key.trimmingCharacters(in: CharacterSet(charactersIn: "\""))), value)]
    }

    /// `"key": "value"` pairs with string values, anywhere on the line.
    static func jsonPairs(_ text: Substring) -> [(Substring, Substring)] {
        var pairs: [(Substring, Substring)] = []
        var rest = text
        while let open = rest.firstIndex(of: "\"") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "\"") else { break }
            let key = rest[afterOpen..<close]
            var at = rest.index(after: close)
            while at < rest.endIndex, rest[at] == " " { at = rest.index(after: at) }
            guard at < rest.endIndex, rest[at] == ":" else {
                rest = rest[rest.index(after: close)...]
                continue
            }
            at = rest.index(after: at)
            while at < rest.endIndex, rest[at] == " " { at = rest.index(after: at) }
            guard at < rest.endIndex, rest[at] == "\"" else {
                rest = rest[at...]
                continue
            }
            let valueStart = rest.index(after: at)
            var valueEnd = valueStart
            while valueEnd < rest.endIndex, rest[valueEnd] != "\"" {
                if rest[valueEnd] == "\\", rest.index(after: valueEnd) < rest.endIndex { valueEnd = rest.index(after: valueEnd) }
                valueEnd = rest.index(after: valueEnd)
            }
            pairs.append((key, rest[valueStart..<valueEnd]))
            rest = valueEnd < rest.endIndex ? rest[rest.index(after: valueEnd)...] : rest[rest.endIndex...]
        }
        return pairs
    }
}
