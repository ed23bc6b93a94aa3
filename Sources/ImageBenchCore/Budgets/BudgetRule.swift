/// One rule a budget can set, as written under `budgets:` in `scenario.yaml`.
public enum BudgetRule: String, Sendable, Codable, CaseIterable, Comparable {
    /// Image size (what its layers hold unpacked), bytes (at most).
    case size
    /// Compressed size, bytes (at most): the registry's figure or the estimate the run recorded.
    case compressed
    /// dive's `lowestEfficiency`: efficiency at least this ratio (0–1).
    case efficiency
    /// dive's `highestWastedBytes`: wasted bytes at most.
    case wasted
    /// dive's `highestUserWastedPercent`: wasted bytes ÷ the bytes of all layers but the first, at most (0–1).
    case userWasted = "user-wasted"
    /// The median build time of a phase, seconds (at most).
    case cold, warm, edit, ci
    /// The median start time (docker run to the first expected answer), seconds (at most).
    case start
    /// `none`: no secret found by content in any layer.
    case secrets
    /// `none`: no secret by content, and no file whose name alone looks secret, in any layer.
    case secretNames = "secret-names"

    public enum Kind: Sendable {
        case bytes, ratio, seconds, none
    }

    public var kind: Kind {
        switch self {
        case .size, .compressed, .wasted: .bytes
        case .efficiency, .userWasted: .ratio
        case .cold, .warm, .edit, .ci, .start: .seconds
        case .secrets, .secretNames: .none
        }
    }

    /// Whether the figure must stay at or above the limit (efficiency) rather than at or below it.
    public var isLowerBound: Bool { self == .efficiency }

    /// The metric whose value the rule checks, for the sizes and times.
    public var metric: Metric? {
        switch self {
        case .size: .size
        case .compressed: .compressed
        case .cold: .cold
        case .warm: .warm
        case .edit: .edit
        case .ci: .ci
        case .start: .start
        case .efficiency, .wasted, .userWasted, .secrets, .secretNames: nil
        }
    }

    /// dive's name of the rule, for the three dive has.
    public var diveName: String? {
        switch self {
        case .efficiency: "lowestEfficiency"
        case .wasted: "highestWastedBytes"
        case .userWasted: "highestUserWastedPercent"
        default: nil
        }
    }

    public static func < (a: BudgetRule, b: BudgetRule) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
