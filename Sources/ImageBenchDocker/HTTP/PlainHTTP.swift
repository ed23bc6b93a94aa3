import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One HTTP/1.1 request over plain TCP (`Connection: close`), with one deadline for connecting, sending
/// and reading: what the HTTP smoke test and the registry on loopback need. URLSession would do it, but
/// FoundationNetworking brings libcurl and some forty libraries into every imagebench process, 7 MB of
/// resident memory for a command that never makes a request (see `benchmarks/analyze`).
enum PlainHTTP {
    struct Response: Sendable, Equatable {
        var status: Int
        /// Header names lowercased; a repeated header keeps its last value.
        var headers: [String: String]
        var body: [UInt8]
    }

    /// Why no response came: the reason in one line (`connection refused`, `timed out after 2 s`).
    struct Failure: Error, Sendable, Equatable {
        var reason: String
    }

    /// Sends the request on a thread of its own (the socket calls block until the deadline), so neither
    /// the cooperative threads that read docker's output nor Dispatch's global queues, which run as many
    /// blocking items at once as the machine has cores, wait on a slow service. The deadline counts from
    /// the call.
    static func send(
        method: String, host: String, port: Int, path: String, headers: [(String, String)] = [], body: [UInt8]? = nil, timeout: Double
    ) async -> Result<Response, Failure> {
        let request = PlainHTTP.request(method: method, host: host, port: port, path: path, headers: headers, body: body)
        let deadline = Deadline(seconds: timeout)
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    returning: Result { try exchange(request, host: host, port: port, deadline: deadline, head: method == "HEAD") }
                        .mapError { $0 as? Failure ?? Failure(reason: "\($0)") })
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// The request's bytes: request line, `Host`, the caller's headers, `Content-Length` with a body.
    static func request(method: String, host: String, port: Int, path: String, headers: [(String, String)], body: [UInt8]?) -> [UInt8] {
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var text = "\(method) \(path.isEmpty ? "/" : path) HTTP/1.1\r\nHost: \(authority)\r\nConnection: close\r\nUser-Agent: imagebench\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body { text += "Content-Length: \(body.count)\r\n" }
        text += "\r\n"
        return Array(text.utf8) + (body ?? [])
    }

    struct Deadline: Sendable {
        let end: Double
        let seconds: Double
        init(seconds: Double) {
            self.seconds = seconds
            end = Self.now() + seconds
        }
        static func now() -> Double {
            var spec = timespec()
            clock_gettime(CLOCK_MONOTONIC, &spec)
            return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
        }
        /// Milliseconds left for `poll`; throws once none are.
        func milliseconds() throws -> Int32 {
            let left = end - Self.now()
            guard left > 0 else { throw Failure(reason: "timed out after \(String(format: "%g", seconds)) s") }
            return Int32(min(left * 1000, Double(Int32.max)).rounded(.up))
        }
    }

    private static func exchange(_ request: [UInt8], host: String, port: Int, deadline: Deadline, head: Bool) throws -> Response {
        let fd = try connectedSocket(host: host, port: port, deadline: deadline)
        defer { close(fd) }
        var sent = 0
        while sent < request.count {
            try wait(fd, for: Int16(POLLOUT), deadline: deadline)
            let n = request.withUnsafeBytes { write(fd, $0.baseAddress! + sent, request.count - sent) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw Failure(reason: "sending: \(String(cString: strerror(errno)))")
            }
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let response = try parse(received, atEnd: false, head: head) { return response }
            try wait(fd, for: Int16(POLLIN), deadline: deadline)
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw Failure(reason: "reading: \(String(cString: strerror(errno)))")
            }
            if n == 0 {
                guard let response = try parse(received, atEnd: true, head: head) else {
                    throw Failure(reason: received.isEmpty ? "the server closed the connection without answering" : "the answer ended early")
                }
                return response
            }
            received.append(contentsOf: buffer[..<n])
        }
    }

    /// A non-blocking connection to the first address of `host` that accepts one.
    private static func connectedSocket(host: String, port: Int, deadline: Deadline) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else { throw Failure(reason: "cannot resolve \(host): \(String(cString: gai_strerror(status)))") }
        defer { freeaddrinfo(list) }
        var reason = "no address"
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let entry = next {
            next = entry.pointee.ai_next
            let fd = socket(entry.pointee.ai_family, entry.pointee.ai_socktype, entry.pointee.ai_protocol)
            if fd < 0 { continue }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var result = connect(fd, entry.pointee.ai_addr, entry.pointee.ai_addrlen)
            if result != 0 && errno == EINPROGRESS {
                do {
                    try wait(fd, for: Int16(POLLOUT), deadline: deadline)
                } catch {
                    close(fd)
                    throw error
                }
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                result = error == 0 ? 0 : -1
                errno = error
            }
            if result == 0 { return fd }
            reason = String(cString: strerror(errno)).lowercased()
            close(fd)
        }
        throw Failure(reason: reason)
    }

    private static func wait(_ fd: Int32, for events: Int16, deadline: Deadline) throws {
        while true {
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, try deadline.milliseconds())
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw Failure(reason: "poll: \(String(cString: strerror(errno)))") }
        }
    }

    /// The response in `bytes` once it is whole (by `Content-Length`, chunked encoding, or the end of the
    /// connection); nil while more is to come.
    static func parse(_ bytes: [UInt8], atEnd: Bool, head: Bool = false) throws -> Response? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let headerEnd = bytes.indices.dropLast(3).first(where: { bytes[$0..<($0 + 4)].elementsEqual(separator) }) else {
            if atEnd && !bytes.isEmpty { throw Failure(reason: "the answer is not HTTP") }
            return nil
        }
        let lines = String(decoding: bytes[..<headerEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/"), let status = Int(statusLine[1]) else {
            throw Failure(reason: "the answer is not HTTP: \(lines[0].prefix(80))")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        if status == 100 { return try parse(Array(bytes[(headerEnd + 4)...]), atEnd: atEnd, head: head) }
        let rest = bytes[(headerEnd + 4)...]
        if head || status == 204 || status == 304 || (100..<200).contains(status) {
            return Response(status: status, headers: headers, body: [])
        }
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            guard let body = try dechunk(rest) else {
                if atEnd { throw Failure(reason: "the answer ended early") }
                return nil
            }
            return Response(status: status, headers: headers, body: body)
        }
        if let length = headers["content-length"].flatMap({ Int($0) }) {
            guard rest.count >= length else {
                if atEnd { throw Failure(reason: "the answer ended early") }
                return nil
            }
            return Response(status: status, headers: headers, body: Array(rest.prefix(length)))
        }
        return atEnd ? Response(status: status, headers: headers, body: Array(rest)) : nil
    }

    /// A chunked body decoded; nil while its last chunk has not come.
    static func dechunk(_ bytes: ArraySlice<UInt8>) throws -> [UInt8]? {
        var body: [UInt8] = []
        var at = bytes.startIndex
        while true {
            guard let lineEnd = bytes[at...].firstIndex(of: UInt8(ascii: "\r")), lineEnd + 1 < bytes.endIndex else { return nil }
            let sizeText = String(decoding: bytes[at..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw Failure(reason: "the answer's chunked encoding is broken")
            }
            let start = lineEnd + 2
            if size == 0 { return body }
            guard bytes.endIndex >= start + size + 2 else { return nil }
            body.append(contentsOf: bytes[start..<(start + size)])
            at = start + size + 2
        }
    }
}
