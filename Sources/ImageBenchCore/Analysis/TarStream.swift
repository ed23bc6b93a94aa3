/// A push parser for tar streams (ustar, GNU long names, PAX): feed it bytes as they arrive; it calls
/// `entry` for each header and `content` for each piece of an entry's data, without buffering files.
public struct TarStream {
    public typealias EntryHandler = (TarEntry) -> Void
    public typealias ContentHandler = (TarEntry, ArraySlice<UInt8>) -> Void

    private var header: [UInt8] = []
    private var current: TarEntry?
    private var remaining: Int64 = 0
    private var padding: Int64 = 0
    private var meta: [UInt8] = []  // a GNU long name or PAX record being read
    private var metaKind: UInt8 = 0
    private var longName: String?
    private var longLink: String?
    private var paxPath: String?
    private var paxLink: String?
    private var paxSize: Int64?
    private var paxUID: Int?
    private var paxGID: Int?
    public private(set) var finished = false

    public init() {}

    public mutating func feed(_ bytes: ArraySlice<UInt8>, entry: EntryHandler, content: ContentHandler) {
        var rest = bytes
        while !rest.isEmpty && !finished {
            if remaining > 0 {
                let n = Int(min(Int64(rest.count), remaining))
                let piece = rest.prefix(n)
                if metaKind != 0 { meta.append(contentsOf: piece) } else if let current { content(current, piece) }
                rest = rest.dropFirst(n)
                remaining -= Int64(n)
                if remaining == 0 { finishData() }
                continue
            }
            if padding > 0 {
                let n = Int(min(Int64(rest.count), padding))
                rest = rest.dropFirst(n)
                padding -= Int64(n)
                continue
            }
            let need = 512 - header.count
            header.append(contentsOf: rest.prefix(need))
            rest = rest.dropFirst(min(need, rest.count))
            if header.count == 512 {
                parseHeader(entry: entry)
                header.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Whether the stream is inside a regular entry's data (not a header, padding or a long name or PAX
    /// record): a reader that can seek may then skip it with ``skipData()``.
    public var inData: Bool { remaining > 0 && metaKind == 0 && current != nil }

    /// Skips the rest of the current entry's data and its padding; returns how many bytes of input the
    /// caller must skip (seek past) before feeding the next header.
    public mutating func skipData() -> Int64 {
        guard inData else { return 0 }
        let skipped = remaining + (512 - (current?.size ?? 0) % 512) % 512
        remaining = 0
        padding = 0
        current = nil
        return skipped
    }

    private mutating func finishData() {
        padding = (512 - Int64(current?.size ?? Int64(meta.count)) % 512) % 512
        if metaKind != 0 {
            let text = String(decoding: meta.prefix { $0 != 0 }, as: UTF8.self)
            switch metaKind {
            case UInt8(ascii: "L"): longName = text
            case UInt8(ascii: "K"): longLink = text
            case UInt8(ascii: "x"): parsePAX(meta)
            default: break
            }
            padding = (512 - Int64(meta.count) % 512) % 512
            meta.removeAll()
            metaKind = 0
        }
        current = nil
    }

    private mutating func parsePAX(_ bytes: [UInt8]) {
        var i = 0
        while i < bytes.count {
            guard let space = bytes[i...].firstIndex(of: UInt8(ascii: " ")), let length = Int(String(decoding: bytes[i..<space], as: UTF8.self)),
                length > 0
            else { return }
            let record = bytes[(space + 1)..<min(i + length, bytes.count)]
            if let eq = record.firstIndex(of: UInt8(ascii: "=")) {
                let key = String(decoding: record[record.startIndex..<eq], as: UTF8.self)
                var value = String(decoding: record[(eq + 1)...], as: UTF8.self)
                if value.hasSuffix("\n") { value.removeLast() }
                switch key {
                case "path": paxPath = value
                case "linkpath": paxLink = value
                case "size": paxSize = Int64(value)
                case "uid": paxUID = Int(value)
                case "gid": paxGID = Int(value)
                default: break
                }
            }
            i += length
        }
    }

    private mutating func parseHeader(entry: EntryHandler) {
        if header.allSatisfy({ $0 == 0 }) {
            // End of archive is two zero blocks; one is enough to stop reading entries.
            finished = true
            return
        }
        let typeflag = header[156]
        let size = paxSize ?? Self.octal(header[124..<136])
        if [UInt8(ascii: "L"), UInt8(ascii: "K"), UInt8(ascii: "x")].contains(typeflag) {
            metaKind = typeflag
            remaining = Self.octal(header[124..<136])
            if remaining == 0 { finishData() }
            return
        }
        if typeflag == UInt8(ascii: "g") {
            // A global PAX header applies to later entries; its records are skipped here.
            current = TarEntry(name: "", size: Self.octal(header[124..<136]), typeflag: typeflag, linkname: "")
            remaining = current!.size
            metaKind = UInt8(ascii: "g")
            if remaining == 0 { finishData() }
            return
        }
        var name = Self.string(header[0..<100])
        let magic = Self.string(header[257..<263])
        if magic.hasPrefix("ustar") {
            let prefix = Self.string(header[345..<500])
            if !prefix.isEmpty { name = prefix + "/" + name }
        }
        var entryValue = TarEntry(
            name: paxPath ?? longName ?? name, size: size, typeflag: typeflag, linkname: paxLink ?? longLink ?? Self.string(header[157..<257]))
        entryValue.mode = UInt32(truncatingIfNeeded: Self.octal(header[100..<108]))
        entryValue.uid = paxUID ?? Int(Self.octal(header[108..<116]))
        entryValue.gid = paxGID ?? Int(Self.octal(header[116..<124]))
        paxUID = nil
        paxGID = nil
        longName = nil
        longLink = nil
        paxPath = nil
        paxLink = nil
        paxSize = nil
        entry(entryValue)
        // Header-only types (links, devices, directories, FIFOs) carry no data, whatever their size field says.
        let dataSize = Array("123456".utf8).contains(typeflag) ? 0 : entryValue.size
        if dataSize > 0 {
            current = entryValue
            remaining = dataSize
        } else {
            current = entryValue
            current!.size = 0
            finishData()
        }
    }

    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// Octal, or base-256 when the high bit is set (GNU, for sizes over 8 GB).
    static func octal(_ bytes: ArraySlice<UInt8>) -> Int64 {
        if let first = bytes.first, first & 0x80 != 0 {
            return bytes.dropFirst().reduce(Int64(first & 0x7f)) { $0 << 8 | Int64($1) }
        }
        var value: Int64 = 0
        for b in bytes where b >= UInt8(ascii: "0") && b <= UInt8(ascii: "7") { value = value * 8 + Int64(b - UInt8(ascii: "0")) }
        return value
    }
}
