/// `smoke:`: how each built image is run once.
public struct SmokeSpec: Sendable, Equatable {
    public var args: [String]
    public var expectExit: Int32
    public var expectOutput: String?
    public var timeoutSeconds: Double
    /// The image is a service, checked over HTTP (``HTTPSmoke``); nil: it runs once to its exit.
    public var http: HTTPSmoke?
    public init(args: [String] = [], expectExit: Int32 = 0, expectOutput: String? = nil, timeoutSeconds: Double = 30) {
        self.args = args
        self.expectExit = expectExit
        self.expectOutput = expectOutput
        self.timeoutSeconds = timeoutSeconds
    }
}
