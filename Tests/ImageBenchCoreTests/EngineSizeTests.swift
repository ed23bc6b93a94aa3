import ImageBenchCore
import Testing

/// What `.Size` means on each engine and what imagebench reports instead, from figures measured on this
/// machine: Debian's dockerd 20.10 (overlay2) and trixie's dockerd 26.1.5 with the containerd image store,
/// the same three-layer image (musl-busybox, a RUN that writes a file and a symlink, a COPY).
@Suite("engine sizes: .Size's meaning per store, the disk an image takes, the size the layers define")
struct EngineSizeTests {
    /// 26.1.5, containerd store: `.Size`, `docker history --human=false` sizes, and the `docker save` blobs.
    static let packed: Int64 = 2_833_372
    static let snapshots: [Int64] = [2_727_936, 0, 20480, 8192]
    static let blobs: Int64 = 107 + 179 + 852 + 1043 + 1006 + 855 + 2_830_336 + 566 + 167

    @Test("a graph driver's .Size is the unpacked size and the disk the image takes")
    func graphDriver() {
        let size = EngineSize.measure(bytes: 2_687_192, store: .graphDriver, snapshots: 2_687_192, packed: nil)
        #expect(size == EngineSize(bytes: 2_687_192, meaning: .unpacked, diskBytes: 2_687_192, store: .graphDriver))
    }

    @Test("26.1's containerd store: .Size is the packed content; the disk adds the snapshots (docker images said 5.59 MB)")
    func containerdPacked() {
        let size = EngineSize.measure(bytes: Self.packed, store: .containerd, snapshots: Self.snapshots.reduce(0, +), packed: Self.blobs)
        #expect(size.meaning == .packed && size.diskBytes == 5_589_980)
        // Without the blobs' sizes: less than the unpacked usage reads as packed too.
        #expect(EngineSize.measure(bytes: 1_497_806, store: .containerd, snapshots: 2_727_936, packed: nil).meaning == .packed)
    }

    @Test("after moby/moby#53426 .Size is packed plus unpacked, and is the disk itself")
    func containerdBoth() {
        let both = Self.packed + Self.snapshots.reduce(0, +)
        let size = EngineSize.measure(bytes: both, store: .containerd, snapshots: Self.snapshots.reduce(0, +), packed: Self.blobs)
        #expect(size == EngineSize(bytes: both, meaning: .packedPlusUnpacked, diskBytes: both, store: .containerd))
        #expect(
            EngineSize.measure(bytes: both, store: .containerd, snapshots: Self.snapshots.reduce(0, +), packed: nil).meaning == .packedPlusUnpacked)
    }

    @Test("podman's .Size counts tar streams and is kept as its own")
    func podman() {
        #expect(EngineSize.measure(bytes: 2_832_000, store: .podman, snapshots: 0, packed: nil).meaning == .tarStreams)
    }

    /// The image's layers as the readers give them: busybox with its symlinks, then the RUN's file and link, then the COPY.
    static func layers(stepMadeLayer: [Bool]) -> ImageLayers {
        var image = ImageLayers(
            digests: ["sha256:a", "sha256:b", "sha256:c"],
            files: [
                [
                    LayerFile(path: "bin", size: 0, isDirectory: true), LayerFile(path: "bin/busybox", size: 2_685_246, isDirectory: false),
                    LayerFile(path: "bin/sh", size: 0, isDirectory: false, linkTarget: "busybox"),
                    LayerFile(path: "lib/ld-musl-x86_64.so.1", size: 1841, isDirectory: false),
                ],
                [LayerFile(path: "hi", size: 3, isDirectory: false), LayerFile(path: "hl", size: 0, isDirectory: false, linkTarget: "/hi")],
                [LayerFile(path: "a.txt", size: 6, isDirectory: false)],
            ])
        image.stepMadeLayer = stepMadeLayer
        image.blobBytes = Self.blobs
        return image
    }

    @Test("the size and each step's bytes come from the layers; the engine's figures are kept apart")
    func measuredFacts() {
        let history = zip([true, false, true, true], Self.snapshots).enumerated().map { i, pair in
            LayerRecord(position: i, sizeBytes: pair.1, createdBy: "step \(i)")
        }
        let inspected = ImageFacts(ref: "ibt:1", id: "sha256:7bb2", sizeBytes: Self.packed, layers: 3, history: history)
        let facts = inspected.measured(by: Self.layers(stepMadeLayer: [true, false, true, true]), store: .containerd)
        #expect(facts.sizeBytes == 2_685_246 + 7 + 1841 + 3 + 3 + 6)
        #expect(facts.history.map(\.sizeBytes) == [2_685_246 + 7 + 1841, 0, 6, 6])
        #expect(facts.engineSize?.bytes == Self.packed && facts.engineSize?.meaning == .packed)
        // A config history that does not match the layers leaves each step with the engine's figure.
        let unmatched = inspected.measured(by: Self.layers(stepMadeLayer: [true, true]), store: .containerd)
        #expect(unmatched.history.map(\.sizeBytes) == Self.snapshots && unmatched.sizeBytes == facts.sizeBytes)
        // Unread layers: the engine's unpacked figure, .Size on a graph driver, the snapshots on containerd.
        #expect(inspected.measured(by: nil, store: .containerd).sizeBytes == Self.snapshots.reduce(0, +))
        #expect(inspected.measured(by: nil, store: .graphDriver).sizeBytes == Self.packed)
    }
}
