public struct AxisValue: Sendable, Equatable {
    public var name: String
    public var settings: BuildSettings
    public var line: Int
    public init(name: String, settings: BuildSettings = BuildSettings(), line: Int = 0) {
        self.name = name
        self.settings = settings
        self.line = line
    }
}
