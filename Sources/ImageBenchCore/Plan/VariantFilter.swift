/// `--only axis=value` filters.
public struct VariantFilter: Sendable {
    public var pairs: [AxisChoice]
    public init(pairs: [AxisChoice] = []) { self.pairs = pairs }

    /// Variants that have every value named for their axes. Filters naming an axis the scenario
    /// lacks do not apply to it.
    public func apply(_ variants: [Variant], axes: [Axis]) -> [Variant] {
        let relevant = pairs.filter { p in axes.contains { $0.name == p.axis } }
        let byAxis = Dictionary(grouping: relevant, by: \.axis)
        return variants.filter { variant in
            byAxis.allSatisfy { axis, wanted in
                let chosen = variant.axes.first { $0.axis == axis }?.value
                return wanted.contains { $0.value == chosen }
            }
        }
    }
}
