import ImageBenchCore

/// What a run reports while it works: progress, and the notes and warnings a user should read.
public enum RunEvent: Sendable {
    /// `engine` names the engine when the run has several.
    case variantStarted(VariantKey, index: Int, total: Int, engine: String?)
    case buildStarted(phase: Phase, repetition: Int, of: Int)
    case buildFinished(BuildRecord)
    case smokeStarted
    case variantFinished(VariantResult)
    /// Something the run did that a user should know (a profile applied, a run resumed).
    case note(String)
    /// Something that may not be what the user wanted (an engine left out).
    case warning(String)
}
