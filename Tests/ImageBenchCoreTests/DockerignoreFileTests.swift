import ImageBenchCore
import Testing

/// Reading a `.dockerignore` file as moby/patternmatcher's `ignorefile.ReadAll` (with Go's
/// `bufio.ScanLines` and `strings.TrimSpace`) reads it.
@Suite(".dockerignore reader")
struct DockerignoreFileTests {
    static func read(_ text: String) -> [String] { DockerignoreFile.read(Array(text.utf8)).map(\.pattern) }

    // ignorefile/ignorefile_test.go TestReadAll
    @Test("ignorefile_test.go TestReadAll: leading / dropped, comments and blank lines skipped, ! kept alone")
    func readAll() {
        #expect(DockerignoreFile.read([]).isEmpty)
        let content = "test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! "
        #expect(Self.read(content) == ["test1", "test2", "a/file/here", "lastfile", "!inverted/abs/path", "!", "!"])
    }

    @Test("each pattern keeps its line number, counting comments and blank lines")
    func lineNumbers() {
        let lines = DockerignoreFile.read(Array("# c\n\na\n  \nb\n".utf8))
        #expect(lines == [DockerignoreFile.Line(pattern: "a", number: 3), DockerignoreFile.Line(pattern: "b", number: 5)])
    }

    @Test("CRLF reads as LF; a lone CR is no line break (bufio.ScanLines), and a trailing CR on the last line goes")
    func lineEndings() {
        #expect(Self.read("a.txt\r\nbuild\r\n!build/keep\r\n") == ["a.txt", "build", "!build/keep"])
        #expect(Self.read("a\r\nb\r") == ["a", "b"])
        // Go splits only at \n: one line "a\rb", whose \r TrimSpace leaves inside.
        #expect(Self.read("a\rb\r") == ["a\rb"])
    }

    @Test("a UTF-8 byte-order mark is dropped from the first line only")
    func byteOrderMark() {
        #expect(DockerignoreFile.read([0xEF, 0xBB, 0xBF] + Array("./Dockerfile\n".utf8)).map(\.pattern) == ["Dockerfile"])
        #expect(DockerignoreFile.read([0xEF, 0xBB, 0xBF] + Array("# c\n".utf8)).isEmpty, "a BOM before a comment")
        let second = DockerignoreFile.read(Array("a\n".utf8) + [0xEF, 0xBB, 0xBF] + Array("b\n".utf8)).map(\.pattern)
        #expect(second == ["a", "\u{FEFF}b"], "TrimSpace does not take U+FEFF")
    }

    @Test("a byte that is not UTF-8 costs its own line only: a Latin-1 comment, and a pattern beside it")
    func notUTF8() {
        // "# caf\xE9" (Latin-1 é) then real patterns.
        let bytes: [UInt8] = Array("# caf".utf8) + [0xE9] + Array("\n*.log\nbuild/\n".utf8)
        #expect(DockerignoreFile.read(bytes).map(\.pattern) == ["*.log", "build"])
    }

    @Test("Go's TrimSpace set: tab, vertical tab, form feed, CR, space, U+0085, U+00A0, U+2000, U+3000; not U+200B")
    func whiteSpace() {
        #expect(Self.read("\u{0B}\u{0C}a.txt\u{85}\t\n") == ["a.txt"])
        #expect(Self.read("\u{A0}b\u{2000}\n\u{3000}c \n") == ["b", "c"])
        #expect(Self.read("\u{200B}d\n") == ["\u{200B}d"], "U+200B is not White_Space")
        #expect(Self.read("!  \u{85}e\n") == ["!e"], "after !, TrimSpace again")
    }

    @Test("comments only at the start of a line; ./, //, .. and a leading / cleaned as filepath.Clean does")
    func commentsAndCleaning() {
        #expect(Self.read("#1\n  #2\n") == ["#2"])
        #expect(Self.read("./foo\ndir1//foo\n./dir1/../foo2\n/\n//x/\n") == ["foo", "dir1/foo", "foo2", "/", "x"])
        #expect(Self.read("!./a/../b/\n") == ["!b"])
    }
}
