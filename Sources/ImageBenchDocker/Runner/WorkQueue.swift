import ImageBenchCore

/// The variants waiting for an engine. Each engine's workers take the first one of their kind (and not
/// pinned elsewhere); an engine that stopped answering takes none, and its share goes to the others.
actor WorkQueue {
    struct Item: Sendable {
        var index: Int
        var job: ScenarioJob
        var variant: Variant
        var prior: StoredVariant?
        var kind: EngineKind
        /// The only engine that may build it (a begun variant's), by index.
        var engine: Int?
        /// The engine its axis value names; nil for the run's own engines.
        var named: NamedEngine? = nil
    }

    private var items: [Item]
    private let kinds: [EngineKind]
    private let named: [NamedEngine?]
    private var dead: Set<Int> = []
    private(set) var firstLoss: EngineLost?

    /// `named`: per engine, the engine an axis value named (it builds only the variants naming it).
    init(_ items: [Item], engines kinds: [EngineKind], named: [NamedEngine?]? = nil) {
        self.items = items
        self.kinds = kinds
        self.named = named ?? kinds.map { _ in nil }
    }

    func next(for engine: Int) -> Item? {
        guard !dead.contains(engine),
            let i = items.firstIndex(where: { $0.kind == kinds[engine] && $0.named == named[engine] && ($0.engine ?? engine) == engine })
        else {
            return nil
        }
        return items.remove(at: i)
    }

    func lose(engine: Int, _ lost: EngineLost) {
        dead.insert(engine)
        if firstLoss == nil { firstLoss = lost }
    }
}
