/// The order of a variant's builds: every phase's repetitions, the edits before the edit builds, and a
/// cache-filling build wherever a warm or edit build would otherwise meet a cache that lacks its state.
/// The fresh-runner phases are not here: ``FreshSchedule`` orders them.
public enum BuildSchedule {
    /// The actions for `phases` × `repeatCount`, leaving out the builds in `done` (recorded by an earlier
    /// attempt). `edits` is false when the scenario has no `edit:`; its edit phase is then skipped.
    public static func actions(phases: [Phase], repeatCount: Int, edits: Bool, done: Set<BuildKey>) -> [BuildAction] {
        var actions: [BuildAction] = []
        // Whether the cache holds the state the next build starts from.
        var cacheReady = false
        if !done.isEmpty {
            actions.append(.fillCache)
            cacheReady = true
        }
        for phase in phases where !phase.isFresh && (phase != .edit || edits) {
            for repetition in 1...max(1, repeatCount) {
                let key = BuildKey(phase, repetition)
                let missing = !done.contains(key)
                if missing && phase != .cold && !cacheReady {
                    actions.append(.fillCache)
                    cacheReady = true
                }
                // Every edit is applied, also before a build already recorded, so the next edit differs from it.
                if phase == .edit {
                    actions.append(.edit(repetition))
                    cacheReady = false
                }
                if missing {
                    actions.append(.build(key))
                    cacheReady = true
                }
            }
        }
        return actions
    }
}
