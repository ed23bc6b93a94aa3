import Foundation

/// One program to start: arguments are passed as an array, never through a shell.
public struct Command: Sendable, Equatable {
    public var executable: String
    public var arguments: [String]
    /// Variables set on top of the inherited environment.
    public var environment: [String: String]
    /// Seconds after which the process group is stopped (SIGTERM, then SIGKILL 5 s later).
    public var timeout: Double?
    /// The folder to start in; `nil` for the current one.
    public var workingDirectory: String?

    public init(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], timeout: Double? = nil, workingDirectory: String? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.timeout = timeout
        self.workingDirectory = workingDirectory
    }

    /// The command as a person would type it, each argument quoted for a POSIX shell when needed.
    public var shellLine: String {
        let env = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(ShellQuote.quote($0.value))" }
        return (env + [executable] + arguments).map { $0.contains("=") && env.contains($0) ? $0 : ShellQuote.quote($0) }
            .joined(separator: " ")
    }
}

/// What a finished process left behind.
public struct CommandResult: Sendable, Equatable {
    /// The exit status, or `nil` when a signal ended the process.
    public var exitCode: Int32?
    public var stdout: String
    public var stderr: String
    /// Wall time from start to exit.
    public var seconds: Double
    public var timedOut: Bool

    public init(exitCode: Int32?, stdout: String = "", stderr: String = "", seconds: Double = 0, timedOut: Bool = false) {
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

/// The seam between imagebench and the processes it starts; tests of pure logic use a fake.
public protocol CommandExecuting: Sendable {
    /// Runs the command to its end. A non-zero exit is a result, not an error; failing to start throws.
    func run(_ command: Command) async throws -> CommandResult
    /// Runs the command, handing its standard output to `sink` as it arrives instead of keeping it
    /// (`docker save` of a large image never sits in memory). The result's `stdout` is empty.
    func stream(_ command: Command, to sink: any ByteSink) async throws -> CommandResult
}

/// Receives a process's output piece by piece, from one task at a time.
public protocol ByteSink: AnyObject, Sendable {
    func consume(_ bytes: ArraySlice<UInt8>)
}

/// Quoting for showing commands (`imagebench list`), never for running them.
public enum ShellQuote {
    public static func quote(_ word: String) -> String {
        if !word.isEmpty && word.allSatisfy({ $0.isLetter || $0.isNumber || "-_./:=,@%+".contains($0) }) && word.allSatisfy(\.isASCII) {
            return word
        }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
