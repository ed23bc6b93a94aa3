import Foundation

/// Regression thresholds in percent: `thresholds: {size: 2%, cold: 30%}` in a scenario, or flags.
public struct Thresholds: Sendable, Equatable, Codable {
    public static let defaultSize = 1.0
    public static let defaultTime = 25.0

    /// Percent per metric; a metric not named uses the default for its kind.
    public var percent: [Metric: Double]

    public init(_ percent: [Metric: Double] = [:]) { self.percent = percent }

    public func limit(for metric: Metric) -> Double {
        percent[metric] ?? (metric.isTime ? Self.defaultTime : Self.defaultSize)
    }

    /// These thresholds with `other`'s values taking precedence.
    public func overridden(by other: Thresholds) -> Thresholds {
        Thresholds(percent.merging(other.percent) { _, b in b })
    }

    /// `2%`, `2.5 %` or `2` → 2.0.
    public static func parsePercent(_ text: String) -> Double? {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%") { t = String(t.dropLast()).trimmingCharacters(in: .whitespaces) }
        guard let value = Double(t), value >= 0, value.isFinite else { return nil }
        return value
    }

    public init(from decoder: any Decoder) throws { percent = try RawKeyedCoding.decode(from: decoder) }

    public func encode(to encoder: any Encoder) throws { try RawKeyedCoding.encode(percent, to: encoder) }
}
