/// A request imagebench refuses once it runs: the flags parse, but what they name does not fit what is
/// there (an axis no scenario has, a run the database does not hold, a run measured on another engine).
/// One line with the fix. ``Reason/runNotFound`` exits with status 5, every other reason with 64, like
/// a wrong flag.
public struct RequestError: Error, CustomStringConvertible, Equatable {
    public enum Reason: String, Sendable {
        /// `--run`, `--baseline`, `--candidate` or `--resume` names no run in the database.
        case runNotFound
        /// `--only` names an axis or a value no scenario has.
        case unknownFilter
        /// No scenario was named and none was found under `./Scenarios`.
        case noScenario
        /// `run --resume`: the run has no stored plan to finish.
        case notResumable
        /// The runs, or a run and this machine, come from different machines or engines.
        case otherEnvironment
        /// One engine was named twice, or `--ci-engine` names an engine the run builds on.
        case engineTwice
        /// `history`: the database holds no runs of that scenario or variant.
        case noHistory
        /// `--output`: the file cannot be written.
        case cannotWrite
        /// `diff --run`: the run has no variant of that name, or did not store its files.
        case noVariant
        /// `analyze`/`diff`: a flag that reads an engine (`--source`) with an image archive.
        case archiveFlag
        /// `run --commits`, `bisect`: the range names no commits, or the good commit is not before the bad one.
        case noCommits
        /// `bisect`: the good or the bad commit cannot be measured.
        case unmeasurable
    }

    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        // One line, always: a message quoting a file name or docker's words must not break it.
        self.message = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    public var description: String { message }

    /// `--run ID` (or `--resume ID`, `--baseline`, `--candidate`) names no run in `database`.
    public static func runNotFound(_ requested: String, database: String) -> RequestError {
        RequestError(
            .runNotFound,
            requested == "latest"
                ? "\(database) holds no runs yet; run `imagebench run SCENARIO` first, or give the database with --db"
                : "run \(requested) is not in \(database); `imagebench runs` lists the runs it holds")
    }
}
