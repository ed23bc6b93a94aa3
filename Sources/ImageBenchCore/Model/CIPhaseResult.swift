/// How a variant's `ci` phase went, beside its builds (which are in ``VariantResult/builds``).
public struct CIPhaseResult: Sendable, Codable, Equatable {
    /// The cache source its `ci` builds used.
    public var cache: CacheSource
    /// Why the phase was not built, naming what it needs (no root for an engine, no registry, no buildx).
    public var skipped: String?
    /// Why it stopped early (a failed seed or ci build, one line).
    public var problem: String?
    /// The registry repository its cache images were pushed to.
    public var cacheImage: String?
    /// The first repetition whose build pulled the cache image before building: moby/buildkit#1981's
    /// workaround, applied after an inline-cache miss on a chained cache image.
    public var pulledFrom: Int?
    /// The scenario's `edit` file, edited before each `ci` build (a pipeline builds a new commit with
    /// the previous one's cache); nil when the scenario has no `edit:` (a pipeline of the same commit).
    public var edit: String?

    public init(
        cache: CacheSource, skipped: String? = nil, problem: String? = nil, cacheImage: String? = nil, pulledFrom: Int? = nil, edit: String? = nil
    ) {
        self.edit = edit
        self.cache = cache
        self.skipped = skipped
        self.problem = problem
        self.cacheImage = cacheImage
        self.pulledFrom = pulledFrom
    }

    enum CodingKeys: String, CodingKey {
        case cache, skipped, problem, edit
        case cacheImage = "cache_image"
        case pulledFrom = "pulled_from"
    }
}
