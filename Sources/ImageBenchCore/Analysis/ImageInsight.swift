/// What the analysis of a built image stores with its variant: layers, waste and secrets.
public struct ImageInsight: Sendable, Equatable, Codable, SecretRecording {
    /// Per layer (oldest first): digest, file bytes, files added, changed, deleted.
    public var layers: [LayerChange]
    public var efficiency: Double
    public var wastedBytes: Int64
    public var userWastedPercent: Double
    /// The largest wasted paths (at most 10).
    public var wastedFiles: [WasteAnalysis.Inefficiency]
    /// Secrets found by what the files hold, as `rule path (layer N, line L)`; a file deleted in a later
    /// layer is still in the image's earlier layer, so it counts. In runs recorded before content was
    /// read, the name-based list moved to ``secretNames``.
    public var secrets: [String]
    /// Files whose name alone looks secret (`.env`, `id_rsa`, `*.pem` ...), whose content no rule flags and
    /// is not recognised as public: `path (layer N)`.
    public var secretNames: [String]
    /// Every finding with its rule, layer, line and masked excerpt (nil in runs recorded before content was read).
    public var secretFindings: [SecretFinding]?
    /// How the entrypoint runs, and whether its interpreter is in the image.
    public var linkage: Linkage?
    /// The image's layers gzip-compressed: what a pull transfers (`registry`), or an estimate.
    public var compressedBytes: Int64?
    public var compressedSource: CompressedSource?
    /// How the layers are compressed as stored and pushed, from their media types: `gzip`, `zstd`,
    /// `uncompressed`, or several joined by `+` in layer order; nil for a gzip estimate (and in runs
    /// recorded before it was kept).
    public var compression: String?
    /// The OS packages (nil when the image has no package database, as scratch has none).
    public var packages: PackageAnalysis?
    /// The Go binaries and the build information each records.
    public var goBinaries: [GoBinary]?

    public init(
        layers: [LayerChange], waste: WasteAnalysis, secrets: [SecretFinding], linkage: Linkage? = nil, compressed: CompressedSizes? = nil
    ) {
        self.linkage = linkage
        compressedBytes = compressed?.total
        compressedSource = compressed?.source
        compression = compressed?.algorithms.flatMap { $0.isEmpty ? nil : $0.map(\.rawValue).joined(separator: "+") }
        self.layers = layers
        efficiency = waste.efficiency
        wastedBytes = waste.wastedBytes
        userWastedPercent = waste.userWastedPercent
        wastedFiles = Array(waste.inefficiencies.prefix(10))
        self.secrets = []
        secretNames = []
        record(secrets: secrets)
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
        let secrets = image.secretFindings
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
        case compression
        case packages
        case goBinaries = "go_binaries"
        case secretNames = "secret_names"
        case secretFindings = "secret_findings"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        layers = try c.decode([LayerChange].self, forKey: .layers)
        efficiency = try c.decode(Double.self, forKey: .efficiency)
        wastedBytes = try c.decode(Int64.self, forKey: .wastedBytes)
        userWastedPercent = try c.decode(Double.self, forKey: .userWastedPercent)
        wastedFiles = try c.decode([WasteAnalysis.Inefficiency].self, forKey: .wastedFiles)
        linkage = try c.decodeIfPresent(Linkage.self, forKey: .linkage)
        compressedBytes = try c.decodeIfPresent(Int64.self, forKey: .compressedBytes)
        compressedSource = try c.decodeIfPresent(CompressedSource.self, forKey: .compressedSource)
        compression = try c.decodeIfPresent(String.self, forKey: .compression)
        packages = try c.decodeIfPresent(PackageAnalysis.self, forKey: .packages)
        goBinaries = try c.decodeIfPresent([GoBinary].self, forKey: .goBinaries)
        (secrets, secretNames, secretFindings) = try RecordedSecrets.decode(c, secrets: .secrets, names: .secretNames, findings: .secretFindings)
    }
}
