import Foundation
import ImageBenchCore
import ImageBenchTestSupport
import Testing

/// What each builder sends and lets `COPY` see, checked with the build-context tests of Docker's own
/// projects, ported case by case (each names its source), plus the cases where the builders differ.
@Suite("build-context tests of moby, buildkit, fsutil and docker/cli")
struct ContextWalkPortTests {
    static let classicPre23 = ContextRules.of(.classic, client: "20.10.24+dfsg1")
    static let classic = ContextRules.of(.classic, client: "28.2.2")
    static let buildkitPre23 = ContextRules.of(.buildkit, client: "20.10.24+dfsg1")
    static let buildkit = ContextRules.of(.buildkit, client: "28.2.2")
    static let docker = [classicPre23, classic, buildkitPre23, buildkit]

    /// Writes `files` (empty content unless given) and walks the folder with `rules`.
    static func walk(_ files: [String: String], dockerfile: String = "Dockerfile", rules: ContextRules) throws -> ContextWalk {
        try withTemporaryDirectorySync { dir in
            try writeFiles(files, under: dir)
            return try ContextWalk.walk(directory: dir, dockerfile: dockerfile, rules: rules)
        }
    }

    static func copyable(_ files: [String: String], dockerfile: String = "Dockerfile", rules: ContextRules) throws -> [String] {
        try walk(files, dockerfile: dockerfile, rules: rules).copyable.map(\.path)
    }

    static func files(_ paths: [String], dockerignore: String, dockerfile: String = "Dockerfile") -> [String: String] {
        var files = Dictionary(uniqueKeysWithValues: paths.map { ($0, "") })
        files[".dockerignore"] = dockerignore
        if files[dockerfile] == nil { files[dockerfile] = "FROM busybox\n" }
        return files
    }

    // moby/moby integration-cli/docker_cli_build_test.go TestBuildDockerignore
    @Test("TestBuildDockerignore", arguments: docker)
    func dockerignore(_ rules: ContextRules) throws {
        let files = Self.files(
            [
                "Makefile", ".git/HEAD", "src/x.go", "src/_vendor/v.go", "src/_vendor/v.cc", "src/v.cc", "v.cc", "dir/foo", ".gitignore",
                "README.md",
            ], dockerignore: "\n.git\npkg\n.gitignore\nsrc/_vendor\n*.md\n**/*.cc\ndir")
        #expect(try Self.copyable(files, rules: rules) == [".dockerignore", "Dockerfile", "Makefile", "src/x.go"])
    }

    // moby/moby integration-cli TestBuildDockerignoreCleanPaths
    @Test("TestBuildDockerignoreCleanPaths", arguments: docker)
    func cleanPaths(_ rules: ContextRules) throws {
        let files = Self.files(["foo", "foo2", "dir1/foo"], dockerignore: "./foo\ndir1//foo\n./dir1/../foo2")
        #expect(try Self.copyable(files, rules: rules) == [".dockerignore", "Dockerfile"])
    }

