/// One step of one build: a Dockerfile instruction (or one of BuildKit's own steps), whether it was a
/// cache hit, when it started and how long it took.
public struct StepRecord: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// A Dockerfile instruction after FROM: it can hit the cache.
        case instruction
        /// `FROM`: loads the base image (the classic builder and BuildKit never call it a cache hit).
        case base
        /// An instruction before the first `FROM` (`ARG`): the classic builder's step 1.
        case global
        /// BuildKit's own work: `[internal] load build context`, `exporting to image`.
        case `internal`
    }

    /// The stage's name (`build`, `stage-1`); nil in a single-stage build.
    public var stage: String?
    /// The step's number: within its stage for BuildKit and podman (`[build 2/4]`), across the
    /// Dockerfile for the classic builder (`Step 5/9`); 0 for BuildKit's internal steps.
    public var number: Int
    /// Out of how many.
    public var total: Int?
    /// The instruction as the builder printed it.
    public var instruction: String
    public var kind: Kind
    public var cached: Bool
    /// When the step started, seconds after the build started.
    public var start: Double
    public var seconds: Double

    public init(stage: String?, number: Int, total: Int?, instruction: String, kind: Kind, cached: Bool, start: Double, seconds: Double) {
        self.stage = stage
        self.number = number
        self.total = total
        self.instruction = instruction
        self.kind = kind
        self.cached = cached
        self.start = start
        self.seconds = seconds
    }

    /// The step with its start and duration to the millisecond, as the store keeps them (finer is below
    /// what line arrival times can tell).
    public func toMilliseconds() -> StepRecord {
        var step = self
        step.start = (start * 1000).rounded() / 1000
        step.seconds = (seconds * 1000).rounded() / 1000
        return step
    }

    /// Names the step across repetitions of a variant: stage, number and instruction.
    public var key: String { "\(stage ?? "")#\(number) \(instruction)" }

    /// `build 4/4 RUN go build` or `5/9 RUN ...` as reports name it.
    public var label: String {
        let position = total.map { "\(number)/\($0)" } ?? String(number)
        return kind == .internal ? instruction : [stage, position].compactMap { $0 }.joined(separator: " ") + " " + instruction
    }

    /// Whether the instruction reads another stage or image: `COPY --from=build`, `RUN --mount=from=...`.
    public var copiesFromStage: Bool {
        let words = instruction.split(whereSeparator: \.isWhitespace).dropFirst().prefix { $0.hasPrefix("--") }
        return words.contains { $0.hasPrefix("--from=") || ($0.hasPrefix("--mount=") && ($0.contains(",from=") || $0.contains("=from="))) }
    }

    enum CodingKeys: String, CodingKey {
        case stage, number, total, instruction, kind, cached, seconds
        case start = "start_s"
    }
}
