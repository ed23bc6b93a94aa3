import ImageBenchCore

/// How a run builds: what the `run` command's flags decide.
public struct RunOptions: Sendable {
    public var repeatCount: Int
    public var phases: [Phase]
    public var keepImages: Bool
    /// Seconds a single build may take; `nil` for no limit.
    public var buildTimeout: Double?
    /// `HOST:PORT` of a registry to push each variant to for its compressed size; `nil` to estimate it.
    public var registry: String?
    /// Variants built at once on each engine (`--jobs-per-host`). One keeps build times honest.
    public var jobsPerEngine: Int
    /// The engine of variants whose scenario does not choose one (`--engine`).
    public var defaultEngine: EngineKind

    public init(
        repeatCount: Int = 3, phases: [Phase] = Phase.allCases, keepImages: Bool = false, buildTimeout: Double? = nil, registry: String? = nil,
        jobsPerEngine: Int = 1, defaultEngine: EngineKind = .docker
    ) {
        self.jobsPerEngine = jobsPerEngine
        self.defaultEngine = defaultEngine
        self.repeatCount = repeatCount
        self.phases = phases
        self.keepImages = keepImages
        self.buildTimeout = buildTimeout
        self.registry = registry
    }
}

/// What the runner reports while it works, for a progress line.
public enum RunEvent: Sendable {
    /// `engine` names the engine when the run has several.
    case variantStarted(scenario: String, variant: String, index: Int, total: Int, engine: String?)
    case buildStarted(phase: Phase, repetition: Int, of: Int)
    case buildFinished(BuildRecord)
    case smokeStarted
    case variantFinished(VariantResult)
}

/// One scenario of a run: its variants (already filtered) and the images they use.
public struct ScenarioJob: Sendable {
    public var scenario: Scenario
    public var variants: [Variant]
    public var images: [ResolvedImage]

    public init(scenario: Scenario, variants: [Variant], images: [ResolvedImage]) {
        self.scenario = scenario
        self.variants = variants
        self.images = images
    }
}

/// A variant an earlier, stopped attempt at a run began or finished, with its row id (`run --resume`).
public struct PriorVariant: Sendable {
    public var id: Int64
    public var result: VariantResult

    public init(id: Int64, result: VariantResult) {
        self.id = id
        self.result = result
    }

    public static func key(scenario: String, variant: String) -> String { scenario + "\u{1F}" + variant }
}

/// One engine a run builds on: its client, and what it is.
public struct EngineSlot: Sendable {
    public var docker: DockerClient
    public var environment: RunEnvironment

    public init(docker: DockerClient, environment: RunEnvironment) {
        self.docker = docker
        self.environment = environment
    }

    public var record: EngineRecord { environment.engineRecord }
}

/// The variants waiting for an engine. Each engine's workers take the first one of their kind (and not
/// pinned elsewhere); an engine that stopped answering takes none, and its share goes to the others.
actor WorkQueue {
    struct Item: Sendable {
        var index: Int
        var job: ScenarioJob
        var variant: Variant
        var prior: PriorVariant?
        var kind: EngineKind
        /// The only engine that may build it (a begun variant's), by index.
        var engine: Int?
    }

    private var items: [Item]
    private let kinds: [EngineKind]
    private var dead: Set<Int> = []
    private(set) var firstLoss: EngineLost?

    init(_ items: [Item], engines kinds: [EngineKind]) {
        self.items = items
        self.kinds = kinds
    }

    func next(for engine: Int) -> Item? {
        guard !dead.contains(engine), let i = items.firstIndex(where: { $0.kind == kinds[engine] && ($0.engine ?? engine) == engine }) else {
            return nil
        }
        return items.remove(at: i)
    }

    func lose(engine: Int, _ lost: EngineLost) {
        dead.insert(engine)
        if firstLoss == nil { firstLoss = lost }
    }
}
