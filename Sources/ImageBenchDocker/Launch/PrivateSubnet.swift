/// An IPv4 /24 for the bridge of an engine imagebench starts, from private address space only
/// (10.200.0.0 to 10.249.255.255, inside RFC 1918's 10.0.0.0/8) and overlapping nothing this machine
/// routes or holds: while the engine runs, the machine routes the subnet into its bridge, so a subnet that
/// is also reachable elsewhere (a VPN, a cloud network, public space) would be cut off. `scripts/engine`
/// picks its subnets the same way.
public struct PrivateSubnet: Sendable, Equatable, CustomStringConvertible {
    /// The network's first address.
    public let network: UInt32

    /// The bridge's own address and prefix, `10.X.Y.1/24`.
    public var bridgeAddress: String { Self.dotted(network + 1) + "/24" }
    public var description: String { Self.dotted(network) + "/24" }

    static let first = UInt32(10) << 24 | UInt32(200) << 16
    static let candidates = 50 * 256

    /// A range of addresses, both ends included.
    struct Range: Equatable {
        var low: UInt32
        var high: UInt32
    }

    /// The subnet picked from `seed` (the same seed gives the same subnet on the same machine), or nil when
    /// every candidate overlaps `taken`: the output of `ip -4 route show table all` and `ip -4 -o addr show`.
    public static func pick(seed: String, taken: String) -> PrivateSubnet? {
        let ranges = takenRanges(taken)
        let start = Int(seed.unicodeScalars.reduce(UInt32(7)) { ($0 &* 31) &+ $1.value } % UInt32(candidates))
        for offset in 0..<candidates {
            let network = first + UInt32((start + offset) % candidates) << 8
            if !ranges.contains(where: { $0.low <= network + 255 && network <= $0.high }) { return PrivateSubnet(network: network) }
        }
        return nil
    }

    /// Every address or prefix the text names. Conservative: gateways and source addresses count too; the
    /// default route (a word, not an address) does not, since it covers every address by definition.
    static func takenRanges(_ text: String) -> [Range] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\\" }).compactMap { token in
            let parts = token.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2, let address = address(parts[0]) else { return nil }
            let bits = parts.count == 2 ? Int(parts[1]) : 32
            guard let bits, (1...32).contains(bits) else { return nil }
            let mask: UInt32 = bits == 32 ? .max : ~(UInt32.max >> UInt32(bits))
            return Range(low: address & mask, high: (address & mask) | ~mask)
        }
    }

    static func address(_ text: Substring) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard (1...3).contains(octet.count), octet.allSatisfy({ ("0"..."9").contains($0) }), let byte = UInt8(octet) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }

    static func dotted(_ value: UInt32) -> String {
        [24, 16, 8, 0].map { String(value >> UInt32($0) & 255) }.joined(separator: ".")
    }
}