    // moby/moby integration-cli TestBuildDockerignoreExceptions
    @Test("TestBuildDockerignoreExceptions", arguments: docker)
    func exceptions(_ rules: ContextRules) throws {
        let files = Self.files(
            [
                "Makefile", ".git/HEAD", "src/x.go", "src/_vendor/v.go", "dir/foo", "dir/foo1", "dir/dir/f1", "dir/dir/foo", "dir/e", "dir/e-dir/foo",
                ".gitignore", "README.md", "dir/a.cc",
            ], dockerignore: "\n.git\npkg\n.gitignore\nsrc/_vendor\n*.md\ndir\n!dir/e*\n!dir/dir/foo\n**/*.cc\n!**/*.cc")
        #expect(
            try Self.copyable(files, rules: rules) == [
                ".dockerignore", "Dockerfile", "Makefile", "dir/a.cc", "dir/dir/foo", "dir/e", "dir/e-dir/foo", "src/x.go",
            ])
    }

    // moby/moby integration-cli TestBuildDockerignoringDockerfile, TestBuildDockerignoringRenamedDockerfile,
    // TestBuildDockerignoringDockerignore, TestBuildWithUTF8BOMDockerignore: an ignored Dockerfile or
    // .dockerignore cannot be copied, though the classic client sends it.
    @Test("TestBuildDockerignoringDockerfile, ...RenamedDockerfile, ...Dockerignore, TestBuildWithUTF8BOMDockerignore", arguments: docker)
    func ignoringBuildFiles(_ rules: ContextRules) throws {
        for ignore in ["Dockerfile\n", "./Dockerfile\n", "\u{FEFF}./Dockerfile\n"] {
            let walk = try Self.walk([".dockerignore": ignore, "Dockerfile": "FROM busybox\n"], rules: rules)
            #expect(walk.copyable.map(\.path) == [".dockerignore"], "\(ignore)")
            #expect(walk.sent.map(\.path).sorted() == [".dockerignore", "Dockerfile"], "the Dockerfile is on the wire either way")
        }
        let renamed = [".dockerignore": "MyDockerfile\n", "Dockerfile": "Should not use me", "MyDockerfile": "FROM busybox\n"]
        #expect(try Self.copyable(renamed, dockerfile: "MyDockerfile", rules: rules) == [".dockerignore", "Dockerfile"])
        let itself = [".dockerignore": ".dockerignore\n", "Dockerfile": "FROM busybox\n"]
        #expect(try Self.copyable(itself, rules: rules) == ["Dockerfile"])
        #expect(try Self.walk(itself, rules: rules).sent.map(\.path).sorted() == [".dockerignore", "Dockerfile"])
    }

    // moby/moby integration-cli TestBuildDockerignoringWholeDir, TestBuildDockerignoringOnlyDotfiles,
    // TestBuildDockerignoringWildTopDir
    @Test("TestBuildDockerignoringWholeDir, ...OnlyDotfiles, ...WildTopDir", arguments: docker)
    func wholeDirectory(_ rules: ContextRules) throws {
        #expect(try Self.copyable(Self.files(["Makefile", ".gitignore"], dockerignore: "*\n"), rules: rules).isEmpty)
        #expect(try Self.copyable(Self.files(["Makefile", ".gitignore"], dockerignore: ".*"), rules: rules) == ["Dockerfile", "Makefile"])
        for variant in ["**", "**/", "**/**", "*"] {
            #expect(try Self.copyable(Self.files(["file1", "dir/file1"], dockerignore: variant), rules: rules).isEmpty, "\(variant)")
        }
    }

    // moby/moby integration-cli TestBuildDockerignoringBadExclusion; buildkit dockerfile_dockerignore_test.go
    // testDockerignoreInvalid; fsutil filter_test.go TestInvalidExcludePatterns
    @Test("a lone ! is refused: TestBuildDockerignoringBadExclusion, testDockerignoreInvalid, TestInvalidExcludePatterns", arguments: docker)
    func badExclusion(_ rules: ContextRules) {
        #expect(throws: DockerignorePattern.Refusal(pattern: "!", line: 1, reason: "illegal exclusion pattern: \"!\"")) {
            try Self.walk(Self.files(["Makefile", ".gitignore"], dockerignore: "!\n"), rules: rules)
        }
    }

    // moby/moby integration-cli TestBuildDockerignoringWildDirs
    @Test("TestBuildDockerignoringWildDirs", arguments: docker)
    func wildDirectories(_ rules: ContextRules) throws {
        let ignore = """

            **/file0
            **/*file1
            **/dir1/file2
            dir1/**/file4
            **/dir2/file5
            **/dir1/dir2/file6
            dir1/dir3/**
            **/dir4/**
            **/file?A
            **/file\\?B
            **/dir5/file.

            """
        let files = Self.files(
            [
                "dir1/file0", "dir1/dir2/file0", "file1", "dir1/file1", "dir1/dir2/file1", "dir1/file2", "dir1/dir2/file2", "dir1/dir2/file4",
                "dir1/dir2/file5", "dir1/dir2/file6", "dir1/dir3/file7", "dir1/dir3/file8", "dir1/dir4/file9", "dir1/dir5/fileAA",
                "dir1/dir5/fileAB", "dir1/dir5/fileB",
            ], dockerignore: ignore)
        #expect(
            try Self.copyable(files, rules: rules) == [".dockerignore", "Dockerfile", "dir1/dir2/file2", "dir1/dir5/fileAB", "dir1/dir5/fileB"])
    }

    // moby/moby integration-cli TestBuildDockerignoreComment
    @Test("TestBuildDockerignoreComment: # starts a comment only at the start of a line", arguments: docker)
    func comments(_ rules: ContextRules) throws {
        let ignore = """
            # Visual C++ cache files
            # because we have git ;-)
            # The above comment is from #20083
            foo
            #dir1/foo
            foo2
            # The following is considered as comment as # is at the beginning
            #1
            # The following is not considered as comment as # is not at the beginning
              #2

            """
        let files = Self.files(["foo", "foo2", "dir1/foo", "#1", "#2"], dockerignore: ignore)
        #expect(try Self.copyable(files, rules: rules) == ["#1", ".dockerignore", "Dockerfile", "dir1/foo"])
    }

    // moby/buildkit frontend/dockerfile/dockerfile_dockerignore_test.go testDockerignore
    @Test("testDockerignore: ba*, Dockerfile, !bay, .dockerignore", arguments: docker)
    func buildkitDockerignore(_ rules: ContextRules) throws {
        let files = [
            "Dockerfile": "FROM scratch\nCOPY . .\n", "foo": "foo-contents", "bar": "bar-contents", "baz": "baz-contents", "bay": "bay-contents",
            ".dockerignore": "\nba*\nDockerfile\n!bay\n.dockerignore\n",
        ]
        #expect(try Self.copyable(files, rules: rules) == ["bay", "foo"])
    }

    // moby/buildkit dockerfile_dockerignore_test.go testDockerignoreOverride: <Dockerfile>.dockerignore
    // wins for BuildKit. The classic client reads only .dockerignore (docker/cli ReadDockerignore), so
    // there both files are copied: measured on this machine's docker 20.10 and 28.2 clients.
    @Test("testDockerignoreOverride: Dockerfile.dockerignore and Dockerfile2.dockerignore for BuildKit; the classic builder reads neither")
    func dockerfileIgnore() throws {
        let files = [
            "Dockerfile": "FROM busybox\n", "Dockerfile.dockerignore": "\nbar\n", "Dockerfile2": "FROM busybox\n",
            "Dockerfile2.dockerignore": "\nfoo\n", "foo": "contents0", "bar": "contents0",
        ]
        for rules in [Self.buildkitPre23, Self.buildkit, ContextRules.of(.buildah, client: "4.3.1")] {
            let one = try Self.walk(files, rules: rules)
            #expect(one.ignoreFile == "Dockerfile.dockerignore")
            #expect(one.copyable.map(\.path).contains("foo") && !one.copyable.map(\.path).contains("bar"))
            let two = try Self.walk(files, dockerfile: "Dockerfile2", rules: rules)
            #expect(two.ignoreFile == "Dockerfile2.dockerignore")
            #expect(!two.copyable.map(\.path).contains("foo") && two.copyable.map(\.path).contains("bar"))
        }
        for rules in [Self.classicPre23, Self.classic] {
            let walk = try Self.walk(files, rules: rules)
            #expect(walk.ignoreFile == nil)
            #expect(walk.copyable.map(\.path).contains("foo") && walk.copyable.map(\.path).contains("bar"))
        }
    }

    @Test("a Dockerfile.dockerignore in a subfolder beside its Dockerfile; podman's .containerignore before .dockerignore")
    func ignoreFileNames() throws {
        let nested = ["build/app.Dockerfile": "FROM busybox\n", "build/app.Dockerfile.dockerignore": "secret\n", "secret": "s", ".dockerignore": "x"]
        let walk = try Self.walk(nested, dockerfile: "build/app.Dockerfile", rules: Self.buildkit)
        #expect(walk.ignoreFile == "build/app.Dockerfile.dockerignore" && !walk.copyable.map(\.path).contains("secret"))
        let podman = ContextRules.of(.buildah, client: "4.3.1")
        let both = [".containerignore": "b\n", ".dockerignore": "a\n", "a": "", "b": "", "Dockerfile": ""]
        #expect(try Self.walk(both, rules: podman).ignoreFile == ".containerignore")
        #expect(try Self.copyable(both, rules: podman) == [".containerignore", ".dockerignore", "Dockerfile", "a"])
        #expect(try Self.walk(both, rules: Self.buildkit).ignoreFile == ".dockerignore")
    }

    // tonistiigi/fsutil filter_test.go TestWalkerExclude, TestFSWalkNested (first case), TestFilteredOpen, TestFilteredOpenInvert
    @Test("fsutil: TestWalkerExclude, TestFSWalkNested, TestFilteredOpen, TestFilteredOpenInvert", arguments: [buildkitPre23, buildkit])
    func fsutil(_ rules: ContextRules) throws {
        func exclude(_ paths: [String], _ patterns: [String]) throws -> [String] {
            try withTemporaryDirectorySync { dir in
                try writeFiles(Dictionary(uniqueKeysWithValues: paths.map { ($0, "") }), under: dir)
                try patterns.joined(separator: "\n").write(toFile: dir + "/.dockerignore", atomically: true, encoding: .utf8)
                return try ContextWalk.walk(directory: dir, dockerfile: "Dockerfile", rules: rules).copyable.map(\.path).filter {
                    $0 != ".dockerignore"
                }
            }
        }
        #expect(try exclude(["bar", "foo2", "foo/bar2"], ["foo*", "!foo/bar2"]) == ["bar", "foo/bar2"])
        #expect(try exclude(["foo/bar"], ["foo", "!foo/bar"]) == ["foo/bar"])
        #expect(try exclude(["foo", "bar"], ["bar"]) == ["foo"])
        #expect(try exclude(["foo/bar/baz/x", "foo/bar/baz/y"], ["foo", "!foo/bar", "foo/bar/baz", "!foo/bar/baz/x"]) == ["foo/bar/baz/x"])
    }

    // Where the builders part ways. BuildKit through buildx (fsutil since d7eeb96, 2021) walks into an
    // excluded directory whenever a `!` pattern holds a wildcard, so `!**/build/keep.txt` brings the
    // file back; the classic client (archive.TarWithOptions) and docker 20.10's BuildKit (fsutil 0834f99)
    // walk in only when a `!` pattern's text starts with the directory, so the file stays out.
    @Test("an exception with a wildcard below an excluded directory: re-included by buildx's BuildKit only")
    func wildcardException() throws {
        let files = Self.files(["a/build/keep.txt", "a/build/other.o", "a/src.c"], dockerignore: "**/build\n!**/build/keep.txt\n")
        #expect(try Self.copyable(files, rules: Self.buildkit).contains("a/build/keep.txt"))
        for rules in [Self.classicPre23, Self.classic, Self.buildkitPre23] {
            #expect(try !Self.copyable(files, rules: rules).contains("a/build/keep.txt"), "\(rules.name)")
        }
        // A literal exception under the directory is walked into by every builder.
        let literal = Self.files(["a/build/keep.txt", "a/build/other.o"], dockerignore: "a/build\n!a/build/keep.txt\n")
        for rules in Self.docker { #expect(try Self.copyable(literal, rules: rules).contains("a/build/keep.txt"), "\(rules.name)") }
    }

    // patternmatcher's deprecated Matches (docker before 23.0, both builders) checks the path and one
    // ancestor, as deep as the pattern has segments; MatchesUsingParentResults checks every ancestor.
    // In `a/b/x`, walked for the exception, `**/x` (2 segments) is compared with `a/b` only, so
    // `a/b/x/other` is sent by docker 20.10 and not by 23.0 on: measured on this machine with docker
    // 20.10.24 (classic and BuildKit) and 28.2.2 (classic).
    @Test("Matches (docker before 23.0) compares only the ancestor as deep as the pattern")
    func parentAtDepth() throws {
        let files = Self.files(["a/b/x/keep", "a/b/x/other"], dockerignore: "**/x\n!a/b/x/keep\n")
        for rules in [Self.classicPre23, Self.buildkitPre23] {
            #expect(try Self.copyable(files, rules: rules) == [".dockerignore", "Dockerfile", "a/b/x/keep", "a/b/x/other"], "\(rules.name)")
        }
        for rules in [Self.classic, Self.buildkit] {
            #expect(try Self.copyable(files, rules: rules) == [".dockerignore", "Dockerfile", "a/b/x/keep"], "\(rules.name)")
        }
        let pm = try DockerignoreMatcher(patterns: ["**/x"])
        #expect(!pm.matchesParentAtDepth("a/b/x/other") && pm.matchesOrParentMatches("a/b/x/other"))
    }

    // docker 20.10's pkg/fileutils escapes only `.` and `$`: `+ ( ) | { } ^` are regular-expression
    // operators there, literal characters in patternmatcher (23.0 on). Measured on this machine with
    // these seven files and five patterns: docker 20.10.24 (classic and BuildKit) copied `a+b` and
    // `a^b`; docker 28.2.2 (classic) copied `aab`, `abc` and `xx`. imagebench follows each.
    @Test("docker 20.10's patterns are regular expressions: a+b, x{2}, ^abc, a^b and x|y mean what they meant there")
    func legacyDialect() throws {
        let files = Self.files(["a+b", "aab", "x{2}", "xx", "abc", "a^b", "x|y"], dockerignore: "a+b\nx{2}\n^abc\na^b\nx|y\n")
        for rules in [Self.classicPre23, Self.buildkitPre23] {
            // `^x|y$` is "starts with x or ends with y": it takes `x{2}` too.
            #expect(try Self.copyable(files, rules: rules) == [".dockerignore", "Dockerfile", "a+b", "a^b"], "\(rules.name)")
        }
        for rules in [Self.classic, Self.buildkit] {
            #expect(try Self.copyable(files, rules: rules) == [".dockerignore", "Dockerfile", "aab", "abc", "xx"], "\(rules.name)")
        }
        // An unbalanced parenthesis is a regular-expression error only there.
        #expect(throws: DockerignorePattern.Refusal(pattern: "a(b", line: 1, reason: "syntax error in pattern")) {
            try DockerignoreMatcher(patterns: ["a(b"], dialect: .legacy)
        }
        #expect(try DockerignoreMatcher(patterns: ["a(b"]).matchesOrParentMatches("a(b"))
    }

    // docker/cli cli/command/image/build_test.go TestRunBuildDockerfileOutsideContext: the client sends
    // the Dockerfile under a random name and a .dockerignore it writes listing it; COPY sees neither.
    @Test("TestRunBuildDockerfileOutsideContext: a Dockerfile outside the context")
    func dockerfileOutside() throws {
        try withTemporaryDirectorySync { dir in
            try writeFiles(["context/data": "data file", "outside/Dockerfile": "FROM FOOBAR\nCOPY data /data\n"], under: dir)
            let walk = try ContextWalk.walk(
                directory: dir + "/context", dockerfile: dir + "/outside/Dockerfile", dockerfileInside: false, rules: Self.classic)
            #expect(walk.copyable.map(\.path) == ["data"])
            #expect(walk.sent.map(\.path).sorted() == [".dockerignore", dir + "/outside/Dockerfile", "data"].sorted())
        }
    }

    // docker/cli cli/command/image/build/context_test.go TestWildcardMatches ... TestMatchesWithNoPatterns
    // (filepathMatches: MatchesOrParentMatches, and "." never matches)
    @Test("docker/cli context_test.go: filepathMatches")
    func cliFilepathMatches() throws {
        func matches(_ patterns: [String], _ file: String) throws -> Bool {
            let cleaned = GoPath.clean(file)
            return cleaned == "." ? false : try DockerignoreMatcher(patterns: patterns).matchesOrParentMatches(cleaned)
        }
        #expect(try matches(["*"], "fileutils.go"))
        #expect(try matches(["*.go"], "fileutils.go"))
        #expect(try matches(["!fileutils.go", "*.go"], "fileutils.go"))
        #expect(try !matches(["docs", "!docs/README.md"], "docs/README.md"))
        #expect(try !matches(["docs/", "!docs/README.md"], "docs/README.md"))
        #expect(try !matches(["docs/*", "!docs/README.md"], "docs/README.md"))
        #expect(try !matches(["*.go", "!fileutils.go"], "fileutils.go"))
        #expect(try !matches(["*.go"], "."))
        #expect(try !matches([], "/any/path/there"))
    }
}
