import Foundation
import ImageBenchCore
import ImageBenchTestSupport
import Testing

@Suite("Comparison")
struct ComparisonTests {
    static func result(_ variant: String, status: VariantStatus = .ok, size: Int64 = 1_000_000, cold: [Double] = [10, 10.2, 9.9]) -> VariantResult {
        VariantResult(
            runID: 1, scenario: "s", axes: [AxisChoice(axis: "v", value: variant)], status: status,
            image: ImageFacts(ref: "r", id: "sha256:\(variant)", sizeBytes: size, layers: 1), builds: Sample.builds(.cold, cold))
    }

    static func snapshot(
        _ id: Int64, _ results: [VariantResult], thresholds: Thresholds = Thresholds(), environment: RunEnvironment = Sample.environment()
    )
        -> RunSnapshot
    {
        RunSnapshot(
            run: RunRecord(id: id, startedAt: Sample.date, status: .complete, environment: environment), results: results,
            thresholds: ["s": thresholds])
    }

    @Test("size growth beyond 1% is a regression; within it is unchanged; shrinking is an improvement")
    func size() {
        let c = Comparison.compare(
            baseline: Self.snapshot(1, [Self.result("a"), Self.result("b"), Self.result("c")]),
            candidate: Self.snapshot(2, [Self.result("a", size: 1_020_000), Self.result("b", size: 1_005_000), Self.result("c", size: 900_000)]))
        #expect(c.changes.map { $0.metrics[0].kind } == [.regression, .unchanged, .improvement])
        #expect(c.changes[0].metrics[0].percent == 2)
        #expect(c.changes[0].metrics[0].delta == 20_000)
        #expect(c.verdict == .regression)
    }

    @Test("a slower build is a regression only when beyond the threshold and significant")
    func time() {
        let c = Comparison.compare(
            baseline: Self.snapshot(1, [Self.result("slow"), Self.result("noisy", cold: [10, 5, 15]), Self.result("few", cold: [10])]),
            candidate: Self.snapshot(
                2,
                [
                    Self.result("slow", cold: [14, 14.2, 13.9]), Self.result("noisy", cold: [14, 6, 22]), Self.result("few", cold: [20]),
                ]))
        let cold = c.changes.map { $0.metrics.first { $0.metric == .cold }! }
        #expect(cold.map(\.kind) == [.regression, .notSignificant, .insufficient])
        #expect(cold[0].test?.significant == true)
        #expect(cold[1].note?.hasPrefix("not significant (p = ") == true)
        #expect(cold[2].note?.contains("too few") == true)
        #expect(c.verdict == .regression)
        #expect(c.regressions.map(\.variant) == ["v=slow"])
    }

    @Test("a service's start time is compared like a phase: beyond 25% and significant; only where either run timed it")
    func start() {
        func service(_ variant: String, _ starts: [Double]?) -> VariantResult {
            var r = Self.result(variant)
            r.start = starts.map { StartResult(samples: $0) }
            return r
        }
        let c = Comparison.compare(
            baseline: Self.snapshot(1, [service("slower", [0.30, 0.31, 0.29]), service("same", [0.30, 0.31, 0.29]), service("binary", nil)]),
            candidate: Self.snapshot(2, [service("slower", [0.52, 0.50, 0.51]), service("same", [0.31, 0.30, 0.30]), service("binary", nil)]))
        let start = c.changes.map { change in change.metrics.first { $0.metric == .start } }
        #expect(start[0]?.kind == .regression && start[0]?.test?.significant == true)
        #expect(start[0]?.baseline == 0.30 && start[0]?.candidate == 0.51)
        #expect(start[1]?.kind == .unchanged)
        #expect(start[2] == nil, "a variant that is not a service has no start metric")
        #expect(c.regressions.map(\.variant) == ["v=slower"])
        #expect(c.shownMetrics.contains(.start))
        // --max-time-growth covers it as a time; a start time is shown in seconds.
        #expect(Metric.start.isTime && Metric.start.phase == nil)
        #expect(Metric.start.samples(of: service("x", [0.4, 0.2])) == [0.4, 0.2])
        #expect(Metric.start.value(of: service("x", [0.4, 0.2, 0.3])) == 0.3)
    }

    @Test("a working variant that stops working is always a regression; one that starts working is an improvement")
    func status() {
        let c = Comparison.compare(
            baseline: Self.snapshot(1, [Self.result("a"), Self.result("b", status: .broken)]),
            candidate: Self.snapshot(2, [Self.result("a", status: .buildFailed), Self.result("b")]))
        #expect(c.changes.map(\.statusKind) == [.regression, .improvement])
        #expect(c.verdict == .regression)
    }

