/// A step of a variant that changed between two runs: slower beyond the threshold and significantly
/// (listed under the phase's build-time regression), or a cache hit that became a miss in the warm or
/// edit phase (a regression on its own).
public struct StepChange: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case slower
        case noLongerCached = "no-longer-cached"
    }

    /// A step's median must grow by at least this much to count as slower: BuildKit prints tenths.
    public static let resolution = 0.1

    public var phase: Phase
    public var kind: Kind
    public var baseline: StepStats
    public var candidate: StepStats
    /// For `slower`: the test of the two sets of durations.
    public var test: WelchTest?

    public var step: StepRecord { candidate.step }
    public var delta: Double { candidate.summary.median - baseline.summary.median }
    public var percent: Double? { baseline.summary.median > 0 ? delta / baseline.summary.median * 100 : nil }

    /// The changed steps of one phase: steps matched by stage, number and instruction.
    /// `regressed`: whether the phase's build time regressed, the condition for listing slower steps.
    static func changes(_ phase: Phase, _ old: PhaseSteps?, _ new: PhaseSteps?, limit: Double, regressed: Bool) -> [StepChange] {
        guard let old, let new else { return [] }
        let before = Dictionary(old.steps.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [StepChange] = []
        for step in new.steps {
            guard let was = before[step.key] else { continue }
            if phase != .cold, step.step.kind == .instruction, was.cachedCount == was.runs, step.cachedCount < step.runs {
                changes.append(StepChange(phase: phase, kind: .noLongerCached, baseline: was, candidate: step))
                continue
            }
            guard regressed else { continue }
            let grew = step.summary.median - was.summary.median
            guard grew >= Self.resolution, grew > was.summary.median * limit / 100,
                let test = WelchTest(was.summary.samples, step.summary.samples), test.significant
            else { continue }
            changes.append(StepChange(phase: phase, kind: .slower, baseline: was, candidate: step, test: test))
        }
        return changes
    }
}
