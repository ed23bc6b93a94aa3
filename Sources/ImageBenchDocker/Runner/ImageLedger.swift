/// The step images the classic builder made for a run (not taken from the cache), per engine, for
/// cleanup: a multi-stage build's builder stages would stay behind, dangling, once the final images are gone.
actor ImageLedger {
    private var made: [Int: [String]] = [:]

    func add(_ ids: [String], engine: Int) { made[engine, default: []] += ids }

    func intermediates(of engine: Int) -> [String] { made[engine] ?? [] }
}
