import ImageBenchCore

/// Reads one layer blob as it streams (a plain tar, or gzip or zstd through a ``LayerDecoder``): its
/// file list, the first bytes of the entrypoint, the package databases and Go build information (when
/// asked to keep contents), and its compressed size: a compressed blob's own, or, asked to, the size a
/// plain tar takes gzip-compressed. Used for each layer of a `docker save` stream and of an image archive.
final class LayerTarReader {
    let compression: LayerDecoder.Compression
    private let decoder: LayerDecoder?
    private var tar = TarStream()
    private(set) var files: [LayerFile] = []
    /// The entrypoint's first bytes (at most ``SaveArchiveReader/headLimit``), when this layer holds it.
    private(set) var head: [UInt8]?
    private(set) var contents: [String: [UInt8]] = [:]
    private(set) var goBuildInfo: [String: [UInt8]] = [:]
    let capturePath: String?
    let keepContents: Bool
    /// Whether every entry is kept with its mode and owner (``ImageLayers/entries``).
    let keepEntries: Bool
    private(set) var entries: [TarEntry] = []
    private var capturing = false
    private var gzip: GzipSizeCounter?
    /// The file being kept whole (a package database), or scanned for Go build information.
    private var keeping: (path: String, bytes: [UInt8])?
    private var scanning: (path: String, scanner: GoBuildInfoScanner, seen: Int)?
    /// The compressed size, after ``finish(blobSize:)``: the blob's own, or the gzip estimate of a plain tar.
    private(set) var compressedBytes: Int64?
    /// The blob's own size, after ``finish(blobSize:)``.
    private(set) var blobBytes: Int64?
    static let contentLimit: Int64 = 16 << 20
    /// The file being read for secrets (absolute path): its bytes so far, whether content rules will run on
    /// it (it is small enough), and whether reading stopped (it is binary, or its part for a name is read).
    private var secretRead: (path: String, bytes: [UInt8], whole: Bool, stopped: Bool)?
    /// What this layer's files hold and their names say about secrets; the layer index is set by ``image(_:digests:entrypoint:estimateCompressed:keepEntries:)``.
    private(set) var secretFindings: [SecretFinding] = []

    /// `capturePath` is relative (no leading `/`). `estimateCompressed` applies to a plain tar only.
    init(
        compression: LayerDecoder.Compression = .none, capturePath: String?, estimateCompressed: Bool, keepContents: Bool,
        keepEntries: Bool = false
    ) throws(LayerDecoder.Failure) {
        self.compression = compression
        decoder = try LayerDecoder.make(compression)
        self.capturePath = capturePath
        self.keepContents = keepContents
        self.keepEntries = keepEntries
        gzip = estimateCompressed && compression == .none ? GzipSizeCounter() : nil
    }

    /// Feeds the next piece of the blob, decoding it first when it is compressed.
    func feed(_ piece: ArraySlice<UInt8>) throws(LayerDecoder.Failure) {
        guard let decoder else { return feedTar(piece) }
        try decoder.feed(piece) { feedTar($0) }
    }

    private func feedTar(_ piece: ArraySlice<UInt8>) {
        gzip?.feed(piece)
        tar.feed(
            piece,
            entry: { [unowned self] file in
                self.finishFile()
                let path = GoPath.clean(file.name)
                let link = file.typeflag == UInt8(ascii: "2") ? file.linkname : nil
                if path != "." { self.files.append(LayerFile(path: path, size: file.size, isDirectory: file.isDirectory, linkTarget: link)) }
                if self.keepEntries && path != "." && file.typeflag != UInt8(ascii: "g") {
                    var kept = file
                    kept.name = path
                    self.entries.append(kept)
                }
                if file.isRegular, SecretScanner.wants("/" + path, size: file.size) {
                    self.secretRead = ("/" + path, [], SecretScanner.mayScan(size: file.size), false)
                }
                self.capturing = path == self.capturePath && file.isRegular
                if self.capturing { self.head = [] }
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
                if self.secretRead?.stopped == false { self.readForSecrets(piece) }
                guard self.capturing, let count = self.head?.count, count < SaveArchiveReader.headLimit else { return }
                self.head?.append(contentsOf: piece.prefix(SaveArchiveReader.headLimit - count))
            })
    }

    /// Ends the layer; `blobSize` is the size of the blob as stored, the compressed size of a compressed one.
    func finish(blobSize: Int64) {
        finishFile()
        compressedBytes = compression == .none ? gzip?.finish() : blobSize
        blobBytes = blobSize
    }

    /// An image from its layers' readers, oldest first (nil for a layer that was not found): files, the
    /// newest copy of the entrypoint's head, kept contents, entries when kept, and the compressed sizes
    /// when every layer has one and they were asked for or come from compressed blobs (source `archive`
    /// when all do).
    static func image(_ readers: [LayerTarReader?], digests: [String], entrypoint: String?, estimateCompressed: Bool, keepEntries: Bool)
        -> ImageLayers
    {
        let sizes = readers.compactMap { $0?.compressedBytes }
        let blobs = readers.map { $0.map { $0.compression != .none } ?? false }
        let archived = blobs.allSatisfy { $0 }
        var image = ImageLayers(
            digests: digests, files: readers.map { $0?.files ?? [] }, entrypoint: entrypoint,
            entrypointHead: readers.reversed().lazy.compactMap { $0?.head }.first,
            compressed: (estimateCompressed || blobs.contains(true)) && sizes.count == readers.count
                ? CompressedSizes(
                    source: archived ? .archive : .estimated, layers: sizes,
                    mediaTypes: archived ? readers.compactMap { $0.map { $0.compression.mediaType } } : nil) : nil)
        image.layerBlobBytes = readers.map { $0?.blobBytes }
        image.contents = readers.map { $0?.contents ?? [:] }
        image.goBuildInfo = readers.map { $0?.goBuildInfo ?? [:] }
        if keepEntries { image.entries = readers.map { $0?.entries ?? [] } }
        image.secretFindings = readers.enumerated().flatMap { index, reader in
            (reader?.secretFindings ?? []).map { finding in
                var finding = finding
                finding.layer = index
                return finding
            }
        }
        return image
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

    /// Keeps a file's bytes for the secret rules: all of a text file up to the size limit, the start of a
    /// larger one named as secrets are (to tell a public certificate); of a binary, its first 8000 bytes.
    private func readForSecrets(_ piece: ArraySlice<UInt8>) {
        guard var current = secretRead else { return }
        secretRead = nil
        let probe = SecretScanner.textProbe - current.bytes.count
        if probe > 0, piece.prefix(probe).contains(0) {
            // Binary: its first bytes are all the rules see, as the overlay2 path reads them (no rule runs on them).
            current.bytes.append(contentsOf: piece.prefix(probe))
            current.stopped = true
        } else {
            let room = (current.whole ? SecretScanner.sizeLimit : SecretScanner.publicProbe) - current.bytes.count
            current.bytes.append(contentsOf: piece.prefix(room))
            current.stopped = piece.count >= room
        }
        secretRead = current
    }

    private func finishFile() {
        if let read = secretRead { secretFindings += SecretScanner.findings(read.bytes, path: read.path, whole: read.whole) }
        secretRead = nil
        if let kept = keeping { contents[kept.path] = kept.bytes }
        if var current = scanning, let found = current.scanner.finish() { goBuildInfo[current.path] = found }
        keeping = nil
        scanning = nil
    }
}
