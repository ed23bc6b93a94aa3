import Foundation
import ImageBenchCore
import ImageBenchTestSupport
import Testing

@Suite(".dockerignore rules and the build context")
struct DockerignoreTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var patterns: String
        var path: String
        var excluded: Bool
        var testDescription: String { "\(patterns.replacingOccurrences(of: "\n", with: " | ")) ⟶ \(path): \(excluded)" }
    }

    /// imagebench's own cases; expected results follow moby/patternmatcher's MatchesOrParentMatches.
    static let cases: [Case] = [
        Case(patterns: "*.o", path: "a.o", excluded: true),
        Case(patterns: "*.o", path: "dir/a.o", excluded: false),  // * stays within one segment
        Case(patterns: "**/*.o", path: "dir/sub/a.o", excluded: true),
        Case(patterns: "**/*.o", path: "a.o", excluded: true),
        Case(patterns: "build", path: "build/x/y.txt", excluded: true),  // a directory excludes its contents
        Case(patterns: ".git", path: ".git/objects/pack/p.pack", excluded: true),
        Case(patterns: "*.md\n!README.md", path: "README.md", excluded: false),
        Case(patterns: "*.md\n!README.md", path: "CHANGES.md", excluded: true),
        Case(patterns: "docs\n!docs/keep.md", path: "docs/keep.md", excluded: false),
        Case(patterns: "docs\n!docs/keep.md", path: "docs/other.md", excluded: true),
        Case(patterns: "!a\na", path: "a", excluded: true),  // the last match wins
        Case(patterns: "a\n!a", path: "a", excluded: false),
        Case(patterns: "a\n!a\na", path: "a", excluded: true),
        Case(patterns: "/secret.txt", path: "secret.txt", excluded: true),  // leading / dropped
        Case(patterns: "./tmp/", path: "tmp/a", excluded: true),  // ./ and trailing / cleaned
        Case(patterns: "a/../b", path: "b", excluded: true),
        Case(patterns: "a?c", path: "abc", excluded: true),
        Case(patterns: "a?c", path: "a/c", excluded: false),  // ? is not /
        Case(patterns: "**", path: "x/y", excluded: true),
        Case(patterns: "*\n!keep", path: "keep", excluded: false),
        Case(patterns: "*\n!keep", path: "other", excluded: true),
        Case(patterns: "foo/**/bar", path: "foo/bar", excluded: true),
        Case(patterns: "foo/**/bar", path: "foo/a/b/bar", excluded: true),
        Case(patterns: "foo/**/bar", path: "foo/a/barn", excluded: false),
        Case(patterns: "[ab].txt", path: "a.txt", excluded: true),
        Case(patterns: "[ab].txt", path: "c.txt", excluded: false),
        Case(patterns: "dir/*", path: "dir/sub/file", excluded: true),
        Case(patterns: "*/temp*", path: "x/temporary", excluded: true),
        Case(patterns: "*/temp*", path: "temp", excluded: false),
        Case(patterns: "# a comment\n\n  spaced.txt  ", path: "spaced.txt", excluded: true),
        Case(patterns: "# a comment", path: "# a comment", excluded: false),
        Case(patterns: "file(1).txt", path: "file(1).txt", excluded: true),  // regex characters are literal
        Case(patterns: "a\\*b", path: "a*b", excluded: true),  // \ escapes
        Case(patterns: "a\\*b", path: "axb", excluded: false),
    ]

    @Test("patterns match like docker's", arguments: cases)
    func matching(_ c: Case) throws {
        let matcher = try DockerignoreMatcher(lines: DockerignoreFile.read(Array(c.patterns.utf8)))
        #expect(matcher.matchesOrParentMatches(c.path) == c.excluded)
        #expect(matcher.matchesUsingParentResults(c.path, parent: .init()).matched == c.excluded)
    }

    @Test("paths are cleaned like Go's path.Clean")
    func clean() {
        #expect(GoPath.clean("./a//b/") == "a/b")
        #expect(GoPath.clean("a/./b/../c") == "a/c")
        #expect(GoPath.clean("../x") == "../x")
        #expect(GoPath.clean("") == ".")
        #expect(GoPath.clean("/a/..") == "/")
    }

    @Test("the fast path for already clean paths changes no result: every path of up to 4 tricky segments")
    func cleanFastPath() {
        // Go's path.Clean, written out the slow way.
        func reference(_ path: String) -> String {
            if path.isEmpty { return "." }
            let rooted = path.hasPrefix("/")
            var out: [Substring] = []
            for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
                if part == ".." {
                    if let last = out.last, last != ".." { out.removeLast() } else if !rooted { out.append(part) }
                } else {
                    out.append(part)
                }
            }
            let joined = out.joined(separator: "/")
            return rooted ? "/" + joined : (joined.isEmpty ? "." : joined)
        }
        let segments = ["a", "bc", ".", "..", "", "...", ".a", "a.", "..b"]
        var paths = [""]
        for _ in 0..<4 { paths += paths.flatMap { p in segments.map { p.isEmpty ? $0 : p + "/" + $0 } } }
        paths += paths.map { "/" + $0 }
        for path in Set(paths) { #expect(GoPath.clean(path) == reference(path), "\(path)") }
    }

    @Test("the context: what is sent, what is left out, and the secrets among what is sent")
    func scan() async throws {
        try await withTemporaryDirectory { dir in
            try writeFiles(
                [
                    "Dockerfile": "FROM scratch\n", "app/main.go": "package main\n", "app/README.md": "docs\n",
                    "repo.git/objects/pack/p.pack": String(repeating: "x", count: 5000), "build/a.o": "ooo",
                    ".env": "TOKEN=1\n", "keys/id_rsa": "key\n", "certs/server.pem": "pem\n", "notes.txt": "n\n",
                    ".dockerignore": "*\n!app\n!certs\napp/*.md\n",
                ], under: dir)
            let facts = try BuildContextFacts.scan(directory: dir, rules: .of(.classic, client: "28.2.2"))
            // Sent: Dockerfile and .dockerignore (always), app/main.go, certs/server.pem; COPY sees the last two.
            #expect(facts.files == 4)
            #expect(facts.copyableFiles == 2 && facts.copyableBytes == Int64("package main\n".utf8.count + "pem\n".utf8.count))
            #expect(facts.ignoreFile == ".dockerignore" && facts.rules == "classic")
            #expect(
                facts.bytes
                    == Int64(
                        "FROM scratch\n".utf8.count + "package main\n".utf8.count + "pem\n".utf8.count + "*\n!app\n!certs\napp/*.md\n".utf8.count))
            // Named like secrets, and their content holds none: name-only warnings.
            #expect(facts.secrets.isEmpty && facts.secretNames == ["certs/server.pem"])
            #expect(facts.excludedFiles == 6)
            #expect(facts.excludedBytes == 5000 + 3 + 8 + 4 + 2 + 5)

            try FileManager.default.removeItem(atPath: dir + "/.dockerignore")
            let everything = try BuildContextFacts.scan(directory: dir, rules: .of(.buildkit, client: "20.10.24"))
            #expect(everything.files == 9 && everything.copyableFiles == 9 && everything.ignoreFile == nil)
            #expect(everything.secrets.isEmpty && everything.secretNames == [".env", "certs/server.pem", "keys/id_rsa"])
        }
    }

    @Test(
        "secret-looking names",
        arguments: [
            (".env", true), (".env.production", true), ("config/id_rsa.pub", true), ("id_ed25519", true), ("tls/key.pem", true),
            ("server.key", true), ("cert.p12", true), (".git-credentials", true), ("home/.npmrc", true), (".pypirc", true),
            (".aws/credentials", true), ("x/.docker/config.json", true), ("environment.txt", false), ("docker/config.json", false),
            ("keys.txt", false),
        ])
    func secrets(_ path: String, _ secret: Bool) {
        #expect(SecretPatterns.looksSecret(path) == secret)
    }
}
