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
