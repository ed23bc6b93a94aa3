import Foundation

/// A run's results with the thresholds its scenarios set: one side of a comparison.
public struct RunSnapshot: Sendable, Equatable {
    public var run: RunRecord
    public var results: [VariantResult]
    /// Scenario name → thresholds from its `scenario.yaml` at the time of the run.
    public var thresholds: [String: Thresholds]

    public init(run: RunRecord, results: [VariantResult], thresholds: [String: Thresholds] = [:]) {
        self.run = run
        self.results = results
        self.thresholds = thresholds
    }
}
