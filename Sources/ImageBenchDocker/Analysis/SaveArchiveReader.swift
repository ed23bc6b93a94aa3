import Foundation
import ImageBenchCore

/// Reads `docker save` output as it streams: every layer tar inside it is parsed on the fly into its
/// file list; small JSON files (manifest.json) are kept to put the layers in order. Nothing is written
/// to disk and no file content is kept. Asked to, it also gzip-compresses each layer tar on the way,
/// counting only the output's size.
final class SaveArchiveReader: ByteSink, @unchecked Sendable {
    // @unchecked: `consume` is called from a single task at a time (the stdout reader), and the
    // results are read only after the process has ended.
    private var outer = TarStream()
    private var inner: TarStream?
    private var innerName = ""
    private var innerFiles: [LayerFile] = []
    private var probe: [UInt8] = []
    private var decided = false
    private var small: [UInt8] = []
    private(set) var layers: [String: [LayerFile]] = [:]
    /// The file whose first bytes are kept (the entrypoint), relative, and what was kept per layer.
    let capturePath: String?
    private var capturing = false
    private var heads: [String: [UInt8]] = [:]
    static let headLimit = 64 << 10
    let estimateCompressed: Bool
    private var gzip: GzipSizeCounter?
    private(set) var compressed: [String: Int64] = [:]

    /// Whether package databases and Go build information are kept (see ``ImageLayers/contents``).
    let keepContents: Bool
    private(set) var contents: [String: [String: [UInt8]]] = [:]
    private(set) var goBuildInfo: [String: [String: [UInt8]]] = [:]
    /// The inner file being kept whole (a package database), or scanned for Go build information.
    private var keeping: (path: String, bytes: [UInt8])?
    private var scanning: (path: String, scanner: GoBuildInfoScanner, seen: Int)?
    static let contentLimit: Int64 = 16 << 20

    init(capture path: String? = nil, estimateCompressed: Bool = false, keepContents: Bool = false) {
        capturePath = path.map { GoPath.clean($0).trimmingPrefix("/") }.map(String.init)
        self.estimateCompressed = estimateCompressed
        self.keepContents = keepContents
    }
    private(set) var jsonFiles: [String: Data] = [:]

    func consume(_ bytes: ArraySlice<UInt8>) {
        outer.feed(bytes, entry: { [unowned self] entry in self.begin(entry) }, content: { [unowned self] entry, piece in self.data(entry, piece) })
    }

    private func begin(_ entry: TarEntry) {
        finishEntry()
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
        if probe.count == 512 && String(decoding: probe[257..<262], as: UTF8.self) == "ustar" {
            inner = TarStream()
            innerFiles = []
            gzip = estimateCompressed ? GzipSizeCounter() : nil
            feedInner(probe[...])
            feedInner(rest)
        } else if entry.size < 4 << 20 {
            small.append(contentsOf: probe)
            small.append(contentsOf: rest)
        }
    }

    private func feedInner(_ piece: ArraySlice<UInt8>) {
        gzip?.feed(piece)
        inner?.feed(
            piece,
            entry: { [unowned self] file in
                self.finishInnerFile()
                let path = GoPath.clean(file.name)
                let link = file.typeflag == UInt8(ascii: "2") ? file.linkname : nil
                if path != "." { self.innerFiles.append(LayerFile(path: path, size: file.size, isDirectory: file.isDirectory, linkTarget: link)) }
                self.capturing = path == self.capturePath && file.isRegular
                if self.capturing { self.heads[self.innerName] = [] }
                guard self.keepContents, file.isRegular, file.size > 0 else { return }
                if PackageAnalysis.wants(path) && file.size <= Self.contentLimit {
                    self.keeping = (path, [])
                } else if ImageLayers.mayBeGoBinary(path, size: file.size, entrypoint: self.capturePath) {
                    self.scanning = (path, GoBuildInfoScanner(), 0)
                }
            },
            content: { [unowned self] _, piece in
                if self.keeping != nil { self.keeping!.bytes.append(contentsOf: piece) }
                if self.scanning != nil { self.scan(piece) }
                guard self.capturing, let count = self.heads[self.innerName]?.count, count < Self.headLimit else { return }
                self.heads[self.innerName]?.append(contentsOf: piece.prefix(Self.headLimit - count))
            })
    }

    /// Looks for Go build information in an ELF file; anything else is dropped at its first bytes.
    private func scan(_ piece: ArraySlice<UInt8>) {
        guard var current = scanning else { return }
        let elf: [UInt8] = [0x7f, 0x45, 0x4c, 0x46]
        if current.seen < elf.count {
            let look = piece.prefix(elf.count - current.seen)
            guard look.elementsEqual(elf[current.seen..<(current.seen + look.count)]) else {
                scanning = nil
                return
            }
        }
        current.seen += piece.count
        scanning = nil
        current.scanner.feed(piece)
        scanning = current
    }

    private func finishInnerFile() {
        if let kept = keeping { contents[innerName, default: [:]][kept.path] = kept.bytes }
        if var current = scanning, let found = current.scanner.finish() { goBuildInfo[innerName, default: [:]][current.path] = found }
        keeping = nil
        scanning = nil
    }

    private func finishEntry() {
        if inner != nil {
            finishInnerFile()
            layers[innerName] = innerFiles
            if let gzip { compressed[innerName] = gzip.finish() }
        } else if innerName.hasSuffix(".json") || innerName.hasPrefix("blobs/") || innerName == "index.json" {
            if !small.isEmpty { jsonFiles[innerName] = Data(small) }
        }
        inner = nil
        innerFiles = []
        gzip = nil
    }

    /// Call after the stream ends: the layers in manifest order, and the newest kept head.
    func finish() -> (files: [[LayerFile]], head: [UInt8]?, compressed: [Int64]?, contents: [[String: [UInt8]]], goBuildInfo: [[String: [UInt8]]])? {
        finishEntry()
        guard let manifest = jsonFiles["manifest.json"],
            let list = (try? JSONSerialization.jsonObject(with: manifest)) as? [[String: Any]], let paths = list.first?["Layers"] as? [String]
        else { return nil }
        let sizes = paths.compactMap { compressed[$0] }
        return (
            paths.map { layers[$0] ?? [] }, paths.reversed().lazy.compactMap { self.heads[$0] }.first,
            estimateCompressed && sizes.count == paths.count ? sizes : nil,
            paths.map { contents[$0] ?? [:] }, paths.map { goBuildInfo[$0] ?? [:] }
        )
    }
}
