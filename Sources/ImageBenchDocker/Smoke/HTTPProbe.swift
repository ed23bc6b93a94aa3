import Foundation
import ImageBenchCore

/// One HTTP/1.1 request to a service under test, with a timeout, and whether its answer is the one
/// `smoke.http` expects. No cookies, no cache, no redirects followed.
public enum HTTPProbe {
    public enum Answer: Sendable, Equatable {
        case response(status: Int, body: String)
        /// No response: connection refused, reset, timed out.
        case failed(String)
    }

    public static func send(_ request: HTTPSmoke.Request, host: String, port: Int, timeout: Double) async -> Answer {
        let body = request.body.map { Array($0.utf8) }
        let headers = body == nil ? [] : [("Content-Type", "application/json")]
        let result = await PlainHTTP.send(
            method: request.method, host: host, port: port, path: request.path, headers: headers, body: body, timeout: max(0.1, timeout))
        switch result {
        case .success(let response): return .response(status: response.status, body: String(decoding: response.body.prefix(65536), as: UTF8.self))
        case .failure(let failure): return .failed(failure.reason)
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
