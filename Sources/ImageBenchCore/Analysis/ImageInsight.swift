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
    public init(_ image: ImageLayers) {
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
            layers: LayerChange.changes(image), waste: WasteAnalysis.analyze(image.files), secrets: secrets, linkage: linkage,
            compressed: image.compressed)
    }

    enum CodingKeys: String, CodingKey {
        case layers, efficiency, secrets, linkage
        case wastedBytes = "wasted_bytes"
        case userWastedPercent = "user_wasted_percent"
        case wastedFiles = "wasted_files"
        case compressedBytes = "compressed_bytes"
        case compressedSource = "compressed_source"
    }
}

/// Bytes a variant shares with other variants of its scenario (same layer digest) and bytes only it has.
public struct SharedBytes: Sendable, Equatable, Codable {
    public var shared: Int64
    public var unique: Int64

    /// For each result with an analysis: layers whose digest appears in another variant of the same
    /// scenario count as shared. Totals per scenario count each distinct layer once.
    public static func compute(_ results: [VariantResult]) -> Index {
        var owners: [String: Set<String>] = [:]  // scenario|digest → variants
        for r in results {
            for layer in r.insight?.layers ?? [] {
                guard let digest = layer.digest else { continue }
                owners[r.scenario + "|" + digest, default: []].insert(r.name)
            }
        }
        var out: [String: SharedBytes] = [:]
        for r in results {
            guard let layers = r.insight?.layers else { continue }
            var s = SharedBytes(shared: 0, unique: 0)
            for layer in layers {
                let key = r.scenario + "|" + (layer.digest ?? "")
                if (owners[key]?.count ?? 0) > 1 { s.shared += layer.sizeBytes } else { s.unique += layer.sizeBytes }
            }
            out[Index.key(r)] = s
        }
        return Index(values: out)
    }

    /// Shared and unique bytes per variant, looked up by the variant's result.
    public struct Index: Sendable {
        let values: [String: SharedBytes]

        static func key(_ r: VariantResult) -> String { r.scenario + "|" + r.name }

        public subscript(_ r: VariantResult) -> SharedBytes? { values[Self.key(r)] }
    }

    /// The bytes of a scenario's variants with every distinct layer counted once.
    public static func distinctTotal(_ results: [VariantResult], scenario: String) -> Int64 {
        var seen: [String: Int64] = [:]
        for r in results where r.scenario == scenario {
            for layer in r.insight?.layers ?? [] { seen[layer.digest ?? "\(r.name)#\(layer.index)"] = layer.sizeBytes }
        }
        return seen.values.reduce(0, +)
    }
}
