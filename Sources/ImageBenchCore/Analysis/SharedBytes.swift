/// Bytes a variant shares with other variants of its scenario (same layer digest) and bytes only it has.
public struct SharedBytes: Sendable, Equatable, Codable {
    public var shared: Int64
    public var unique: Int64

    /// For each result with an analysis: layers whose digest appears in another variant of the same
    /// scenario count as shared. Totals per scenario count each distinct layer once.
    public static func compute(_ results: [VariantResult]) -> Index {
        var owners: [String: Set<String>] = [:]  // scenario|digest → variants
        for r in results {
            for layer in r.insight?.layers ?? [] {
                guard let digest = layer.digest else { continue }
                owners[r.scenario + "|" + digest, default: []].insert(r.name)
            }
        }
        var out: [String: SharedBytes] = [:]
        for r in results {
            guard let layers = r.insight?.layers else { continue }
            var s = SharedBytes(shared: 0, unique: 0)
            for layer in layers {
                let key = r.scenario + "|" + (layer.digest ?? "")
                if (owners[key]?.count ?? 0) > 1 { s.shared += layer.bytes } else { s.unique += layer.bytes }
            }
            out[Index.key(r)] = s
        }
        return Index(values: out)
    }

    /// Shared and unique bytes per variant, looked up by the variant's result.
    public struct Index: Sendable {
        let values: [String: SharedBytes]

        static func key(_ r: VariantResult) -> String { r.scenario + "|" + r.name }

        public subscript(_ r: VariantResult) -> SharedBytes? { values[Self.key(r)] }
    }

    /// The bytes of a scenario's variants with every distinct layer counted once.
    public static func distinctTotal(_ results: [VariantResult], scenario: String) -> Int64 {
        var seen: [String: Int64] = [:]
        for r in results where r.scenario == scenario {
            for layer in r.insight?.layers ?? [] { seen[layer.digest ?? "\(r.name)#\(layer.index)"] = layer.bytes }
        }
        return seen.values.reduce(0, +)
    }
}
