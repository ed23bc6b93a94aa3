import Foundation
import ImageBenchCore

/// A docker command that could not do its job, with the command and what docker said.
public struct DockerError: Error, CustomStringConvertible, Equatable {
    public enum Reason: String, Sendable {
        /// The docker executable could not be started.
        case notStarted
        /// No engine answered `docker version`.
        case engineUnavailable
        /// The command ran and failed.
        case commandFailed
        /// Docker printed something imagebench cannot read.
        case unexpectedOutput
        /// A base image is neither present nor pullable.
        case baseImageMissing
    }

    public var reason: Reason
    public var command: String
    public var exitCode: Int32?
    /// The last lines of the command's output.
    public var outputTail: String
    public var hint: String

    public init(_ reason: Reason, command: String, exitCode: Int32? = nil, outputTail: String = "", hint: String = "") {
        self.reason = reason
        self.command = command
        self.exitCode = exitCode
        self.outputTail = outputTail
        self.hint = hint
    }

    /// One line: what failed, what docker said last, and the fix.
    public var description: String {
        let last = outputTail.split(separator: "\n").last.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        var line: String
        switch reason {
        case .notStarted: line = "cannot start the client (\(command))"
        case .engineUnavailable: line = "no Docker engine answers `\(command)`"
        case .commandFailed: line = "`\(command)` failed" + (exitCode.map { " with exit status \($0)" } ?? " (killed)")
        case .unexpectedOutput: line = "cannot read the output of `\(command)`"
        case .baseImageMissing: line = "base image missing"
        }
        if !last.isEmpty { line += ": \(last)" }
        if !hint.isEmpty { line += "; \(hint)" }
        return line
    }
}
