/// The engine one build ran on: where it was reached and what it is. Two builds compare like with like
/// only on engines with the same ``identity``.
public struct EngineRecord: Sendable, Codable, Equatable, Hashable {
    public var kind: EngineKind
    /// How imagebench reached it: `unix:///var/run/docker.sock`, `ssh://ci@builder1`, `context builder1
    /// (tcp://10.0.0.5:2376)`, or `local` for podman.
    public var endpoint: String
    /// The engine machine's host name (`docker info` .Name, podman's host.hostname).
    public var host: String
    public var serverVersion: String
    public var storageDriver: String
    public var cpus: Int
    public var memoryBytes: Int64
    /// The engine machine's architecture (`amd64`, `arm64`); nil in runs recorded before it was kept.
    public var architecture: String?

    public init(
        kind: EngineKind, endpoint: String, host: String, serverVersion: String, storageDriver: String, cpus: Int, memoryBytes: Int64,
        architecture: String? = nil
    ) {
        self.architecture = architecture
        self.kind = kind
        self.endpoint = endpoint
        self.host = host
        self.serverVersion = serverVersion
        self.storageDriver = storageDriver
        self.cpus = cpus
        self.memoryBytes = memoryBytes
    }

    /// Equal records describe one engine; the architecture, known only in newer runs, follows from the
    /// machine (``host``) and is left out, so a run recorded before it was kept still matches.
    public static func == (a: EngineRecord, b: EngineRecord) -> Bool {
        (a.kind, a.endpoint, a.host, a.serverVersion) == (b.kind, b.endpoint, b.host, b.serverVersion)
            && (a.storageDriver, a.cpus, a.memoryBytes) == (b.storageDriver, b.cpus, b.memoryBytes)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(endpoint)
        hasher.combine(host)
        hasher.combine(serverVersion)
        hasher.combine(storageDriver)
        hasher.combine(cpus)
        hasher.combine(memoryBytes)
    }

    /// What makes results comparable: the kind, machine, version and storage driver. Two daemons on one
    /// machine with the same version share it; the endpoint alone does not change what is measured.
    public var identity: String { "\(kind.rawValue) \(serverVersion) on \(host) (\(storageDriver))" }

    /// Whether it is reached over the network (`tcp://`, `ssh://`): a port its containers publish on
    /// loopback is on its machine's loopback, not on this one's.
    public var isRemote: Bool { endpoint.contains("tcp://") || endpoint.contains("ssh://") }

    /// A short name for tables: the kind and the endpoint.
    public var label: String { kind == .podman ? "podman \(serverVersion)" : endpoint }

    enum CodingKeys: String, CodingKey {
        case kind, endpoint, host, cpus, architecture
        case serverVersion = "server_version"
        case storageDriver = "storage_driver"
        case memoryBytes = "memory_bytes"
    }
}
