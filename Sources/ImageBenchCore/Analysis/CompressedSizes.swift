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
