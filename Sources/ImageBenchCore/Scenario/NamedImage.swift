/// `images: { name: reference }`.
public struct NamedImage: Sendable, Equatable, Codable {
    public var name: String
    public var reference: String
    public var line: Int
    public init(name: String, reference: String, line: Int = 0) {
        self.name = name
        self.reference = reference
        self.line = line
    }
}
