public struct AxisChoice: Sendable, Equatable, Codable, Hashable {
    public var axis: String
    public var value: String
    public init(axis: String, value: String) {
        self.axis = axis
        self.value = value
    }
}
