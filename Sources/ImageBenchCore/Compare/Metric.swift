import Foundation

/// What a comparison or history looks at. Every metric is "lower is better".
public enum Metric: String, Sendable, Codable, CaseIterable {
    /// Image size: what its layers hold unpacked (bytes).
    case size
    /// Compressed size in bytes (registry manifest, or the gzip estimate), when recorded.
    case compressed
    case cold, warm, edit
    /// The median `ci` build: a fresh runner with the variant's cache source.
    case ci
    case ciNone = "ci-none"
    /// The median seconds from `docker run` to a service's first expected answer (``StartResult``).
    case start
    /// The median seconds a fresh engine takes to pull and unpack the image from the registry (``PullResult``).
    case pull

    public var isTime: Bool { phase != nil || self == .start || self == .pull }

    public var phase: Phase? { Phase(rawValue: rawValue) }

    /// The value of this metric for a variant: bytes for sizes, the median seconds for times.
    public func value(of result: VariantResult) -> Double? {
        switch self {
        case .size: return result.image.map { Double($0.sizeBytes) }
        case .compressed: return result.insight?.compressedBytes.map(Double.init)
        case .cold, .warm, .edit, .ci, .ciNone, .start, .pull: return Summary(samples(of: result))?.median
        }
    }

    /// The repetitions of a time metric (a phase's successful builds, or the start times); empty for sizes.
    public func samples(of result: VariantResult) -> [Double] {
        if let phase { return result.samples(phase) }
        switch self {
        case .start: return result.start?.samples ?? []
        case .pull: return result.pull?.samples ?? []
        default: return []
        }
    }
}
