import Foundation

/// The verdict of comparing a candidate run with a baseline run. Data only: rendering and exit codes
/// belong to the caller.
public struct Comparison: Sendable, Equatable {
    public enum Verdict: String, Sendable, Codable {
        case noRegression = "no-regression"
        case regression
        case onlyImprovements = "only-improvements"
    }

    public enum Kind: String, Sendable, Codable {
        case regression, improvement, unchanged
        /// Beyond the threshold, but too few repetitions to say whether it is noise.
        case insufficient = "insufficient-data"
        /// Beyond the threshold, but not a significant difference.
        case notSignificant = "not-significant"
        /// One side has no value.
        case notMeasured = "not-measured"
    }

    public struct MetricChange: Sendable, Equatable {
        public var metric: Metric
        public var baseline: Double?
        public var candidate: Double?
        /// Threshold in percent used for this metric.
        public var limit: Double
        public var kind: Kind
        /// For times: the significance test of the two sets of repetitions.
        public var test: WelchTest?
        public var note: String?

        public var delta: Double? {
            guard let baseline, let candidate else { return nil }
            return candidate - baseline
        }

        public var percent: Double? {
            guard let baseline, let candidate, baseline != 0 else { return nil }
            return (candidate - baseline) / baseline * 100
        }
    }

    public struct VariantChange: Sendable, Equatable {
        public var scenario: String
        public var variant: String
        public var baselineStatus: VariantStatus
        public var candidateStatus: VariantStatus
        /// `regression` when a working variant stopped working, `improvement` when a broken one works.
        public var statusKind: Kind
        public var metrics: [MetricChange]
        /// Steps that got slower in a phase whose build time regressed, and steps no longer cached.
        public var steps: [StepChange] = []

        /// A step no longer cached is a regression of its own; a slower step explains its phase's.
        public var kinds: [Kind] { [statusKind] + metrics.map(\.kind) + (steps.contains { $0.kind == .noLongerCached } ? [.regression] : []) }
    }

    public typealias VariantKey = ImageBenchCore.VariantKey

    public var baseline: RunRecord
    public var candidate: RunRecord
    public var changes: [VariantChange]
    public var added: [VariantKey]
    public var removed: [VariantKey]
    /// `field: baseline → candidate` for every environment field that differs, and every variant
    /// built on another kind of engine than in the baseline.
    public var environmentDifferences: [String]
    /// The differences that mean other machines or engines (the run's engines, or a variant's):
    /// `compare` gates across them only with --allow-mixed.
    public var engineDifferences: [String]

    public var regressions: [VariantChange] { changes.filter { $0.kinds.contains(.regression) } }
    public var improvements: [VariantChange] { changes.filter { $0.kinds.contains(.improvement) } }

    public var verdict: Verdict {
        if !regressions.isEmpty { return .regression }
        return improvements.isEmpty ? .noRegression : .onlyImprovements
    }

    /// The metrics compared, in the order reports show them; `ci` and `start` only where either run has them.
    public static let metrics: [Metric] = [.size, .cold, .warm, .edit, .ci, .start, .pull]

    /// The metrics some variant was compared on, in ``metrics`` order.
    public var shownMetrics: [Metric] { Self.metrics.filter { m in changes.contains { $0.metrics.contains { $0.metric == m } } } }

    /// Compares variants matched by scenario and name. Thresholds: `overrides` (flags) beat the
    /// candidate's scenario thresholds, which beat the defaults (size 1%, times 25%).
    public static func compare(baseline: RunSnapshot, candidate: RunSnapshot, overrides: Thresholds = Thresholds()) -> Comparison {
        let before = Dictionary(baseline.results.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let afterKeys = Set(candidate.results.map(\.key))
        var changes: [VariantChange] = []
        for new in candidate.results {
            guard let old = before[new.key] else { continue }
            let thresholds = (candidate.thresholds[new.scenario] ?? Thresholds()).overridden(by: overrides)
            let measured = metrics.filter { m in (m != .ci && m != .start && m != .pull) || !m.samples(of: old).isEmpty || !m.samples(of: new).isEmpty
            }
            let metricChanges = measured.map { change($0, old, new, limit: thresholds.limit(for: $0)) }
            let steps = Phase.allCases.flatMap { phase in
                let metric = Metric(rawValue: phase.rawValue)!
                return StepChange.changes(
                    phase, old.steps(phase), new.steps(phase), limit: thresholds.limit(for: metric),
                    regressed: metricChanges.contains { $0.metric == metric && $0.kind == .regression })
            }
            changes.append(
                VariantChange(
                    scenario: new.scenario, variant: new.name, baselineStatus: old.status, candidateStatus: new.status,
                    statusKind: statusKind(old.status, new.status), metrics: metricChanges, steps: steps))
        }
        // A variant built on different engines in the two runs, though the runs used the same set.
        let moved = candidate.results.compactMap { new -> String? in
            guard let a = before[new.key]?.engine, let b = new.engine, a.identity != b.identity else { return nil }
            return "\(new.scenario) \(new.name): \(a.identity) → \(b.identity)"
        }
        let environment = candidate.run.environment
        let engines = environment.engineDifferences(from: baseline.run.environment)
        // differences(from:) names host, server and driver already; add only what it cannot say.
        let unsaid = engines.isEmpty ? moved : environment.engineSetDifference(from: baseline.run.environment).map { [$0] } ?? []
        return Comparison(
            baseline: baseline.run, candidate: candidate.run, changes: changes,
            added: candidate.results.map(\.key).filter { before[$0] == nil },
            removed: baseline.results.map(\.key).filter { !afterKeys.contains($0) },
            environmentDifferences: environment.differences(from: baseline.run.environment) + unsaid,
            engineDifferences: engines.isEmpty ? moved : engines)
    }

    static func statusKind(_ old: VariantStatus, _ new: VariantStatus) -> Kind {
        let worked = old == .ok
        let works = new == .ok
        if worked && !works { return .regression }
        if !worked && works { return .improvement }
        return .unchanged
    }

    static func change(_ metric: Metric, _ old: VariantResult, _ new: VariantResult, limit: Double) -> MetricChange {
        var change = MetricChange(metric: metric, baseline: metric.value(of: old), candidate: metric.value(of: new), limit: limit, kind: .notMeasured)
        guard let percent = change.percent else { return change }
        if abs(percent) <= limit {
            change.kind = .unchanged
            return change
        }
        let direction: Kind = percent > 0 ? .regression : .improvement
        guard metric.isTime else {
            change.kind = direction
            return change
        }
        let a = metric.samples(of: old)
        let b = metric.samples(of: new)
        guard let test = WelchTest(a, b) else {
            change.kind = .insufficient
            change.note = "\(a.count) vs \(b.count) repetitions: too few to tell a change from noise; run with --repeat 3 or more"
            return change
        }
        change.test = test
        if test.significant {
            change.kind = direction
        } else {
            change.kind = .notSignificant
            change.note = "not significant (p = \(String(format: "%.2f", test.p)))"
        }
        return change
    }
}
