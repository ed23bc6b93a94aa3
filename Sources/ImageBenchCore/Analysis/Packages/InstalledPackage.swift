/// One OS package found in an image's package database.
public struct InstalledPackage: Sendable, Equatable, Codable {
    public var name: String
    public var version: String
    /// The layer (index, oldest first) whose package database last added or changed this package.
    public var layer: Int
    /// What the package says it takes: dpkg's `Installed-Size` (KiB, given here in bytes as 1024 × it)
    /// or apk's `I:` (bytes). Nil when the database does not say.
    public var declaredBytes: Int64?
    /// The sizes of its listed regular files as they are in the image: a file a later layer overwrote
    /// counts with its final size, a deleted one not at all.
    public var bytes: Int64
    /// How many of its listed regular files are in the image.
    public var files: Int

    public init(name: String, version: String, layer: Int, declaredBytes: Int64?, bytes: Int64, files: Int) {
        self.name = name
        self.version = version
        self.layer = layer
        self.declaredBytes = declaredBytes
        self.bytes = bytes
        self.files = files
    }

    enum CodingKeys: String, CodingKey {
        case name, version, layer, bytes, files
        case declaredBytes = "declared_bytes"
    }
}
