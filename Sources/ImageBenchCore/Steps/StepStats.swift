/// One step of a variant over the repetitions of a phase: its durations and how often it hit the cache.
public struct StepStats: Sendable, Equatable {
    /// The step as the first build that ran it recorded it (its start and duration are that build's).
    public var step: StepRecord
    /// Its duration in every build of the phase that ran it, in the order they ran.
    public var summary: Summary
    /// In how many of those builds it was a cache hit.
    public var cachedCount: Int

    public var key: String { step.key }
    public var runs: Int { summary.n }
    public var cachedFraction: Double { Double(cachedCount) / Double(summary.n) }
    /// Whether any build of the phase ran it rather than take it from the cache (BuildKit's `FROM` and
    /// internal steps are never cache hits in this sense).
    public var missed: Bool { step.kind == .instruction && cachedCount < summary.n }

    /// `3 of 3`, `0 of 5` cache hits.
    public var cachedText: String { "\(cachedCount) of \(summary.n)" }
}
