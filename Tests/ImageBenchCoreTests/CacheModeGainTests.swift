import ImageBenchCore
import ImageBenchTestSupport
import Testing

/// What max mode adds over the inline cache, from a ci-cache-shaped pair: inline's ci builds ran go build,
/// registry-max's took it from the cache.
@Suite("cache modes: what max mode gains over inline")
struct CacheModeGainTests {
    static func result(_ cache: CacheSource, ci: [Double], cached: Set<String>, other: String = "x") -> VariantResult {
        var result = VariantResult(
            runID: 1, scenario: "ci-cache", axes: [AxisChoice(axis: "cache", value: cache.rawValue), AxisChoice(axis: "os", value: other)],
            status: .ok)
        result.builds = Sample.withSteps(Sample.builds(.ci, ci), cached: cached) + Sample.withSteps(Sample.builds(.ciNone, [9.8, 9.9]))
        result.ci = CIPhaseResult(cache: cache)
        return result
    }

    @Test("the steps max mode took from the cache that inline ran, and both medians")
    func gain() throws {
        let inline = Self.result(.inline, ci: [9.1, 9.3], cached: ["WORKDIR /src", "COPY go.mod main.go ./"])
        let max = Self.result(.registryMax, ci: [0.9, 0.8], cached: Sample.goInstructions.subtracting(["COPY --from=build /app /app"]))
        let gains = CacheModeGain.compare([inline, max, Self.result(.none, ci: [9.7], cached: [])])
        try #require(gains.count == 1)
        #expect(gains[0].max == "cache=registry-max,os=x" && gains[0].inline == "cache=inline,os=x")
        #expect(gains[0].gained.map(\.step.instruction) == ["RUN go build -o /app ."])
        #expect(abs(gains[0].maxVerdict.withCache.median - 0.85) < 1e-9 && abs(gains[0].inlineVerdict.withCache.median - 9.2) < 1e-9)
        // A variant differing in two axes is no twin.
        #expect(CacheModeGain.compare([Self.result(.inline, ci: [9], cached: [], other: "y"), max]).isEmpty)
    }
}
