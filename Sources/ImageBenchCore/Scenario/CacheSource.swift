/// Where a `ci` build on a fresh runner takes its cache from (`cache:` in a scenario or axis value).
public enum CacheSource: String, Sendable, Codable, CaseIterable {
    /// No cache: the fresh runner builds everything (the baseline).
    case none
    /// BuildKit's inline cache: the previous build's image, built with `BUILDKIT_INLINE_CACHE=1` and
    /// pushed, named in `--cache-from REF`. Covers the final stage's layers only ("min" mode).
    case inline
    /// The classic builder's `--cache-from IMAGE`, of the previous build's image pulled first.
    case classic
    /// `docker buildx build --cache-to/--cache-from type=registry,ref=...,mode=max`.
    case registryMax = "registry-max"
    /// `docker buildx build --cache-to/--cache-from type=local,dest|src=...,mode=max`.
    case localMax = "local-max"

    /// The source of a variant that names none: the inline cache for BuildKit, the classic builder's own.
    public static func `default`(for builder: BuilderKind) -> CacheSource {
        builder == .classic ? .classic : .inline
    }

    /// Whether it needs `docker buildx` with a builder whose driver exports cache.
    public var needsBuildx: Bool { self == .registryMax || self == .localMax }

    /// How reports say it.
    public var phrase: String {
        switch self {
        case .none: "no cache"
        case .inline: "inline cache from the registry"
        case .classic: "classic --cache-from of the pulled image"
        case .registryMax: "registry cache, mode=max"
        case .localMax: "local cache, mode=max"
        }
    }
}
