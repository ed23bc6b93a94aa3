import ImageBenchCore

/// What a variant was doing on its engine, for the line that says the engine stopped answering.
public enum EngineActivity: Sendable, Equatable, CustomStringConvertible {
    /// Checking that the base images are present, or pulling them.
    case checkingBaseImages
    /// The build, not recorded, that fills the cache before a warm or edit build.
    case fillingCache
    case building(BuildKey)
    /// `docker image inspect` and `docker history` of the built image.
    case inspecting
    /// Reading the image's layers (`docker save`, or the overlay2 folders).
    case readingLayers
    /// `docker push` to the `--registry`.
    case pushing
    case smokeTesting
    /// Removing what the variant left on the engine (a timed-out smoke container).
    case cleaningUp

    /// `the cold build 1`, `the smoke test` ... (the variant follows: `of go-http linking=static`).
    public var description: String {
        switch self {
        case .checkingBaseImages: "the base-image check"
        case .fillingCache: "the build that fills the cache"
        case .building(let key): "the \(key.phase.rawValue) build \(key.repetition)"
        case .inspecting: "the inspection of the image"
        case .readingLayers: "the read of the image's layers"
        case .pushing: "the push to the registry"
        case .smokeTesting: "the smoke test"
        case .cleaningUp: "the cleanup"
        }
    }
}
