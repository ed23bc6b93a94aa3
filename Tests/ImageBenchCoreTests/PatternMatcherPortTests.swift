import ImageBenchCore
import Testing

/// moby/patternmatcher's own tests (patternmatcher_test.go at 5a6d842), ported case by case: the
/// oracle for what a `.dockerignore` pattern means to Docker.
@Suite("moby/patternmatcher's tests")
struct PatternMatcherPortTests {
    /// patternmatcher's top-level `Matches(file, patterns)`: New, Clean, "." never matches, then the
    /// deprecated `pm.Matches`.
    static func matches(_ file: String, _ patterns: [String]) throws -> Bool {
        let pm = try DockerignoreMatcher(patterns: patterns)
        let cleaned = GoPath.clean(file)
        return cleaned == "." ? false : pm.matchesParentAtDepth(cleaned)
    }

    // patternmatcher_test.go TestWildcardMatches ... TestMatchesWithMalformedPatterns
    @Test("the one-pattern tests: wildcards, exceptions before and after, folders with exceptions, '.', '!', none, malformed")
    func basics() throws {
        #expect(try Self.matches("fileutils.go", ["*"]))  // TestWildcardMatches
        #expect(try Self.matches("fileutils.go", ["*.go"]))  // TestPatternMatches
        #expect(try Self.matches("fileutils.go", ["!fileutils.go", "*.go"]))  // TestExclusionPatternMatchesPatternBefore
        #expect(try !Self.matches("docs/README.md", ["docs", "!docs/README.md"]))  // TestPatternMatchesFolderExclusions
        #expect(try !Self.matches("docs/README.md", ["docs/", "!docs/README.md"]))  // TestPatternMatchesFolderWithSlashExclusions
        #expect(try !Self.matches("docs/README.md", ["docs/*", "!docs/README.md"]))  // TestPatternMatchesFolderWildcardExclusions
        #expect(try !Self.matches("fileutils.go", ["*.go", "!fileutils.go"]))  // TestExclusionPatternMatchesPatternAfter
        #expect(try !Self.matches(".", ["*.go"]))  // TestExclusionPatternMatchesWholeDirectory
        #expect(throws: DockerignorePattern.Refusal.self) { try Self.matches("fileutils.go", ["!"]) }  // TestSingleExclamationError
        #expect(try !Self.matches("/any/path/there", []))  // TestMatchesWithNoPatterns
        #expect(throws: DockerignorePattern.Refusal.self) { try Self.matches("/any/path/there", ["["]) }  // TestMatchesWithMalformedPatterns
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var patterns: [String]
        var text: String
        var pass: Bool
        var testDescription: String { "\(patterns) ~ \(text): \(pass)" }
        init(_ pattern: String, _ text: String, _ pass: Bool) { (patterns, self.text, self.pass) = ([pattern], text, pass) }
        init(_ patterns: [String], _ text: String, _ pass: Bool) { (self.patterns, self.text, self.pass) = (patterns, text, pass) }
    }

