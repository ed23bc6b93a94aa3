import Foundation

/// One layer of an image as `docker history` shows it (newest last).
public struct LayerRecord: Sendable, Codable, Equatable {
    public var position: Int
    public var sizeBytes: Int64
    /// The instruction that made it.
    public var createdBy: String
    public var id: String?

    public init(position: Int, sizeBytes: Int64, createdBy: String, id: String? = nil) {
        self.position = position
        self.sizeBytes = sizeBytes
        self.createdBy = createdBy
        self.id = id
    }

    enum CodingKeys: String, CodingKey {
        case position, id
        case sizeBytes = "size_bytes"
        case createdBy = "created_by"
    }
}
