import Foundation

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// A pipe for a child's standard output that imagebench reads in large blocks on a thread of its own.
/// Both ends are close-on-exec, so no other child inherits the write end and keeps the pipe open.
final class BlockPipe: @unchecked Sendable {
    // @unchecked: the read end is used by exactly one thread at a time (the drain thread, or the
    // caller when the launch failed before draining started).
    static let blockSize = 1 << 20
    /// Linux's F_SETPIPE_SZ (F_LINUX_SPECIFIC_BASE + 7), which Glibc's module does not export.
    static let setPipeSize: Int32 = 1031
    let writeEnd: FileDescriptor
    private let readEnd: Int32
    private var readClosed = false

    init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw Errno(rawValue: errno) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        readEnd = fds[0]
        writeEnd = FileDescriptor(rawValue: fds[1])
        // As deep as the system allows without privileges (fs.pipe-max-size, 1 MiB by default); a
        // smaller pipe still works, only with more wake-ups.
        _ = fcntl(fds[1], Self.setPipeSize, Int32(Self.blockSize))
    }

    /// Reads until the write end is closed (the child and everything it started exited), handing each
    /// block to `sink`, then closes the read end.
    func drain(into sink: any ByteSink) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread { [self] in
                var buffer = [UInt8](repeating: 0, count: Self.blockSize)
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { break }
                    sink.consume(buffer[0..<count])
                }
                closeReadEnd()
                done.resume()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    func closeReadEnd() {
        guard !readClosed else { return }
        readClosed = true
        close(readEnd)
    }
}
