import ImageBenchCore

/// Everything a report shows: runs and their variant results.
public struct RunReport: Sendable, Equatable {
    public var runs: [RunRecord]
    public var results: [VariantResult]

    public init(runs: [RunRecord], results: [VariantResult]) {
        self.runs = runs
        self.results = results
    }

    /// Scenario names in the order they first appear.
    public var scenarios: [String] {
        var seen: [String] = []
        for r in results where !seen.contains(r.scenario) { seen.append(r.scenario) }
        return seen
    }

    /// A scenario's results sorted by image size (smallest first); variants without an image last.
    public func rows(for scenario: String) -> [VariantResult] {
        results.filter { $0.scenario == scenario }.enumerated().sorted { a, b in
            switch (a.element.image?.sizeBytes, b.element.image?.sizeBytes) {
            case let (x?, y?): return x != y ? x < y : a.offset < b.offset
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }

    /// The smallest image among the scenario's working (`ok`) variants.
    public func smallestWorkingSize(for scenario: String) -> Int64? {
        results.filter { $0.scenario == scenario && $0.status == .ok }.compactMap(\.image?.sizeBytes).min()
    }
}
