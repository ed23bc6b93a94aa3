import Foundation
import ImageBenchDocker

/// A scripted ``CommandExecuting`` for unit tests of pure logic: answers each command with the first
/// rule whose arguments start with the given prefix, and records every call.
public actor FakeExecutor: CommandExecuting {
    public struct Rule: Sendable {
        var prefix: [String]
        var contains: String?
        var respond: @Sendable (Command) -> CommandResult
    }

    private var rules: [Rule] = []
    public private(set) var calls: [Command] = []
    /// The command that stops the scripted engine, and how many matching commands run before it does.
    private var stopsEngine: (rule: Rule, remaining: Int)?
    /// Whether the scripted engine has stopped: every command from then on fails as docker fails then.
    public private(set) var engineStopped = false

    /// What the docker client says when no engine answers.
    public static let noEngine = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"

    public init() {}

    /// Answers commands whose arguments start with `prefix` (and contain `contains`, if given).
    public func on(_ prefix: [String], containing contains: String? = nil, respond: @escaping @Sendable (Command) -> CommandResult) {
        rules.append(Rule(prefix: prefix, contains: contains, respond: respond))
    }

    /// Stops the engine when the `occurrence`-th command whose arguments start with `prefix` (and contain
    /// `contains`) runs: that command and every later one fail with ``noEngine``, as they do when an
    /// engine is killed in the middle of a run.
    public func stopEngine(at prefix: [String], containing contains: String? = nil, occurrence: Int = 1) {
        stopsEngine = (Rule(prefix: prefix, contains: contains, respond: { _ in CommandResult(exitCode: 1) }), occurrence)
    }

    public nonisolated func run(_ command: Command) async throws -> CommandResult {
        try await answer(command)
    }

    /// Answers like `run`, then hands the scripted standard output to the sink in pieces of 1000 bytes.
    public nonisolated func stream(_ command: Command, to sink: any ByteSink) async throws -> CommandResult {
        var result = try await answer(command)
        let bytes = Array(result.stdout.utf8)
        for start in stride(from: 0, to: bytes.count, by: 1000) { sink.consume(bytes[start..<min(start + 1000, bytes.count)]) }
        result.stdout = ""
        return result
    }

    private func answer(_ command: Command) throws -> CommandResult {
        calls.append(command)
        if let (rule, remaining) = stopsEngine, Self.matches(rule, command) {
            if remaining <= 1 {
                engineStopped = true
                stopsEngine = nil
            } else {
                stopsEngine = (rule, remaining - 1)
            }
        }
        if engineStopped { return CommandResult(exitCode: 1, stderr: Self.noEngine) }
        for rule in rules where Self.matches(rule, command) { return rule.respond(command) }
        return CommandResult(exitCode: 0)
    }

    private static func matches(_ rule: Rule, _ command: Command) -> Bool {
        guard command.arguments.starts(with: rule.prefix) else { return false }
        if let contains = rule.contains, !command.arguments.contains(where: { $0.contains(contains) }) { return false }
        return true
    }

    /// Writes `id` to the `--iidfile` of a build command, as docker does.
    public nonisolated static func writeIID(_ command: Command, _ id: String) {
        if let i = command.arguments.firstIndex(of: "--iidfile") {
            try? id.write(toFile: command.arguments[i + 1], atomically: true, encoding: .utf8)
        }
    }
}
