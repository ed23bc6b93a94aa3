import ImageBenchCore

/// A run that ended before it finished: interrupted (SIGINT, SIGTERM), or failed (an engine stopped
/// answering, a docker or database error). It is recorded so, its finished builds are kept, and
/// `imagebench run --resume ID` finishes it.
public struct RunStopped: Error, CustomStringConvertible {
    public var runID: Int64
    /// Where the run is stored.
    public var database: String
    public var interrupted: Bool
    /// What stopped it (a `CancellationError` when interrupted).
    public var cause: any Error

    public init(runID: Int64, database: String, interrupted: Bool, cause: any Error) {
        self.runID = runID
        self.database = database
        self.interrupted = interrupted
        self.cause = cause
    }

    /// One line: what happened, that the finished builds are kept, and the command that finishes the run.
    public var description: String {
        let resume = "finish it with: imagebench run --resume \(runID)"
        if interrupted { return "run \(runID) interrupted; its finished builds are in \(database); \(resume)" }
        // It says all of it: the engine, what it was doing, and the resume command.
        if let lost = cause as? EngineLost { return lost.description }
        return "\(cause); run \(runID) failed, its finished builds are in \(database); \(resume)"
    }
}