    /// TestMatches: `tests` (with the Unix-only `a\*b`) and `multiPatternTests`.
    static let matchCases: [Case] = [
        Case("**", "file", true), Case("**", "file/", true), Case("**/", "file", true), Case("**/", "file/", true), Case("**", "/", true),
        Case("**/", "/", true), Case("**", "dir/file", true), Case("**/", "dir/file", true), Case("**", "dir/file/", true),
        Case("**/", "dir/file/", true), Case("**/**", "dir/file", true), Case("**/**", "dir/file/", true), Case("dir/**", "dir/file", true),
        Case("dir/**", "dir/file/", true), Case("dir/**", "dir/dir2/file", true), Case("dir/**", "dir/dir2/file/", true),
        Case("**/dir", "dir", true), Case("**/dir", "dir/file", true), Case("**/dir2/*", "dir/dir2/file", true),
        Case("**/dir2/*", "dir/dir2/file/", true), Case("**/dir2/**", "dir/dir2/dir3/file", true), Case("**/dir2/**", "dir/dir2/dir3/file/", true),
        Case("**file", "file", true), Case("**file", "dir/file", true), Case("**/file", "dir/file", true), Case("**file", "dir/dir/file", true),
        Case("**/file", "dir/dir/file", true), Case("**/file*", "dir/dir/file", true), Case("**/file*", "dir/dir/file.txt", true),
        Case("**/file*txt", "dir/dir/file.txt", true), Case("**/file*.txt", "dir/dir/file.txt", true),
        Case("**/file*.txt*", "dir/dir/file.txt", true), Case("**/**/*.txt", "dir/dir/file.txt", true),
        Case("**/**/*.txt2", "dir/dir/file.txt", false), Case("**/*.txt", "file.txt", true), Case("**/**/*.txt", "file.txt", true),
        Case("a**/*.txt", "a/file.txt", true), Case("a**/*.txt", "a/dir/file.txt", true), Case("a**/*.txt", "a/dir/dir/file.txt", true),
        Case("a/*.txt", "a/dir/file.txt", false), Case("a/*.txt", "a/file.txt", true), Case("a/*.txt**", "a/file.txt", true),
        Case("a[b-d]e", "ae", false), Case("a[b-d]e", "ace", true), Case("a[b-d]e", "aae", false), Case("a[^b-d]e", "aze", true),
        Case(".*", ".foo", true), Case(".*", "foo", false), Case("abc.def", "abcdef", false), Case("abc.def", "abc.def", true),
        Case("abc.def", "abcZdef", false), Case("abc?def", "abcZdef", true), Case("abc?def", "abcdef", false), Case("a\\\\", "a\\", true),
        Case("**/foo/bar", "foo/bar", true), Case("**/foo/bar", "dir/foo/bar", true), Case("**/foo/bar", "dir/dir2/foo/bar", true),
        Case("abc/**", "abc", false), Case("abc/**", "abc/def", true), Case("abc/**", "abc/def/ghi", true), Case("**/.foo", ".foo", true),
        Case("**/.foo", "bar.foo", false), Case("a(b)c/def", "a(b)c/def", true), Case("a(b)c/def", "a(b)c/xyz", false),
        Case("a.|)$(}+{bc", "a.|)$(}+{bc", true),
        Case("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true),
        Case("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true),
        Case("a\\*b", "a*b", true),
        Case(["**", "!util/docker/web"], "util/docker/web/foo", false),
        Case(["**", "!util/docker/web", "util/docker/web/foo"], "util/docker/web/foo", true),
        Case(["**", "!dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"], "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", false),
        Case(["**", "!dist/*.whl"], "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", false),
    ]

    // TestMatches/MatchesOrParentMatches
    @Test("TestMatches through MatchesOrParentMatches", arguments: matchCases)
    func orParent(_ c: Case) throws {
        #expect(try DockerignoreMatcher(patterns: c.patterns).matchesOrParentMatches(c.text) == c.pass)
    }

    // TestMatches/MatchesUsingParentResults: the parents' results handed down, outermost first.
    @Test("TestMatches through MatchesUsingParentResults, with the parents' results", arguments: matchCases)
    func parentResults(_ c: Case) throws {
        let pm = try DockerignoreMatcher(patterns: c.patterns)
        let parent = GoPath.dir(c.text)
        var info = DockerignoreMatcher.MatchInfo()
        if parent != "." {
            let dirs = parent.split(separator: "/", omittingEmptySubsequences: false)
            for i in dirs.indices { info = pm.matchesUsingParentResults(dirs[...i].joined(separator: "/"), parent: info).info }
        }
        #expect(pm.matchesUsingParentResults(c.text, parent: info).matched == c.pass)
    }

    // TestMatches/MatchesUsingParentResultsNoContext
    @Test("TestMatches through MatchesUsingParentResults without context", arguments: matchCases)
    func parentResultsNoContext(_ c: Case) throws {
        #expect(try DockerignoreMatcher(patterns: c.patterns).matchesUsingParentResults(c.text, parent: .init()).matched == c.pass)
    }

    // TestCleanPatterns, TestCleanPatternsStripEmptyPatterns, TestCleanPatternsExceptionFlag,
    // TestCleanPatternsLeadingSpaceTrimmed, TestCleanPatternsTrailingSpaceTrimmed, TestCleanPatternsErrorSingleException
    @Test("New: empty patterns dropped, exceptions flagged, spaces trimmed, a lone ! refused")
    func newPatterns() throws {
        #expect(try DockerignoreMatcher(patterns: ["docs", "config"]).patterns.count == 2)
        #expect(try DockerignoreMatcher(patterns: ["docs", "config", ""]).patterns.count == 2)
        #expect(try DockerignoreMatcher(patterns: ["docs", "!docs/README.md"]).hasExclusions)
        #expect(try DockerignoreMatcher(patterns: ["docs", "  !docs/README.md"]).hasExclusions)
        #expect(try DockerignoreMatcher(patterns: ["docs", "!docs/README.md  "]).hasExclusions)
        #expect(throws: DockerignorePattern.Refusal(pattern: "!", line: 1, reason: "illegal exclusion pattern: \"!\"")) {
            try DockerignoreMatcher(patterns: ["!"])
        }
    }

    struct GlobCase: Sendable, CustomTestStringConvertible {
        var pattern: String
        var s: String
        var match: Bool
        var bad: Bool
        var testDescription: String { "\(pattern) ~ \(s): \(bad ? "ErrBadPattern" : String(match))" }
        init(_ pattern: String, _ s: String, _ match: Bool, _ bad: Bool = false) {
            (self.pattern, self.s, self.match, self.bad) = (pattern, s, match, bad)
        }
    }

    /// matchTests ("stolen from go's filepath Match tests").
    static let globCases: [GlobCase] = [
        GlobCase("abc", "abc", true), GlobCase("*", "abc", true), GlobCase("*c", "abc", true), GlobCase("a*", "a", true),
        GlobCase("a*", "abc", true), GlobCase("a*", "ab/c", true), GlobCase("a*/b", "abc/b", true), GlobCase("a*/b", "a/c/b", false),
        GlobCase("a*b*c*d*e*/f", "axbxcxdxe/f", true), GlobCase("a*b*c*d*e*/f", "axbxcxdxexxx/f", true),
        GlobCase("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false), GlobCase("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false),
        GlobCase("a*b?c*x", "abxbbxdbxebxczzx", true), GlobCase("a*b?c*x", "abxbbxdbxebxczzy", false), GlobCase("ab[c]", "abc", true),
        GlobCase("ab[b-d]", "abc", true), GlobCase("ab[e-g]", "abc", false), GlobCase("ab[^c]", "abc", false), GlobCase("ab[^b-d]", "abc", false),
        GlobCase("ab[^e-g]", "abc", true), GlobCase("a\\*b", "a*b", true), GlobCase("a\\*b", "ab", false), GlobCase("a?b", "a☺b", true),
        GlobCase("a[^a]b", "a☺b", true), GlobCase("a???b", "a☺b", false), GlobCase("a[^a][^a][^a]b", "a☺b", false), GlobCase("[a-ζ]*", "α", true),
        GlobCase("*[a-ζ]", "A", false), GlobCase("a?b", "a/b", false), GlobCase("a*b", "a/b", false), GlobCase("[\\]a]", "]", true),
        GlobCase("[\\-]", "-", true), GlobCase("[x\\-]", "x", true), GlobCase("[x\\-]", "-", true), GlobCase("[x\\-]", "z", false),
        GlobCase("[\\-x]", "x", true), GlobCase("[\\-x]", "-", true), GlobCase("[\\-x]", "a", false), GlobCase("[]a]", "]", false, true),
        GlobCase("[-]", "-", false, true), GlobCase("[x-]", "x", false, true), GlobCase("[x-]", "-", false, true),
        GlobCase("[x-]", "z", false, true), GlobCase("[-x]", "x", false, true), GlobCase("[-x]", "-", false, true),
        GlobCase("[-x]", "a", false, true), GlobCase("\\", "a", false, true), GlobCase("[a-b-c]", "a", false, true),
        GlobCase("[", "a", false, true), GlobCase("[^", "a", false, true), GlobCase("[^bc", "a", false, true), GlobCase("a[", "a", false, true),
        GlobCase("a[", "ab", false, true), GlobCase("*x", "xxx", true),
    ]

    // TestMatch: Go's filepath.Match cases through Matches, ErrBadPattern included.
    @Test("TestMatch: Go's filepath.Match table, malformed patterns refused", arguments: globCases)
    func glob(_ c: GlobCase) throws {
        if c.bad {
            #expect(throws: DockerignorePattern.Refusal(pattern: c.pattern, line: 1, reason: "syntax error in pattern")) {
                try Self.matches(c.s, [c.pattern])
            }
        } else {
            #expect(try Self.matches(c.s, [c.pattern]) == c.match)
        }
    }

