/// Findings a team has looked at and accepts, as gitleaks' allowlist: paths (globs as `.dockerignore` has
/// them, `**` for any folders; matched against the path without its leading `/`) and rule ids. Name-only
/// warnings are allowed by path only.
public struct SecretAllowlist: Sendable, Equatable, Codable {
    public var paths: [String]
    public var rules: [SecretRule]

    public init(paths: [String] = [], rules: [SecretRule] = []) {
        self.paths = paths
        self.rules = rules
    }

    public var isEmpty: Bool { paths.isEmpty && rules.isEmpty }

    /// Both lists together (the scenario's and the command line's).
    public func merged(with other: SecretAllowlist) -> SecretAllowlist {
        SecretAllowlist(paths: paths + other.paths, rules: rules + other.rules.filter { !rules.contains($0) })
    }

    public func allows(_ finding: SecretFinding) -> Bool {
        if let rule = finding.rule, rules.contains(rule) { return true }
        let path = finding.path.hasPrefix("/") ? String(finding.path.dropFirst()) : finding.path
        return paths.contains { pattern in
            let relative = pattern.hasPrefix("/") ? String(pattern.dropFirst()) : pattern
            return ((try? DockerignorePattern(relative, line: 0)) ?? nil)?.matches(path) == true
        }
    }

    public func filter(_ findings: [SecretFinding]) -> [SecretFinding] {
        isEmpty ? findings : findings.filter { !allows($0) }
    }
}
