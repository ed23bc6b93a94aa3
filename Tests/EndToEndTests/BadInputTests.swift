import Foundation
import ImageBenchDocker
import ImageBenchTestSupport
import Testing

/// The corpus of broken scenarios in Fixtures/bad-scenarios: each gives exit 65 and one line naming the
/// file and the line, before anything touches docker or the database.
@Suite("bad scenario files")
struct BadInputTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/bad-scenarios").path

    /// Folder → the line the error names, and words the message must hold.
    static let expected: [String: (line: Int, says: String)] = lines.merging(ignoreFiles.mapValues { ($0.line, $0.says) }) { a, _ in a }

    /// Folder → the ignore file (not scenario.yaml) the error names: patterns Docker refuses.
    static let ignoreFiles: [String: (file: String, line: Int, says: String)] = [
        "39-dockerignore-bad-range": (".dockerignore", 3, "pattern \"[x-]\": syntax error in pattern; Docker refuses to build"),
        "40-dockerignore-lone-bang": (".dockerignore", 2, "pattern \"!\": illegal exclusion pattern: \"!\""),
        "41-dockerfile-dockerignore-trailing-backslash": ("Dockerfile.dockerignore", 1, "pattern \"a\\\": syntax error in pattern"),
        "42-dockerignore-crlf-unclosed-class": (".dockerignore", 4, "pattern \"[abc\": syntax error in pattern"),
        "43-axis-dockerignore-bad": ("ignore.txt", 2, "pattern \"[Local-Only]/\": syntax error in pattern"),
    ]

    static let lines: [String: (line: Int, says: String)] = [
        "01-invalid-yaml": (2, "invalid YAML"),
        "02-tab-indent": (2, "invalid YAML"),
        "03-not-a-mapping": (1, "must be a mapping"),
        "04-unknown-key": (2, "unknown key \"colour\""),
        "05-unknown-key-in-value": (3, "unknown key \"tag\""),
        "06-duplicate-key": (2, "appears twice"),
        "07-name-with-space": (1, "may hold only"),
        "08-axes-is-a-list": (1, "mapping"),
        "09-build-args-list": (1, "mapping"),
        "10-build-arg-mapping-value": (2, "must be a"),
        "11-smoke-args-string": (1, "must be a list"),
        "12-smoke-timeout-word": (2, "not a duration"),
        "13-expect-exit-word": (1, "expect-exit"),
        "14-empty-axes": (1, "axes is empty"),
        "15-axis-without-values": (2, "has no values"),
        "16-exclude-missing-axis": (6, "names axis \"arch\""),
        "17-expect-broken-unknown-value": (6, "has only: static, dynamic"),
        "18-exclude-removes-all": (5, "removes every variant"),
        "19-undefined-image": (1, "${images.base}"),
        "20-undefined-image-in-axis": (4, "not defined"),
        "21-context-parent": (1, "outside the scenario folder"),
        "22-context-absolute": (1, "absolute path"),
        "23-dockerfile-outside": (1, "outside the scenario folder"),
        "24-dockerfile-missing": (1, "does not exist"),
        "25-edit-missing": (1, "does not exist"),
        "26-context-symlink-out": (1, "outside the scenario folder"),
        "27-dockerfile-symlink-out": (1, "outside the scenario folder"),
        "28-non-utf8": (1, "UTF-8"),
        "29-too-many-variants": (1, "combinations"),
        "30-over-variant-limit": (1, "more than the limit of 256"),
        "31-builder-unknown": (6, "use buildkit or classic"),
        "32-arg-name-invalid": (1, "not a valid ARG name"),
        "33-threshold-word": (2, "is not a percentage"),
        "34-threshold-unknown-metric": (2, "unknown metric \"speed\""),
        "35-dockerignore-outside": (3, "outside the scenario folder"),
        "36-images-list": (1, "mapping"),
        "37-exclude-not-list": (5, "list"),
        "38-axis-value-scalar": (3, "mapping"),
    ]

    @Test("every file of the corpus (43) is listed here, and there are at least 30")
    func corpusIsComplete() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.corpus).filter { !$0.hasPrefix(".") }
        #expect(folders.count >= 30)
        #expect(Set(folders) == Set(Self.expected.keys))
    }

    @Test("exit 65 and one line FILE:LINE: message; no database is created", arguments: expected.keys.sorted())
    func broken(_ folder: String) async throws {
        try await withTemporaryDirectory { dir in
            let path = Self.corpus + "/" + folder
            let r = try await imagebench(["run", path, "--db", dir + "/db.sqlite"], environment: ["DOCKER_HOST": "unix:///nonexistent.sock"])
            let (line, says) = try #require(Self.expected[folder])
            #expect(r.exitCode == 65, "\(folder): exit \(r.exitCode.map(String.init) ?? "signal"): \(r.stderr)")
            let file = Self.ignoreFiles[folder]?.file ?? "scenario.yaml"
            #expect(r.stderr.hasPrefix("imagebench: error: \(path)/\(file):\(line): "), "\(folder): \(r.stderr)")
            #expect(r.stderr.contains(says), "\(folder): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stdout.isEmpty, "\(folder): \(r.stdout)\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/db.sqlite"))
        }
    }

    @Test("--allow-outside lets a symlinked context or Dockerfile leave the scenario folder")
    func allowOutside() async throws {
        for folder in ["26-context-symlink-out", "27-dockerfile-symlink-out"] {
            let r = try await imagebench(["list", Self.corpus + "/" + folder, "--allow-outside"])
            #expect(r.exitCode == 0, "\(folder): \(r.stderr)")
        }
    }

    @Test("a short fuzz run: 3,000 mutated scenario files each load or give a one-line error, no crash or hang")
    func fuzz() async throws {
        let fuzzer = (PackagePaths.binary as NSString).deletingLastPathComponent + "/imagebench-fuzz"
        let scenarios = try FileManager.default.contentsOfDirectory(atPath: PackagePaths.scenarios)
            .map { PackagePaths.scenarios + "/" + $0 + "/scenario.yaml" }.filter { FileManager.default.fileExists(atPath: $0) }
        let broken = Self.expected.keys.sorted().map { Self.corpus + "/" + $0 + "/scenario.yaml" }
        let r = try await SubprocessExecutor().run(Command(fuzzer, scenarios + broken + ["--count", "3000", "--seed", "7"], timeout: 300))
        #expect(r.exitCode == 0, "\(r.stderr)")
        #expect(r.stdout.contains("3000 inputs") && r.stdout.contains("no crash"), "\(r.stdout)")
    }
}
