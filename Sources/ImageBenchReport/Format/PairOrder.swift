import ImageBenchCore

/// The order charts show a scenario's variants in: by size, except that variants differing only in an
/// axis that chooses the layers' compression or the platform stand side by side (the pairs those axes
/// exist to compare), each group where its smallest member would stand.
public enum PairOrder {
    /// The axes whose values build for different platforms or write different compressions.
    public static func pairAxes(_ rows: [VariantResult]) -> Set<String> {
        var kinds: [String: [String: Set<String>]] = [:]
        for r in rows {
            let kind = "\(r.platform ?? "")|\(r.insight?.compression ?? "")"
            for choice in r.axes { kinds[choice.axis, default: [:]][choice.value, default: []].insert(kind) }
        }
        // Each value of such an axis sets one platform and compression, and its values set more than one.
        return Set(
            kinds.filter { _, values in values.values.allSatisfy { $0.count == 1 } && Set(values.values.flatMap { $0 }).count > 1 }.keys)
    }

    /// `rows` (sorted by size) with each pair group kept together.
    public static func grouped(_ rows: [VariantResult]) -> [VariantResult] {
        let pairs = pairAxes(rows)
        guard !pairs.isEmpty else { return rows }
        func key(_ r: VariantResult) -> String { r.axes.filter { !pairs.contains($0.axis) }.map { "\($0.axis)=\($0.value)" }.joined(separator: ",") }
        var order: [String] = []
        var groups: [String: [VariantResult]] = [:]
        for r in rows {
            let k = key(r)
            if groups[k] == nil { order.append(k) }
            groups[k, default: []].append(r)
        }
        return order.flatMap { groups[$0] ?? [] }
    }
}
