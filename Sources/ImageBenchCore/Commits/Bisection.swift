import Foundation

/// `imagebench bisect`: the first commit of a range at which a metric moved away from the good commit's
/// value. Pure logic; the command measures commits (from the database, or by building them).
public enum Bisection {
    /// A commit's measurement of the metric: the value (bytes, or the median seconds) and, for times,
    /// every repetition.
    public struct Sample: Sendable, Equatable {
        public var value: Double
        public var samples: [Double]
        public init(value: Double, samples: [Double] = []) {
            self.value = value
            self.samples = samples
        }
    }

    /// What moving means: beyond `thresholdPercent` of the good value, in the direction the bad commit
    /// moved; for times also a significant difference by Welch's test.
    public struct Judge: Sendable, Equatable {
        public var metric: Metric
        public var thresholdPercent: Double
        public var good: Sample

        public init(metric: Metric, thresholdPercent: Double, good: Sample) {
            self.metric = metric
            self.thresholdPercent = thresholdPercent
            self.good = good
        }

        /// The change from the good value in percent (nil when the good value is 0 and this one is not).
        public func percent(_ sample: Sample) -> Double? {
            if good.value == 0 { return sample.value == 0 ? 0 : nil }
            return (sample.value - good.value) / good.value * 100
        }

        /// Whether `sample` moved beyond the threshold (either way; with `direction`, only that way).
        public func moved(_ sample: Sample, direction: Double? = nil) -> Bool {
            let change = sample.value - good.value
            if let direction, direction * change <= 0 { return false }
            guard abs(percent(sample) ?? .infinity) > thresholdPercent else { return false }
            guard metric.isTime else { return change != 0 }
            return WelchTest(good.samples, sample.samples)?.significant ?? false
        }
    }

    /// How a search ended.
    public enum Outcome: Sendable, Equatable {
        /// The first moved commit (its index).
        case found(Int)
        /// The first moved commit is one of these indices, but the commits before the last of them could
        /// not be measured (skipped).
        case ambiguous([Int])
    }

    /// Binary search over indices `0..<count`: 0 is the good commit (not moved), `count - 1` the bad one
    /// (moved). `known` holds verdicts already at hand (from the database): they narrow the range before
    /// anything is built. `probe` measures one index: true moved, false not, nil skipped (cannot be
    /// measured); the next probe is then the nearest unskipped index to the middle.
    public static func search(count: Int, known: [Int: Bool] = [:], probe: (Int) async throws -> Bool?) async rethrows -> Outcome {
        var low = 0
        var high = max(count - 1, 0)
        if let firstMoved = known.filter({ $0.value && $0.key > 0 && $0.key < high }).keys.min() { high = firstMoved }
        if let lastGood = known.filter({ !$0.value && $0.key < high && $0.key > 0 }).keys.max() { low = lastGood }
        var skipped = Set<Int>()
        while high - low > 1 {
            let middle = (low + high) / 2
            let open = (low + 1..<high).filter { !skipped.contains($0) }
            guard let next = open.min(by: { (abs($0 - middle), $0) < (abs($1 - middle), $1) }) else {
                return .ambiguous(Array(low + 1...high))
            }
            switch try await probe(next) {
            case .some(true): high = next
            case .some(false): low = next
            case .none: skipped.insert(next)
            }
        }
        return .found(high)
    }
}

extension Bisection {
    /// A commit bisect looked at: its measurement (or why it has none), the run it came from, whether
    /// that run was built now or found in the database, and the verdict.
    public struct Trial: Sendable, Equatable {
        public var commit: CommitInfo
        public var sample: Sample?
        public var skipped: String?
        public var runID: Int64?
        public var built: Bool
        public var moved: Bool?

        public init(commit: CommitInfo, sample: Sample?, skipped: String? = nil, runID: Int64?, built: Bool, moved: Bool? = nil) {
            self.commit = commit
            self.sample = sample
            self.skipped = skipped
            self.runID = runID
            self.built = built
            self.moved = moved
        }
    }

    /// The phases a run needs to measure `metric` (sizes come with every cold build).
    public static func phases(for metric: Metric) -> [Phase] {
        switch metric {
        case .warm: [.cold, .warm]
        case .edit: [.cold, .edit]
        default: [.cold]
        }
    }

    /// The metrics bisect takes.
    public static let metrics: [Metric] = [.size, .compressed, .cold, .warm, .edit, .start]
}
