#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds a Go binary's build information in its bytes as they stream past (a layer tar read once, no
/// file kept): the first 16-byte aligned `\xff Go buildinf:` whose header and strings parse, as Go's
/// `debug/buildinfo` takes the first aligned match. Keeps at most ``GoBuildInfo/captureLimit`` bytes.
public struct GoBuildInfoScanner: Sendable {
    /// The bytes from the magic on, once a valid header was found.
    public private(set) var found: [UInt8]?
    private var window: [UInt8] = []
    /// The file offset of `window[0]`.
    private var windowStart = 0
    /// Where in `window` the search goes on.
    private var searchFrom = 0

    public init() {}

    public mutating func feed(_ piece: ArraySlice<UInt8>) {
        guard found == nil, !piece.isEmpty else { return }
        window.append(contentsOf: piece)
        search(atEnd: false)
    }

    /// Call at the end of the file: a candidate shorter than the capture limit is judged on what there is.
    public mutating func finish() -> [UInt8]? {
        if found == nil { search(atEnd: true) }
        window = []
        return found
    }

    private mutating func search(atEnd: Bool) {
        let magic = GoBuildInfo.magic
        while found == nil {
            guard let match = Self.index(of: magic, in: window, from: searchFrom) else {
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
