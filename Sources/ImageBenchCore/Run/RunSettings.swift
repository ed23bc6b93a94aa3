/// How a run builds: every setting `imagebench run` takes from its flags, in one place. A new run takes
/// each from its flag, else the default; `run --resume` takes the run's stored ones (see ``resolve(_:stored:)``).
public struct RunSettings: Sendable, Codable, Equatable {
    /// Builds per phase (`--repeat`).
    public var repeatCount: Int = 3
    /// The phases to run, in order (`--phases`); `ci` brings its `ci-none` baseline with it.
    public var phases: [Phase] = Phase.local
    /// Whether the `pull` phase runs (`--phases ...,pull`): each image pulled from `registry` by a fresh engine.
    public var pull: Bool = false
    /// Seconds a single build may take (`--build-timeout`); nil for no limit.
    public var buildTimeout: Double? = nil
    /// `HOST:PORT` of a registry to push each variant to for its compressed size (`--registry`); nil to estimate it.
    public var registry: String? = nil
    /// Keep the variants' images (`--keep-images`).
    public var keepImages: Bool = false
    /// Docker labels on every image and container (`--image-label`).
    public var imageLabels: [String: String] = [:]
    /// `--host` URLs and `--context` names; both empty: the client's default engine.
    public var hosts: [String] = []
    public var contexts: [String] = []
    /// Variants built at once on each engine (`--jobs-per-host`). One keeps build times honest.
    public var jobsPerHost: Int = 1
    /// The engine of variants whose scenario does not choose one (`--engine`).
    public var engine: EngineKind = .docker
    /// A disposable docker engine the `ci` phase may wipe (`--ci-engine URL`); nil: one imagebench starts.
    public var ciEngine: String? = nil
    /// Secret findings to leave out (`--allow-secret`), beside each scenario's `secrets: allow:`.
    public var allowSecrets = SecretAllowlist()

    /// The defaults: what a run without flags does.
    public static let defaults = RunSettings()

    public init() {}

    /// The defaults with these choices applied, as a new run resolves them.
    public init(_ given: Choices) { self = Self.resolve(given) }

    /// What the flags of one `imagebench run` gave; nil (or empty) where a flag was not given.
    public struct Choices: Sendable, Equatable {
        public var repeatCount: Int?
        public var phases: [Phase]?
        public var pull: Bool?
        public var buildTimeout: Double?
        public var registry: String?
        public var keepImages: Bool?
        public var imageLabels: [String: String]?
        public var hosts: [String]?
        public var contexts: [String]?
        public var jobsPerHost: Int?
        public var engine: EngineKind?
        public var ciEngine: String?
        public var allowSecrets: SecretAllowlist?

        public init(
            repeatCount: Int? = nil, phases: [Phase]? = nil, pull: Bool? = nil, buildTimeout: Double? = nil, registry: String? = nil,
            keepImages: Bool? = nil,
            imageLabels: [String: String]? = nil, hosts: [String]? = nil, contexts: [String]? = nil, jobsPerHost: Int? = nil,
            engine: EngineKind? = nil, ciEngine: String? = nil, allowSecrets: SecretAllowlist? = nil
        ) {
            self.ciEngine = ciEngine
            self.allowSecrets = allowSecrets
            self.repeatCount = repeatCount
            self.phases = phases
            self.pull = pull
            self.buildTimeout = buildTimeout
            self.registry = registry
            self.keepImages = keepImages
            self.imageLabels = imageLabels
            self.hosts = hosts
            self.contexts = contexts
            self.jobsPerHost = jobsPerHost
            self.engine = engine
        }
    }

    /// Each setting once: the flag's value, else the stored run's (on `--resume`), else the default.
    public static func resolve(_ given: Choices, stored: RunSettings? = nil) -> RunSettings {
        var s = stored ?? RunSettings()
        if let v = given.repeatCount { s.repeatCount = v }
        if let v = given.phases { s.phases = v }
        if let v = given.pull { s.pull = v }
        if let v = given.buildTimeout { s.buildTimeout = v }
        if let v = given.registry { s.registry = v }
        if let v = given.keepImages { s.keepImages = v }
        if let v = given.imageLabels { s.imageLabels = v }
        if let v = given.hosts { s.hosts = v }
        if let v = given.contexts { s.contexts = v }
        if let v = given.jobsPerHost { s.jobsPerHost = v }
        if let v = given.engine { s.engine = v }
        if let v = given.ciEngine { s.ciEngine = v }
        if let v = given.allowSecrets { s.allowSecrets = v }
        return s
    }

    enum CodingKeys: String, CodingKey {
        case phases, registry, hosts, contexts, engine, pull
        case jobsPerHost = "jobs_per_host"
        case ciEngine = "ci_engine"
        case repeatCount = "repeat"
        case buildTimeout = "build_timeout_s"
        case keepImages = "keep_images"
        case imageLabels = "image_labels"
        case allowSecrets = "allow_secrets"
    }

    /// Plans stored by earlier versions leave out what they did not know (hosts, engine ...): the default.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = RunSettings()
        repeatCount = try c.decodeIfPresent(Int.self, forKey: .repeatCount) ?? d.repeatCount
        phases = try c.decodeIfPresent([Phase].self, forKey: .phases) ?? d.phases
        pull = try c.decodeIfPresent(Bool.self, forKey: .pull) ?? d.pull
        buildTimeout = try c.decodeIfPresent(Double.self, forKey: .buildTimeout)
        registry = try c.decodeIfPresent(String.self, forKey: .registry)
        keepImages = try c.decodeIfPresent(Bool.self, forKey: .keepImages) ?? d.keepImages
        imageLabels = try c.decodeIfPresent([String: String].self, forKey: .imageLabels) ?? d.imageLabels
        hosts = try c.decodeIfPresent([String].self, forKey: .hosts) ?? d.hosts
        contexts = try c.decodeIfPresent([String].self, forKey: .contexts) ?? d.contexts
        jobsPerHost = try c.decodeIfPresent(Int.self, forKey: .jobsPerHost) ?? d.jobsPerHost
        engine = try c.decodeIfPresent(EngineKind.self, forKey: .engine) ?? d.engine
        ciEngine = try c.decodeIfPresent(String.self, forKey: .ciEngine)
        allowSecrets = try c.decodeIfPresent(SecretAllowlist.self, forKey: .allowSecrets) ?? d.allowSecrets
    }
}
