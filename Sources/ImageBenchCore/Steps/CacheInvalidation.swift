/// What an edit cost: the step it invalidated (the first one that ran rather than came from the cache)
/// and every Dockerfile step that ran again because of it.
public struct CacheInvalidation: Sendable, Equatable {
    public var step: StepStats
    public var reran: [StepStats]

    /// `nil` when every Dockerfile step of the phase came from the cache.
    public init?(_ steps: PhaseSteps) {
        guard let first = steps.firstMiss else { return nil }
        step = first
        reran = steps.missedSteps
    }

    /// The medians of the steps that ran again, added up.
    public var reranSeconds: Double { reran.reduce(0) { $0 + $1.summary.median } }
}
