/// The ways a variant is built, in the order reports list them.
public enum Phase: String, Sendable, Codable, CaseIterable, Comparable {
    /// `--no-cache` build; base images already present.
    case cold
    /// The same build again, nothing changed.
    case warm
    /// A line appended to the scenario's `edit` file, then a cached build.
    case edit
    /// A fresh CI runner: an engine with no build cache and no images but the bases, building with the
    /// variant's cache source (``CacheSource``), pulling what it reuses from the registry.
    case ci
    /// The same fresh runner without any cache: the baseline the `ci` build is compared with. Built
    /// only for variants whose cache source is not `none`.
    case ciNone = "ci-none"

    /// The phases built on the variant's own engine.
    public static let local: [Phase] = [.cold, .warm, .edit]

    /// Whether the phase builds on a fresh runner (the ci engine), not on the variant's engine.
    public var isFresh: Bool { self == .ci || self == .ciNone }

    public static func < (lhs: Phase, rhs: Phase) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
