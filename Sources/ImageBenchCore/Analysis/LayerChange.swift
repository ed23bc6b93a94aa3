/// What one layer does to the file system below it.
public struct LayerChange: Sendable, Equatable, Codable {
    public var index: Int
    public var digest: String?
    /// Sum of the layer's file sizes (dive's layer size).
    public var sizeBytes: Int64
    /// What the layer's files take unpacked: its regular files' sizes (a hard link's once) and its
    /// symlinks' target lengths. overlay2 counts exactly this for `.Size` and `docker history`; it is the
    /// layer's size in imagebench on every engine (nil in insights stored before it was recorded).
    public var unpackedBytes: Int64?
    public var added: Int
    public var changed: Int
    public var deleted: Int
    /// The layer compressed (see the image's `compressed_source` and ``mediaType``).
    public var compressedBytes: Int64?
    /// How the layer is stored and pushed (`application/vnd.oci.image.layer.v1.tar+zstd`); nil for a gzip estimate.
    public var mediaType: String?

    public init(
        index: Int, digest: String?, sizeBytes: Int64, unpackedBytes: Int64? = nil, added: Int, changed: Int, deleted: Int,
        compressedBytes: Int64? = nil
    ) {
        self.index = index
        self.digest = digest
        self.sizeBytes = sizeBytes
        self.unpackedBytes = unpackedBytes
        self.added = added
        self.changed = changed
        self.deleted = deleted
        self.compressedBytes = compressedBytes
    }

    enum CodingKeys: String, CodingKey {
        case index, digest, added, changed, deleted
        case sizeBytes = "size_bytes"
        case unpackedBytes = "unpacked_bytes"
        case compressedBytes = "compressed_bytes"
        case mediaType = "media_type"
    }

    /// The layer's size as imagebench counts it (``unpackedBytes``; dive's size in insights stored before).
    public var bytes: Int64 { unpackedBytes ?? sizeBytes }

    /// The bytes `files` take unpacked (see ``unpackedBytes``).
    public static func unpackedBytes(_ files: [LayerFile]) -> Int64 {
        files.reduce(0) { $0 + $1.size + Int64($1.linkTarget?.utf8.count ?? 0) }
    }

    /// Files (not directories) each layer adds, changes (a path a lower layer had) and deletes (whiteouts,
    /// and what an opaque directory hides).
    public static func changes(_ image: ImageLayers) -> [LayerChange] {
        var present = Set<String>()
        return image.files.enumerated().map { index, files in
            let compressed = image.compressed.flatMap { index < $0.layers.count ? $0.layers[index] : nil }
            var change = LayerChange(
                index: index, digest: index < image.digests.count ? image.digests[index] : nil, sizeBytes: files.reduce(0) { $0 + $1.size },
                unpackedBytes: unpackedBytes(files), added: 0, changed: 0, deleted: 0, compressedBytes: compressed)
            change.mediaType = image.compressed?.mediaTypes.flatMap { index < $0.count ? $0[index] : nil }
            for file in files where !file.isDirectory {
                let name = file.path.lastPathSegment
                if name == ".wh..wh..opq" {
                    // An opaque directory hides everything lower layers had below it.
                    let below = String(file.path.dropLast(name.count))
                    let hidden = present.filter { $0.hasPrefix(below) }
                    change.deleted += hidden.count
                    present.subtract(hidden)
                    continue
                }
                if name.hasPrefix(".wh..wh..") { continue }
                if name.hasPrefix(".wh.") {
                    let target = String(file.path.dropLast(name.count)) + name.dropFirst(4)
                    change.deleted += 1
                    present = present.filter { $0 != target && !$0.hasPrefix(target + "/") }
                } else if present.contains(file.path) {
                    change.changed += 1
                } else {
                    change.added += 1
                    present.insert(file.path)
                }
            }
            return change
        }
    }
}
