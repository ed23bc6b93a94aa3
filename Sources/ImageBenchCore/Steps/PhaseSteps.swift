/// A variant's steps in one phase, over its successful builds that recorded steps, in the order the
/// builder first printed them.
public struct PhaseSteps: Sendable, Equatable {
    public var phase: Phase
    /// The wall times of the builds the steps come from.
    public var builds: Summary
    public var steps: [StepStats]

    /// `nil` when no successful build of the phase recorded steps.
    public init?(_ records: [BuildRecord], phase: Phase) {
        let builds = records.filter { $0.phase == phase && $0.succeeded && $0.steps != nil }.sorted { $0.repetition < $1.repetition }
        guard let wall = Summary(builds.map(\.seconds)) else { return nil }
        var order: [String] = []
        var first: [String: StepRecord] = [:]
        var seconds: [String: [Double]] = [:]
        var cached: [String: Int] = [:]
        for build in builds {
            var seen: Set<String> = []
            for step in build.steps ?? [] where seen.insert(step.key).inserted {
                if first[step.key] == nil {
                    first[step.key] = step
                    order.append(step.key)
                }
                seconds[step.key, default: []].append(step.seconds)
                if step.cached { cached[step.key, default: 0] += 1 }
            }
        }
        self.phase = phase
        self.builds = wall
        steps = order.compactMap { key in
            Summary(seconds[key] ?? []).map { StepStats(step: first[key]!, summary: $0, cachedCount: cached[key] ?? 0) }
        }
    }

    /// The step with the longest median.
    public var slowest: StepStats? { steps.max { $0.summary.median < $1.summary.median } }

    /// A step's median as a fraction of the builds' median wall time.
    public func share(_ step: StepStats) -> Double? {
        builds.median > 0 ? min(1, step.summary.median / builds.median) : nil
    }

    /// The step that invalidated the cache: after an edit, the first Dockerfile step that ran rather than
    /// came from the cache. Every later step of its stage runs again, and so does a stage that copies
    /// from it: a stage whose first miss is a `COPY --from` (or a `--mount` from) while another stage
    /// missed too is the other's consequence, not the cause.
    public var firstMiss: StepStats? {
        let missed = missedSteps
        var firsts: [StepStats] = []
        var stages: Set<String> = []
        for step in missed where stages.insert(step.step.stage ?? "").inserted { firsts.append(step) }
        let causes = firsts.filter { first in
            !first.step.copiesFromStage || !stages.contains { $0 != (first.step.stage ?? "") }
        }
        return causes.first ?? firsts.first
    }

    /// The Dockerfile steps that ran rather than came from the cache.
    public var missedSteps: [StepStats] { steps.filter(\.missed) }

    /// The steps slowest first: the first `limit` shown, the rest folded.
    public func slowestFirst(limit: Int) -> (shown: [StepStats], folded: [StepStats]) {
        let sorted = steps.enumerated().sorted { a, b in
            a.element.summary.median != b.element.summary.median ? a.element.summary.median > b.element.summary.median : a.offset < b.offset
        }.map(\.element)
        return (Array(sorted.prefix(limit)), Array(sorted.dropFirst(limit)))
    }
}
