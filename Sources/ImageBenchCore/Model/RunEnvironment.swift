import Foundation

/// Where a run happened: only runs with equal environments compare like with like.
public struct RunEnvironment: Sendable, Codable, Equatable {
    public var host: String = ""
    public var cpus: Int = 0
    public var memoryBytes: Int64 = 0
    public var kernel: String = ""
    public var os: String = ""
    public var dockerPath: String = ""
    public var dockerClient: String = ""
    public var dockerServer: String = ""
    public var storageDriver: String = ""
    /// Where the engine keeps images (nil in runs recorded before it was: a graph driver, or podman's store).
    public var imageStore: ImageStore? = nil
    public var cgroupVersion: String = ""
    /// The engine machine's architecture as OCI platforms name it (`amd64`, `arm64`); empty in runs recorded before.
    public var architecture: String = ""
    /// The builder used when a variant does not choose one.
    public var defaultBuilder: BuilderKind = .classic
    public var buildkitAvailable: Bool = false
    /// The client's buildx plugin (`docker buildx version`), nil without one (or in runs recorded before).
    public var buildxVersion: String? = nil
    public var imagebenchVersion: String = ""
    /// Which engine this environment describes (nil in runs recorded before podman: docker).
    public var engineKind: EngineKind? = nil
    /// How the engine was reached (nil in runs recorded before several engines: docker's default).
    public var endpoint: String? = nil
    /// Every engine a run built on, when it is the run's environment; nil in older runs (one engine).
    public var engines: [EngineRecord]? = nil
    /// The fresh runner a run's `ci` phase built on; nil without one.
    public var ciEngine: EngineRecord? = nil

    public init() {}

    /// The engine this environment describes.
    public var engineRecord: EngineRecord {
        EngineRecord(
            kind: engineKind ?? .docker, endpoint: endpoint ?? "default", host: host, serverVersion: dockerServer,
            storageDriver: storageDriver, cpus: cpus, memoryBytes: memoryBytes, architecture: architecture.isEmpty ? nil : architecture)
    }

    /// `x86_64` and `aarch64` (docker info, uname) as OCI platforms name them: `amd64`, `arm64`.
    public static func ociArchitecture(_ machine: String) -> String {
        switch machine {
        case "x86_64": "amd64"
        case "aarch64": "arm64"
        default: machine
        }
    }

    /// The engines a run built on: the recorded list, or for older runs the one engine it describes.
    public var allEngines: [EngineRecord] { engines ?? [engineRecord] }

    enum CodingKeys: String, CodingKey {
        case host, cpus, kernel, os
        case memoryBytes = "memory_bytes"
        case dockerPath = "docker_path"
        case dockerClient = "docker_client"
        case dockerServer = "docker_server"
        case storageDriver = "storage_driver"
        case imageStore = "image_store"
        case cgroupVersion = "cgroup_version"
        case architecture
        case defaultBuilder = "default_builder"
        case buildkitAvailable = "buildkit_available"
        case buildxVersion = "buildx_version"
        case imagebenchVersion = "imagebench_version"
        case engineKind = "engine"
        case endpoint, engines
        case ciEngine = "ci_engine"
    }

    /// Runs recorded by earlier versions lack the fields added since (the builder, cgroup version ...):
    /// those read as unknown, not as an error.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? ""
        cpus = try c.decodeIfPresent(Int.self, forKey: .cpus) ?? 0
        memoryBytes = try c.decodeIfPresent(Int64.self, forKey: .memoryBytes) ?? 0
        kernel = try c.decodeIfPresent(String.self, forKey: .kernel) ?? ""
        os = try c.decodeIfPresent(String.self, forKey: .os) ?? ""
        dockerPath = try c.decodeIfPresent(String.self, forKey: .dockerPath) ?? ""
        dockerClient = try c.decodeIfPresent(String.self, forKey: .dockerClient) ?? ""
        dockerServer = try c.decodeIfPresent(String.self, forKey: .dockerServer) ?? ""
        storageDriver = try c.decodeIfPresent(String.self, forKey: .storageDriver) ?? ""
        imageStore = try c.decodeIfPresent(ImageStore.self, forKey: .imageStore)
        cgroupVersion = try c.decodeIfPresent(String.self, forKey: .cgroupVersion) ?? ""
        architecture = try c.decodeIfPresent(String.self, forKey: .architecture) ?? ""
        defaultBuilder = try c.decodeIfPresent(BuilderKind.self, forKey: .defaultBuilder) ?? .classic
        buildkitAvailable = try c.decodeIfPresent(Bool.self, forKey: .buildkitAvailable) ?? false
        buildxVersion = try c.decodeIfPresent(String.self, forKey: .buildxVersion)
        imagebenchVersion = try c.decodeIfPresent(String.self, forKey: .imagebenchVersion) ?? ""
        engineKind = try c.decodeIfPresent(EngineKind.self, forKey: .engineKind)
        endpoint = try c.decodeIfPresent(String.self, forKey: .endpoint)
        engines = try c.decodeIfPresent([EngineRecord].self, forKey: .engines)
        ciEngine = try c.decodeIfPresent(EngineRecord.self, forKey: .ciEngine)
    }

    /// The differences that mean another machine or engine (host, docker server, storage driver):
    /// results from them are not comparable without saying so.
    /// With several engines (or podman) on either side, the sets of engine identities are compared.
    public func engineDifferences(from other: RunEnvironment) -> [String] {
        guard isOneEngine(like: other) else { return engineSetDifference(from: other).map { [$0] } ?? [] }
        return differences(from: other).filter { $0.hasPrefix("host:") || $0.hasPrefix("docker server:") || $0.hasPrefix("storage driver:") }
    }

    /// `engines: a + b → c` when either side built on several engines (or podman) and the sets of
    /// engine identities differ; nil otherwise, where ``differences(from:)`` already says it all.
    public func engineSetDifference(from other: RunEnvironment) -> String? {
        if isOneEngine(like: other) { return nil }
        let mine = Self.identities(allEngines)
        let theirs = Self.identities(other.allEngines)
        return mine == theirs ? nil : "engines: \(theirs.joined(separator: " + ")) → \(mine.joined(separator: " + "))"
    }

    /// One engine on each side, of one kind: the environment fields describe the engines.
    private func isOneEngine(like other: RunEnvironment) -> Bool {
        allEngines.count == 1 && other.allEngines.count == 1 && allEngines[0].kind == other.allEngines[0].kind
    }

    /// The distinct engine identities, sorted.
    public static func identities(_ engines: [EngineRecord]) -> [String] { Array(Set(engines.map(\.identity))).sorted() }

    /// The fields that make two environments differ for timing purposes, as `name: a → b`.
    public func differences(from other: RunEnvironment) -> [String] {
        var out: [String] = []
        func check(_ name: String, _ a: String, _ b: String) { if a != b { out.append("\(name): \(a) → \(b)") } }
        check("host", other.host, host)
        check("cpus", String(other.cpus), String(cpus))
        check("kernel", other.kernel, kernel)
        check("docker client", other.dockerClient, dockerClient)
        check("docker server", other.dockerServer, dockerServer)
        check("storage driver", other.storageDriver, storageDriver)
        check("builder", other.defaultBuilder.rawValue, defaultBuilder.rawValue)
        return out
    }
}
