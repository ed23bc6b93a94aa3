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

    public init() {}

    /// Answers commands whose arguments start with `prefix` (and contain `contains`, if given).
    public func on(_ prefix: [String], containing contains: String? = nil, respond: @escaping @Sendable (Command) -> CommandResult) {
        rules.append(Rule(prefix: prefix, contains: contains, respond: respond))
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
        for rule in rules where command.arguments.starts(with: rule.prefix) {
            if let contains = rule.contains, !command.arguments.contains(where: { $0.contains(contains) }) { continue }
            return rule.respond(command)
        }
        return CommandResult(exitCode: 0)
    }

    /// Writes `id` to the `--iidfile` of a build command, as docker does.
    public nonisolated static func writeIID(_ command: Command, _ id: String) {
        if let i = command.arguments.firstIndex(of: "--iidfile") {
            try? id.write(toFile: command.arguments[i + 1], atomically: true, encoding: .utf8)
        }
    }
}
