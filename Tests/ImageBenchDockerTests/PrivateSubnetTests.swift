import Testing

@testable import ImageBenchDocker

/// The subnet and the firewall rules of an engine imagebench starts, from real `ip` and `iptables-save`
/// output of this machine (a Debian 12 VM with docker0 and one such engine running).
@Suite("private subnets and bridge rules of the engines imagebench starts")
struct PrivateSubnetTests {
    static let routes = """
        default via 192.0.2.1 dev eth0
        172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 linkdown
        192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2
        10.225.58.0/24 dev ibxbr0 proto kernel scope link src 10.225.58.1
        local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1
        local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1
        broadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1
        local 172.17.0.1 dev docker0 table local proto kernel scope host src 172.17.0.1
        broadcast 172.17.255.255 dev docker0 table local proto kernel scope link src 172.17.0.1 linkdown
        1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
        4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\\       valid_lft forever preferred_lft forever
        5: docker0    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\\       valid_lft forever preferred_lft forever
        """

    @Test("a /24 in 10.200.0.0-10.249.255.255, the same for the same seed, never one a route or address overlaps")
    func picksPrivateFreeSubnets() throws {
        let subnet = try #require(PrivateSubnet.pick(seed: "abc", taken: Self.routes))
        #expect(subnet == PrivateSubnet.pick(seed: "abc", taken: Self.routes))
        let octets = subnet.description.split(separator: ".").map { Int($0.prefix { $0 != "/" }) ?? -1 }
        #expect(octets[0] == 10 && (200...249).contains(octets[1]) && octets[3] == 0 && subnet.description.hasSuffix("/24"))
        #expect(subnet.bridgeAddress == "10.\(octets[1]).\(octets[2]).1/24")
        // Where that subnet is taken (an engine started with the same seed runs), the next free one is picked.
        let next = try #require(PrivateSubnet.pick(seed: "abc", taken: Self.routes + "\n\(subnet) dev ibxbr0 scope link\n"))
        #expect(next != subnet && next.description.hasPrefix("10.2"))
        let inside = try #require(PrivateSubnet.pick(seed: "abc", taken: Self.routes + "\n\(subnet.bridgeAddress.dropLast(3)) via 192.0.2.1\n"))
        #expect(inside != subnet, "a single address inside the subnet takes it too")
        // Many seeds: every pick stays in range and off the running engine's 10.225.58.0/24.
        for seed in (0..<2000).map({ "ibci\($0)" }) {
            let picked = try #require(PrivateSubnet.pick(seed: seed, taken: Self.routes))
            #expect(picked.description != "10.225.58.0/24" && picked.description.hasPrefix("10.2"))
        }
    }

    @Test("a route over the whole range (a VPN's 10.0.0.0/8) leaves no subnet: the caller says so")
    func wideRouteLeavesNothing() {
        #expect(PrivateSubnet.pick(seed: "x", taken: Self.routes + "\n10.0.0.0/8 via 192.0.2.9 dev eth0\n") == nil)
        // A narrower one only moves the pick: 10.224.0.0/11 still leaves 10.200.0.0-10.223.255.255.
        let picked = PrivateSubnet.pick(seed: "x", taken: "10.224.0.0/11 dev tun0\n")
        #expect(picked.map { Int($0.description.split(separator: ".")[1])! < 224 } == true)
    }

    @Test("taken ranges: prefixes, single addresses, no words or malformed numbers")
    func takenRanges() {
        let ranges = PrivateSubnet.takenRanges("default via 10.1.2.3 dev x\n10.8.0.0/14 dev y\n1.2.3.256/8 +1.2.3.4 10.0.0.1/0")
        #expect(ranges.count == 2)
        let host: UInt32 = 0x0A01_0203  // 10.1.2.3
        #expect(ranges.first == .init(low: host, high: host))
        let low: UInt32 = 0x0A08_0000  // 10.8.0.0
        let high: UInt32 = 0x0A0B_FFFF  // 10.11.255.255
        #expect(ranges.last == .init(low: low, high: high))
    }

    @Test("the rules dockerd leaves for its bridge, as iptables -D arguments; other bridges' rules stay")
    func bridgeRules() {
        let saved = """
            *nat
            :DOCKER - [0:0]
            -A POSTROUTING -s 10.225.58.0/24 ! -o ibci1234abcd -j MASQUERADE
            -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
            -A DOCKER -i ibci1234abcd -j RETURN
            -A DOCKER -i ibci1234abcdx -j RETURN
            COMMIT
            """
        #expect(
            OwnedEngine.bridgeRules(saved, bridge: "ibci1234abcd") == [
                ["-D", "POSTROUTING", "-s", "10.225.58.0/24", "!", "-o", "ibci1234abcd", "-j", "MASQUERADE"],
                ["-D", "DOCKER", "-i", "ibci1234abcd", "-j", "RETURN"],
            ])
    }
}
