import CZlib
import Foundation
import ImageBenchCore

/// Undoes a layer blob's compression as it streams: gzip (zlib, linked) or zstd (Debian's libzstd,
/// loaded when the first zstd layer comes, since most images never need it).
final class LayerDecoder {
    enum Compression: String, Sendable {
        case none, gzip, zstd

        /// From a blob's first bytes (gzip `1f 8b`, zstd `28 b5 2f fd`).
        static func sniff<C: Collection<UInt8>>(_ head: C) -> Compression {
            let bytes = Array(head.prefix(4))
            if bytes.starts(with: [0x1f, 0x8b]) { return .gzip }
            if bytes == [0x28, 0xb5, 0x2f, 0xfd] { return .zstd }
            return .none
        }

        /// The OCI layer media type of a blob so compressed.
        var mediaType: String {
            "application/vnd.oci.image.layer.v1."
                + (self == .none ? LayerCompression.Algorithm.uncompressed : self == .gzip ? .gzip : .zstd).mediaTypeSuffix
        }
    }

    struct Failure: Error {
        var message: String
    }

    private enum State {
        case gzip(UnsafeMutablePointer<z_stream>)
        case zstd(Zstd, OpaquePointer)
    }

    private var state: State
    private var output = [UInt8](repeating: 0, count: 256 << 10)
    private var ended = false

    /// A decoder for `compression`; nil for `.none`.
    static func make(_ compression: Compression) throws(Failure) -> LayerDecoder? {
        compression == .none ? nil : try LayerDecoder(compression)
    }

    private init(_ compression: Compression) throws(Failure) {
        switch compression {
        case .none, .gzip:
            let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            stream.initialize(to: z_stream())
            // windowBits 15 + 32: a zlib or gzip header, detected.
            guard inflateInit2_(stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                stream.deallocate()
                throw Failure(message: "zlib could not start a gzip decoder")
            }
            state = .gzip(stream)
        case .zstd:
            guard let zstd = Zstd.shared else {
                throw Failure(message: "the layer is zstd-compressed and no zstd library (libzstd.so.1) loads here; install Debian's libzstd1")
            }
            guard let context = zstd.create() else { throw Failure(message: "libzstd could not start a decoder") }
            state = .zstd(zstd, context)
        }
    }

    deinit {
        switch state {
        case .gzip(let stream):
            inflateEnd(stream)
            stream.deallocate()
        case .zstd(let zstd, let context): _ = zstd.free(context)
        }
    }

    /// Decodes `input`, handing each piece of output to `sink`.
    func feed(_ input: ArraySlice<UInt8>, _ sink: (ArraySlice<UInt8>) -> Void) throws(Failure) {
        guard !input.isEmpty else { return }
        var failure: Failure?
        input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { out in
                switch state {
                case .gzip(let stream): failure = Self.inflate(stream, inBuffer, out, &ended, sink)
                case .zstd(let zstd, let context): failure = zstd.decompress(context, inBuffer, out, sink)
                }
            }
        }
        if let failure { throw failure }
    }

    private static func inflate(
        _ stream: UnsafeMutablePointer<z_stream>, _ input: UnsafeBufferPointer<UInt8>, _ out: UnsafeMutableBufferPointer<UInt8>,
        _ ended: inout Bool, _ sink: (ArraySlice<UInt8>) -> Void
    ) -> Failure? {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.pointee.avail_in = UInt32(input.count)
        while stream.pointee.avail_in > 0 {
            if ended {
                // A gzip file may hold several members one after another; anything else after the end is padding.
                guard stream.pointee.next_in.pointee == 0x1f else { return nil }
                inflateReset(stream)
                ended = false
            }
            stream.pointee.next_out = out.baseAddress
            stream.pointee.avail_out = UInt32(out.count)
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            let produced = out.count - Int(stream.pointee.avail_out)
            if produced > 0 { sink(Array(out[0..<produced])[...]) }
            switch status {
            case Z_STREAM_END: ended = true
            case Z_OK: continue
            case Z_BUF_ERROR where produced > 0: continue
            default: return Failure(message: "the gzip data is damaged (zlib status \(status))")
            }
        }
        return nil
    }
}

/// The few functions of libzstd's streaming decoder, found with dlopen: no build-time dependency, and a
/// clear error where the library is missing.
final class Zstd: @unchecked Sendable {
    // @unchecked: immutable after init; the C functions are thread-safe on separate contexts.
    struct InBuffer {
        var src: UnsafeRawPointer?
        var size: Int
        var pos: Int
    }
    struct OutBuffer {
        var dst: UnsafeMutableRawPointer?
        var size: Int
        var pos: Int
    }
    typealias Create = @convention(c) () -> OpaquePointer?
    typealias Free = @convention(c) (OpaquePointer?) -> Int
    // The buffers are `ZSTD_outBuffer` and `ZSTD_inBuffer`: a pointer and two size_t, laid out as the structs above.
    typealias Decompress = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Int
    typealias IsError = @convention(c) (Int) -> UInt32
    typealias ErrorName = @convention(c) (Int) -> UnsafePointer<CChar>?

    let create: Create
    let free: Free
    let stream: Decompress
    let isError: IsError
    let errorName: ErrorName

    static let shared: Zstd? = Zstd()

    private init?() {
        guard let library = dlopen("libzstd.so.1", RTLD_NOW) ?? dlopen("libzstd.so", RTLD_NOW),
            let create = dlsym(library, "ZSTD_createDStream"), let free = dlsym(library, "ZSTD_freeDStream"),
            let stream = dlsym(library, "ZSTD_decompressStream"), let isError = dlsym(library, "ZSTD_isError"),
            let errorName = dlsym(library, "ZSTD_getErrorName")
        else { return nil }
        self.create = unsafeBitCast(create, to: Create.self)
        self.free = unsafeBitCast(free, to: Free.self)
        self.stream = unsafeBitCast(stream, to: Decompress.self)
        self.isError = unsafeBitCast(isError, to: IsError.self)
        self.errorName = unsafeBitCast(errorName, to: ErrorName.self)
    }

    func decompress(
        _ context: OpaquePointer, _ input: UnsafeBufferPointer<UInt8>, _ out: UnsafeMutableBufferPointer<UInt8>, _ sink: (ArraySlice<UInt8>) -> Void
    ) -> LayerDecoder.Failure? {
        var inBuffer = InBuffer(src: UnsafeRawPointer(input.baseAddress), size: input.count, pos: 0)
        repeat {
            var outBuffer = OutBuffer(dst: UnsafeMutableRawPointer(out.baseAddress), size: out.count, pos: 0)
            let result = withUnsafeMutablePointer(to: &outBuffer) { o in
                withUnsafeMutablePointer(to: &inBuffer) { i in stream(context, UnsafeMutableRawPointer(o), UnsafeMutableRawPointer(i)) }
            }
            if isError(result) != 0 {
                return LayerDecoder.Failure(message: "the zstd data is damaged (\(errorName(result).map { String(cString: $0) } ?? "error"))")
            }
            if outBuffer.pos > 0 { sink(Array(out[0..<outBuffer.pos])[...]) }
            if inBuffer.pos == inBuffer.size && outBuffer.pos < outBuffer.size { break }
        } while true
        return nil
    }
}
