import Foundation
import ImageBenchCore

#if canImport(Glibc)
    import Glibc
#endif

/// Facts about the machine imagebench runs on.
public enum HostProbe {
    public static let version = "0.1.0"

    public static func local() -> RunEnvironment {
        var environment = RunEnvironment()
        environment.host = ProcessInfo.processInfo.hostName
        environment.cpus = ProcessInfo.processInfo.activeProcessorCount
        environment.memoryBytes = Int64(ProcessInfo.processInfo.physicalMemory)
        environment.kernel = kernelRelease()
        environment.os = osName()
        environment.imagebenchVersion = version
        return environment
    }

    static func kernelRelease() -> String {
        var name = utsname()
        guard uname(&name) == 0 else { return "" }
        return withUnsafeBytes(of: &name.release) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    static func osName() -> String {
        guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else { return "" }
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return ""
    }

    /// Commit (with its date and subject) and branch of the git repository holding `directory`, when there is one.
    public static func git(directory: String, executor: any CommandExecuting) async -> (commit: CommitInfo?, branch: String?) {
        func ask(_ args: [String]) async -> String? {
            guard let result = try? await executor.run(Command("git", ["-C", directory] + args, timeout: 10)), result.succeeded else { return nil }
            let value = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
        async let commit = ask(["log", "-1", GitRepository.logFormat, "HEAD", "--"])
        async let branch = ask(["rev-parse", "--abbrev-ref", "HEAD"])
        return (await commit.flatMap { GitRepository.parseLog($0).first }, await branch)
    }
}
