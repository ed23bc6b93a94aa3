/// The order of a variant's builds on a fresh runner (the `ci` phase). Every action starts on an
/// engine reset to its bases. With a cache source, the runner's cache comes from the previous
/// pipeline, as in CI: a seed build (not recorded) pushes the first cache image, and each `ci`
/// build takes its cache from the image the one before it pushed. Each `ci` build is paired with a
/// `ci-none` build without cache, run just before it, so both see the same machine.
public enum FreshSchedule {
    public enum Action: Sendable, Equatable {
        /// A build that is not recorded: it pushes cache link 0 for the first `ci` build.
        case seed
        /// A recorded build. `cacheFrom` is the cache link it imports (0: the seed, k: the `ci` build
        /// of repetition k), nil for none; `pushes` says whether it pushes its own link for the next.
        case build(BuildKey, cacheFrom: Int?, pushes: Bool)
    }

    /// The actions for `repeatCount` repetitions with `cache`, leaving out the builds in `done`
    /// (recorded by an earlier attempt; the chain then starts again from a new seed).
    public static func actions(cache: CacheSource, repeatCount: Int, done: Set<BuildKey>) -> [Action] {
        let repetitions = 1...max(1, repeatCount)
        guard cache != .none else {
            return repetitions.map { BuildKey(.ci, $0) }.filter { !done.contains($0) }.map { .build($0, cacheFrom: nil, pushes: false) }
        }
        var actions: [Action] = []
        // The newest cache link pushed in this attempt.
        var link: Int?
        for repetition in repetitions {
            let baseline = BuildKey(.ciNone, repetition)
            if !done.contains(baseline) { actions.append(.build(baseline, cacheFrom: nil, pushes: false)) }
            let key = BuildKey(.ci, repetition)
            guard !done.contains(key) else { continue }
            if link == nil {
                actions.append(.seed)
                link = 0
            }
            actions.append(.build(key, cacheFrom: link, pushes: repetition < repetitions.upperBound))
            link = repetition
        }
        return actions
    }
}
