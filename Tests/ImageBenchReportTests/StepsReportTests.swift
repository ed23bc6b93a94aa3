import Foundation
import ImageBenchCore
import ImageBenchReport
import ImageBenchTestSupport
import Testing

/// Steps in every format, from the fixed model: the alpine variant's builds carry steps (its warm
/// builds missed the cache at the COPY of the sources; its baseline's hit it).
@Suite("Steps in reports")
struct StepsReportTests {
    static func check(_ text: String, _ name: String) {
        if let mismatch = snapshotMismatch(text, named: name) { Issue.record(Comment(rawValue: mismatch)) }
    }

    static let alpine = "linking=static,runtime=alpine"

    @Test("a phase's steps: medians, spread and cache hits over its builds, in the builder's order")
    func phaseSteps() throws {
        let r = try #require(ReportFixture.report().results.first { $0.name == Self.alpine })
        let cold = try #require(r.steps(.cold))
        #expect(cold.builds.n == 3 && cold.steps.count == 7)
        let run = try #require(cold.slowest)
        #expect(run.step.instruction == "RUN go build -o /app .")
        #expect(run.summary.samples.map { ($0 * 100).rounded() / 100 } == [11.45, 11.15, 11.95])
        #expect(run.cachedCount == 0 && cold.share(run).map { ($0 * 100).rounded() } == 95)
        let warm = try #require(r.steps(.warm))
        #expect(warm.steps.filter { $0.step.kind == .instruction && $0.cachedFraction == 1 }.count == 3)
        #expect(warm.missedSteps.map(\.step.instruction) == ["COPY go.mod main.go ./"])
        // The edit: WORKDIR hit, the COPY of the sources missed, and everything after it ran again.
        let edit = try #require(r.steps(.edit))
        let invalidation = try #require(CacheInvalidation(edit))
        #expect(invalidation.step.step.label == "build 3/4 COPY go.mod main.go ./")
        #expect(invalidation.reran.map(\.step.instruction) == ["COPY go.mod main.go ./", "RUN go build -o /app .", "COPY --from=build /app /app"])
        // A variant whose builds recorded no steps has none.
        #expect(ReportFixture.report().results.first { $0.name == "linking=static,runtime=scratch" }?.steps(.cold) == nil)
    }

    @Test("the invalidating step is the cause, not a stage that copies from it")
    func firstMissAcrossStages() throws {
        func step(_ stage: String, _ n: Int, _ instruction: String, cached: Bool) -> StepRecord {
            StepRecord(stage: stage, number: n, total: 3, instruction: instruction, kind: .instruction, cached: cached, start: 0, seconds: 1)
        }
        // BuildKit printed the final stage's COPY --from before the build stage's steps.
        let steps = [
            step("stage-1", 2, "COPY --from=build /app /app", cached: false), step("build", 2, "COPY go.mod ./", cached: true),
            step("build", 3, "COPY . .", cached: false),
        ]
        let build = BuildRecord(
            phase: .edit, repetition: 1, startedAt: Sample.date, seconds: 3, outcome: .ok, exitCode: 0, builder: .buildkit, imageID: "x", steps: steps
        )
        #expect(try #require(PhaseSteps([build], phase: .edit)).firstMiss?.step.label == "build 3/3 COPY . .")
    }

    @Test("report --steps as a table: slowest first, the rest folded, the edit's first miss")
    func table() {
        var report = ReportFixture.report()
        // More steps than are shown: the rest fold into one row.
        for i in report.results.indices where report.results[i].name == Self.alpine {
            for b in report.results[i].builds.indices {
                report.results[i].builds[b].steps! += (1...4).map {
                    StepRecord(
                        stage: "stage-1", number: 2 + $0, total: 6, instruction: "LABEL n=\($0)", kind: .instruction, cached: false, start: 11,
                        seconds: 0)
                }
            }
        }
        let text = StepsReport.table(report)
        Self.check(text, "steps.txt")
        #expect(text.contains("build 4/4 RUN go build -o /app .                       11.4 (11.2–11.9)   0/3                0.000   3/3"), "\(text)")
        #expect(text.contains("3 more steps, medians added"))
        #expect(text.contains("edit: the cache missed first at build 3/4 COPY go.mod main.go ./ (0.100 s); 7 steps ran again"))
        #expect(text.contains("linking=static,runtime=scratch: no steps recorded"))
        #expect(!text.contains("classic-builder steps"))
        #expect(text.contains("BuildKit steps: BuildKit's own durations"))
    }

