import Foundation

/// One `docker run --rm` of the built image.
public struct SmokeResult: Sendable, Codable, Equatable {
    /// The image behaved as `smoke:` asks (exit code and output).
    public var ok: Bool
    public var exitCode: Int32?
    public var seconds: Double
    /// Standard output then standard error, trimmed.
    public var output: String
    public var timedOut: Bool
    /// An HTTP smoke test's container's memory in use after its first expected answer: docker stats's
    /// figure (the cgroup's usage less its inactive page cache), in bytes.
    public var memoryBytes: Int64?

    public init(ok: Bool, exitCode: Int32?, seconds: Double, output: String, timedOut: Bool = false) {
        self.ok = ok
        self.exitCode = exitCode
        self.seconds = seconds
        self.output = output
        self.timedOut = timedOut
    }

    enum CodingKeys: String, CodingKey {
        case ok, seconds, output
        case exitCode = "exit_code"
        case timedOut = "timed_out"
        case memoryBytes = "memory_bytes"
    }
}
