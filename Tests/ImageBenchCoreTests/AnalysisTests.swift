import Foundation
import ImageBenchCore
import Testing

@Suite("Tar stream and waste analysis")
struct AnalysisTests {
    /// A tar header block for `name`.
    static func header(_ name: String, size: Int, type: Character = "0", prefix: String = "") -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) { for (i, b) in text.utf8.enumerated() { block[offset + i] = b } }
        put(name, at: 0)
        put(String(size, radix: 8).leftPadded(11) + "\0", at: 124)
        block[156] = UInt8(ascii: type.unicodeScalars.first!)
        put("ustar\0", at: 257)
        put("00", at: 263)
        put(prefix, at: 345)
        return block
    }

    static func entry(_ name: String, _ content: [UInt8], type: Character = "0") -> [UInt8] {
        header(name, size: content.count, type: type) + content + [UInt8](repeating: 0, count: (512 - content.count % 512) % 512)
    }

    static func parse(_ bytes: [UInt8], chunk: Int) -> [TarEntry] {
        var stream = TarStream()
        var entries: [TarEntry] = []
        for start in stride(from: 0, to: bytes.count, by: chunk) {
            stream.feed(bytes[start..<min(start + chunk, bytes.count)], entry: { entries.append($0) }, content: { _, _ in })
        }
        return entries
    }

    @Test("ustar, a ustar prefix, GNU long names and PAX paths, fed in any chunk size", arguments: [1, 7, 512, 100_000])
    func tar(_ chunk: Int) {
        let long = String(repeating: "d/", count: 70) + "file.txt"
        let pax = "path=\(String(repeating: "p", count: 150))/x\n"
        let paxRecord = "\(pax.utf8.count + String(pax.utf8.count + 4).count + 1) " + pax
        var archive: [UInt8] = []
        archive += Self.entry("etc/", [], type: "5")
        archive += Self.entry("etc/hosts", Array("127.0.0.1 localhost\n".utf8))
        archive += Self.header("name", size: 3, prefix: "usr/share") + Array("abc".utf8) + [UInt8](repeating: 0, count: 509)
        archive += Self.entry("././@LongLink", Array(long.utf8) + [0], type: "L") + Self.entry("short", Array("x".utf8))
        archive += Self.entry("PaxHeaders/x", Array(paxRecord.utf8), type: "x") + Self.entry("ignored", [])
        archive += Self.entry("link", [], type: "2")
        archive += [UInt8](repeating: 0, count: 1024)
        let entries = Self.parse(archive, chunk: chunk)
        #expect(entries.map(\.name) == ["etc/", "etc/hosts", "usr/share/name", long, String(repeating: "p", count: 150) + "/x", "link"])
        #expect(entries.map(\.size) == [0, 20, 3, 1, 0, 0])
        #expect(entries[0].isDirectory)
    }

    static func file(_ path: String, _ size: Int64, dir: Bool = false) -> LayerFile { LayerFile(path: path, size: size, isDirectory: dir) }

    @Test("waste as dive counts it: overwritten, deleted files and directories, opaque markers")
    func waste() {
        let layers: [[LayerFile]] = [
            [Self.file("bin", 0, dir: true), Self.file("bin/sh", 100), Self.file("etc/os", 10)],
            [Self.file("big", 1000), Self.file("d", 0, dir: true), Self.file("d/a", 50), Self.file("d/b", 7), Self.file("x", 2)],
            [Self.file(".wh.big", 0), Self.file(".wh.d", 0), Self.file("x", 3), Self.file("etc/.wh..wh..opq", 0)],
        ]
        let a = WasteAnalysis.analyze(layers)
        // Paths: /bin/sh 100, /etc/os 10, /big 1000+0, /d/a 50, /d/b 7, /d (whiteout of a dir: 57), /x 2+3.
        #expect(a.inefficiencies.map(\.path) == ["/big", "/x"])
        #expect(a.wastedBytes == 1005)
        #expect(abs(a.efficiency - Double(100 + 10 + 0 + 50 + 7 + 57 + 2) / Double(100 + 10 + 1000 + 50 + 7 + 57 + 5)) < 1e-12)
        #expect(a.layerBytes == [110, 1059, 3])
        #expect(abs(a.userWastedPercent - 1005.0 / 1062.0) < 1e-12)
        let changes = LayerChange.changes(ImageLayers(digests: ["a", "b", "c"], files: layers))
        // The opaque etc/ hides etc/os: a third deletion.
        #expect(changes.map { [$0.added, $0.changed, $0.deleted] } == [[2, 0, 0], [4, 0, 0], [0, 1, 3]])
    }

    @Test("an image that writes nothing twice is 100% efficient")
    func efficient() {
        let a = WasteAnalysis.analyze([[Self.file("a", 5)], [Self.file("b", 6)]])
        #expect(a.efficiency == 1)
        #expect(a.wastedBytes == 0)
        #expect(WasteAnalysis.analyze([]).efficiency == 1)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }

    @Test("a secret deleted by a later layer is still in the image, once: its whiteout is not a second file")
    func deletedSecret() {
        let layers = ImageLayers(
            digests: ["sha256:a", "sha256:b"],
            files: [
                [LayerFile(path: "app", size: 0, isDirectory: true), LayerFile(path: "app/server.pem", size: 5, isDirectory: false)],
                [LayerFile(path: "app", size: 0, isDirectory: true), LayerFile(path: "app/.wh.server.pem", size: 0, isDirectory: false)],
            ])
        // The layer readers ask SecretScanner which files to read: the whiteout is not one.
        #expect(SecretScanner.wants("/app/server.pem", size: 5) && !SecretScanner.wants("/app/.wh.server.pem", size: 0))
        var read = layers
        read.secretFindings = SecretScanner.findings(Array("pem\n".utf8), path: "/app/server.pem", layer: 0)
        let insight = ImageInsight(read)
        #expect(insight.secrets.isEmpty && insight.secretNames == ["/app/server.pem (layer 0)"], "named like a secret, content not flagged")
    }
}
