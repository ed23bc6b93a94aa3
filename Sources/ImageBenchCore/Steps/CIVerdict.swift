/// What a fresh CI runner gained from its cache: the `ci` builds against the `ci-none` builds of the
/// same runner without cache, and which steps the cache supplied.
public struct CIVerdict: Sendable, Equatable {
    public var cache: CacheSource
    /// The `ci` builds' wall times (with the cache).
    public var withCache: Summary
    /// The `ci-none` builds' wall times; nil for a variant whose cache is `none`.
    public var without: Summary?
    /// Welch's test of the two; nil with fewer than two builds on a side.
    public var welch: WelchTest?
    /// The `ci` steps: which were cache hits, in how many builds.
    public var steps: PhaseSteps?
    /// Repetitions after the first whose build took fewer steps from the cache than the first, though
    /// nothing changed: moby/buildkit#1981's inline cache that hits only every second build.
    public var alternatingMisses: [Int]
    /// The repetition from which builds pulled the cache image first (the workaround), if any did.
    public var pulledFrom: Int?
    /// The file edited before each `ci` build, when the scenario has one.
    public var edit: String?

    /// nil when the variant has no successful `ci` build.
    public init?(_ result: VariantResult) {
        guard let withCache = Summary(result.samples(.ci)) else { return nil }
        cache = result.ci?.cache ?? .none
        self.withCache = withCache
        without = Summary(result.samples(.ciNone))
        welch = WelchTest(result.samples(.ciNone), result.samples(.ci))
        steps = result.steps(.ci)
        alternatingMisses = Self.alternatingMisses(result.builds)
        pulledFrom = result.ci?.pulledFrom
        edit = result.ci?.edit
    }

    /// Median with cache ÷ median without: below 1 the cache helps.
    public var ratio: Double? { without.flatMap { $0.median > 0 ? withCache.median / $0.median : nil } }

    /// The Dockerfile steps that came from the cache in every `ci` build.
    public var hits: [StepStats] { steps?.steps.filter { $0.step.kind == .instruction && $0.cachedCount == $0.summary.n } ?? [] }
    /// The Dockerfile steps that came from the cache in some `ci` builds but not all.
    public var partialHits: [StepStats] {
        steps?.steps.filter { $0.step.kind == .instruction && $0.cachedCount > 0 && $0.cachedCount < $0.summary.n } ?? []
    }
    /// The Dockerfile steps that ran in every `ci` build.
    public var misses: [StepStats] { steps?.steps.filter { $0.step.kind == .instruction && $0.cachedCount == 0 } ?? [] }

    /// The `ci` repetitions after the first that hit fewer Dockerfile steps than the first did.
    public static func alternatingMisses(_ builds: [BuildRecord]) -> [Int] {
        let ci = builds.filter { $0.phase == .ci && $0.succeeded && $0.steps != nil }.sorted { $0.repetition < $1.repetition }
        guard let first = ci.first, first.repetition == 1 else { return [] }
        func hits(_ build: BuildRecord) -> Set<String> {
            Set((build.steps ?? []).filter { $0.kind == .instruction && $0.cached }.map(\.key))
        }
        let reference = hits(first)
        guard !reference.isEmpty else { return [] }
        return ci.dropFirst().filter { !reference.isSubset(of: hits($0)) }.map(\.repetition)
    }
}
