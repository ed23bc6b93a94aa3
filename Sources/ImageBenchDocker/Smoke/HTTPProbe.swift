import Foundation
import ImageBenchCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP/1.1 request to a service under test, with a timeout, and whether its answer is the one
/// `smoke.http` expects. No cookies, no cache, no redirects followed.
public enum HTTPProbe {
    public enum Answer: Sendable, Equatable {
        case response(status: Int, body: String)
        /// No response: connection refused, reset, timed out.
        case failed(String)
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpShouldSetCookies = false
        return URLSession(configuration: configuration)
    }()

    public static func send(_ request: HTTPSmoke.Request, host: String, port: Int, timeout: Double) async -> Answer {
        guard let url = URL(string: "http://\(host):\(port)\(request.path)") else { return .failed("not a valid URL: \(request.path)") }
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: max(0.1, timeout))
        urlRequest.httpMethod = request.method
        if let body = request.body {
            urlRequest.httpBody = Data(body.utf8)
            urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        do {
            let (data, response) = try await session.data(for: urlRequest)
            return .response(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: String(decoding: data.prefix(65536), as: UTF8.self))
        } catch {
            return .failed((error as NSError).localizedDescription)
        }
    }

    /// Why `answer` is not what `request` expects, in one line; nil when it is.
    public static func mismatch(_ answer: Answer, _ request: HTTPSmoke.Request) -> String? {
        let what = "\(request.method) \(request.path)"
        switch answer {
        case .failed(let why): return "\(what): no response (\(why))"
        case .response(let status, let body):
            if status != request.expectStatus { return "\(what): status \(status), expected \(request.expectStatus)" }
            if let expected = request.expectBody, !body.contains(expected) {
                let shown = body.split(whereSeparator: \.isNewline).joined(separator: " ").prefix(120)
                return "\(what): the body lacks \"\(expected)\" (it was \"\(shown)\")"
            }
            return nil
        }
    }
}
