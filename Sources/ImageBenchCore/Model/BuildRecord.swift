import Foundation

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
    /// The build's steps as its output showed them; nil in runs recorded before imagebench read them.
    public var steps: [StepRecord]?

    public init(
        phase: Phase, repetition: Int, startedAt: Date, seconds: Double, outcome: BuildOutcome, exitCode: Int32?,
        builder: BuilderKind, imageID: String?, outputTail: String? = nil, engine: EngineRecord? = nil, steps: [StepRecord]? = nil
    ) {
        self.engine = engine
        self.steps = steps
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
        case phase, repetition, seconds, outcome, builder, engine, steps
        case startedAt = "started_at"
        case exitCode = "exit_code"
        case imageID = "image_id"
        case outputTail = "output_tail"
    }
}
