/// Absolute limits a scenario's images must keep (`budgets:` in `scenario.yaml`, or dive's `.dive-ci`
/// beside it), checked by `imagebench check` and `run --check`.
public struct Budgets: Sendable, Equatable, Codable {
    /// One rule's limit, and where it was written (`scenario.yaml:12`, `.dive-ci:4`). A nil limit is a
    /// rule turned off (dive's `""`, `disabled`, `off`, `false`): it is shown as SKIP.
    public struct Limit: Sendable, Equatable, Codable {
        public var value: Double?
        public var source: String

        public init(value: Double?, source: String) {
            self.value = value
            self.source = source
        }
    }

    public var limits: [BudgetRule: Limit]

    public init(_ limits: [BudgetRule: Limit] = [:]) { self.limits = limits }

    public var isEmpty: Bool { limits.isEmpty }

    /// These budgets with `other`'s rules taking precedence.
    public func overridden(by other: Budgets) -> Budgets {
        Budgets(limits.merging(other.limits) { _, b in b })
    }

    public init(from decoder: any Decoder) throws { limits = try RawKeyedCoding.decode(from: decoder) }

    public func encode(to encoder: any Encoder) throws { try RawKeyedCoding.encode(limits, to: encoder) }
}

/// A scenario's budgets: for every variant, and per axis value (`axes: {runtime: {debian: {budgets: ...}}}`).
public struct ScenarioBudgets: Sendable, Equatable, Codable {
    public struct PerValue: Sendable, Equatable, Codable {
        public var axis: String
        public var value: String
        public var budgets: Budgets

        public init(axis: String, value: String, budgets: Budgets) {
            self.axis = axis
            self.value = value
            self.budgets = budgets
        }
    }

    /// The budgets of every variant: `.dive-ci`'s rules, overridden by `budgets:`.
    public var all: Budgets
    /// In the order the axes are written.
    public var perValue: [PerValue]

    public init(all: Budgets = Budgets(), perValue: [PerValue] = []) {
        self.all = all
        self.perValue = perValue
    }

    public var isEmpty: Bool { all.isEmpty && perValue.allSatisfy(\.budgets.isEmpty) }

    /// A variant's budgets: the scenario's, overridden by each of its axis values' in the order the axes
    /// are written (so the axis written last wins a rule two of them set).
    public func effective(for axes: [AxisChoice]) -> Budgets {
        perValue.reduce(all) { budgets, entry in
            axes.contains(AxisChoice(axis: entry.axis, value: entry.value)) ? budgets.overridden(by: entry.budgets) : budgets
        }
    }

    /// A stored scenario without budgets is `{}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            all: try c.decodeIfPresent(Budgets.self, forKey: .all) ?? Budgets(),
            perValue: try c.decodeIfPresent([PerValue].self, forKey: .perValue) ?? [])
    }

    enum CodingKeys: String, CodingKey {
        case all
        case perValue = "per_value"
    }
}
