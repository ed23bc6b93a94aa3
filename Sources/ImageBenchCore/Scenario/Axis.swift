public struct Axis: Sendable, Equatable {
    public var name: String
    public var values: [AxisValue]
    public var line: Int
    public init(name: String, values: [AxisValue], line: Int = 0) {
        self.name = name
        self.values = values
        self.line = line
    }
}
