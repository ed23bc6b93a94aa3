import Foundation
import ImageBenchCore
import ImageBenchTestSupport
import Testing

@Suite("ci phase: schedule, verdict, scenario key")
struct FreshScheduleTests {
    @Test("with a cache: a seed, then each repetition's baseline and its ci build, each ci build's cache the one before it")
    func chained() {
        #expect(
            FreshSchedule.actions(cache: .inline, repeatCount: 3, done: []) == [
                .build(BuildKey(.ciNone, 1), cacheFrom: nil, pushes: false), .seed, .build(BuildKey(.ci, 1), cacheFrom: 0, pushes: true),
                .build(BuildKey(.ciNone, 2), cacheFrom: nil, pushes: false), .build(BuildKey(.ci, 2), cacheFrom: 1, pushes: true),
                .build(BuildKey(.ciNone, 3), cacheFrom: nil, pushes: false), .build(BuildKey(.ci, 3), cacheFrom: 2, pushes: false),
            ])
    }

    @Test("cache: none builds only ci builds without cache; resuming seeds the chain again")
    func noneAndResume() {
        #expect(
            FreshSchedule.actions(cache: .none, repeatCount: 2, done: [BuildKey(.ci, 1)]) == [.build(BuildKey(.ci, 2), cacheFrom: nil, pushes: false)]
        )
        #expect(
            FreshSchedule.actions(cache: .classic, repeatCount: 2, done: [BuildKey(.ciNone, 1), BuildKey(.ci, 1)]) == [
                .build(BuildKey(.ciNone, 2), cacheFrom: nil, pushes: false), .seed, .build(BuildKey(.ci, 2), cacheFrom: 0, pushes: false),
            ])
    }

    static func build(_ phase: Phase, _ repetition: Int, seconds: Double, cached: [String]) -> BuildRecord {
        let steps = ["COPY a.txt /a.txt", "RUN sleep 3"].enumerated().map { index, instruction in
            StepRecord(
                stage: nil, number: index + 2, total: 3, instruction: instruction, kind: .instruction, cached: cached.contains(instruction),
                start: Double(index), seconds: cached.contains(instruction) ? 0 : seconds / 2)
        }
        return BuildRecord(
            phase: phase, repetition: repetition, startedAt: Date(), seconds: seconds, outcome: .ok, exitCode: 0, builder: .buildkit, imageID: "x",
            steps: steps)
    }

    @Test("the verdict: ratio of medians, both n, Welch's p, the hits; a ci build that hits less than the first is moby/buildkit#1981")
    func verdict() throws {
        let all = ["COPY a.txt /a.txt", "RUN sleep 3"]
        var result = VariantResult(runID: 1, scenario: "s", axes: [AxisChoice(axis: "cache", value: "inline")])
        result.ci = CIPhaseResult(cache: .inline)
        result.builds = [
            Self.build(.ciNone, 1, seconds: 3.2, cached: []), Self.build(.ci, 1, seconds: 0.2, cached: all),
            Self.build(.ciNone, 2, seconds: 3.3, cached: []), Self.build(.ci, 2, seconds: 0.3, cached: all),
        ]
        let verdict = try #require(CIVerdict(result))
        let ratio = try #require(verdict.ratio)
        #expect(abs(ratio - 0.25 / 3.25) < 1e-9)
        #expect(verdict.withCache.n == 2 && verdict.without?.n == 2)
        #expect(try #require(verdict.welch).significant)
        #expect(verdict.hits.map(\.step.instruction) == all && verdict.misses.isEmpty && verdict.alternatingMisses.isEmpty)
        result.builds.append(Self.build(.ci, 3, seconds: 3.1, cached: ["COPY a.txt /a.txt"]))
        #expect(CIVerdict.alternatingMisses(result.builds) == [3])
        let partly = try #require(CIVerdict(result))
        #expect(partly.partialHits.map(\.step.instruction) == ["RUN sleep 3"] && partly.partialHits[0].cachedCount == 2)
        #expect(partly.hits.map(\.step.instruction) == ["COPY a.txt /a.txt"] && partly.misses.isEmpty)
    }

    @Test("cache: in a scenario and an axis value; an unknown source is a FILE:LINE error naming the choices")
    func scenarioKey() async throws {
        let (_, loaded) = try await ScenarioLoaderTests.folder("cache: classic\naxes:\n  c:\n    a: {}\n    b: { cache: inline }\n")
        #expect(try loaded.get().variants().map(\.settings.cache) == [.classic, .inline])
        let (_, bad) = try await ScenarioLoaderTests.folder("axes:\n  c:\n    a: { cache: max }\n")
        guard case .failure(let error) = bad else {
            Issue.record("loaded")
            return
        }
        #expect(error.description.contains("scenario.yaml:3: c.a.cache is \"max\"; use none, inline, classic, registry-max, local-max"), "\(error)")
        #expect(CacheSource.default(for: .classic) == .classic && CacheSource.default(for: .buildkit) == .inline)
    }
}
