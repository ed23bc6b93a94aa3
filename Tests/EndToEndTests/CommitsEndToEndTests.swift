import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchStore
import ImageBenchTestSupport
import Testing

/// `run --commits`, `history --by commit` and `bisect` on a real git repository the test makes and a real
/// engine: 16 commits, one adding 2 MB to the image (commit 5), one breaking scenario.yaml (commit 8,
/// mended in 9), one making the RUN step 2 s slower (commit 12). The repository has uncommitted
/// changes, a staged file, an untracked file and a stash; afterwards every byte under it is the same.
@Suite(
    "Runs over commits and bisect on a real repository", .serialized,
    .enabled("needs /usr/bin/docker (Debian's docker.io), git and the offline bases") {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/docker"), FileManager.default.isExecutableFile(atPath: "/usr/bin/git")
        else { return false }
        return await DockerEngine.hasOfflineBases()
    })
struct CommitsEndToEndTests {
    static let scenario = """
        images: { base: imagebench-local/musl-busybox:1 }
        build-args: { BASE: "${images.base}" }
        """

    static func dockerfile(sleep: Bool) -> String {
        "ARG BASE\nFROM ${BASE}\nCOPY payload/ /payload/\nRUN \(sleep ? "sleep 2 && " : "")echo ok > /ok\n"
    }

