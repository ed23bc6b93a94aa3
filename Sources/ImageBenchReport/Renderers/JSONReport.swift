import Foundation
import ImageBenchCore

/// `--format json`: runs with their environment, and one result per variant with every repetition.
public enum JSONReport {
    struct Document: Encodable {
        var runs: [RunRecord]
        var results: [Result]
    }

    struct Result: Encodable {
        var runID: Int64
        var scenario: String
        var variant: String
        var axes: [String: String]
        var status: String
        var image: ImageFacts?
        var contextBytes: Int64?
        var context: BuildContextFacts?
        var insight: ImageInsight?
        var sharedBytes: Int64?
        var uniqueBytes: Int64?
        var phases: [String: PhaseStats]
        var smoke: SmokeResult?
        var problem: String?
        var builds: [BuildRecord]
        var engine: EngineRecord?
        /// Per phase, each step over the phase's builds.
        var steps: [String: [StepJSON]]
        var target: String?
        /// The `ci` phase: cache source, skip reason or problem, cache image, and the verdict.
        var ci: CIJSON?
        /// A service's start times (`smoke.http`): their statistics and every sample, and why one is missing.
        var start: StartJSON?
        var pull: PullJSON?
        /// The platform built for, and the architecture it was emulated as when not the engine's own.
        var platform: String?
        var emulated: String?
        /// A list of platforms' index: each platform's size, compressed size and layers, and the index's stored bytes.
        var platformIndex: PlatformIndex?
        /// Of a variant built for a platform, its RUN steps for that platform (0: cross-compiled), and whether they ran emulated.
        var targetPlatformRuns: Int?
        var buildEmulated: Bool?

        enum CodingKeys: String, CodingKey {
            case scenario, variant, axes, status, image, phases, smoke, problem, builds, context, insight, engine, steps, target, ci, start, pull,
                platform, emulated
            case platformIndex = "platform_index"
            case targetPlatformRuns = "target_platform_runs"
            case buildEmulated = "build_emulated"
            case sharedBytes = "shared_bytes"
            case uniqueBytes = "unique_bytes"
            case runID = "run_id"
            case contextBytes = "context_bytes"
        }
    }

    /// One step over a phase's builds: the step as first recorded, its durations' statistics, its hits.
    struct StepJSON: Encodable {
        var stage: String?
        var number: Int
        var total: Int?
        var instruction: String
        var kind: StepRecord.Kind
        var summary: Summary
        var cachedBuilds: Int
        var shareOfBuild: Double?

        init(_ stats: StepStats, in phase: PhaseSteps) {
            stage = stats.step.stage
            number = stats.step.number
            total = stats.step.total
            instruction = stats.step.instruction
            kind = stats.step.kind
            summary = stats.summary
            cachedBuilds = stats.cachedCount
            shareOfBuild = phase.share(stats)
        }

        enum CodingKeys: String, CodingKey {
            case stage, number, total, instruction, kind, summary
            case cachedBuilds = "cached_builds"
            case shareOfBuild = "share_of_build"
        }
    }

    /// A variant's `ci` phase as stored, with what its cache gained (``CIVerdict``).
    struct CIJSON: Encodable {
        var phase: CIPhaseResult
        var verdict: CIVerdict?

        enum CodingKeys: String, CodingKey {
            case cache, skipped, problem, edit
            case cacheImage = "cache_image"
            case pulledFrom = "pulled_from"
            case ratio
            case welchP = "welch_p"
            case withCacheN = "with_cache_n"
            case withoutCacheN = "without_cache_n"
            case cachedSteps = "cached_steps"
            case partlyCachedSteps = "partly_cached_steps"
            case ranSteps = "ran_steps"
            case alternatingMisses = "alternating_misses"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(phase.cache, forKey: .cache)
            try c.encodeIfPresent(phase.skipped, forKey: .skipped)
            try c.encodeIfPresent(phase.problem, forKey: .problem)
            try c.encodeIfPresent(phase.cacheImage, forKey: .cacheImage)
            try c.encodeIfPresent(phase.pulledFrom, forKey: .pulledFrom)
            try c.encodeIfPresent(phase.edit, forKey: .edit)
            guard let verdict else { return }
            try c.encodeIfPresent(verdict.ratio, forKey: .ratio)
            try c.encodeIfPresent(verdict.welch?.p, forKey: .welchP)
            try c.encode(verdict.withCache.n, forKey: .withCacheN)
            try c.encodeIfPresent(verdict.without?.n, forKey: .withoutCacheN)
            try c.encode(verdict.hits.map(\.step.label), forKey: .cachedSteps)
            try c.encode(verdict.partialHits.map(\.step.label), forKey: .partlyCachedSteps)
            try c.encode(verdict.misses.map(\.step.label), forKey: .ranSteps)
            try c.encode(verdict.alternatingMisses, forKey: .alternatingMisses)
        }
    }

    /// The start metric: its statistics as a phase's, and the problem that cut it short.
    /// The pull phase's statistics, the reference pulled and the engine that pulled it.
    struct PullJSON: Encodable {
        var pull: PullResult

        enum CodingKeys: String, CodingKey { case problem, reference, engine }

        func encode(to encoder: any Encoder) throws {
            try PhaseStats(summary: Summary(pull.samples)).encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(pull.reference, forKey: .reference)
            try c.encode(pull.engine, forKey: .engine)
            try c.encodeIfPresent(pull.problem, forKey: .problem)
        }
    }

    struct StartJSON: Encodable {
        var start: StartResult

        enum CodingKeys: String, CodingKey { case problem }

        func encode(to encoder: any Encoder) throws {
            try PhaseStats(summary: Summary(start.samples)).encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(start.problem, forKey: .problem)
        }
    }

    /// A phase's statistics, or `{}` when the phase did not run.
    struct PhaseStats: Encodable {
        var summary: Summary?
        func encode(to encoder: any Encoder) throws {
            if let summary { try summary.encode(to: encoder) } else { _ = encoder.container(keyedBy: NoKeys.self) }
        }
    }

    enum NoKeys: CodingKey {}

    public static func render(_ report: RunReport) -> String {
        let sharing = SharedBytes.compute(report.results)
        let phases = CIText.phases(report.results)
        let results = report.results.map { r in
            Result(
                runID: r.runID, scenario: r.scenario, variant: r.name,
                axes: Dictionary(r.axes.map { ($0.axis, $0.value) }, uniquingKeysWith: { a, _ in a }),
                status: r.status.rawValue, image: r.image, contextBytes: r.contextBytes, context: r.context, insight: r.insight,
                sharedBytes: sharing[r]?.shared, uniqueBytes: sharing[r]?.unique,
                phases: Dictionary(uniqueKeysWithValues: phases.map { ($0.rawValue, PhaseStats(summary: Summary(r.samples($0)))) }),
                smoke: r.smoke, problem: r.problem, builds: r.builds, engine: r.engine,
                steps: Dictionary(uniqueKeysWithValues: r.phaseSteps.map { p in (p.phase.rawValue, p.steps.map { StepJSON($0, in: p) }) }),
                target: r.target, ci: r.ci.map { CIJSON(phase: $0, verdict: CIVerdict(r)) }, start: r.start.map(StartJSON.init),
                pull: r.pull.map(PullJSON.init), platform: r.platform,
                emulated: r.emulatedArchitecture, platformIndex: r.platformIndex, targetPlatformRuns: r.targetPlatformRuns,
                buildEmulated: r.emulatedArchitecture == nil ? nil : r.buildEmulated)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(Document(runs: report.runs, results: results)) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
