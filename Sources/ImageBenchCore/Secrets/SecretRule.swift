/// What a secret finding is, by what the file holds. The ids are gitleaks' (8.16 default rules) for the
/// families imagebench claims, so allowlists and reports read alike; `assigned-secret` is imagebench's
/// narrower form of gitleaks' `generic-api-key`: a password, secret or token key given a value in a
/// configuration file.
public enum SecretRule: String, Sendable, Codable, CaseIterable, Comparable {
    case privateKey = "private-key"
    case awsAccessToken = "aws-access-token"
    case githubPat = "github-pat"
    case githubFineGrainedPat = "github-fine-grained-pat"
    case githubOauth = "github-oauth"
    case githubAppToken = "github-app-token"
    case githubRefreshToken = "github-refresh-token"
    case gitlabPat = "gitlab-pat"
    case slackAccessToken = "slack-access-token"
    case slackWebHook = "slack-web-hook"
    case stripeAccessToken = "stripe-access-token"
    case gcpApiKey = "gcp-api-key"
    case jwt
    case assignedSecret = "assigned-secret"

    /// How reports name it.
    public var phrase: String {
        switch self {
        case .privateKey: "private key"
        case .awsAccessToken: "AWS access key id"
        case .githubPat: "GitHub personal access token"
        case .githubFineGrainedPat: "GitHub fine-grained token"
        case .githubOauth: "GitHub OAuth token"
        case .githubAppToken: "GitHub app token"
        case .githubRefreshToken: "GitHub refresh token"
        case .gitlabPat: "GitLab personal access token"
        case .slackAccessToken: "Slack token"
        case .slackWebHook: "Slack webhook"
        case .stripeAccessToken: "Stripe key"
        case .gcpApiKey: "Google API key"
        case .jwt: "JSON web token"
        case .assignedSecret: "password, secret or token assigned"
        }
    }

    public static func < (a: SecretRule, b: SecretRule) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One secret found by what a file holds, or a file only its name makes look secret.
public struct SecretFinding: Sendable, Codable, Equatable, Hashable {
    /// `content`: a rule matched what the file holds; `name`: its name is one the usual pre-commit checks
    /// list (`.env`, `id_rsa`, `*.pem` ...) but no rule matched and its content is not recognised as public.
    public enum Kind: String, Sendable, Codable {
        case content
        case name
    }

    public var kind: Kind
    /// The rule that matched; nil for a name-only warning.
    public var rule: SecretRule?
    /// The file: absolute in an image (`/app/.env`), relative to the context in a build context.
    public var path: String
    /// The layer that holds it (oldest 0); nil in a build context.
    public var layer: Int?
    /// The 1-based line of the match; nil for a name-only warning.
    public var line: Int?
    /// The matched text with the secret masked: what identifies the kind, never the secret.
    public var excerpt: String?

    public init(kind: Kind, rule: SecretRule?, path: String, layer: Int? = nil, line: Int? = nil, excerpt: String? = nil) {
        self.kind = kind
        self.rule = rule
        self.path = path
        self.layer = layer
        self.line = line
        self.excerpt = excerpt
    }

    /// `private-key /app/config.txt (layer 2, line 1)`.
    public var summary: String {
        let place = [layer.map { "layer \($0)" }, line.map { "line \($0)" }].compactMap { $0 }.joined(separator: ", ")
        return (rule.map { "\($0.rawValue) " } ?? "") + path + (place.isEmpty ? "" : " (\(place))")
    }
}

extension SecretFinding {
    /// How a list shows it: `private-key /app/config.txt (layer 2, line 1): -----BEGIN OPENSSH PRIVATE KEY-----…`.
    public var shown: String { summary + (excerpt.map { ": \($0)" } ?? "") }
}

extension [SecretFinding] {
    /// The content findings, as lists show them.
    public var contentSummaries: [String] { filter { $0.kind == .content }.map(\.summary) }
    /// The name-only warnings: `/app/.env (layer 0)`.
    public var nameSummaries: [String] { filter { $0.kind == .name }.map(\.summary) }
}

/// What keeps secret findings and the two lists made of them: an image's insight, a build context's facts.
public protocol SecretRecording {
    /// Content findings, as lists show them.
    var secrets: [String] { get set }
    /// Name-only warnings.
    var secretNames: [String] { get set }
    var secretFindings: [SecretFinding]? { get set }
}

extension SecretRecording {
    /// Sets the findings, and the two lists made of them.
    public mutating func record(secrets findings: [SecretFinding]) {
        secretFindings = findings
        secrets = findings.contentSummaries
        secretNames = findings.nameSummaries
    }

    /// Applies an allowlist: the findings it allows are left out of every list.
    public func allowing(_ allowlist: SecretAllowlist) -> Self {
        guard !allowlist.isEmpty, let findings = secretFindings else { return self }
        var allowed = self
        allowed.record(secrets: allowlist.filter(findings))
        return allowed
    }
}

/// The secret lists an image's insight and a build context's facts record, as they are read back.
enum RecordedSecrets {
    /// `secrets`, `secret_names` and `secret_findings` from `c`. Before content was read, `secrets` listed
    /// files by their names alone: such records read as name-only.
    static func decode<K: CodingKey>(_ c: KeyedDecodingContainer<K>, secrets: K, names: K, findings: K) throws -> (
        secrets: [String], names: [String], findings: [SecretFinding]?
    ) {
        let listed = try c.decodeIfPresent([String].self, forKey: secrets) ?? []
        guard let found = try c.decodeIfPresent([SecretFinding].self, forKey: findings) else { return ([], listed, nil) }
        return (listed, try c.decodeIfPresent([String].self, forKey: names) ?? [], found)
    }
}
