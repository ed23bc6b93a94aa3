/// One file-system entry of an image layer, as its tar lists it.
public struct LayerFile: Sendable, Equatable, Codable {
    /// Cleaned path without a leading `/` (`usr/bin/env`).
    public var path: String
    /// The tar header's size (0 for directories and links).
    public var size: Int64
    public var isDirectory: Bool
    /// For a symbolic link, where it points.
    public var linkTarget: String?

    public init(path: String, size: Int64, isDirectory: Bool, linkTarget: String? = nil) {
        self.path = path
        self.size = size
        self.isDirectory = isDirectory
        self.linkTarget = linkTarget
    }
}

/// Where an image's compressed layer sizes come from.
public enum CompressedSource: String, Sendable, Codable {
    /// The layer sizes of the manifest a registry holds after a push: the bytes a pull transfers.
    case registry
    /// Each layer tar of `docker save` gzip-compressed here: close to, but not exactly, a push's figure.
    case estimated
}

/// The gzip-compressed size of each layer, oldest first, and where those figures come from.
public struct CompressedSizes: Sendable, Equatable, Codable {
    public var source: CompressedSource
    public var layers: [Int64]
    public var total: Int64 { layers.reduce(0, +) }

    public init(source: CompressedSource, layers: [Int64]) {
        self.source = source
        self.layers = layers
    }
}

/// What an image is made of, layer by layer: the input to the waste analysis.
public struct ImageLayers: Sendable, Equatable {
    /// Layer digests (`sha256:...` of the uncompressed tar) in order, oldest first.
    public var digests: [String]
    /// The files of each layer, in tar order.
    public var files: [[LayerFile]]
    /// The entrypoint's path and the first bytes of its newest copy, when it was asked for and found.
    public var entrypoint: String?
    public var entrypointHead: [UInt8]?
    /// Compressed layer sizes, when they were measured or estimated.
    public var compressed: CompressedSizes?
    /// Where the files were read: `save` (a `docker save` stream) or `overlay2` (the layer folders).
    public var source = "save"

    public init(
        digests: [String], files: [[LayerFile]], entrypoint: String? = nil, entrypointHead: [UInt8]? = nil, compressed: CompressedSizes? = nil
    ) {
        self.digests = digests
        self.files = files
        self.entrypoint = entrypoint
        self.entrypointHead = entrypointHead
        self.compressed = compressed
    }

    /// Whether `path` exists in the image (all layers stacked, whiteouts applied), following symlinks.
    public func contains(_ path: String) -> Bool {
        let tree = FileTree()
        for layer in files { tree.stack(FileTree(layer: layer)) }
        return tree.resolve(path) != nil
    }
}

/// What one layer does to the file system below it.
public struct LayerChange: Sendable, Equatable, Codable {
    public var index: Int
    public var digest: String?
    /// Sum of the layer's file sizes (dive's layer size).
    public var sizeBytes: Int64
    public var added: Int
    public var changed: Int
    public var deleted: Int
    /// The layer gzip-compressed (see the image's `compressed_source`).
    public var compressedBytes: Int64?

    public init(index: Int, digest: String?, sizeBytes: Int64, added: Int, changed: Int, deleted: Int, compressedBytes: Int64? = nil) {
        self.index = index
        self.digest = digest
        self.sizeBytes = sizeBytes
        self.added = added
        self.changed = changed
        self.deleted = deleted
        self.compressedBytes = compressedBytes
    }

    enum CodingKeys: String, CodingKey {
        case index, digest, added, changed, deleted
        case sizeBytes = "size_bytes"
        case compressedBytes = "compressed_bytes"
    }

    /// Files (not directories) each layer adds, changes (a path a lower layer had) and deletes (whiteouts,
    /// and what an opaque directory hides).
    public static func changes(_ image: ImageLayers) -> [LayerChange] {
        var present = Set<String>()
        return image.files.enumerated().map { index, files in
            let compressed = image.compressed.flatMap { index < $0.layers.count ? $0.layers[index] : nil }
            var change = LayerChange(
                index: index, digest: index < image.digests.count ? image.digests[index] : nil, sizeBytes: files.reduce(0) { $0 + $1.size },
                added: 0, changed: 0, deleted: 0, compressedBytes: compressed)
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
