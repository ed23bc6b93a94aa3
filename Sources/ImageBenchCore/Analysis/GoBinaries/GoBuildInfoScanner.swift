#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds a Go binary's build information in its bytes as they stream past (a layer tar read once, no
/// file kept): the first 16-byte aligned `\xff Go buildinf:` whose header and strings parse, as Go's
/// `debug/buildinfo` takes the first aligned match. In an ELF file the search begins at the first
/// writable segment, where the Go linker puts the section, and ends ``searchSpan`` bytes after it, so
/// the code before it is never searched. Keeps at most ``GoBuildInfo/captureLimit`` bytes.
public struct GoBuildInfoScanner: Sendable {
    /// How far past the start of the data segment the header may be.
    public static let searchSpan = 4 << 20
    /// The bytes from the magic on, once a valid header was found.
    public private(set) var found: [UInt8]?
    private var window: [UInt8] = []
    /// The file offset of `window[0]`.
    private var windowStart = 0
    /// Where in `window` the search goes on.
    private var searchFrom = 0
    /// The file offsets searched: decided once the ELF program headers are in (everything for a file
    /// that is not ELF).
    private var range: Range<Int>?

    public init() {}

    public mutating func feed(_ piece: ArraySlice<UInt8>) {
        guard found == nil, !piece.isEmpty else { return }
        if let range {
            if windowStart >= range.upperBound { return }
            // Bytes before the range are counted, never copied.
            if window.isEmpty && windowStart < range.lowerBound {
                let skip = min(piece.count, range.lowerBound - windowStart)
                windowStart += skip
                window.append(contentsOf: piece.dropFirst(skip))
                if window.isEmpty { return }
                search(atEnd: false)
                return
            }
        }
        window.append(contentsOf: piece)
        if range == nil && !decide(atEnd: false) { return }
        search(atEnd: false)
    }

    /// Call at the end of the file: a candidate shorter than the capture limit is judged on what there is.
    public mutating func finish() -> [UInt8]? {
        if found == nil && (range != nil || decide(atEnd: true)) { search(atEnd: true) }
        window = []
        return found
    }

    /// Sets `range` once the window holds the ELF and program headers; false while it does not yet.
    private mutating func decide(atEnd: Bool) -> Bool {
        if window.count < 64 && !atEnd { return false }
        guard let needed = ELFSections.headerBytes(head: window), needed <= 1 << 16 else {
            range = 0..<Int.max
            return true
        }
        if window.count < needed && !atEnd { return false }
        if let start = ELFSections.dataStart(head: window) {
            let from = start / GoBuildInfo.alignment * GoBuildInfo.alignment
            range = from..<(from + Self.searchSpan)
        } else {
            range = 0..<Int.max
        }
        return true
    }

    private mutating func search(atEnd: Bool) {
        guard let range else { return }
        // Nothing before the range is searched.
        if windowStart < range.lowerBound {
            let drop = min(window.count, range.lowerBound - windowStart)
            window.removeFirst(drop)
            windowStart += drop
            searchFrom = 0
        }
        let magic = GoBuildInfo.magic
        while found == nil {
            guard let match = Self.index(of: magic, in: window, from: searchFrom), windowStart + match < range.upperBound else {
                // Keep the bytes that may begin a match the next piece completes.
                let keep = min(window.count, magic.count - 1)
                windowStart += window.count - keep
                window.removeFirst(window.count - keep)
                searchFrom = 0
                return
            }
            guard (windowStart + match) % GoBuildInfo.alignment == 0 else {
                searchFrom = match + 1
                continue
            }
            if !atEnd && window.count - match < GoBuildInfo.captureLimit {
                // Wait for the rest of the candidate; drop what comes before it.
                windowStart += match
                window.removeFirst(match)
                searchFrom = 0
                return
            }
            let candidate = window[match..<min(window.count, match + GoBuildInfo.captureLimit)]
            if GoBuildInfo.parse(candidate, path: "") != nil {
                found = Array(candidate)
                window = []
                return
            }
            searchFrom = match + 1
        }
    }

    /// `memchr` for the first byte (0xff is rare in code and data), then a compare.
    static func index(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count - start >= needle.count, let first = needle.first else { return nil }
        return haystack.withUnsafeBufferPointer { hay -> Int? in
            guard let base = hay.baseAddress else { return nil }
            var at = start
            let last = hay.count - needle.count
            while at <= last {
                guard let hit = memchr(base + at, Int32(first), last - at + 1) else { return nil }
                let index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + index, needle, needle.count) == 0 { return index }
                at = index + 1
            }
            return nil
        }
    }
}
