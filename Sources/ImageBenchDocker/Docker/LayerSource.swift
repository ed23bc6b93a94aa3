import Foundation
import ImageBenchCore

/// Where `layers(of:)` reads an image's layers from.
public enum LayerSource: String, Sendable, CaseIterable {
    /// The overlay2 folders when they can be read here, else `docker save`.
    case auto
    /// Always a `docker save` stream.
    case save
    /// Always the overlay2 folders; an error when they cannot be read.
    case overlay2
}
