import Foundation
import ImageBenchCore
import ImageBenchTestSupport
import Testing

@testable import ImageBenchDocker

@Suite("compressed sizes: gzip estimate and registry manifests")
struct CompressedSizeTests {
    @Test("the gzip counter counts what zlib writes, in one piece or many")
    func gzipCounter() {
        let zeros = [UInt8](repeating: 0, count: 1_000_000)
        let whole = GzipSizeCounter()
        whole.feed(zeros[...])
        let wholeSize = whole.finish()
        #expect(wholeSize > 18 && wholeSize < 2_000, "a megabyte of zeros gzips to \(wholeSize) B")

        let pieces = GzipSizeCounter()
        for start in stride(from: 0, to: zeros.count, by: 4_096) { pieces.feed(zeros[start..<min(start + 4_096, zeros.count)]) }
        #expect(pieces.finish() == wholeSize)

        var generator = SystemRandomNumberGenerator()
        let noise = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let random = GzipSizeCounter()
        random.feed(noise[...])
        #expect(random.finish() >= 300_000, "random bytes do not compress")
    }

    @Test("a save stream read with estimateCompressed gives one size per layer, in manifest order")
    func saveStream() {
        let archive = SaveArchive.string(layers: [
            [("a/", ""), ("a/big", String(repeating: "x", count: 100_000))],
            [("b", "hello")],
        ])
        let reader = SaveArchiveReader(estimateCompressed: true)
        let bytes = Array(archive.utf8)
        for start in stride(from: 0, to: bytes.count, by: 1_000) { reader.consume(bytes[start..<min(start + 1_000, bytes.count)]) }
        let read = reader.finish()
        let sizes = try? #require(read?.compressed?.layers)
        #expect(sizes?.count == 2)
        #expect((sizes?[0] ?? 0) > 0 && (sizes?[0] ?? 0) < 5_000, "100 kB of x and tar headers gzip to little")
        #expect(SaveArchiveReader().finish() == nil || SaveArchiveReader().finish()?.compressed == nil)
        let plain = SaveArchiveReader()
        plain.consume(bytes[...])
        #expect(plain.finish()?.compressed == nil, "no estimate unless asked")
    }

    @Test("an OCI save of a two-platform index: each platform's size, blobs and layers, every blob of the index once, no attestation")
    func platformIndex() throws {
        // dockerd 26.1 on the containerd store: index.json names the image's index; manifest.json the engine's own platform.
        let amd = SaveArchive.tar([("app", String(repeating: "a", count: 3_000))])
        let arm = SaveArchive.tar([("app", String(repeating: "r", count: 2_000))])
        let shared = SaveArchive.tar([("etc/", ""), ("etc/motd", "hello")])
        func descriptor(_ media: String, _ digest: String, _ size: Int, platform: String? = nil) -> String {
            "{\"mediaType\":\"application/vnd.oci.\(media)\",\"digest\":\"sha256:\(digest)\",\"size\":\(size)"
                + (platform.map { ",\"platform\":\($0)" } ?? "") + "}"
        }
        func manifest(_ config: String, _ layer: String, _ size: Int) -> String {
            "{\"schemaVersion\":2,\"config\":\(descriptor("image.config.v1+json", config, 100)),\"layers\":["
                + descriptor("image.layer.v1.tar", "5a", shared.count) + "," + descriptor("image.layer.v1.tar", layer, size) + "]}"
        }
        let amdManifest = manifest("c1", "a1", amd.count)
        let armManifest = manifest("c2", "b2", arm.count)
        let attestation = "{\"schemaVersion\":2,\"layers\":[]}"
        let index =
            "{\"schemaVersion\":2,\"manifests\":["
            + descriptor("image.manifest.v1+json", "m1", amdManifest.utf8.count, platform: #"{"architecture":"amd64","os":"linux"}"#) + ","
            + descriptor("image.manifest.v1+json", "m2", armManifest.utf8.count, platform: #"{"architecture":"arm64","os":"linux"}"#) + ","
            + descriptor("image.manifest.v1+json", "m3", attestation.utf8.count, platform: #"{"architecture":"unknown","os":"unknown"}"#) + "]}"
        let archive = SaveArchive.tar([
            ("blobs/", ""), ("blobs/sha256/", ""),
            ("blobs/sha256/5a", String(decoding: shared, as: UTF8.self)), ("blobs/sha256/a1", String(decoding: amd, as: UTF8.self)),
            ("blobs/sha256/b2", String(decoding: arm, as: UTF8.self)), ("blobs/sha256/m1", amdManifest), ("blobs/sha256/m2", armManifest),
            ("blobs/sha256/m3", attestation), ("blobs/sha256/1d", index),
            ("index.json", "{\"schemaVersion\":2,\"manifests\":[" + descriptor("image.index.v1+json", "1d", index.utf8.count) + "]}"),
            ("manifest.json", #"[{"Config":"blobs/sha256/c1","Layers":["blobs/sha256/5a","blobs/sha256/a1"]}]"#),
        ])
        let reader = SaveArchiveReader()
        reader.consume(archive[...])
        let read = try #require(reader.finish())
        #expect(read.files.map(\.count) == [2, 1], "the engine's own platform is the image analysed")
        let platforms = try #require(read.platformIndex)
        #expect(platforms.digest == "sha256:1d")
        #expect(platforms.members.map(\.platform) == ["linux/amd64", "linux/arm64"])
        #expect(platforms.members.map(\.bytes) == [3_005, 2_005])
        #expect(platforms.members.map(\.compressedBytes) == [Int64(shared.count + amd.count), Int64(shared.count + arm.count)])
        #expect(platforms.members.map(\.layers) == [2, 2])
        // The shared layer once; both configs and manifests; the index; not the attestation.
        let stored = shared.count + amd.count + arm.count + 200 + amdManifest.utf8.count + armManifest.utf8.count + index.utf8.count
        #expect(platforms.storedBytes == Int64(stored))
        // One platform: no index.
        let single = SaveArchive.string(layers: [[("b", "hello")]])
        let one = SaveArchiveReader()
        one.consume(Array(single.utf8)[...])
        #expect(one.finish()?.platformIndex == nil)
    }

    @Test("layer sizes from a Docker v2 manifest as docker-registry serves it")
    func manifest() throws {
        let body = """
            {
               "schemaVersion": 2,
               "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
               "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1491,
                  "digest": "sha256:7b682abaaa879455f72dd75d79bc51fdb7a899c760a55c196e2679683fa4d6b2"},
               "layers": [
                  {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 476202,
                   "digest": "sha256:e2e8681de8dd7ce44518cf916779cfcaf3b0e4b33857be296b9289cd911e5283"},
                  {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 32,
                   "digest": "sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1"}
               ]
            }
            """
        let gzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
        #expect(
            try RegistryClient.layers(manifest: Data(body.utf8), url: "u") == [
                .init(size: 476_202, mediaType: gzip), .init(size: 32, mediaType: gzip),
            ])
        #expect(throws: RegistryError.self) { try RegistryClient.layers(manifest: Data("{\"errors\":[]}".utf8), url: "u") }
        #expect(LayerCompression.algorithm(ofMediaType: gzip) == .gzip)
        #expect(LayerCompression.algorithm(ofMediaType: "application/vnd.oci.image.layer.v1.tar+zstd") == .zstd)
        #expect(LayerCompression.algorithm(ofMediaType: "application/vnd.oci.image.layer.v1.tar") == .uncompressed)
        #expect(LayerCompression.algorithm(ofMediaType: "application/vnd.docker.image.rootfs.diff.tar") == .uncompressed)
    }
}
