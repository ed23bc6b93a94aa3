/// What one axis value changes in the build.
public struct BuildSettings: Sendable, Equatable {
    public var buildArgs: [BuildArg] = []
    public var target: String?
    /// Relative to the context, like the scenario's `dockerfile`.
    public var dockerfile: String?
    public var dockerignore: DockerignoreChoice?
    public var builder: BuilderKind?
    /// `engine: docker | podman`; nil builds on the run's default engine (`--engine`).
    public var engine: EngineKind?
    /// `host: URL` or `docker-context: NAME`: the docker engine the variant builds on, beside the run's own.
    public var namedEngine: NamedEngine?
    public var platform: String?
    /// How the image's layers are compressed (`compression:`, `compression-level:`); nil: as the engine stores them.
    public var compression: LayerCompression?
    /// Where a `ci` build takes its cache from (`cache:`); nil: ``CacheSource/default(for:)``.
    public var cache: CacheSource?
    public init() {}
}

extension BuildSettings {
    /// Layers `other` on top: its build args replace ones with the same key, its other settings replace these.
    mutating func apply(_ other: BuildSettings) {
        for arg in other.buildArgs {
            if let i = buildArgs.firstIndex(where: { $0.key == arg.key }) { buildArgs[i] = arg } else { buildArgs.append(arg) }
        }
        target = other.target ?? target
        dockerfile = other.dockerfile ?? dockerfile
        dockerignore = other.dockerignore ?? dockerignore
        builder = other.builder ?? builder
        engine = other.engine ?? engine
        namedEngine = other.namedEngine ?? namedEngine
        platform = other.platform ?? platform
        compression = other.compression ?? compression
        cache = other.cache ?? cache
    }
}