    // TestCompile (slash): the match kind, and for expressions the exact regular expression.
    @Test(
        "TestCompile: match kinds and the regular expressions patternmatcher builds",
        arguments: [
            ("*", "expression", "^[^/]*$"), ("file*", "expression", "^file[^/]*$"), ("*file", "expression", "^[^/]*file$"),
            ("a*/b", "expression", "^a[^/]*/b$"), ("**", "suffix", nil), ("**/**", "expression", "^(.*/)?.*$"), ("dir/**", "prefix", nil),
            ("**/dir", "suffix", nil), ("**/dir2/*", "expression", "^(.*/)?dir2/[^/]*$"), ("**/dir2/**", "expression", "^(.*/)?dir2/.*$"),
            ("**file", "suffix", nil), ("**/file*txt", "expression", "^(.*/)?file[^/]*txt$"),
            ("**/**/*.txt", "expression", "^(.*/)?(.*/)?[^/]*\\.txt$"), ("a[b-d]e", "expression", "^a[b-d]e$"), (".*", "expression", "^\\.[^/]*$"),
            ("abc.def", "exact", nil), ("abc?def", "expression", "^abc[^/]def$"), ("**/foo/bar", "suffix", nil), ("a(b)c/def", "exact", nil),
            ("a.|)$(}+{bc", "exact", nil), ("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", "exact", nil),
        ] as [(String, String, String?)])
    func compile(_ pattern: String, _ kind: String, _ expression: String?) throws {
        let compiled = try #require(try DockerignoreMatcher(patterns: [pattern]).patterns.first)
        #expect(compiled.kindName == kind)
        #expect(compiled.expression == expression)
    }

