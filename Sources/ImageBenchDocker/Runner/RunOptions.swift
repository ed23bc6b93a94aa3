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

    public init(
        repeatCount: Int = 3, phases: [Phase] = Phase.allCases, keepImages: Bool = false, buildTimeout: Double? = nil, registry: String? = nil
    ) {
        self.repeatCount = repeatCount
        self.phases = phases
        self.keepImages = keepImages
        self.buildTimeout = buildTimeout
        self.registry = registry
    }
}

/// What the runner reports while it works, for a progress line.
public enum RunEvent: Sendable {
    case variantStarted(scenario: String, variant: String, index: Int, total: Int)
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
