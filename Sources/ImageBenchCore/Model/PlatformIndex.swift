import Foundation

/// A variant built for a list of platforms (`platform: linux/amd64,linux/arm64`): one OCI image index
/// whose manifests are one image each, and what each of them and the whole index weigh.
public struct PlatformIndex: Sendable, Codable, Equatable {
    /// One platform's image in the index.
    public struct Member: Sendable, Codable, Equatable {
        /// `linux/arm64`, with its variant when the manifest names one (`linux/arm/v7`).
        public var platform: String
        /// The manifest's digest in the index.
        public var manifest: String
        /// The bytes of its layers' files, as the engine counts an image's size (disk).
        public var bytes: Int64
        /// Its layer blobs as stored (compressed: what a pull of this platform downloads).
        public var compressedBytes: Int64
        public var layers: Int
        /// Its own analysis: OS packages, Go binaries (their GOARCH), the entrypoint's linkage (its loader).
        public var packages: PackageAnalysis?
        public var goBinaries: [GoBinary]?
        public var linkage: Linkage?

        enum CodingKeys: String, CodingKey {
            case platform, manifest, bytes, layers, packages, linkage
            case compressedBytes = "compressed_bytes"
            case goBinaries = "go_binaries"
        }

        public init(platform: String, manifest: String, bytes: Int64, compressedBytes: Int64, layers: Int) {
            self.platform = platform
            self.manifest = manifest
            self.bytes = bytes
            self.compressedBytes = compressedBytes
            self.layers = layers
        }
    }

    /// The index's digest (the image id on the containerd image store).
    public var digest: String
    public var members: [Member]
    /// Every distinct blob the index holds, as stored: each platform's layers (a layer two platforms share
    /// counts once), configs and manifests, and the index itself. What a registry stores for the tag.
    public var storedBytes: Int64

    enum CodingKeys: String, CodingKey {
        case digest, members
        case storedBytes = "stored_bytes"
    }

    public init(digest: String, members: [Member], storedBytes: Int64) {
        self.digest = digest
        self.members = members
        self.storedBytes = storedBytes
    }

    /// The platforms a `platform:` value lists, trimmed, in its order.
    public static func platforms(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The one platform a `platform:` value names; nil for a list.
    public static func single(_ value: String) -> String? {
        let listed = platforms(value)
        return listed.count == 1 ? listed[0] : nil
    }

    /// Whether a `platform:` value lists more than one platform (one index).
    public static func isList(_ value: String) -> Bool { platforms(value).count > 1 }

    /// A platform's architecture, as an engine's is named: `arm64` of `linux/arm64/v8`; nil without one.
    public static func architecture(of platform: String) -> String? {
        platform.split(separator: "/").dropFirst().first.map(String.init)
    }

    /// The member to smoke-test on an engine of architecture `native`: the native one when listed, else the
    /// first (which then runs emulated).
    public static func smokePlatform(_ value: String, native: String?) -> String? {
        let listed = platforms(value)
        return listed.first { architecture(of: $0) == native } ?? listed.first
    }
}
