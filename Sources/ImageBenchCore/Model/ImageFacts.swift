import Foundation

/// Facts about a built image, from `docker image inspect` and `docker history`.
public struct ImageFacts: Sendable, Codable, Equatable {
    public var ref: String
    public var id: String
    /// `.Size`: uncompressed bytes on disk.
    public var sizeBytes: Int64
    /// `.RootFS.Layers` count: filesystem layers.
    public var layers: Int
    public var history: [LayerRecord]

    public init(ref: String, id: String, sizeBytes: Int64, layers: Int, history: [LayerRecord] = []) {
        self.ref = ref
        self.id = id
        self.sizeBytes = sizeBytes
        self.layers = layers
        self.history = history
    }

    enum CodingKeys: String, CodingKey {
        case ref, id, layers, history
        case sizeBytes = "size_bytes"
    }
}
