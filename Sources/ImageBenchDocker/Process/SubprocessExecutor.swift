import Foundation
import Subprocess
import Synchronization

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Starts real processes with swift-subprocess, in their own session so a timeout or a cancel
/// stops the whole process group (`docker build` starts children of its own).
public struct SubprocessExecutor: CommandExecuting {
    /// Bytes of each stream kept; beyond it the oldest bytes are dropped (the tail is what matters).
    public var outputLimit: Int

    public init(outputLimit: Int = 16 << 20) {
        self.outputLimit = outputLimit
    }

    public func run(_ command: Command) async throws -> CommandResult {
        let limit = outputLimit
        return try await launch(command, output: .sequence) { execution in try await Self.collect(execution.standardOutput, limit: limit) }
    }

    /// Standard output goes through a pipe of imagebench's own, 1 MiB deep, read by a dedicated thread
    /// in 1 MiB blocks: for `docker save` of a large image this costs a fraction of what swift-subprocess's
    /// 64 kB asynchronous reads cost.
    public func stream(_ command: Command, to sink: any ByteSink) async throws -> CommandResult {
        let pipe = try BlockPipe()
        do {
            return try await launch(command, output: .fileDescriptor(pipe.writeEnd, closeAfterSpawningProcess: true)) { _ in
                await pipe.drain(into: sink)
                return []
            }
        } catch {
            pipe.closeReadEnd()
            throw error
        }
    }

    private func launch<Output: OutputProtocol>(
        _ command: Command, output: Output,
        standardOutput: @escaping @Sendable (Execution<NoInput, Output, SequenceOutput>) async throws -> [UInt8]
    ) async throws -> CommandResult {
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .seconds(5))]
        var updates: [Environment.Key: String?] = [:]
        for (key, value) in command.environment { updates[Environment.Key(stringLiteral: key)] = value }
        let executable: Executable = command.executable.contains("/") ? .path(FilePath(command.executable)) : .name(command.executable)
        let limit = outputLimit
        let timeout = command.timeout
        let start = ContinuousClock.now
        let fired = TimeoutFlag()
        let result = try await Subprocess.run(
            executable,
            arguments: Arguments(command.arguments),
            environment: .inherit.updating(updates),
            workingDirectory: command.workingDirectory.map { FilePath($0) },
            platformOptions: options,
            input: .none,
            output: output,
            error: .sequence
        ) { execution in
            // Each child leads a session (process group) of its own: registered, so a second Ctrl-C can
            // kill every group at once before imagebench exits.
            let processGroup = execution.processIdentifier.value
            RunningProcessGroups.shared.insert(processGroup)
            defer { RunningProcessGroups.shared.remove(processGroup) }
            return try await withThrowingTaskGroup(of: StreamResult.self) { group in
                group.addTask { .stdout(try await standardOutput(execution)) }
                group.addTask { .stderr(try await Self.collect(execution.standardError, limit: limit)) }
                if let timeout {
                    group.addTask {
                        try await Task.sleep(for: .seconds(timeout))
                        fired.set()
                        try? execution.send(signal: .terminate, toProcessGroup: true)
                        try? await Task.sleep(for: .seconds(5))
                        try? execution.send(signal: .kill, toProcessGroup: true)
                        return .timedOut
                    }
                }
                var out: [UInt8] = []
                var err: [UInt8] = []
                var streamsLeft = 2
                while streamsLeft > 0, let next = try await group.next() {
                    switch next {
                    case .stdout(let bytes): out = bytes; streamsLeft -= 1
                    case .stderr(let bytes): err = bytes; streamsLeft -= 1
                    case .timedOut: break
                    }
                }
                group.cancelAll()
                return (out, err)
            }
        }
        let seconds = Self.seconds(ContinuousClock.now - start)
        var exitCode: Int32? = nil
        if case .exited(let code) = result.terminationStatus { exitCode = code }
        let (out, err) = result.closureResult
        let timedOut = fired.isSet
        return CommandResult(
            exitCode: exitCode, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
            seconds: seconds, timedOut: timedOut)
    }

    /// Set by the timer before it signals, so the result says "timeout" even when the streams end first.
    private final class TimeoutFlag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }

    private enum StreamResult: Sendable {
        case stdout([UInt8])
        case stderr([UInt8])
        case timedOut
    }

    private static func collect(_ stream: SubprocessOutputSequence, limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await buffer in stream {
            buffer.withUnsafeBytes { bytes.append(contentsOf: $0) }
            if bytes.count > limit * 2 { bytes.removeFirst(bytes.count - limit) }
        }
        if bytes.count > limit { bytes.removeFirst(bytes.count - limit) }
        return bytes
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
