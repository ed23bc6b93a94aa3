import Foundation
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// What a terminal gets: the live progress line's escape sequences, and none with NO_COLOR or without a terminal.
@Suite("terminal output", .serialized, .enabled("needs a Docker engine and the offline bases") { await DockerEngine.hasOfflineBases() })
struct TerminalEndToEndTests {
    @Test("NO_COLOR and a non-terminal output: no escape sequence; on a terminal the live line has them")
    func noColor() async throws {
        try await withTemporaryDirectory { dir in
            try writeFiles(["Dockerfile": BudgetEndToEndTests.dockerfile, "scenario.yaml": "name: plain\n"], under: dir + "/plain")
            let command = "\(PackagePaths.binary) run \(dir)/plain --db \(dir)/r.sqlite --repeat 1 --phases cold --image-label imagebench.test=1"
            // script(1) gives the command a terminal, as a user's shell does; swift test sets NO_COLOR for what it starts, so the
            // control sets it empty (no-color.org: present and not empty turns colour off).
            func onTerminal(_ environment: [String: String]) async throws -> String {
                let r = try await SubprocessExecutor().run(
                    Command("script", ["--quiet", "--return", "--command", command, "/dev/null"], environment: environment, timeout: 300))
                #expect(r.exitCode == 0, "\(r.stderr)")
                return r.stdout + r.stderr
            }
            let live = try await onTerminal(["TERM": "xterm", "NO_COLOR": ""])
            #expect(live.contains("\u{1B}["), "the control: a terminal gets the live progress line")
            let noColor = try await onTerminal(["TERM": "xterm", "NO_COLOR": "1"])
            #expect(!noColor.contains("\u{1B}") && noColor.contains("plain"), "\(noColor.prefix(400))")
            let piped = try await imagebench(["run", dir + "/plain", "--db", dir + "/r.sqlite", "--repeat", "1", "--phases", "cold"])
            #expect(piped.exitCode == 0 && !(piped.stdout + piped.stderr).contains("\u{1B}"))
        }
    }
}
