/// Where an engine keeps its images: docker's own graph drivers (overlay2, ...), or the containerd image
/// store (the default of fresh Docker Engine 29 installs and of Docker Desktop since 4.34), which keeps
/// each layer twice: its blob as pulled or built (usually compressed) and the unpacked snapshot.
public enum ImageStore: String, Sendable, Codable, CaseIterable {
    case graphDriver = "graph-driver"
    case containerd
    /// podman's containers/storage.
    case podman

    /// How reports name it.
    public var phrase: String {
        switch self {
        case .graphDriver: "graph driver image store"
        case .containerd: "containerd image store"
        case .podman: "podman's image store"
        }
    }
}

/// The engine's own figure for an image (`docker image inspect .Size`), what it means there, and the disk
/// the image takes on that engine. imagebench's size is defined by the layers instead (see
/// ``LayerChange/unpackedBytes``), the same on every engine: `.Size` is the unpacked size on a graph driver
/// (overlay2), the packed content on the containerd store until moby/moby#53426 (2026), and packed plus
/// unpacked since.
public struct EngineSize: Sendable, Codable, Equatable {
    public enum Meaning: String, Sendable, Codable {
        case unpacked
        case packed
        case packedPlusUnpacked = "packed+unpacked"
        /// podman's: each layer's tar stream, file headers and padding included.
        case tarStreams = "tar-streams"

        public var phrase: String {
            switch self {
            case .unpacked: "the unpacked layers"
            case .packed: "the packed content (the blobs as stored, mostly compressed)"
            case .packedPlusUnpacked: "the packed content plus the unpacked layers"
            case .tarStreams: "the layers' tar streams, file headers and padding included"
            }
        }
    }

    /// `.Size`, as the engine reports it.
    public var bytes: Int64
    public var meaning: Meaning
    /// What the image takes on the engine's disk: the unpacked layers, plus on the containerd store the
    /// content blobs it keeps beside them (as `docker system df -v` counts an image).
    public var diskBytes: Int64
    public var store: ImageStore

    public init(bytes: Int64, meaning: Meaning, diskBytes: Int64, store: ImageStore) {
        self.bytes = bytes
        self.meaning = meaning
        self.diskBytes = diskBytes
        self.store = store
    }

    enum CodingKeys: String, CodingKey {
        case bytes, meaning, store
        case diskBytes = "disk_bytes"
    }

    /// What `.Size` means, from the engine's own figures: `snapshots` is the unpacked usage the engine
    /// reports per layer (the sum of `docker history`'s sizes), `packed` the bytes of the image's blobs as
    /// the engine stores them (`docker save` of a containerd store writes them as they are). On a graph
    /// driver `.Size` is the unpacked size and the disk it takes; on the containerd store it is the packed
    /// content, or packed plus unpacked, whichever it is nearer to.
    public static func measure(bytes: Int64, store: ImageStore, snapshots: Int64, packed: Int64?) -> EngineSize {
        switch store {
        case .graphDriver: return EngineSize(bytes: bytes, meaning: .unpacked, diskBytes: bytes, store: store)
        case .podman: return EngineSize(bytes: bytes, meaning: .tarStreams, diskBytes: bytes, store: store)
        case .containerd: break
        }
        // Without the blobs' sizes: packed plus unpacked is always more than unpacked.
        let both = packed.map { abs(bytes - ($0 + snapshots)) < abs(bytes - $0) } ?? (bytes > snapshots)
        return EngineSize(bytes: bytes, meaning: both ? .packedPlusUnpacked : .packed, diskBytes: both ? bytes : bytes + snapshots, store: store)
    }
}
