import ImageBenchCore
import Testing

@Suite("Statistics and helpers")
struct SupportTests {
    @Test("summary of an odd number of samples")
    func odd() throws {
        let s = try #require(Summary([3.90, 3.62, 3.71]))
        #expect(s.n == 3)
        #expect(s.median == 3.71)
        #expect(s.min == 3.62)
        #expect(s.max == 3.90)
        #expect(abs(s.mean - 3.743333) < 1e-6)
        #expect(abs(s.stddev - 0.142945) < 1e-6)
        #expect(s.samples == [3.90, 3.62, 3.71])
    }

    @Test("summary of an even number of samples uses the middle two")
    func even() throws {
        let s = try #require(Summary([4, 1, 3, 2]))
        #expect(s.median == 2.5)
        #expect(abs(s.stddev - 1.290994) < 1e-6)
    }

    @Test("one sample has no spread; none gives no summary")
    func edges() throws {
        #expect(try #require(Summary([2])).stddev == 0)
        #expect(Summary([]) == nil)
    }

    @Test("durations")
    func durations() {
        #expect(DurationParser.seconds("30s") == 30)
        #expect(DurationParser.seconds("2m") == 120)
        #expect(DurationParser.seconds("500ms") == 0.5)
        #expect(DurationParser.seconds("1.5") == 1.5)
        #expect(DurationParser.seconds("soon") == nil)
    }

    @Test("SHA-256 matches the FIPS 180-4 test vectors")
    func sha256() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
