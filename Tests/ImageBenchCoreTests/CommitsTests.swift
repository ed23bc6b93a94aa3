import Foundation
import ImageBenchCore
import Testing

@Suite("Commit ranges, bisection and history by commit")
struct CommitsTests {
    @Test("--steps takes evenly spaced commits and always both ends")
    func steps() {
        #expect(CommitSteps.pick(count: 16, steps: 4) == [0, 5, 10, 15])
        #expect(CommitSteps.pick(count: 16, steps: 2) == [0, 15])
        #expect(CommitSteps.pick(count: 5, steps: 10) == [0, 1, 2, 3, 4])
        #expect(CommitSteps.pick(count: 5, steps: nil) == [0, 1, 2, 3, 4])
        #expect(CommitSteps.pick(count: 0, steps: 3) == [])
        let picked = CommitSteps.pick(count: 100, steps: 7)
        #expect(picked.count == 7 && picked.first == 0 && picked.last == 99)
        #expect(zip(picked, picked.dropFirst()).allSatisfy { $1 - $0 >= 16 && $1 - $0 <= 17 })
    }

    /// A probe over a step at `first`: indices before it are as good, from it on moved.
    static func search(count: Int, first: Int, skipped: Set<Int> = [], known: [Int: Bool] = [:]) async -> (Bisection.Outcome, [Int]) {
        var probed: [Int] = []
        let outcome = await Bisection.search(count: count, known: known) { i in
            probed.append(i)
            return skipped.contains(i) ? nil : i >= first
        }
        return (outcome, probed)
    }

    @Test("Bisection finds every first moved commit within ceil(log2(n)) probes")
    func bisection() async {
        for count in [2, 3, 16, 17, 100] {
            for first in 1..<count {
                let (outcome, probed) = await Self.search(count: count, first: first)
                #expect(outcome == .found(first))
                #expect(probed.count <= Int(log2(Double(count - 1)).rounded(.up)), "count \(count) first \(first): \(probed)")
                #expect(!probed.contains(0) && !probed.contains(count - 1))
            }
        }
    }

    @Test("Known verdicts narrow the search before anything is probed")
    func known() async {
        let (outcome, probed) = await Self.search(count: 16, first: 6, known: [5: false, 10: true, 15: true])
        #expect(outcome == .found(6))
        #expect(probed.allSatisfy { (6...9).contains($0) } && probed.count <= 2)
        let (exact, none) = await Self.search(count: 16, first: 6, known: [5: false, 6: true])
        #expect(exact == .found(6) && none.isEmpty)
    }

    @Test("A skipped commit is stepped around; when only skipped ones are left the answer is a set")
    func skipped() async {
        let (outcome, probed) = await Self.search(count: 16, first: 9, skipped: [7])
        #expect(outcome == .found(9))
        #expect(probed.first == 7 && probed.dropFirst().first == 6)
        // The commit just before the first moved one cannot be measured: either may be the first.
        let (ambiguous, _) = await Self.search(count: 16, first: 9, skipped: [8])
        #expect(ambiguous == .ambiguous([8, 9]))
        let (hidden, _) = await Self.search(count: 4, first: 2, skipped: [1, 2])
        #expect(hidden == .ambiguous([1, 2, 3]))
    }

    @Test("Moved: beyond the threshold, the bad commit's way, and significant for times")
    func judge() {
        let size = Bisection.Judge(metric: .size, thresholdPercent: 1, good: .init(value: 1_000_000))
        #expect(size.moved(.init(value: 1_020_000), direction: 1))
        #expect(!size.moved(.init(value: 1_005_000), direction: 1))
        #expect(!size.moved(.init(value: 980_000), direction: 1))
        #expect(size.moved(.init(value: 980_000)))
        let time = Bisection.Judge(metric: .cold, thresholdPercent: 25, good: .init(value: 1.0, samples: [1.0, 1.05, 0.98]))
        #expect(time.moved(.init(value: 2.0, samples: [2.0, 2.02, 1.97]), direction: 1))
        // 60% slower in the median but not significant: the repetitions spread too widely.
        #expect(!time.moved(.init(value: 1.6, samples: [0.9, 1.6, 2.6]), direction: 1))
        #expect(!time.moved(.init(value: 1.1, samples: [1.1, 1.12, 1.09]), direction: 1))
    }

    @Test("History by commit: a row per commit (its newest run), in commit order, skips with their reason")
    func historyByCommit() {
        let day = 86_400.0
        func commit(_ n: Int) -> CommitInfo {
            CommitInfo(sha: String(repeating: "\(n)", count: 40), date: Date(timeIntervalSince1970: Double(n) * day), subject: "c\(n)")
        }
        func run(_ id: Int64, _ n: Int, status: RunStatus = .complete, problem: String? = nil) -> RunRecord {
            let c = commit(n)
            return RunRecord(
                id: id, startedAt: Date(timeIntervalSince1970: 1000 * day + Double(id)), status: status,
                environment: RunEnvironment(),
                scenarios: [RunScenario(name: "s", path: "/r/s", contentHash: "x", gitCommit: c.sha, gitDate: c.date, gitSubject: c.subject)],
                problem: problem)
        }
        // Run 3 measured commit 1 again after run 1; commit 2 was skipped; commit 3 was measured first (run 2).
        let runs = [run(1, 1), run(2, 3), run(3, 1), run(4, 2, status: .skipped, problem: "s/scenario.yaml:3: bad")]
        let points = [(1, 10.0), (2, 30.0), (3, 11.0)].map {
            HistoryPoint(runID: Int64($0.0), startedAt: Date(), value: $0.1, status: .ok, engine: "e")
        }
        let series = [HistorySeries(scenario: "s", variant: "default", metric: .size, points: points)]
        let history = CommitHistory.build(series: series, runs: runs, scenario: "s", last: 10)
        #expect(history.count == 1)
        #expect(history[0].rows.map(\.commit.subject) == ["c1", "c2", "c3"])
        #expect(history[0].rows.map(\.runID) == [3, 4, 2])
        #expect(history[0].rows.map(\.value) == [11, nil, 30])
        #expect(history[0].rows[1].skipped == "s/scenario.yaml:3: bad")
        #expect(CommitHistory.build(series: series, runs: runs, scenario: "s", last: 2)[0].rows.map(\.commit.subject) == ["c2", "c3"])
    }

    @Test("A checkout's scratch paths map to the repository's and its messages name SHA:path")
    func checkout() {
        let c = CommitCheckout(
            commit: CommitInfo(sha: "0123456789abcdef0123456789abcdef01234567", date: Date(), subject: ""), folder: "/tmp/ib-x",
            repository: "/home/u/repo")
        #expect(c.original("/tmp/ib-x/Scenarios/a") == "/home/u/repo/Scenarios/a")
        #expect(c.scratch("/home/u/repo/Scenarios/a") == "/tmp/ib-x/Scenarios/a")
        #expect(c.scratch("/home/u/repository/x") == "/home/u/repository/x")
        #expect(c.describe("/tmp/ib-x/Scenarios/a/scenario.yaml:3: bad") == "0123456:Scenarios/a/scenario.yaml:3: bad")
    }
}
