/// What a cache in max mode (`registry-max`, `local-max`) gains over BuildKit's inline cache (min mode) on
/// a fresh runner: the Dockerfile steps it took from the cache in every `ci` build while the inline variant
/// ran them (the stages before the final one, which min mode leaves out), and both medians. The two
/// variants are the same build but for their cache: their axis values differ in one axis only.
public struct CacheModeGain: Sendable, Equatable {
    public var max: String
    public var inline: String
    public var maxVerdict: CIVerdict
    public var inlineVerdict: CIVerdict
    /// Steps from the cache in every max-mode `ci` build that ran in some inline `ci` build.
    public var gained: [StepStats]

    /// One per max-mode variant of `results` (of one scenario) that has an inline twin, both with `ci` builds.
    public static func compare(_ results: [VariantResult]) -> [CacheModeGain] {
        let inline = results.filter { $0.ci?.cache == .inline }
        return results.filter { $0.ci?.cache == .registryMax || $0.ci?.cache == .localMax }.compactMap { max in
            guard let twin = inline.first(where: { differInOneAxis($0.axes, max.axes) }), let maxVerdict = CIVerdict(max),
                let inlineVerdict = CIVerdict(twin)
            else { return nil }
            let ranInline = Set((inlineVerdict.steps?.steps ?? []).filter { $0.cachedCount < $0.summary.n }.map(\.step.key))
            return CacheModeGain(
                max: max.name, inline: twin.name, maxVerdict: maxVerdict, inlineVerdict: inlineVerdict,
                gained: maxVerdict.hits.filter { ranInline.contains($0.step.key) })
        }
    }

    static func differInOneAxis(_ a: [AxisChoice], _ b: [AxisChoice]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.axis == $1.axis } && zip(a, b).filter { $0.value != $1.value }.count == 1
    }
}