    @Test("only improvements; added and removed variants are listed, not errors")
    func improvementsAddedRemoved() {
        let c = Comparison.compare(
            baseline: Self.snapshot(1, [Self.result("a"), Self.result("gone")]),
            candidate: Self.snapshot(2, [Self.result("a", size: 500_000), Self.result("new")]))
        #expect(c.verdict == .onlyImprovements)
        #expect(c.added == [Comparison.VariantKey(scenario: "s", variant: "v=new")])
        #expect(c.removed == [Comparison.VariantKey(scenario: "s", variant: "v=gone")])
        #expect(c.changes.count == 1)
    }

    @Test("scenario thresholds apply; flags override them")
    func thresholds() {
        let base = Self.snapshot(1, [Self.result("a")])
        let grown = [Self.result("a", size: 1_030_000)]
        #expect(Comparison.compare(baseline: base, candidate: Self.snapshot(2, grown, thresholds: Thresholds([.size: 5]))).verdict == .noRegression)
        #expect(
            Comparison.compare(
                baseline: base, candidate: Self.snapshot(2, grown, thresholds: Thresholds([.size: 5])), overrides: Thresholds([.size: 2])
            )
            .verdict == .regression)
        #expect(Thresholds().limit(for: .cold) == 25)
        #expect(Thresholds.parsePercent("2.5%") == 2.5)
        #expect(Thresholds.parsePercent("-1") == nil)
    }

    @Test("environment differences are reported")
    func environments() {
        var other = Sample.environment()
        other.dockerServer = "24.0.7"
        other.defaultBuilder = .buildkit
        let c = Comparison.compare(baseline: Self.snapshot(1, []), candidate: Self.snapshot(2, [], environment: other))
        #expect(c.environmentDifferences == ["docker server: 20.10.24+dfsg1 → 24.0.7", "builder: classic → buildkit"])
    }

    @Test("engine sets: one engine each says it through the fields; several engines that differ add one line, once")
    func engineSets() {
        var one = Sample.environment()
        one.endpoint = "ssh://ci@b1"
        var other = one
        other.dockerServer = "24.0.7"
        #expect(other.engineSetDifference(from: one) == nil)
        #expect(other.engineDifferences(from: one) == ["docker server: 20.10.24+dfsg1 → 24.0.7"])
        var two = one
        two.engines = [one.engineRecord, other.engineRecord]
        let line = "engines: docker 20.10.24+dfsg1 on ci-1 (overlay2) → docker 20.10.24+dfsg1 on ci-1 (overlay2) + docker 24.0.7 on ci-1 (overlay2)"
        #expect(two.engineSetDifference(from: one) == line)
        #expect(two.engineDifferences(from: one) == [line])
        let c = Comparison.compare(baseline: Self.snapshot(1, []), candidate: Self.snapshot(2, [], environment: two))
        #expect(c.environmentDifferences == [line] && c.engineDifferences == [line])
    }

    @Test("Welch's t-test matches a textbook value")
    func welch() throws {
        // scipy 1.17: ttest_ind([14, 14.2, 13.9], [10, 10.2, 9.9], equal_var=False) → t 32.0713490, p 5.6347246e-06, df 4.0
        let t = try #require(WelchTest([10, 10.2, 9.9], [14, 14.2, 13.9]))
        #expect(abs(t.t - 32.0713490) < 1e-6)
        #expect(abs(t.degreesOfFreedom - 4) < 1e-9)
        #expect(abs(t.p - 5.634724643705566e-06) < 1e-10)
        // ttest_ind([2, 4, 6, 8, 10], [1, 2, 3, 4], equal_var=False) → t 2.2514363, p 0.0691336, df 5.5207877
        let u = try #require(WelchTest([1, 2, 3, 4], [2, 4, 6, 8, 10]))
        #expect(abs(u.t - 2.2514363231593695) < 1e-9)
        #expect(abs(u.degreesOfFreedom - 5.520787746170677) < 1e-9)
        #expect(abs(u.p - 0.06913359319239237) < 1e-8)
        #expect(WelchTest([1], [2, 3]) == nil)
    }

    @Test("run selectors")
    func selectors() {
        #expect(RunSelector("12") == .id(12))
        #expect(RunSelector("latest") == .latest)
        #expect(RunSelector("label:branch=main") == .label(key: "branch", value: "main"))
        #expect(RunSelector("label:=x") == nil)
        #expect(RunSelector("0") == nil)
        #expect(RunSelector("main") == nil)
    }

    @Test("sparklines scale from the lowest to the highest value, with gaps")
    func sparkline() {
        #expect(Sparkline.render([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.render([5, nil, 5]) == "▄ ▄")
        #expect(Sparkline.render([]) == "")
    }
}
