import Foundation
import ImageBenchCore

/// What a finished process left behind.
public struct CommandResult: Sendable, Equatable {
    /// The exit status, or `nil` when a signal ended the process.
    public var exitCode: Int32?
    public var stdout: String
    public var stderr: String
    /// Wall time from start to exit.
    public var seconds: Double
    public var timedOut: Bool
    /// With ``Command/timesLines``: the lines of both streams that can mark a build step, in the order
    /// they arrived, each with its arrival time in seconds after the process started.
    public var lines: [OutputLine]

    public init(
        exitCode: Int32?, stdout: String = "", stderr: String = "", seconds: Double = 0, timedOut: Bool = false, lines: [OutputLine] = []
    ) {
        self.lines = lines
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds
        self.timedOut = timedOut
    }

    public var succeeded: Bool { exitCode == 0 && !timedOut }

    /// The last `count` lines of standard output followed by standard error.
    public func tail(_ count: Int = 40) -> String {
        let lines =
            (stdout.split(separator: "\n", omittingEmptySubsequences: false) + stderr.split(separator: "\n", omittingEmptySubsequences: false))
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return lines.suffix(count).joined(separator: "\n")
    }
}
