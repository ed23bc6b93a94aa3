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
    /// Per layer, the contents of the files ``PackageAnalysis/wants(_:)`` names (package databases).
    public var contents: [[String: [UInt8]]] = []
    /// Per layer, for each ELF file over 1 MB (and the entrypoint) that holds Go build information, the
    /// bytes from its header on (see ``GoBuildInfo``).
    public var goBuildInfo: [[String: [UInt8]]] = []
    /// Per layer, the id an archive names it by (a `docker save` layer's folder, or an OCI blob's digest);
    /// empty when the layers were read in place.
    public var layerIDs: [String] = []
    /// Per layer, the image config's history `created_by` of the step that made it; empty when unknown.
    public var commands: [String] = []
    /// Per layer, every tar entry with its mode and owner (names cleaned), when asked for: dive's fileList.
    public var entries: [[TarEntry]] = []
    /// Per step of the image config's history (oldest first), whether it made a layer (`empty_layer` is
    /// not true); empty when the config was not read.
    public var stepMadeLayer: [Bool] = []
    /// The bytes of the archive's blobs (`blobs/sha256/...`: manifests, config and layers as the engine
    /// keeps them); nil for an archive without them (a graph driver's `docker save` before Docker 25).
    public var blobBytes: Int64?
    /// Per layer, the size of its blob as the archive holds it (nil for a layer read in place or not found).
    public var layerBlobBytes: [Int64?] = []

    /// What the layers' files take unpacked, per layer (see ``LayerChange/unpackedBytes``).
    public var unpackedBytes: [Int64] { files.map(LayerChange.unpackedBytes) }
    /// Secrets the files hold, and files whose names alone look secret (``SecretScanner/findings(_:path:layer:whole:)``),
    /// found in the same pass over the layers, oldest layer first.
    public var secretFindings: [SecretFinding] = []
    /// The config's history steps, oldest first, without sizes: the history of an image `docker history`
    /// cannot list (another platform's, on the containerd image store).
    public var configHistory: [LayerRecord] = []
    /// Each platform's image, when the image is an index of several (read from an OCI save).
    public var platformIndex: PlatformIndex?

    public init(
        digests: [String], files: [[LayerFile]], entrypoint: String? = nil, entrypointHead: [UInt8]? = nil, compressed: CompressedSizes? = nil
    ) {
        self.digests = digests
        self.files = files
        self.entrypoint = entrypoint
        self.entrypointHead = entrypointHead
        self.compressed = compressed
    }

    /// The content kept of `path` in layer `layer`.
    public func content(_ path: String, layer: Int) -> [UInt8]? {
        layer < contents.count ? contents[layer][path] : nil
    }

    /// Whether a reader should look for Go build information in a file: the entrypoint, or an ELF file
    /// over 1 MB (the caller checks the ELF magic).
    public static func mayBeGoBinary(_ path: String, size: Int64, entrypoint: String?) -> Bool {
        size > 1_000_000 || path == entrypoint
    }

    /// Whether `path` exists in the image (all layers stacked, whiteouts applied), following symlinks.
    public func contains(_ path: String) -> Bool {
        let tree = FileTree()
        for layer in files { tree.stack(FileTree(layer: layer)) }
        return tree.resolve(path) != nil
    }
}
