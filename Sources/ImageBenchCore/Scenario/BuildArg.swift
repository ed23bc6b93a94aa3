/// One `--build-arg KEY=VALUE`; the value may hold `${images.NAME}`.
public struct BuildArg: Sendable, Equatable, Codable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
