extension VariantResult {
    /// The variant's steps in `phase`; nil when none of its builds there recorded steps.
    public func steps(_ phase: Phase) -> PhaseSteps? { PhaseSteps(builds, phase: phase) }

    /// Its steps in every phase that has them, cold first.
    public var phaseSteps: [PhaseSteps] { Phase.allCases.compactMap(steps) }
}
