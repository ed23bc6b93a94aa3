import Foundation

/// One point of a variant's history: a run and the metric's value in it.
public struct HistoryPoint: Sendable, Equatable, Codable {
    public var runID: Int64
    public var startedAt: Date
    public var value: Double?
    public var status: VariantStatus
    /// The ``EngineRecord/identity`` of the engine the variant was built on in that run.
    public var engine: String?

    public init(runID: Int64, startedAt: Date, value: Double?, status: VariantStatus, engine: String? = nil) {
        self.engine = engine
        self.runID = runID
        self.startedAt = startedAt
        self.value = value
        self.status = status
    }
}

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

/// `▁▂▃▄▅▆▇█` for a series; a gap where a run has no value.
public enum Sparkline {
    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    public static func render(_ values: [Double?]) -> String {
        let present = values.compactMap { $0 }
        guard let low = present.min(), let high = present.max() else { return String(repeating: " ", count: values.count) }
        return String(
            values.map { value -> Character in
                guard let value else { return " " }
                if high == low { return bars[3] }
                return bars[min(bars.count - 1, Int((value - low) / (high - low) * Double(bars.count - 1) + 0.5))]
            })
    }
}
