/// A partial choice of axis values, as in `exclude:` and `expect-broken:`.
public struct AxisSelector: Sendable, Equatable {
    /// Axis name to value name, in the order written.
    public var pairs: [(axis: String, value: String)]
    public var line: Int
    public init(pairs: [(axis: String, value: String)], line: Int = 0) {
        self.pairs = pairs
        self.line = line
    }

    /// True when the variant has every value this selector names.
    public func matches(_ choice: [String: String]) -> Bool {
        pairs.allSatisfy { choice[$0.axis] == $0.value }
    }

    /// `{ linking: dynamic, runtime: scratch }`.
    public var description: String {
        "{ " + pairs.map { "\($0.axis): \($0.value)" }.joined(separator: ", ") + " }"
    }

    public static func == (lhs: AxisSelector, rhs: AxisSelector) -> Bool {
        lhs.line == rhs.line && lhs.pairs.elementsEqual(rhs.pairs) { $0.axis == $1.axis && $0.value == $1.value }
    }
}
