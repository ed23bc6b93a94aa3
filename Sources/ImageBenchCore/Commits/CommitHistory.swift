import Foundation

/// What a history or trend line is drawn over: runs, or the commits the runs were made from.
public enum HistoryAxis: String, Sendable, CaseIterable {
    case run, commit
}

/// `history SCENARIO --by commit`: a variant's metric per commit, oldest commit first. A commit measured
/// by several runs shows the newest; a commit a run over commits skipped shows why.
public struct CommitHistory: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var commit: CommitInfo
        /// The run whose value this is; for a skipped commit, the run that recorded the skip.
        public var runID: Int64
        public var value: Double?
        public var status: String
        /// Why the commit was skipped (nil when it was built).
        public var skipped: String?
    }

    public var scenario: String
    public var variant: String
    public var metric: Metric
    public var rows: [Row]
    /// The engines the built rows come from (more than one: values compare only within one).
    public var engines: [String]

    /// Per variant of `series` (the store's history of the scenario), the rows of the newest `last`
    /// commits; runs that recorded no commit are left out.
    public static func build(series: [HistorySeries], runs: [RunRecord], scenario: String, last: Int) -> [CommitHistory] {
        var commitOf: [Int64: CommitInfo] = [:]
        var skips: [(CommitInfo, RunRecord)] = []
        for run in runs {
            guard let commit = run.commit(of: scenario) else { continue }
            commitOf[run.id] = commit
            if run.status == .skipped { skips.append((commit, run)) }
        }
        return series.map { s in
            var newest: [String: Row] = [:]
            for point in s.points {
                guard let commit = commitOf[point.runID] else { continue }
                if let kept = newest[commit.sha], kept.runID > point.runID { continue }
                newest[commit.sha] = Row(commit: commit, runID: point.runID, value: point.value, status: point.status.rawValue, skipped: nil)
            }
            for (commit, run) in skips where newest[commit.sha] == nil || newest[commit.sha]!.skipped != nil {
                if let kept = newest[commit.sha], kept.runID > run.id { continue }
                newest[commit.sha] = Row(commit: commit, runID: run.id, value: nil, status: "skipped", skipped: run.problem ?? "")
            }
            let ordered = newest.values.sorted { ($0.commit.date, $0.runID) < ($1.commit.date, $1.runID) }
            let engines = Set(s.points.filter { p in ordered.contains { $0.runID == p.runID } }.compactMap(\.engine))
            return CommitHistory(
                scenario: s.scenario, variant: s.variant, metric: s.metric, rows: Array(ordered.suffix(last)), engines: engines.sorted())
        }
    }
}