    // TestMatchesOrParentMatchesMalformedPatternDoesNotPanicOnRepeatedCall (moby/moby#52203):
    // `[Local-Only]/` passes New, then every match fails with ErrBadPattern (RE2 rejects the range
    // l-O). Docker refuses the build at the first match; imagebench refuses the pattern when it reads
    // it, before any build: the same refusal, found earlier.
    @Test("a range RE2 rejects ([Local-Only]/): refused, as Docker refuses it at its first match")
    func reversedRange() {
        #expect(throws: DockerignorePattern.Refusal(pattern: "[Local-Only]/", line: 1, reason: "syntax error in pattern")) {
            try DockerignoreMatcher(patterns: ["[Local-Only]/"])
        }
    }

    // Where imagebench refuses what Docker takes, on purpose: regular-expression features a pattern can
    // reach (a `\` before a letter in patternmatcher, anything in docker 20.10's dialect) that
    // imagebench does not read. Docker would match with them; imagebench says so before a build rather
    // than count a context it cannot predict.
    @Test("deliberate differences: \\p{...} and \\Q...\\E are refused, which Docker would read")
    func unsupportedExpressions() throws {
        // patternmatcher: `\Q...\E` quotes text in RE2.
        #expect(throws: DockerignorePattern.Refusal.self) { try DockerignoreMatcher(patterns: ["\\Qa*b\\E"]) }
        // docker 20.10: `\p{L}` is a Unicode class in RE2.
        #expect(throws: DockerignorePattern.Refusal.self) { try DockerignoreMatcher(patterns: ["a\\p{L}"], dialect: .legacy) }
        // A flag cannot be written there (`?` becomes `[^/]`): `(?i)readme` is a group of any character and `i`.
        #expect(try DockerignoreMatcher(patterns: ["(?i)readme"], dialect: .legacy).matchesParentAtDepth("xireadme"))
        // What RE2 reads the same way imagebench does: Perl classes and word boundaries.
        #expect(try DockerignoreMatcher(patterns: ["log\\d"]).matchesOrParentMatches("log7"))
        #expect(try !DockerignoreMatcher(patterns: ["log\\d"]).matchesOrParentMatches("logx"))
        #expect(try DockerignoreMatcher(patterns: ["[[:digit:]]*.txt"]).matchesOrParentMatches("1.txt"))
    }
}
