/// One file-system entry of an image layer, as its tar lists it.
public struct LayerFile: Sendable, Equatable, Codable {
    /// Cleaned path without a leading `/` (`usr/bin/env`).
    public var path: String
    /// The tar header's size (0 for directories and links).
    public var size: Int64
    public var isDirectory: Bool
    /// For a symbolic link, where it points.
    public var linkTarget: String?

    public init(path: String, size: Int64, isDirectory: Bool, linkTarget: String? = nil) {
        self.path = path
        self.size = size
        self.isDirectory = isDirectory
        self.linkTarget = linkTarget
    }
}
