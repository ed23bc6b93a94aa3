/// Every budget rule of every variant of a run, evaluated as dive's CI mode does: PASS, FAIL, or SKIP
/// (a rule turned off, or a figure the run did not measure).
public struct BudgetCheck: Sendable, Equatable {
    public enum Status: String, Sendable, Codable {
        case pass = "PASS"
        case fail = "FAIL"
        case skip = "SKIP"
    }

    public struct Item: Sendable, Equatable {
        public var scenario: String
        public var variant: String
        public var rule: BudgetRule
        public var status: Status
        /// The variant's figure (bytes, a ratio, seconds, or the number of secret-looking files).
        public var figure: Double?
        public var limit: Double?
        /// Where the limit was written (`scenario.yaml:12`, `.dive-ci:4`).
        public var source: String
        /// Why a rule was skipped.
        public var reason: String?
        /// For the secret rules, each finding counted: `rule path (layer N, line L)`, or `path (layer N)` by name.
        public var findings: [String] = []
    }

    public var runID: Int64
    public var items: [Item]
    /// Scenarios of the run that set no budgets.
    public var unbudgeted: [String]

    public var failed: Bool { items.contains { $0.status == .fail } }

    public func count(_ status: Status) -> Int { items.filter { $0.status == status }.count }

    /// Checks each result against its scenario's budgets (those for its axis values applied).
    public static func evaluate(runID: Int64, results: [VariantResult], budgets: [String: ScenarioBudgets]) -> BudgetCheck {
        var items: [Item] = []
        var unbudgeted: [String] = []
        for result in results {
            let scenarioBudgets = budgets[result.scenario] ?? ScenarioBudgets()
            if scenarioBudgets.isEmpty {
                if !unbudgeted.contains(result.scenario) { unbudgeted.append(result.scenario) }
                continue
            }
            let effective = scenarioBudgets.effective(for: result.axes)
            for rule in effective.limits.keys.sorted() {
                let limit = effective.limits[rule]!
                var item = Item(
                    scenario: result.scenario, variant: result.name, rule: rule, status: .skip, figure: figure(rule, of: result), limit: limit.value,
                    source: limit.source)
                if limit.value == nil {
                    item.reason = "disabled"
                } else if result.image == nil {
                    item.reason = "no image (\(result.status.rawValue))"
                } else if item.figure == nil {
                    item.reason =
                        "not measured in this run"
                        + (rule.metric?.isTime == true ? " (no successful \(rule.rawValue) \(rule == .start ? "start" : "build")s)" : "")
                } else if let figure = item.figure, let value = limit.value {
                    item.status = (rule.isLowerBound ? figure >= value : figure <= value) ? .pass : .fail
                }
                if let insight = result.insight {
                    if rule == .secrets { item.findings = insight.secrets }
                    if rule == .secretNames { item.findings = insight.secrets + insight.secretNames }
                }
                items.append(item)
            }
        }
        return BudgetCheck(runID: runID, items: items, unbudgeted: unbudgeted)
    }

    /// The figure a rule checks.
    public static func figure(_ rule: BudgetRule, of result: VariantResult) -> Double? {
        if let metric = rule.metric { return metric.value(of: result) }
        guard let insight = result.insight else { return nil }
        switch rule {
        case .efficiency: return insight.efficiency
        case .wasted: return Double(insight.wastedBytes)
        case .userWasted: return insight.userWastedPercent
        case .secrets: return Double(insight.secrets.count)
        case .secretNames: return Double(insight.secrets.count + insight.secretNames.count)
        default: return nil
        }
    }
}
