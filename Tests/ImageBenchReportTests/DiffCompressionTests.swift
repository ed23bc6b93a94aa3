import ImageBenchCore
import ImageBenchReport
import Testing

@Suite("diff: layers that differ only by compression")
struct DiffCompressionTests {
    static func side(_ name: String, base: (String, Int64), top: (String, Int64)) -> ImageDiff.Side {
        let files: [[LayerFile]] = [
            [LayerFile(path: "bin/busybox", size: 1_000_000, isDirectory: false)], [LayerFile(path: "data.txt", size: 1_500_000, isDirectory: false)],
        ]
        var layers = LayerChange.changes(ImageLayers(digests: ["sha256:base", "sha256:data"], files: files))
        layers[0].mediaType = "application/vnd.oci.image.layer.v1." + base.0
        layers[0].compressedBytes = base.1
        layers[1].mediaType = "application/vnd.oci.image.layer.v1." + top.0
        layers[1].compressedBytes = top.1
        return ImageDiff.Side(name: name, files: FinalFiles(files), packages: nil, layers: layers)
    }

    @Test("the same files stored as gzip in one and zstd in the other are named, with both compressed sizes")
    func recompressed() {
        let diff = ImageDiff(
            Self.side("compression=gzip", base: ("tar+gzip", 1_495_800), top: ("tar+gzip", 99_690)),
            Self.side("compression=zstd", base: ("tar+zstd", 1_536_846), top: ("tar+zstd", 17_577)))
        #expect(diff.layers.shared.count == 2 && diff.files.isEmpty)
        #expect(diff.layers.recompressed.map(\.compressionB) == ["zstd", "zstd"])
        #expect(diff.layers.recompressed.map(\.compressedA) == [1_495_800, 99_690])
        #expect(DiffReport.table(diff, top: 5).contains("2 of the shared differ only by compression (gzip 1.60 MB → zstd 1.55 MB)"))
        // A level changes the size, not the media type: still only compression. Equal blobs are not named.
        let level = ImageDiff(
            Self.side("gzip", base: ("tar+gzip", 1_495_800), top: ("tar+gzip", 99_690)),
            Self.side("gzip9", base: ("tar+gzip", 1_495_800), top: ("tar+gzip", 96_445)))
        #expect(level.layers.recompressed.count == 1 && level.layers.recompressed[0].digest == "sha256:data")
        #expect(DiffReport.json(level, top: 5).contains("\"compressed_bytes_b\" : 96445"))
    }
}
