import Foundation
import ImageBenchCore
import ImageBenchTestSupport
import Testing

@Suite("budgets and dive's .dive-ci")
struct BudgetTests {
    @Test("sizes read as dive's humanize reads them: SI and IEC units, any case, plain bytes")
    func sizes() {
        let cases: [(String, Double?)] = [
            ("20MB", 20_000_000), ("20Mb", 20_000_000), ("20 mb", 20_000_000), ("1.5GB", 1_500_000_000), ("512KiB", 524_288), ("1MiB", 1_048_576),
            ("100KB", 100_000), ("100kB", 100_000), ("4096", 4096), ("7B", 7), ("2k", 2000), ("lots", nil), ("-1MB", nil), ("MB", nil),
        ]
        for (text, bytes) in cases { #expect(BudgetParser.bytes(text) == bytes, "\(text)") }
        #expect(BudgetParser.ratio("0.95") == 0.95 && BudgetParser.ratio("95%") == 0.95 && BudgetParser.ratio("1.5") == nil)
        #expect(BudgetParser.seconds("60s") == 60 && BudgetParser.seconds("2m") == 120 && BudgetParser.seconds("0s") == nil)
        for off in ["", "disabled", "OFF", "false"] { #expect(BudgetParser.isDisabled(off)) }
    }

    static func load(_ yaml: String, dive: String? = nil) async throws -> (String, Result<Scenario, ScenarioError>) {
        try await withTemporaryDirectory { dir in
            var files = ["scenario.yaml": yaml, "Dockerfile": "FROM scratch\n"]
            if let dive { files[".dive-ci"] = dive }
            try writeFiles(files, under: dir)
            do {
                return (dir, .success(try ScenarioLoader().load(path: dir)))
            } catch let error as ScenarioError {
                return (dir, .failure(error))
            }
        }
    }

    @Test("budgets for every variant and per axis value; the axis written last wins; .dive-ci under budgets:")
    func scenarioBudgets() async throws {
        let yaml = """
            axes:
              runtime:
                scratch: {}
                debian: { budgets: { size: 150MB, cold: 2m } }
              linking:
                static: { budgets: { size: 30MB } }
                dynamic: {}
            budgets:
              size: 20MB
              compressed: 8MB
              efficiency: 0.95
              user-wasted: 10%
              warm: 10s
              secrets: none
            """
        let dive = """
            plugins:
              - plugin1
            rules:
              lowestEfficiency: 0.5
              highestWastedBytes: 20Mb
              plugin1/rule1: error
            """
        let (_, result) = try await Self.load(yaml, dive: dive)
        let scenario = try result.get()
        func budgets(_ runtime: String, _ linking: String) -> Budgets {
            scenario.budgets.effective(for: [AxisChoice(axis: "runtime", value: runtime), AxisChoice(axis: "linking", value: linking)])
        }
        #expect(budgets("scratch", "dynamic").limits[.size]?.value == 20_000_000)
        #expect(budgets("debian", "dynamic").limits[.size]?.value == 150_000_000)
        #expect(budgets("debian", "static").limits[.size]?.value == 30_000_000, "linking is written after runtime")
        #expect(budgets("debian", "dynamic").limits[.cold]?.value == 120)
        #expect(budgets("scratch", "dynamic").limits[.cold] == nil)
        let all = scenario.budgets.all.limits
        #expect(all[.efficiency] == Budgets.Limit(value: 0.95, source: "scenario.yaml:11"), "scenario.yaml overrides .dive-ci")
        #expect(all[.wasted] == Budgets.Limit(value: 20_000_000, source: ".dive-ci:5"))
        #expect(all[.userWasted]?.value == 0.1 && all[.secrets]?.value == 0 && all[.warm]?.value == 10)
        #expect(all[.compressed]?.source == "scenario.yaml:10")
    }

    @Test(".dive-ci alone: dive's defaults for the rules it leaves out, disabled rules, snake-case names")
    func diveDefaults() async throws {
        let (_, only) = try await Self.load("name: x\n", dive: "rules:\n  highest-user-wasted-percent: 0.2\n")
        let limits = try only.get().budgets.all.limits
        #expect(limits[.efficiency] == Budgets.Limit(value: 0.9, source: ".dive-ci (dive's default)"))
        #expect(limits[.wasted] == Budgets.Limit(value: nil, source: ".dive-ci (dive's default)"))
        #expect(limits[.userWasted] == Budgets.Limit(value: 0.2, source: ".dive-ci:2"))
        let (_, off) = try await Self.load("name: x\n", dive: "rules:\n  lowestEfficiency: \"\"\n  highestWastedBytes: off\n")
        #expect(try off.get().budgets.all.limits[.efficiency]?.value == nil)
        let (_, none) = try await Self.load("name: x\n")
        #expect(try none.get().budgets.isEmpty)
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var yaml: String
        var dive: String?
        var file: String
        var line: Int
        var says: String
        var testDescription: String { says }
    }

    @Test(
        "bad budgets are FILE:LINE errors with the fix",
        arguments: [
            Bad(yaml: "budgets:\n  size: huge\n", file: "scenario.yaml", line: 2, says: "budgets.size is \"huge\"; write a size, e.g. 20MB"),
            Bad(yaml: "budgets:\n  efficiency: 2\n", file: "scenario.yaml", line: 2, says: "a ratio from 0 to 1"),
            Bad(yaml: "budgets:\n  cold: soon\n", file: "scenario.yaml", line: 2, says: "a duration, e.g. 60s"),
            Bad(yaml: "budgets:\n  secrets: few\n", file: "scenario.yaml", line: 2, says: "none (no secret-looking file"),
            Bad(yaml: "budgets:\n  speed: 1s\n", file: "scenario.yaml", line: 2, says: "unknown budget \"speed\""),
            Bad(
                yaml: "axes:\n  a:\n    b: { budgets: { size: x } }\n", file: "scenario.yaml", line: 3, says: "a.b.budgets.size is \"x\""),
            Bad(yaml: "name: x\n", dive: "rules:\n  lowestEfficiency: 1.5\n", file: ".dive-ci", line: 2, says: "rules.lowestEfficiency is \"1.5\""),
            Bad(yaml: "name: x\n", dive: "rules:\n  highestWastedBytes: lots\n", file: ".dive-ci", line: 2, says: "write a size"),
            Bad(
                yaml: "name: x\n", dive: "rules:\n  lowestEfficency: 0.9\n", file: ".dive-ci", line: 2, says: "unknown dive rule \"lowestEfficency\""),
            Bad(yaml: "name: x\n", dive: "rules: [a\n", file: ".dive-ci", line: 2, says: "invalid YAML"),
        ])
    func bad(_ c: Bad) async throws {
        let (dir, result) = try await Self.load(c.yaml, dive: c.dive)
        guard case .failure(let error) = result else {
            Issue.record("expected an error for \(c.yaml) \(c.dive ?? "")")
            return
        }
        #expect(error.description.hasPrefix("\(dir)/\(c.file):\(c.line): "), "\(error)")
        #expect(error.description.contains(c.says), "\(error)")
    }

    @Test("evaluation: PASS at the limit, FAIL past it, SKIP when disabled, unmeasured or without an image")
    func evaluate() {
        func result(_ name: String, size: Int64?, cold: [Double], status: VariantStatus = .ok) -> VariantResult {
            var r = VariantResult(
                runID: 1, scenario: "s", axes: [AxisChoice(axis: "v", value: name)], status: status,
                image: size.map { ImageFacts(ref: "r", id: "i", sizeBytes: $0, layers: 1) }, builds: Sample.builds(.cold, cold))
            if size != nil {
                r.insight = ImageInsight(
                    layers: [], waste: WasteAnalysis(efficiency: 0.9, wastedBytes: 10, userWastedPercent: 0.2, layerBytes: [], inefficiencies: []),
                    secrets: name == "leaky" ? [SecretFinding(kind: .content, rule: .privateKey, path: "/app/key.txt", layer: 1, line: 1)] : [])
            }
            return r
        }
        let limits = Budgets([
            .size: .init(value: 1000, source: "scenario.yaml:2"), .cold: .init(value: 2, source: "scenario.yaml:3"),
            .efficiency: .init(value: 0.9, source: ".dive-ci:2"), .wasted: .init(value: nil, source: ".dive-ci:3"),
            .secrets: .init(value: 0, source: "scenario.yaml:4"), .warm: .init(value: 1, source: "scenario.yaml:5"),
        ])
        let check = BudgetCheck.evaluate(
            runID: 1,
            results: [result("edge", size: 1000, cold: [1, 2, 3]), result("big", size: 1001, cold: [3]), result("leaky", size: 10, cold: [1])]
                + [result("failed", size: nil, cold: [], status: .buildFailed)],
            budgets: ["s": ScenarioBudgets(all: limits)])
        func status(_ variant: String, _ rule: BudgetRule) -> BudgetCheck.Status? {
            check.items.first { $0.variant == "v=\(variant)" && $0.rule == rule }?.status
        }
        #expect(status("edge", .size) == .pass && status("edge", .cold) == .pass && status("edge", .efficiency) == .pass)
        #expect(status("big", .size) == .fail && status("big", .cold) == .fail)
        #expect(status("edge", .wasted) == .skip && status("edge", .warm) == .skip)
        #expect(status("leaky", .secrets) == .fail && status("edge", .secrets) == .pass)
        #expect(status("failed", .size) == .skip)
        #expect(check.failed && check.count(.fail) == 3)
        let skipped = check.items.first { $0.variant == "v=failed" }?.reason
        #expect(skipped == "no image (build-failed)")
        #expect(BudgetCheck.evaluate(runID: 1, results: [result("x", size: 1, cold: [1])], budgets: [:]).unbudgeted == ["s"])
    }
}
