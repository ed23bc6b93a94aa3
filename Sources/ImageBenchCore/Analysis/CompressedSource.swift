/// Where an image's compressed layer sizes come from.
public enum CompressedSource: String, Sendable, Codable {
    /// The layer sizes of the manifest a registry holds after a push: the bytes a pull transfers.
    case registry
    /// Each layer tar of `docker save` gzip-compressed here: close to, but not exactly, a push's figure.
    case estimated
    /// The compressed layer blobs of an image archive (`oci-archive:`), as a push of them transfers.
    case archive
}
