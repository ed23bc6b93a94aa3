import Foundation

/// Facts about a built image, from `docker image inspect`, `docker history` and its layers.
public struct ImageFacts: Sendable, Codable, Equatable {
    public var ref: String
    public var id: String
    /// The image's size: what its layers' files take unpacked (regular files, and symlinks' target
    /// lengths; see ``LayerChange/unpackedBytes``), the same on every engine. On a graph driver (overlay2)
    /// it equals `.Size`; recorded as `.Size` in runs before the engine's own figure was kept apart.
    public var sizeBytes: Int64
    /// `.RootFS.Layers` count: filesystem layers.
    public var layers: Int
    /// Per history step (oldest first): the instruction and the bytes its layer takes unpacked.
    public var history: [LayerRecord]
    /// The engine's own `.Size`, what it means there, and the disk the image takes on it; nil in runs
    /// recorded before it was kept.
    public var engineSize: EngineSize?

    public init(ref: String, id: String, sizeBytes: Int64, layers: Int, history: [LayerRecord] = [], engineSize: EngineSize? = nil) {
        self.ref = ref
        self.id = id
        self.sizeBytes = sizeBytes
        self.layers = layers
        self.history = history
        self.engineSize = engineSize
    }

    enum CodingKeys: String, CodingKey {
        case ref, id, layers, history
        case sizeBytes = "size_bytes"
        case engineSize = "engine_size"
    }
}

extension ImageFacts {
    /// The facts as `docker image inspect` and `docker history` gave them (`sizeBytes` is `.Size`), made
    /// engine-independent by the image's layers: the size and each history step's bytes become what the
    /// layers' files take unpacked, and the engine's `.Size` is kept apart with what it means on `store`.
    /// Where the config's history cannot be matched to the layers, each step keeps the engine's figure.
    /// Without the layers (they could not be read), the size is the engine's figure for the unpacked
    /// layers: `.Size` on a graph driver, the sum of `docker history`'s sizes on the containerd store.
    public func measured(by image: ImageLayers?, store: ImageStore) -> ImageFacts {
        var facts = self
        let snapshots = history.reduce(0) { $0 + $1.sizeBytes }
        facts.engineSize = EngineSize.measure(bytes: sizeBytes, store: store, snapshots: snapshots, packed: image?.blobBytes)
        guard let image else {
            facts.sizeBytes = store == .containerd ? snapshots : sizeBytes
            return facts
        }
        let unpacked = image.unpackedBytes
        facts.sizeBytes = unpacked.reduce(0, +)
        if facts.history.isEmpty { facts.history = image.configHistory }
        let steps = image.stepMadeLayer
        if steps.count == history.count && steps.filter({ $0 }).count == unpacked.count {
            var next = unpacked.makeIterator()
            for index in facts.history.indices { facts.history[index].sizeBytes = steps[index] ? next.next() ?? 0 : 0 }
        }
        return facts
    }
}
