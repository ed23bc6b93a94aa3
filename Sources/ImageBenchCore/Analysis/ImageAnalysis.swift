/// The result of `imagebench analyze`: layers and waste.
public struct ImageAnalysis: Sendable, Equatable {
    public var image: String
    public var layers: [LayerChange]
    public var waste: WasteAnalysis
    public var linkage: Linkage?
    /// Where the layers' `compressedBytes` come from, when they were asked for.
    public var compressedSource: CompressedSource?
    /// How the layers were read: `save` (a `docker save` stream) or `overlay2` (the engine's layer folders).
    public var source: String
    /// The OS packages, nil when the image has none (or they were not asked for).
    public var packages: PackageAnalysis?
    /// The Go binaries with their build information (nil when not asked for).
    public var goBinaries: [GoBinary]?
    /// Per layer, the id an archive names it by, and the command that made it (empty when unknown).
    public var layerIDs: [String] = []
    public var commands: [String] = []
    /// Per layer, every tar entry (for dive-json's fileList); empty unless read for it.
    public var entries: [[TarEntry]] = []
    /// Secrets found by content, and files whose name alone looks secret (``SecretFinding/Kind``).
    public var secrets: [SecretFinding] = []

    public init(
        image: String, layers: [LayerChange], waste: WasteAnalysis, linkage: Linkage? = nil, compressedSource: CompressedSource? = nil,
        source: String = "save"
    ) {
        self.compressedSource = compressedSource
        self.source = source
        self.image = image
        self.layers = layers
        self.waste = waste
        self.linkage = linkage
    }
}
