/// The compressed size of each layer, oldest first, and where those figures come from.
public struct CompressedSizes: Sendable, Equatable, Codable {
    public var source: CompressedSource
    public var layers: [Int64]
    /// Each layer's media type as the registry stores it or the archive's blob is compressed
    /// (`application/vnd.oci.image.layer.v1.tar+zstd`); nil for a gzip estimate.
    public var mediaTypes: [String]?
    public var total: Int64 { layers.reduce(0, +) }

    public init(source: CompressedSource, layers: [Int64], mediaTypes: [String]? = nil) {
        self.source = source
        self.layers = layers
        self.mediaTypes = mediaTypes
    }

    /// The layers' compressions in layer order, each once (`gzip`, `zstd`, `uncompressed`); nil for an estimate.
    public var algorithms: [LayerCompression.Algorithm]? {
        guard let mediaTypes else { return nil }
        var seen: [LayerCompression.Algorithm] = []
        for type in mediaTypes {
            if let algorithm = LayerCompression.algorithm(ofMediaType: type), !seen.contains(algorithm) { seen.append(algorithm) }
        }
        return seen
    }
}
