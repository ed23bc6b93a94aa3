import Foundation

/// What became of a variant.
public enum VariantStatus: String, Sendable, Codable {
    /// Built, and its smoke test passed.
    case ok
    /// In `expect-broken`, and its smoke test failed as expected.
    case expectedBroken = "expected-broken"
    /// Built, but its smoke test failed unexpectedly.
    case broken
    /// A build failed or timed out.
    case buildFailed = "build-failed"
    /// Not built: this environment cannot build it (for example `builder: buildkit` with a client that
    /// has no BuildKit). The problem says why and how to fix it.
    case skipped
    /// Not finished (the run stopped before it).
    case pending
}

/// How one build ended.
public enum BuildOutcome: String, Sendable, Codable {
    case ok, failed, timeout
}

/// One `docker build`.
public struct BuildRecord: Sendable, Codable, Equatable {
    public var phase: Phase
    public var repetition: Int
    public var startedAt: Date
    /// Wall time of the docker client process.
    public var seconds: Double
    public var outcome: BuildOutcome
    public var exitCode: Int32?
    public var builder: BuilderKind
    public var imageID: String?
    /// The last 40 lines of docker's output, kept for failed builds.
    public var outputTail: String?
    /// The engine the build ran on; nil in runs recorded before imagebench recorded it.
    public var engine: EngineRecord?

    public init(
        phase: Phase, repetition: Int, startedAt: Date, seconds: Double, outcome: BuildOutcome, exitCode: Int32?,
        builder: BuilderKind, imageID: String?, outputTail: String? = nil, engine: EngineRecord? = nil
    ) {
        self.engine = engine
        self.phase = phase
        self.repetition = repetition
        self.startedAt = startedAt
        self.seconds = seconds
        self.outcome = outcome
        self.exitCode = exitCode
        self.builder = builder
        self.imageID = imageID
        self.outputTail = outputTail
    }

    public var succeeded: Bool { outcome == .ok }

    enum CodingKeys: String, CodingKey {
        case phase, repetition, seconds, outcome, builder, engine
        case startedAt = "started_at"
        case exitCode = "exit_code"
        case imageID = "image_id"
        case outputTail = "output_tail"
    }
}

/// One layer of an image as `docker history` shows it (newest last).
public struct LayerRecord: Sendable, Codable, Equatable {
    public var position: Int
    public var sizeBytes: Int64
    /// The instruction that made it.
    public var createdBy: String
    public var id: String?

    public init(position: Int, sizeBytes: Int64, createdBy: String, id: String? = nil) {
        self.position = position
        self.sizeBytes = sizeBytes
        self.createdBy = createdBy
        self.id = id
    }

    enum CodingKeys: String, CodingKey {
        case position, id
        case sizeBytes = "size_bytes"
        case createdBy = "created_by"
    }
}

/// Facts about a built image, from `docker image inspect` and `docker history`.
public struct ImageFacts: Sendable, Codable, Equatable {
    public var ref: String
    public var id: String
    /// `.Size`: uncompressed bytes on disk.
    public var sizeBytes: Int64
    /// `.RootFS.Layers` count: filesystem layers.
    public var layers: Int
    public var history: [LayerRecord]

    public init(ref: String, id: String, sizeBytes: Int64, layers: Int, history: [LayerRecord] = []) {
        self.ref = ref
        self.id = id
        self.sizeBytes = sizeBytes
        self.layers = layers
        self.history = history
    }

    enum CodingKeys: String, CodingKey {
        case ref, id, layers, history
        case sizeBytes = "size_bytes"
    }
}

/// One `docker run --rm` of the built image.
public struct SmokeResult: Sendable, Codable, Equatable {
    /// The image behaved as `smoke:` asks (exit code and output).
    public var ok: Bool
    public var exitCode: Int32?
    public var seconds: Double
    /// Standard output then standard error, trimmed.
    public var output: String
    public var timedOut: Bool

    public init(ok: Bool, exitCode: Int32?, seconds: Double, output: String, timedOut: Bool = false) {
        self.ok = ok
        self.exitCode = exitCode
        self.seconds = seconds
        self.output = output
        self.timedOut = timedOut
    }

    enum CodingKeys: String, CodingKey {
        case ok, seconds, output
        case exitCode = "exit_code"
        case timedOut = "timed_out"
    }
}

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

    /// A variant that did not behave as its scenario says: a failed build, an unexpected smoke failure, or
    /// a problem found while measuring it. A skipped variant is not one: the environment could not build it.
    public var isUnexpected: Bool {
        status == .broken || status == .buildFailed || (problem != nil && status != .skipped)
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
