import Foundation

/// The seam between imagebench and the processes it starts; tests of pure logic use a fake.
public protocol CommandExecuting: Sendable {
    /// Runs the command to its end. A non-zero exit is a result, not an error; failing to start throws.
    func run(_ command: Command) async throws -> CommandResult
    /// Runs the command, handing its standard output to `sink` as it arrives instead of keeping it
    /// (`docker save` of a large image never sits in memory). The result's `stdout` is empty.
    func stream(_ command: Command, to sink: any ByteSink) async throws -> CommandResult
}