    @discardableResult
    static func git(_ repo: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> String {
        let r = try await SubprocessExecutor().run(
            Command("git", ["-C", repo] + arguments, environment: environment.merging(["GIT_OPTIONAL_LOCKS": "0"]) { a, _ in a }, timeout: 60))
        #expect(r.exitCode == 0, "git \(arguments.joined(separator: " ")): \(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The 16 commits, oldest first (their SHAs).
    static func makeRepository(_ repo: String) async throws -> [String] {
        try writeFiles(["s/scenario.yaml": scenario, "s/Dockerfile": dockerfile(sleep: false), "s/payload/n.txt": "0\n"], under: repo)
        try await git(repo, ["init", "-q", "-b", "main", "."])
        try await git(repo, ["config", "user.email", "t@example.com"])
        try await git(repo, ["config", "user.name", "Test"])
        var rng = SystemRandomNumberGenerator()
        var shas: [String] = []
        for i in 0..<16 {
            var files = ["s/payload/n.txt": "\(i)\n"]
            if i == 8 { files["s/scenario.yaml"] = scenario + "\naxes: [\n" }
            if i == 9 { files["s/scenario.yaml"] = scenario }
            if i == 12 { files["s/Dockerfile"] = dockerfile(sleep: true) }
            try writeFiles(files, under: repo)
            if i == 5 {
                // Random bytes: 2 MB in the image and about as much compressed.
                let blob = Data((0..<2_000_000).map { _ in UInt8.random(in: 0...255, using: &rng) })
                try blob.write(to: URL(fileURLWithPath: repo + "/s/payload/blob.bin"))
            }
            let date = String(format: "2026-11-%02dT00:00:00Z", i + 1)
            try await git(repo, ["add", "-A"])
            try await git(repo, ["commit", "-q", "--date", date, "-m", "commit \(i)"], environment: ["GIT_COMMITTER_DATE": date])
            shas.append(try await git(repo, ["rev-parse", "HEAD"]))
        }
        // Work in progress the runs must leave alone.
        try writeFiles(["s/payload/n.txt": "stashed\n"], under: repo)
        try await git(repo, ["stash", "-q"])
        try writeFiles(["s/payload/n.txt": "uncommitted\n", "s/staged.txt": "staged\n", "untracked.txt": "mine\n"], under: repo)
        try await git(repo, ["add", "s/staged.txt"])
        return shas
    }

    /// Every file under the repository (its .git too): path and bytes; and git's own view.
    static func state(_ repo: String) async throws -> [String] {
        var hasher = SHA256()
        let enumerator = FileManager.default.enumerator(atPath: repo)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String { files.append(path) }
        for file in files.sorted() {
            hasher.update(file + "\u{0}")
            if let data = FileManager.default.contents(atPath: repo + "/" + file) { hasher.update(data) }
        }
        return [
            hasher.finalizeHex(), try await git(repo, ["status", "--porcelain=v2", "--branch", "--untracked-files=all"]),
            try await git(repo, ["stash", "list"]), try await git(repo, ["for-each-ref"]),
        ]
    }

    static func builtCount(_ stdout: String) -> Int? {
        guard let range = stdout.range(of: #"built (\d+) commit"#, options: .regularExpression) else { return nil }
        return Int(stdout[range].split(separator: " ")[1])
    }

    @Test("--steps 4 builds 4 commits, a broken commit is skipped, bisect finds the 2 MB and the 2 s commits, the repository is untouched")
    func commitsAndBisect() async throws {
        try await withTemporaryDirectory { dir in
            let repo = dir + "/repo"
            let shas = try await Self.makeRepository(repo)
            let before = try await Self.state(repo)
            let db = dir + "/r.sqlite"
            let common = ["--db", db, "--docker", "/usr/bin/docker", "--image-label", "imagebench.test=1"]
            let short = shas.map { String($0.prefix(7)) }

            // 15 commits after the first; 4 of them, both ends included.
            let steps = try await imagebench(
                ["run", repo + "/s", "--commits", "\(shas[0])..main", "--steps", "4", "--phases", "cold", "--repeat", "3"] + common)
            #expect(steps.exitCode == 0, "\(steps.stderr)")
            let store = try ResultStore(path: db)
            var runs = try await store.runSummaries().map(\.run)
            #expect(runs.map { $0.labels[CommitInfo.label] } == [shas[1], shas[6], shas[10], shas[15]])
            #expect(runs.allSatisfy { $0.status == .complete && $0.scenarios.first?.gitCommit == $0.labels[CommitInfo.label] })
            #expect(runs.map { $0.scenarios.first?.path } == Array(repeating: repo + "/s", count: 4))
            for run in runs {
                let results = try await store.results(runID: run.id)
                #expect(results.count == 1 && results[0].status == .ok && results[0].builds.count == 3, "\(run.id): \(results.map(\.status))")
            }
            #expect(steps.stdout.contains("\(short[6])  2026-11-07 00:00 UTC  commit 6"), "\(steps.stdout)")

            // Commit 8's scenario.yaml does not parse: recorded as skipped with the loader's error, nothing built.
            let broken = try await imagebench(["run", repo + "/s", "--commits", shas[8], "--phases", "cold", "--repeat", "3"] + common)
            #expect(broken.exitCode == 0, "\(broken.stderr)")
            runs = try await store.runSummaries().map(\.run)
            let skipped = try #require(runs.last)
            #expect(skipped.status == .skipped && skipped.labels[CommitInfo.label] == shas[8])
            #expect(skipped.problem?.hasPrefix("\(short[8]):s/scenario.yaml:4: invalid YAML") == true, "\(skipped.problem ?? "")")
            #expect(broken.stdout.contains("skipped, \(short[8]):s/scenario.yaml:4"), "\(broken.stdout)")
            #expect(try await store.results(runID: skipped.id).isEmpty)
            let resumeSkipped = try await imagebench(["run", "--resume", String(skipped.id)] + common.prefix(4))
            #expect(resumeSkipped.exitCode == 0 && resumeSkipped.stderr.contains("is skipped"), "\(resumeSkipped.stderr)")

            // The same range again builds nothing: every commit is measured with these settings.
            let again = try await imagebench(
                ["run", repo + "/s", "--commits", "\(shas[0])..main", "--steps", "4", "--phases", "cold", "--repeat", "3"] + common)
            #expect(again.exitCode == 0 && again.stdout.components(separatedBy: "already measured with these settings").count == 5, "\(again.stdout)")
            #expect(try await store.runSummaries().count == 5)

            let history = try await imagebench(["history", "s", "--by", "commit", "--db", db])
            #expect(history.exitCode == 0, "\(history.stderr)")
            let rows = history.stdout.split(separator: "\n").filter { $0.hasPrefix(short[6]) || $0.hasPrefix(short[8]) }
            #expect(rows.count == 2 && rows[0].contains("commit 6") && rows[0].contains("+2.00 MB"), "\(history.stdout)")
            #expect(rows.last?.contains("skipped: \(short[8]):s/scenario.yaml:4") == true, "\(history.stdout)")

            // Size: the database has commits 1, 6, 10 and 15, so the search starts between 1 and 6.
            let size = try await imagebench(["bisect", repo + "/s", "--good", shas[0], "--bad", "main"] + common)
            #expect(size.exitCode == 0, "\(size.stdout)\n\(size.stderr)")
            #expect(size.stdout.contains("first moved: \(short[5]) commit 5"), "\(size.stdout)")
            #expect(size.stdout.contains("+2.00 MB"))
            let sizeBuilds = try #require(Self.builtCount(size.stdout), "\(size.stdout)")
            #expect(sizeBuilds <= 1 + 3, "the good commit and log2(5) of the commits between 1 and 6: \(size.stdout)")

            // Cold time, 2 s slower from commit 12; three builds per commit (the steps' runs have three): with two,
            // Welch's test has one degree of freedom, and one build slowed by the machine left p at 0.107 (CI, stop 32).
            let cold = try await imagebench(
                ["bisect", repo + "/s", "--good", shas[0], "--bad", "main", "--metric", "cold", "--repeat", "3", "--threshold", "100"] + common)
            #expect(cold.exitCode == 0, "\(cold.stdout)\n\(cold.stderr)")
            #expect(cold.stdout.contains("first moved: \(short[12]) commit 12"), "\(cold.stdout)")
            let coldBuilds = try #require(Self.builtCount(cold.stdout), "\(cold.stdout)")
            #expect(coldBuilds <= 1 + 3, "the good commit (one build in the database) and log2(5) of those between 10 and 15: \(cold.stdout)")

            // Commits 13 and 15 do not differ in size: nothing to look for.
            let same = try await imagebench(["bisect", repo + "/s", "--good", shas[13], "--bad", "main"] + common)
            #expect(same.exitCode == 9, "\(same.stdout)\n\(same.stderr)")
            #expect(same.stdout.contains("no difference"))

            // The trend lines can run over commits.
            let html = try await imagebench(["report", "--format", "html", "--trend-by", "commit", "--db", db])
            #expect(html.exitCode == 0 && html.stdout.contains("over the last") && html.stdout.contains("commit \(short[1])"), "\(html.stderr)")

            #expect(try await Self.state(repo) == before)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("imagebench-commit-") }
            #expect(leftovers.isEmpty, "\(leftovers)")
        }
    }

    @Test("A range git cannot read, or a revision that looks like an option, is a one-line usage error")
    func badRanges() async throws {
        try await withTemporaryDirectory { dir in
            let repo = dir + "/repo"
            try writeFiles(["s/scenario.yaml": Self.scenario, "s/Dockerfile": Self.dockerfile(sleep: false)], under: repo)
            try await Self.git(repo, ["init", "-q", "-b", "main", "."])
            let db = dir + "/r.sqlite"
            let none = try await imagebench(["run", repo + "/s", "--commits", "nosuch..main", "--db", db])
            #expect(none.exitCode == 64 && none.stderr.split(separator: "\n").count == 1, "\(none.stderr)")
            #expect(none.stderr.contains("git log nosuch..main"))
            let option = try await imagebench(["run", repo + "/s", "--commits=--output=/tmp/x", "--db", db])
            #expect(option.exitCode == 64 && option.stderr.contains("is not a revision"), "\(option.stderr)")
            let outside = try await imagebench(["run", dir, "--commits", "HEAD~1..HEAD", "--db", db])
            #expect(outside.exitCode == 64 && outside.stderr.contains("not inside a git repository"), "\(outside.stderr)")
            #expect(!FileManager.default.fileExists(atPath: db))
        }
    }
}