    @Test("report --steps as Markdown: code spans, the rest in <details>")
    func markdown() {
        let text = StepsReport.markdown(ReportFixture.report())
        Self.check(text, "steps.md")
        #expect(text.contains("| `build 4/4 RUN go build -o /app .` | 11.4 (11.2–11.9) | 0/3 | 0.000 | 3/3 | 10.6 (10.4–10.8) | 0/3 |"), "\(text)")
        #expect(text.contains("edit: the cache missed first at `build 3/4 COPY go.mod main.go ./`"))
    }

    @Test("csv --steps: a row per variant, phase and step, every duration kept")
    func csv() {
        let text = CSVReport.steps(ReportFixture.report())
        Self.check(text, "steps.csv")
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1 + 3 * 7)
        #expect(lines[0].hasPrefix("run_id,scenario,variant,status,phase,builder,stage,step_number,step_total,instruction,kind,n,cached_builds"))
        #expect(
            lines.contains {
                $0.hasPrefix("3,go-http,\"linking=static,runtime=alpine\",ok,warm,buildkit,build,3,4,COPY go.mod main.go ./,instruction,3,0,")
            })
    }

    @Test("json: per phase, each step's statistics; every build's steps under builds")
    func json() throws {
        let text = JSONReport.render(ReportFixture.report())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let results = try #require(object["results"] as? [[String: Any]])
        let alpine = try #require(results.first { $0["variant"] as? String == Self.alpine })
        let steps = try #require(alpine["steps"] as? [String: [[String: Any]]])
        #expect(steps.keys.sorted() == ["cold", "edit", "warm"])
        let copy = try #require(steps["warm"]?.first { $0["instruction"] as? String == "COPY go.mod main.go ./" })
        #expect(copy["cached_builds"] as? Int == 0 && (copy["summary"] as? [String: Any])?["n"] as? Int == 3)
        let builds = try #require(alpine["builds"] as? [[String: Any]])
        let first = try #require(builds.first?["steps"] as? [[String: Any]])
        #expect(first.count == 7 && first[4]["start_s"] != nil && first[4]["cached"] as? Bool == false)
    }

    @Test("html: a step waterfall per variant, inline SVG, cache hits hollow")
    func html() {
        let text = HTMLReport.render(ReportFixture.report())
        #expect(text.contains("<h3>linking=static,runtime=alpine · cold build 1, the median of 3 · 12.1 s · buildkit</h3>"), "\(text)")
        #expect(text.contains("<h3>linking=static,runtime=alpine · edit build"))
        #expect(text.contains("class=\"chart step-chart\"") && text.contains("fill=\"none\" stroke="))
        #expect(!text.contains("<script"))
    }

    @Test("compare: a slower step under its phase's regression, and a cache hit turned miss as a regression of its own")
    func compare() throws {
        let c = ReportFixture.comparison()
        let alpine = try #require(c.changes.first { $0.variant == Self.alpine })
        #expect(alpine.steps.map(\.kind) == [.slower, .noLongerCached])
        #expect(alpine.steps[0].phase == .cold && alpine.steps[0].step.instruction == "RUN go build -o /app .")
        #expect(alpine.steps[1].phase == .warm && alpine.steps[1].step.label == "build 3/4 COPY go.mod main.go ./")
        // Only a cache loss: still a regression.
        var baseline = ReportFixture.baseline()
        let report = ReportFixture.report()
        for i in baseline.results.indices where baseline.results[i].name == Self.alpine {
            baseline.results[i].builds = report.results.first { $0.name == Self.alpine }!.builds.map { build in
                guard build.phase == .warm else { return build }
                var b = build
                b.steps = Sample.steps(run: 0, cached: Sample.goInstructions)
                return b
            }
            baseline.results[i].image = report.results.first { $0.name == Self.alpine }!.image
        }
        let only = Comparison.compare(baseline: baseline, candidate: RunSnapshot(run: report.runs[0], results: report.results))
        let change = try #require(only.changes.first { $0.variant == Self.alpine })
        #expect(change.metrics.allSatisfy { $0.kind != .regression })
        #expect(change.steps.map(\.kind) == [.noLongerCached] && only.regressions.map(\.variant).contains(Self.alpine))
        #expect(ComparisonReport.table(only).contains("step build 3/4 COPY go.mod main.go ./ no longer cached in warm"))
    }
}
