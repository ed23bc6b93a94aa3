/// `smoke.http`: the image is a service. It is started detached with `port` published on loopback,
/// polled with `first` until the expected response or the smoke timeout, then sent `requests` in order.
public struct HTTPSmoke: Sendable, Equatable {
    /// One HTTP/1.1 request and what its response must be.
    public struct Request: Sendable, Equatable {
        public var method: String = "GET"
        public var path: String
        public var body: String?
        public var expectStatus: Int = 200
        /// A substring the response body must contain.
        public var expectBody: String?
        public var line: Int = 0

        public init(method: String = "GET", path: String, body: String? = nil, expectStatus: Int = 200, expectBody: String? = nil, line: Int = 0) {
            self.method = method
            self.path = path
            self.body = body
            self.expectStatus = expectStatus
            self.expectBody = expectBody
            self.line = line
        }
    }

    /// The container port the service listens on.
    public var port: Int
    /// The request polled until it is answered as expected.
    public var first: Request
    /// Sent once each, in order, after the first success.
    public var requests: [Request]

    public init(port: Int, first: Request, requests: [Request] = []) {
        self.port = port
        self.first = first
        self.requests = requests
    }

    /// The methods a request may use.
    public static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
}
