/// How a variant's layers are compressed (`compression:` and `compression-level:` in an axis value): what
/// BuildKit's image exporter writes with `--output type=image,compression=…,force-compression=true`, and so
/// what a push of the image sends and a registry stores.
public struct LayerCompression: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public enum Algorithm: String, Sendable, CaseIterable, Codable {
        case gzip, zstd, uncompressed, estargz

        /// The levels BuildKit accepts (gzip's and estargz's are zlib's, zstd's libzstd's); none for uncompressed.
        public var levels: ClosedRange<Int>? {
            switch self {
            case .gzip, .estargz: 0...9
            case .zstd: 1...22
            case .uncompressed: nil
            }
        }

        /// The OCI media type of a layer so compressed (`application/vnd.oci.image.layer.v1.tar+zstd`).
        public var mediaTypeSuffix: String {
            switch self {
            case .gzip, .estargz: "tar+gzip"
            case .zstd: "tar+zstd"
            case .uncompressed: "tar"
            }
        }
    }

    public var algorithm: Algorithm
    /// nil: BuildKit's default for the algorithm (gzip and estargz 6 as Go's compress/gzip, zstd 3).
    public var level: Int?

    public init(_ algorithm: Algorithm, level: Int? = nil) {
        self.algorithm = algorithm
        self.level = level
    }

    /// gzip at the default level: what every engine's push writes, so no exporter option is needed and any
    /// builder and store can give it.
    public var isPushDefault: Bool { self == LayerCompression(.gzip) }

    /// The level BuildKit uses when none is asked for.
    public var effectiveLevel: Int? {
        switch algorithm {
        case .gzip, .estargz: level ?? 6
        case .zstd: level ?? 3
        case .uncompressed: nil
        }
    }

    /// `zstd`, `zstd level 19`.
    public var description: String { algorithm.rawValue + (level.map { " level \($0)" } ?? "") }

    /// The image exporter's attributes: every layer written anew in this compression (`force-compression`),
    /// with OCI media types, which zstd and estargz need.
    public var exporterAttributes: String {
        var attributes = "compression=\(algorithm.rawValue),force-compression=true,oci-mediatypes=true"
        if let level { attributes += ",compression-level=\(level)" }
        return attributes
    }

    /// The compression a layer's media type names (`…tar+zstd`, `…tar.gzip`, `…tar`); nil when it names none known.
    public static func algorithm(ofMediaType mediaType: String) -> Algorithm? {
        if mediaType.hasSuffix("+zstd") || mediaType.hasSuffix(".zstd") { return .zstd }
        if mediaType.hasSuffix("+gzip") || mediaType.hasSuffix(".gzip") { return .gzip }
        if mediaType.hasSuffix(".tar") { return .uncompressed }
        return nil
    }
}
