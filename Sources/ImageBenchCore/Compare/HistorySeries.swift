import Foundation

/// A variant's values over runs, oldest first.
public struct HistorySeries: Sendable, Equatable {
    public var scenario: String
    public var variant: String
    public var metric: Metric
    public var points: [HistoryPoint]

    public init(scenario: String, variant: String, metric: Metric, points: [HistoryPoint]) {
        self.scenario = scenario
        self.variant = variant
        self.metric = metric
        self.points = points
    }
}

extension HistorySeries {
    /// The different engines the points of these series were built on, sorted: more than one means
    /// the values compare only between runs of one engine.
    public static func engines(_ series: [HistorySeries]) -> [String] {
        Array(Set(series.flatMap { $0.points.compactMap(\.engine) })).sorted()
    }
}
