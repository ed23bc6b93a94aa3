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
