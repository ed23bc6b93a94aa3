import Foundation
import Testing

@testable import ImageBenchDocker

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Plain HTTP/1.1 for the smoke test and the registry")
struct PlainHTTPTests {
    @Test("a response is whole by Content-Length, by chunks, or at the end of the connection")
    func parses() throws {
        let sized = Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello".utf8)
        #expect(
            try PlainHTTP.parse(sized, atEnd: false)
                == .init(status: 200, headers: ["content-length": "5", "content-type": "text/plain"], body: Array("hello".utf8)))
        #expect(try PlainHTTP.parse(Array(sized.dropLast(2)), atEnd: false) == nil)
        #expect(throws: PlainHTTP.Failure.self) { try PlainHTTP.parse(Array(sized.dropLast(2)), atEnd: true) }
        let chunked = Array("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nWiki\r\n6\r\npedia \r\n0\r\n\r\n".utf8)
        #expect(try PlainHTTP.parse(chunked, atEnd: false)?.body == Array("Wikipedia ".utf8))
        #expect(try PlainHTTP.parse(chunked, atEnd: false)?.status == 404)
        #expect(try PlainHTTP.parse(Array(chunked.prefix(70)), atEnd: false) == nil)
        let open = Array("HTTP/1.0 200 OK\r\n\r\nuntil the end".utf8)
        #expect(try PlainHTTP.parse(open, atEnd: false) == nil)
        #expect(try PlainHTTP.parse(open, atEnd: true)?.body == Array("until the end".utf8))
        #expect(try PlainHTTP.parse(Array("HTTP/1.1 204 No Content\r\n\r\n".utf8), atEnd: false)?.status == 204)
        #expect(throws: PlainHTTP.Failure.self) { try PlainHTTP.parse(Array("SSH-2.0-OpenSSH\r\n\r\n".utf8), atEnd: false) }
        #expect(
            String(
                decoding: PlainHTTP.request(method: "POST", host: "::1", port: 8080, path: "/v1", headers: [("Accept", "a")], body: [1, 2]),
                as: UTF8.self)
                == "POST /v1 HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\nUser-Agent: imagebench\r\nAccept: a\r\nContent-Length: 2\r\n\r\n\u{1}\u{2}"
        )
    }

    @Test("registry addresses: HOST:PORT, [V6]:PORT, HOST")
    func addresses() {
        #expect(RegistryClient.hostAndPort("127.0.0.1:5000")! == ("127.0.0.1", 5000))
        #expect(RegistryClient.hostAndPort("[::1]:5001")! == ("::1", 5001))
        #expect(RegistryClient.hostAndPort("registry.local")! == ("registry.local", 80))
        #expect(RegistryClient.hostAndPort("host:0") == nil)
        #expect(RegistryClient.hostAndPort("a:b:c") == nil)
        #expect(RegistryClient.hostAndPort(":5000") == nil)
    }

    @Test("a request to a server on loopback, a refused connection and a server that never answers")
    func exchanges() async throws {
        let (listener, port) = try Self.listen()
        defer { close(listener) }
        let served = Thread {
            let client = accept(listener, nil, nil)
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = read(client, &buffer, buffer.count)
            let asked = String(decoding: buffer.prefix(max(0, n)), as: UTF8.self)
            let answer = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n\(String(asked.utf8.count, radix: 16))\r\n\(asked)\r\n0\r\n\r\n"
            _ = answer.withCString { write(client, $0, strlen($0)) }
            close(client)
        }
        served.start()
        let answer = await PlainHTTP.send(method: "POST", host: "127.0.0.1", port: port, path: "/items", body: Array("{}".utf8), timeout: 5)
        let response = try answer.get()
        #expect(response.status == 201)
        #expect(String(decoding: response.body, as: UTF8.self).hasPrefix("POST /items HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"))
        #expect(String(decoding: response.body, as: UTF8.self).hasSuffix("Content-Length: 2\r\n\r\n{}"))

        // Listening but never accepting: the connection is made, no answer comes.
        let (silent, silentPort) = try Self.listen()
        defer { close(silent) }
        let started = Date()
        let timedOut = await PlainHTTP.send(method: "GET", host: "127.0.0.1", port: silentPort, path: "/", timeout: 0.3)
        #expect(timedOut == .failure(.init(reason: "timed out after 0.3 s")))
        #expect(Date().timeIntervalSince(started) < 5)

        let (closed, closedPort) = try Self.listen()
        close(closed)
        let refused = await PlainHTTP.send(method: "GET", host: "127.0.0.1", port: closedPort, path: "/", timeout: 5)
        #expect(refused == .failure(.init(reason: "connection refused")))
    }

    /// A socket listening on 127.0.0.1 on a port the kernel picks.
    static func listen() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, Glibc.listen(fd, 4) == 0 else { throw PlainHTTP.Failure(reason: "cannot listen") }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
