/// Names one build of a variant: its phase and repetition (1-based).
public struct BuildKey: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var phase: Phase
    public var repetition: Int

    public init(_ phase: Phase, _ repetition: Int) {
        self.phase = phase
        self.repetition = repetition
    }

    /// `cold build 2`.
    public var description: String { "\(phase.rawValue) build \(repetition)" }
}

extension BuildRecord {
    public var key: BuildKey { BuildKey(phase, repetition) }
}
