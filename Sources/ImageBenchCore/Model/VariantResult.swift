import Foundation

/// Everything measured for one variant in one run.
public struct VariantResult: Sendable, Equatable {
    public var runID: Int64
    public var scenario: String
    public var axes: [AxisChoice]
    public var status: VariantStatus
    public var image: ImageFacts?
    /// Build-context bytes as docker reported them (docker rounds to 4 significant digits).
    public var contextBytes: Int64?
    /// The context imagebench computed with docker's .dockerignore rules: files, bytes, secrets.
    public var context: BuildContextFacts?
    /// The analysis of the built image: layers, waste as dive computes it, secrets in the layers.
    public var insight: ImageInsight?
    public var builds: [BuildRecord]
    public var smoke: SmokeResult?
    /// Why the variant did not behave as expected (a failed build, a stale expect-broken), one line.
    public var problem: String?
    /// The engine every build of the variant ran on (all of them run on one); nil before it was recorded.
    public var engine: EngineRecord?
    /// The `--target` stage it built, when its axis value names one.
    public var target: String?
    /// Its `ci` phase: the cache source, or why it was skipped; nil when the run had no `ci` phase.
    public var ci: CIPhaseResult?
    /// Its `start` metric, when its smoke test is `smoke.http` and the service answered.
    public var start: StartResult?
    /// Its `pull` phase, when the run measured one (`--phases ...,pull` with `--registry`).
    public var pull: PullResult?
    /// Adds `problem` to the variant's, after any it already has.
    public mutating func addProblem(_ problem: String) {
        self.problem = [self.problem, problem].compactMap { $0 }.joined(separator: "; ")
    }

    /// The platform it was built for (`platform:`, `linux/arm64`); nil: the engine's own.
    public var platform: String?
    /// A list of platforms' index: each platform's image and what the index weighs; nil for one platform.
    public var platformIndex: PlatformIndex?
    /// Of a variant built for a `platform:`, the `RUN` steps its Dockerfile builds for that platform (not on
    /// `$BUILDPLATFORM`): none when a native build stage cross-compiles. nil without a platform, and in runs
    /// before it was recorded.
    public var targetPlatformRuns: Int?

    /// Whether its build ran steps under emulation: it was built for another architecture than its engine's
    /// and some `RUN` step ran for that platform. A cross-compiled variant's build is native; only its smoke
    /// test ran emulated.
    public var buildEmulated: Bool { emulatedArchitecture != nil && (targetPlatformRuns ?? 1) > 0 }

    /// The architecture it was built and smoke-tested for when its engine's is another (`arm64` on an amd64
    /// engine): then it ran under emulation, and its times are emulated times. Of a list of platforms, the
    /// one its smoke test ran (the engine's own when listed). Nil for a native build, and when the engine's
    /// architecture is not recorded.
    public var emulatedArchitecture: String? {
        guard let platform, let native = engine?.architecture, let run = PlatformIndex.smokePlatform(platform, native: native),
            let architecture = PlatformIndex.architecture(of: run)
        else { return nil }
        return architecture == native ? nil : architecture
    }

    /// Of a list of platforms, those of another architecture than the engine's: their images were built
    /// under emulation wherever a stage runs for them. Empty for one platform.
    public var emulatedListMembers: [String] {
        guard let platform, PlatformIndex.isList(platform), let native = engine?.architecture else { return [] }
        return PlatformIndex.platforms(platform).filter { PlatformIndex.architecture(of: $0) != native }
    }
    /// The built image's files and links as a container sees them (no folders), for `diff --run`;
    /// stored apart from the rest and read only when asked for.
    public var files: FinalFiles?

    /// A variant that did not behave as its scenario says: a failed build, an unexpected smoke failure, or
    /// a problem found while measuring it (its `ci` phase's too). A skipped variant is not one: the environment could not build it.
    public var isUnexpected: Bool {
        status == .broken || status == .buildFailed || (problem != nil && status != .skipped) || ci?.problem != nil
    }

    public init(
        runID: Int64, scenario: String, axes: [AxisChoice], status: VariantStatus = .pending, image: ImageFacts? = nil,
        contextBytes: Int64? = nil, context: BuildContextFacts? = nil, builds: [BuildRecord] = [], smoke: SmokeResult? = nil,
        problem: String? = nil
    ) {
        self.context = context
        self.runID = runID
        self.scenario = scenario
        self.axes = axes
        self.status = status
        self.image = image
        self.contextBytes = contextBytes
        self.builds = builds
        self.smoke = smoke
        self.problem = problem
    }

    public var name: String { Variant.name(of: axes) }

    /// Wall times of the successful builds of a phase, in the order they ran.
    public func samples(_ phase: Phase) -> [Double] {
        builds.filter { $0.phase == phase && $0.succeeded }.sorted { $0.repetition < $1.repetition }.map(\.seconds)
    }
}
