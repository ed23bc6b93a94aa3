/// What the analysis of a built image stores with its variant: layers, waste and secrets.
public struct ImageInsight: Sendable, Equatable, Codable {
    /// Per layer (oldest first): digest, file bytes, files added, changed, deleted.
    public var layers: [LayerChange]
    public var efficiency: Double
    public var wastedBytes: Int64
    public var userWastedPercent: Double
    /// The largest wasted paths (at most 10).
    public var wastedFiles: [WasteAnalysis.Inefficiency]
    /// Secret-looking files found in the layer tars, as `path (layer N)`; a file deleted in a later
    /// layer is still in the image's earlier layer, so it counts.
    public var secrets: [String]
    /// How the entrypoint runs, and whether its interpreter is in the image.
    public var linkage: Linkage?
    /// The image's layers gzip-compressed: what a pull transfers (`registry`), or an estimate.
    public var compressedBytes: Int64?
    public var compressedSource: CompressedSource?
    /// The OS packages (nil when the image has no package database, as scratch has none).
    public var packages: PackageAnalysis?
    /// The Go binaries and the build information each records.
    public var goBinaries: [GoBinary]?

    public init(
        layers: [LayerChange], waste: WasteAnalysis, secrets: [String], linkage: Linkage? = nil, compressed: CompressedSizes? = nil
    ) {
        self.linkage = linkage
        compressedBytes = compressed?.total
        compressedSource = compressed?.source
        self.layers = layers
        efficiency = waste.efficiency
        wastedBytes = waste.wastedBytes
        userWastedPercent = waste.userWastedPercent
        wastedFiles = Array(waste.inefficiencies.prefix(10))
        self.secrets = secrets
    }

    /// Analyses an image's layer files.
    public init(_ image: ImageLayers) { self = Self.analyze(image).insight }

    /// Analyses an image's layer files, and gives its final file system (``FinalFiles``) and the whole
    /// waste analysis (every inefficiency, not only the ten the insight keeps) too. With `packages`, the OS
    /// packages and Go binaries are read, on a second thread beside the rest.
    public static func analyze(
        _ image: ImageLayers, packages: Bool = true
    ) -> (insight: ImageInsight, final: FinalFiles?, waste: WasteAnalysis) {
        let side =
            packages
            ? BackgroundResult { () -> (FinalFiles, PackageAnalysis?, [GoBinary]) in
                let final = FinalFiles(image.files)
                return (final, PackageAnalysis.analyze(image, final: final), GoBinary.binaries(image, final: final))
            } : nil
        let waste = WasteAnalysis.analyze(image.files)
        var insight = ImageInsight(layersOf: image, waste: waste)
        guard let (final, found, binaries) = side?.value else { return (insight, nil, waste) }
        insight.packages = found
        insight.goBinaries = binaries
        return (insight, final, waste)
    }

    /// Layers, waste, secrets and linkage; no packages.
    private init(layersOf image: ImageLayers, waste: WasteAnalysis) {
        var secrets: [String] = []
        for (index, files) in image.files.enumerated() {
            // A whiteout (`.wh.NAME`) marks NAME deleted: not a file in the image, though its name looks like one.
            for file in files
            where !file.isDirectory && !(file.path.split(separator: "/").last?.hasPrefix(".wh.") ?? false) && SecretPatterns.looksSecret(file.path) {
                secrets.append("/\(file.path) (layer \(index))")
            }
        }
        var linkage: Linkage?
        if let entrypoint = image.entrypoint {
            if let head = image.entrypointHead {
                linkage = Linkage.classify(entrypoint: entrypoint, head: head)
                if let interpreter = linkage?.interpreter, interpreter.hasPrefix("/") { linkage?.interpreterPresent = image.contains(interpreter) }
            } else {
                linkage = Linkage(entrypoint: entrypoint, kind: .unknown, note: "not a regular file in the image (missing, or a symlink)")
            }
        }
        self.init(
            layers: LayerChange.changes(image), waste: waste, secrets: secrets, linkage: linkage,
            compressed: image.compressed)
    }

    enum CodingKeys: String, CodingKey {
        case layers, efficiency, secrets, linkage
        case wastedBytes = "wasted_bytes"
        case userWastedPercent = "user_wasted_percent"
        case wastedFiles = "wasted_files"
        case compressedBytes = "compressed_bytes"
        case compressedSource = "compressed_source"
        case packages
        case goBinaries = "go_binaries"
    }
}
