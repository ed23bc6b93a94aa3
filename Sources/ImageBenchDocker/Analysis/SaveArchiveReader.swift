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
        image.configHistory = config?.history ?? []
        image.blobBytes = blobBytes
        image.platformIndex = platformIndex()
        return image
    }

    /// The image's platforms when the archive is an OCI layout of an index listing more than one (a
    /// multi-platform build on the containerd image store): each platform's image from its manifest and
    /// its layers as they streamed past, and every distinct blob the index holds; nil for one platform.
    func platformIndex() -> PlatformIndex? {
        /// A descriptor's `size`: the blob's bytes as stored.
        func size(_ descriptor: [String: Any]) -> Int64 { (descriptor["size"] as? NSNumber)?.int64Value ?? 0 }
        func json(_ digest: String) -> [String: Any]? {
            jsonFiles[ImageArchive.blob(digest)].flatMap { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] }
        }
        guard let top = jsonFiles["index.json"].flatMap({ (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] }) else { return nil }
        // index.json names the saved image; an image that is an index lists its platforms one level down.
        var digest = ""
        var entries = top["manifests"] as? [[String: Any]] ?? []
        var stored: [String: Int64] = [:]
        while entries.count == 1, let only = entries.first, let media = only["mediaType"] as? String,
            media.hasSuffix("index.v1+json")
                || media.hasSuffix("manifest.list.v2+json"), let next = only["digest"] as? String, let index = json(next)
        {
            digest = next
            stored[next] = size(only)
            entries = index["manifests"] as? [[String: Any]] ?? []
        }
        let images = entries.filter { entry in
            let platform = entry["platform"] as? [String: Any]
            return platform != nil && platform?["os"] as? String != "unknown"
        }
        guard images.count > 1, !digest.isEmpty else { return nil }
        var members: [PlatformIndex.Member] = []
        for entry in images {
            guard let manifestDigest = entry["digest"] as? String, let manifest = json(manifestDigest),
                let platform = entry["platform"] as? [String: Any], let os = platform["os"] as? String,
                let architecture = platform["architecture"] as? String
            else { return nil }
            stored[manifestDigest] = size(entry)
            let blobs = ((manifest["config"] as? [String: Any]).map { [$0] } ?? []) + (manifest["layers"] as? [[String: Any]] ?? [])
            for blob in blobs { if let d = blob["digest"] as? String { stored[d] = size(blob) } }
            let layers = manifest["layers"] as? [[String: Any]] ?? []
            // A layer that did not stream past (a platform whose content the engine lacks) leaves no figure.
            let readers = layers.map { ($0["digest"] as? String).flatMap { reads[ImageArchive.blob($0)] } }
            guard readers.allSatisfy({ $0 != nil }) else { return nil }
            var member = PlatformIndex.Member(
                platform: ([os, architecture] + [platform["variant"] as? String].compactMap { $0 }).joined(separator: "/"),
                manifest: manifestDigest, bytes: readers.reduce(0) { $0 + LayerChange.unpackedBytes($1?.files ?? []) },
                compressedBytes: layers.reduce(0) { $0 + size($1) }, layers: layers.count)
            // Each platform's own packages, Go binaries and linkage, from the layers read in the same pass.
            if keepContents {
                let entrypoint = ((manifest["config"] as? [String: Any])?["digest"] as? String)
                    .flatMap { jsonFiles[ImageArchive.blob($0)] }.flatMap(ImageConfigJSON.init)?.entrypoint
                let image = LayerTarReader.image(readers, digests: [], entrypoint: entrypoint, estimateCompressed: false, keepEntries: false)
                let insight = ImageInsight.analyze(image).insight
                (member.packages, member.goBinaries, member.linkage) = (insight.packages, insight.goBinaries, insight.linkage)
            }
            members.append(member)
        }
        return PlatformIndex(digest: digest, members: members, storedBytes: stored.values.reduce(0, +))
    }
}
