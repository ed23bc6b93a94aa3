import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchStore

/// How `bisect` measures a commit: a result the database already has (a complete run labelled
/// `commit=SHA`, made on this machine and engine, with the variant's value and, for a time, at least
/// as many repetitions as asked), or a skip it recorded; otherwise a run of the commit built now.
struct BisectProbe: Sendable {
    let runs: CommitRuns
    let store: ResultStore
    let metric: Metric
    let variant: String
    let settings: RunSettings
    let environment: RunEnvironment

    /// What the database holds for `commit`, without building; nil when it holds nothing usable.
    func stored(_ commit: CommitInfo) async throws -> Bisection.Trial? {
        let earlier = try await store.runs(labelled: CommitInfo.label, commit.sha).filter {
            $0.scenarios.contains { $0.name == runs.name } && environment.differences(from: $0.environment).isEmpty
        }
        for run in earlier.reversed() where run.status == .complete {
            guard let trial = try await value(in: run, commit: commit, built: false) else { continue }
            return trial
        }
        if let skipped = earlier.last(where: { runs.skipHolds($0, variant: variant) }) {
            return Bisection.Trial(commit: commit, sample: nil, skipped: skipped.problem, runID: skipped.id, built: false)
        }
        return nil
    }

    /// The database's result for `commit`, or one built now.
    func measure(_ commit: CommitInfo) async throws -> Bisection.Trial {
        if let known = try await stored(commit) { return known }
        switch try await runs.measure(commit, settings: settings, variant: variant, environment: environment) {
        case .skipped(let run):
            return Bisection.Trial(commit: commit, sample: nil, skipped: run.problem, runID: run.id, built: false)
        case .built(let run, _), .reused(let run):
            if let trial = try await value(in: run, commit: commit, built: true) { return trial }
            let result = try await store.results(runID: run.id).first { $0.name == variant }
            let why = result.map { "\($0.status.rawValue)" + ($0.problem.map { ": \($0)" } ?? "") } ?? "not built"
            return Bisection.Trial(commit: commit, sample: nil, skipped: "run \(run.id): \(why)", runID: run.id, built: true)
        }
    }

    /// The variant's value in `run`, when it has one with enough repetitions.
    func value(in run: RunRecord, commit: CommitInfo, built: Bool) async throws -> Bisection.Trial? {
        guard let result = try await store.results(runID: run.id).first(where: { $0.scenario == runs.name && $0.name == variant }),
            let value = metric.value(of: result)
        else { return nil }
        let samples = metric.samples(of: result)
        if metric.isTime && samples.count < settings.repeatCount { return nil }
        return Bisection.Trial(commit: commit, sample: Bisection.Sample(value: value, samples: samples), runID: run.id, built: built)
    }
}
