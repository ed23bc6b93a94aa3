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
    /// Whether the result keeps the output lines that can mark a build step (``StepLines``), each with
    /// the time it arrived.
    public var timesLines: Bool

    public init(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], timeout: Double? = nil, workingDirectory: String? = nil,
        timesLines: Bool = false
    ) {
        self.timesLines = timesLines
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
