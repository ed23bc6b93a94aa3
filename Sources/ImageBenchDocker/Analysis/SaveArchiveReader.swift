import Foundation
import ImageBenchCore

/// Reads `docker save` output as it streams: every layer tar inside it (plain, or a gzip or zstd blob
/// as an engine with the containerd image store saves them) is parsed on the fly by a
/// ``LayerTarReader``; small JSON files (manifest.json) are kept to put the layers in order. Nothing is
/// written to disk and no file content is kept but what the layer readers keep.
final class SaveArchiveReader: ByteSink, @unchecked Sendable {
    // @unchecked: `consume` is called from a single task at a time (the stdout reader), and the
    // results are read only after the process has ended.
    private var outer = TarStream()
    private var inner: LayerTarReader?
    private var innerName = ""
    private var innerSize: Int64 = 0
    private var probe: [UInt8] = []
    private var decided = false
    private var small: [UInt8] = []
    private var reads: [String: LayerTarReader] = [:]
    /// A blob that could not be decoded, and why.
    private(set) var failure: (name: String, message: String)?
    /// The file whose first bytes are kept (the entrypoint), relative.
    let capturePath: String?
    static let headLimit = 64 << 10
    let estimateCompressed: Bool
    /// Whether package databases and Go build information are kept (see ``ImageLayers/contents``).
    let keepContents: Bool
    /// Whether every entry is kept with its mode and owner (dive-json's fileList).
    let keepEntries: Bool
    private(set) var jsonFiles: [String: Data] = [:]
    /// The bytes of the entries under `blobs/` (an OCI layout's), nil without any.
    private(set) var blobBytes: Int64?

    init(capture path: String? = nil, estimateCompressed: Bool = false, keepContents: Bool = false, keepEntries: Bool = false) {
        capturePath = path.map { GoPath.clean($0).trimmingPrefix("/") }.map(String.init)
        self.estimateCompressed = estimateCompressed
        self.keepContents = keepContents
        self.keepEntries = keepEntries
    }

    func consume(_ bytes: ArraySlice<UInt8>) {
        outer.feed(bytes, entry: { [unowned self] entry in self.begin(entry) }, content: { [unowned self] entry, piece in self.data(entry, piece) })
    }

    private func begin(_ entry: TarEntry) {
        finishEntry()
        if entry.name.hasPrefix("blobs/") && !entry.isDirectory { blobBytes = (blobBytes ?? 0) + entry.size }
        innerSize = entry.size
        innerName = entry.name
        decided = false
        probe.removeAll()
        small.removeAll()
    }

    private func data(_ entry: TarEntry, _ piece: ArraySlice<UInt8>) {
        if inner != nil {
            feedInner(piece)
            return
        }
        if decided {
            if entry.size < 4 << 20 { small.append(contentsOf: piece) }
            return
        }
        // Look at the first block to tell a layer tar (`<id>/layer.tar`, or an OCI blob) from JSON.
        let take = min(512 - probe.count, piece.count)
        probe.append(contentsOf: piece.prefix(take))
        let rest = piece.dropFirst(take)
        guard probe.count == 512 || Int64(probe.count) == entry.size else { return }
        decided = true
        let compression = LayerDecoder.Compression.sniff(probe)
        if compression != .none || (probe.count == 512 && String(decoding: probe[257..<262], as: UTF8.self) == "ustar") {
            do {
                inner = try LayerTarReader(
                    compression: compression, capturePath: capturePath, estimateCompressed: estimateCompressed, keepContents: keepContents,
                    keepEntries: keepEntries)
            } catch {
                failure = (innerName, error.message)
                return
            }
            reads[innerName] = inner
            feedInner(probe[...])
            feedInner(rest)
        } else if entry.size < 4 << 20 {
            small.append(contentsOf: probe)
            small.append(contentsOf: rest)
        }
    }

    private func feedInner(_ piece: ArraySlice<UInt8>) {
        do {
            try inner?.feed(piece)
        } catch {
            if failure == nil { failure = (innerName, error.message) }
            inner = nil
        }
    }

    private func finishEntry() {
        if let inner {
            inner.finish(blobSize: innerSize)
        } else if innerName.hasSuffix(".json") || innerName.hasPrefix("blobs/") || innerName == "index.json" {
            if !small.isEmpty { jsonFiles[innerName] = Data(small) }
        }
        inner = nil
    }

    /// Call after the stream ends: the layers in manifest order, with their ids and commands, the newest
    /// kept head and the compressed sizes (when asked for); nil without a manifest.json.
    func finish(digests: [String] = [], entrypoint: String? = nil) -> ImageLayers? {
        finishEntry()
        guard let manifest = jsonFiles["manifest.json"],
            let list = (try? JSONSerialization.jsonObject(with: manifest)) as? [[String: Any]], let paths = list.first?["Layers"] as? [String]
        else { return nil }
        var image = LayerTarReader.image(
            paths.map { reads[$0] }, digests: digests, entrypoint: entrypoint, estimateCompressed: estimateCompressed, keepEntries: keepEntries)
        image.layerIDs = paths.map(ImageConfigJSON.layerID)
        let config = (list.first?["Config"] as? String).flatMap { jsonFiles[$0] }.flatMap(ImageConfigJSON.init)
        image.commands = config?.commands(count: paths.count) ?? []
        image.stepMadeLayer = config?.stepMadeLayer ?? []
        image.blobBytes = blobBytes
        return image
    }
}
