import Foundation
import ImageBenchCore

/// `imagebench bisect`: each commit it looked at, in commit order, then the first commit that moved with
/// the metric before and after it (or why there is none).
public enum BisectReport {
    public struct Input: Sendable {
        public var scenario: String
        public var variant: String
        public var metric: Metric
        public var thresholdPercent: Double
        /// The range, good commit first, bad commit last.
        public var commits: [CommitInfo]
        /// The commits looked at, by their index in `commits`.
        public var trials: [Int: Bisection.Trial]
        /// nil: the good and the bad commit do not differ.
        public var outcome: Bisection.Outcome?

        public init(
            scenario: String, variant: String, metric: Metric, thresholdPercent: Double, commits: [CommitInfo], trials: [Int: Bisection.Trial],
            outcome: Bisection.Outcome?
        ) {
            self.scenario = scenario
            self.variant = variant
            self.metric = metric
            self.thresholdPercent = thresholdPercent
            self.commits = commits
            self.trials = trials
            self.outcome = outcome
        }
    }

    public static func render(_ input: Input) -> String {
        let metric = input.metric
        let test = metric.isTime ? " and significant by \(WelchTest.name)" : ""
        var out = String(HistoryReport.heading(input.scenario, metric).dropLast()) + " · variant \(input.variant)\n"
        out +=
            "moved: beyond \(percent(input.thresholdPercent)) of the good commit's value\(test); \(input.commits.count - 1) commits after the good one (git log --first-parent)\n\n"
        guard let good = input.trials[0]?.sample else { return out }
        var table = TextTable(
            headers: ["", "commit", "date", "subject", metric.rawValue, "vs good", "verdict", "run"],
            alignments: [.left, .left, .left, .left, .right, .right, .left, .left])
        for i in input.trials.keys.sorted() {
            let trial = input.trials[i]!
            let role = i == 0 ? "good" : i == input.commits.count - 1 ? "bad" : ""
            let value = trial.sample.map { Units.metric($0.value, metric) } ?? "—"
            let moved = i == 0 ? "" : trial.sample.map { change(from: good, to: $0, metric) } ?? ""
            let verdict = trial.skipped.map { "skipped: \($0)" } ?? (trial.moved == true ? "moved" : "as good")
            let run = trial.runID.map { "\($0) (\(trial.built ? "built" : "database"))" } ?? ""
            table.append([
                role, trial.commit.short, Units.timestamp(trial.commit.date), CommitRunsReport.subject(trial.commit.subject), value, moved, verdict,
                run,
            ])
        }
        out += table.render() + "\n"
        let built = input.trials.values.filter(\.built).count
        let reused = input.trials.values.filter { !$0.built && $0.runID != nil }.count
        switch input.outcome {
        case .found(let index):
            let commit = input.commits[index]
            out += "first moved: \(commit.short) \(commit.subject)\n"
            if let after = input.trials[index]?.sample {
                let before = (index > 0 ? input.trials[index - 1]?.sample : nil) ?? good
                let what =
                    index > 1 && input.trials[index - 1]?.sample != nil
                    ? "the commit before it (\(input.commits[index - 1].short))" : "the good commit"
                out +=
                    "  \(metric.rawValue) \(Units.metric(before.value, metric)) → \(Units.metric(after.value, metric)): \(change(from: before, to: after, metric)) against \(what)\n"
            }
        case .ambiguous(let candidates):
            out +=
                "not found: the first moved commit is one of \(candidates.map { input.commits[$0].short }.joined(separator: ", ")); the commits before the last of them could not be measured\n"
        case nil:
            let bad = input.trials[input.commits.count - 1]?.sample
            out +=
                "no difference: \(metric.rawValue) \(Units.metric(good.value, metric)) at the good commit, \(bad.map { Units.metric($0.value, metric) } ?? "—") at the bad one, not beyond \(percent(input.thresholdPercent))\(test)\n"
        }
        out +=
            "built \(built) commit\(built == 1 ? "" : "s"), \(reused) from the database; log2 of \(input.commits.count - 1) commits ≈ \(Int(log2(Double(max(input.commits.count - 1, 1))).rounded(.up)))\n"
        return out
    }

    static func percent(_ value: Double) -> String { String(format: "%g%%", value) }

    /// The change from `a` to `b`, with Welch's p for times.
    static func change(from a: Bisection.Sample, to b: Bisection.Sample, _ metric: Metric) -> String {
        let text = Units.change(from: a.value, to: b.value, metric)
        guard metric.isTime, let test = WelchTest(a.samples, b.samples) else { return text }
        return text + String(format: " p=%.3f", test.p)
    }
}
