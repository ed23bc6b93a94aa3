import Foundation
import ImageBenchCore
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
        return try await launch(command, output: .sequence) { execution, start in
            try await Self.collect(execution.standardOutput, limit: limit, timing: command.timesLines ? start : nil)
        }
    }

    /// Standard output goes through a pipe of imagebench's own, 1 MiB deep, read by a dedicated thread
    /// in 1 MiB blocks: for `docker save` of a large image this costs a fraction of what swift-subprocess's
    /// 64 kB asynchronous reads cost.
    public func stream(_ command: Command, to sink: any ByteSink) async throws -> CommandResult {
        let pipe = try BlockPipe()
        do {
            return try await launch(command, output: .fileDescriptor(pipe.writeEnd, closeAfterSpawningProcess: true)) { _, _ in
                await pipe.drain(into: sink)
                return Collected()
            }
        } catch {
            pipe.closeReadEnd()
            throw error
        }
    }

    private func launch<Output: OutputProtocol>(
        _ command: Command, output: Output,
        standardOutput: @escaping @Sendable (Execution<NoInput, Output, SequenceOutput>, ContinuousClock.Instant) async throws -> Collected
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
                group.addTask { .stdout(try await standardOutput(execution, start)) }
                group.addTask {
                    .stderr(try await Self.collect(execution.standardError, limit: limit, timing: command.timesLines ? start : nil))
                }
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
                var out = Collected()
                var err = Collected()
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
        // Both streams' lines in the order they arrived (stable: a stream's own order is kept).
        let lines = (out.lines + err.lines).enumerated().sorted { ($0.element.seconds, $0.offset) < ($1.element.seconds, $1.offset) }
            .map(\.element)
        return CommandResult(
            exitCode: exitCode, stdout: String(decoding: out.bytes, as: UTF8.self), stderr: String(decoding: err.bytes, as: UTF8.self),
            seconds: seconds, timedOut: timedOut, lines: lines)
    }

    /// Set by the timer before it signals, so the result says "timeout" even when the streams end first.
    private final class TimeoutFlag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }

    private enum StreamResult: Sendable {
        case stdout(Collected)
        case stderr(Collected)
        case timedOut
    }

    /// What one stream left: its last bytes, and its timed lines when the command asked for them.
    struct Collected: Sendable {
        var bytes: [UInt8] = []
        var lines: [OutputLine] = []
    }

    /// Reads a stream to its end; with `timing`, also times its marker lines from that instant.
    private static func collect(_ stream: SubprocessOutputSequence, limit: Int, timing start: ContinuousClock.Instant?) async throws -> Collected {
        var bytes: [UInt8] = []
        var timer = start.map { _ in LineTimer() }
        for try await buffer in stream {
            if let start, timer != nil {
                let now = seconds(ContinuousClock.now - start)
                buffer.withUnsafeBytes { timer!.consume($0, at: now) }
            }
            buffer.withUnsafeBytes { bytes.append(contentsOf: $0) }
            if bytes.count > limit * 2 { bytes.removeFirst(bytes.count - limit) }
        }
        if bytes.count > limit { bytes.removeFirst(bytes.count - limit) }
        if let start { timer?.finishLine(at: seconds(ContinuousClock.now - start)) }
        return Collected(bytes: bytes, lines: timer?.lines ?? [])
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
