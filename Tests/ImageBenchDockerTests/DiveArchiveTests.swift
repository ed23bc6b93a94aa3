import Foundation
import ImageBenchCore
import ImageBenchDocker
import ImageBenchReport
import ImageBenchTestSupport
import Testing

/// dive's own test images (`.data/*.tar` in github.com/wagoodman/dive), read as files, against the
/// figures dive's committed tests expect (`dive/image/docker/image_archive_analysis_test.go` and the
/// export snapshot `cmd/dive/cli/internal/command/export/testdata/snapshots/export_test.snap`). dive's
/// files are not copied into this repository: the test reads them from a dive git repository named by
/// `IMAGEBENCH_DIVE_REPO` (default: this machine's mirror), and is skipped where there is none.
private let diveRepository: String? = {
    let candidates = [ProcessInfo.processInfo.environment["IMAGEBENCH_DIVE_REPO"], "/work/.mirror/wagoodman+dive/repo"].compactMap { $0 }
    return candidates.first { FileManager.default.fileExists(atPath: $0) }
}()

@Suite("dive's test images", .enabled("needs a git repository of dive (IMAGEBENCH_DIVE_REPO)") { diveRepository != nil })
struct DiveArchiveTests {
    static let repository = diveRepository

    /// Writes `.data/NAME` of dive's repository to `dir` (`git show`, so a bare mirror works too).
    static func file(_ name: String, in dir: String) async throws -> String {
        let path = dir + "/" + name
        let shown = try await SubprocessExecutor().run(
            Command("sh", ["-c", "git -C \"$0\" show HEAD:.data/\"$1\" > \"$2\"", try #require(repository), name, path], timeout: 60))
        try #require(shown.succeeded, "\(shown.stderr)")
        return path
    }

    @Test("test-docker-image.tar: size, efficiency, wasted bytes, user-wasted share, wasted files and every layer as dive's tests expect")
    func dockerImage() async throws {
        try await withTemporaryDirectory { dir in
            let layers = try ImageArchive(kind: .docker, path: try await Self.file("test-docker-image.tar", in: dir)).read()
            let waste = WasteAnalysis.analyze(layers.files)
            #expect(waste.layerBytes.reduce(0, +) == 1_220_598)
            #expect(waste.efficiency == 0.9844212134184309)
            #expect(waste.wastedBytes == 32025)
            #expect(waste.userWastedPercent == 0.4834911001404049)
            #expect(
                waste.inefficiencies.map { "\($0.path) \($0.count) \($0.cumulativeBytes)" }.sorted() == [
                    "/root/example/somefile1.txt 2 12810", "/root/example/somefile3.txt 2 6405", "/root/saved.txt 2 12810",
                ])
            #expect(waste.layerBytes == [1_154_361, 6405, 0, 6405, 6405, 6405, 6405, 6405, 6405, 0, 2187, 6405, 6405, 6405])
            #expect(
                layers.layerIDs.map { String($0.prefix(12)) } == [
                    "28cfe03618aa", "1871059774ab", "49fe2a475548", "80cd2ca1ffc8", "c99e2f8d3f62", "5eca617bdc3b", "f07c3eb88757",
                    "461885fc2258", "a10327f68ffe", "f2fc54e25cb7", "aad36d0b05e7", "3d4ad907517a", "81b1b002d4b4", "cfb35bb5c127",
                ])
            #expect(layers.digests.first == "sha256:23bc2b70b2014dec0ac22f27bb93e9babd08cdd6f1115d0c955b9ff22b382f5a")
            #expect(layers.digests.last?.hasPrefix("sha256:ba689cac6a98") == true)
            #expect(layers.commands[2] == "mkdir -p /root/example/really/nested" && layers.commands[13] == "chmod +x /root/saved.txt")
            #expect(layers.commands[0] == "#(nop) ADD file:ce026b62356eec3ad1214f92be2c9dc063fe205bd5e600be3492c4dfb17148bd in / ")
        }
    }

    @Test("analyze --format dive-json of test-docker-image.tar equals dive's export snapshot: every layer with its fileList, the image")
    func exportSnapshot() async throws {
        try await withTemporaryDirectory { dir in
            let layers = try ImageArchive(kind: .docker, path: try await Self.file("test-docker-image.tar", in: dir)).read(entries: true)
            var analysis = ImageAnalysis(
                image: "test-docker-image.tar", layers: LayerChange.changes(layers), waste: WasteAnalysis.analyze(layers.files))
            analysis.layerIDs = layers.layerIDs
            analysis.commands = layers.commands
            analysis.entries = layers.entries
            let ours = try #require(try JSONSerialization.jsonObject(with: Data(DiveJSONReport.render(analysis).utf8)) as? [String: Any])
            // The snapshot file of dive's export test: its JSON between the first and the last brace.
            let shown = try await SubprocessExecutor().run(
                Command(
                    "git",
                    ["-C", try #require(Self.repository), "show", "HEAD:cmd/dive/cli/internal/command/export/testdata/snapshots/export_test.snap"],
                    timeout: 60))
            try #require(shown.succeeded, "\(shown.stderr)")
            let text = shown.stdout
            let json = try #require(text.firstIndex(of: "{").flatMap { start in text.lastIndex(of: "}").map { text[start...$0] } })
            let theirs = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(NSArray(array: ours["layer"] as? [Any] ?? []).isEqual(to: theirs["layer"] as? [Any] ?? [1]), "every layer, fileList included")
            var a = ours["image"] as? [String: Any] ?? [:]
            var b = theirs["image"] as? [String: Any] ?? [:]
            // dive lists files of equal waste in map order, so those are compared as a set.
            func references(_ image: [String: Any]) -> Set<String> {
                Set((image["fileReference"] as? [[String: Any]] ?? []).map { "\($0["file"] ?? "") \($0["count"] ?? "") \($0["sizeBytes"] ?? "")" })
            }
            #expect(references(a) == references(b) && references(a).count == 3)
            a["fileReference"] = nil
            b["fileReference"] = nil
            #expect(NSDictionary(dictionary: a).isEqual(to: b), "\(a) vs \(b)")
        }
    }

    @Test("test-oci-{uncompressed,gzip,zstd}-image.tar: the same one layer whatever its compression; compressed sizes are the blobs'")
    func ociImages() async throws {
        try await withTemporaryDirectory { dir in
            var files: [String] = []
            for name in ["uncompressed", "gzip", "zstd"] {
                let read = try ImageArchive(kind: .oci, path: try await Self.file("test-oci-\(name)-image.tar", in: dir)).read()
                #expect(read.files.count == 1 && read.source == "oci-archive")
                #expect(WasteAnalysis.analyze(read.files).layerBytes == [11189], "\(name)")
                #expect(read.commands.first?.hasPrefix("COPY README.md /README.md") == true)
                #expect((read.compressed?.source == .archive) == (name != "uncompressed"), "\(name)")
                files.append("\(read.files.first?.map { "\($0.path) \($0.size)" } ?? [])")
            }
            #expect(Set(files).count == 1, "\(files)")
        }
    }
}
