/// Which addresses an outbound webhook or SMS POST may connect to (issue 10 §3, SSRF): only
/// globally reachable unicast ones, unless `RDV_ALLOW_PRIVATE_WEBHOOKS=1`. The ranges are those
/// of the IANA special-purpose registries (RFC 6890 and its updates) that are not globally
/// reachable, plus multicast and the reserved blocks. See docs/decisions/2026-12-02-outbound-ssrf.md.
public enum OutboundAddress {
    /// Why `address` (4 or 16 bytes, network order) is refused, or nil when it may be used.
    public static func refusal(of address: [UInt8]) -> String? {
        switch address.count {
        case 4: refusal(ipv4: address)
        case 16: refusal(ipv6: address)
        default: "not an IP address"
        }
    }

    private static func refusal(ipv4 a: [UInt8]) -> String? {
        let (first, second, third) = (a[0], a[1], a[2])
        switch first {
        case 0: return "a \"this network\" address (0.0.0.0/8, RFC 791)"
        case 10: return "a private address (10.0.0.0/8, RFC 1918)"
        case 100 where second & 0xC0 == 64: return "a shared CGNAT address (100.64.0.0/10, RFC 6598)"
        case 127: return "a loopback address (127.0.0.0/8, RFC 1122)"
        case 169 where second == 254:
            // 169.254.169.254 is the cloud metadata service: credentials of the machine.
            return "a link-local address (169.254.0.0/16, RFC 3927)"
        case 172 where second & 0xF0 == 16: return "a private address (172.16.0.0/12, RFC 1918)"
        case 192 where second == 168: return "a private address (192.168.0.0/16, RFC 1918)"
        case 192 where second == 0 && (third == 0 || third == 2):
            return "a reserved address (192.0.0.0/24 or 192.0.2.0/24, RFC 6890, RFC 5737)"
        case 192 where second == 88 && third == 99: return "a 6to4 relay address (192.88.99.0/24, RFC 7526)"
        case 198 where second & 0xFE == 18: return "a benchmarking address (198.18.0.0/15, RFC 2544)"
        case 198 where second == 51 && third == 100, 203 where second == 0 && third == 113:
            return "a documentation address (RFC 5737)"
        case 224...239: return "a multicast address (224.0.0.0/4, RFC 5771)"
        case 240...255: return "a reserved or broadcast address (240.0.0.0/4, RFC 1112, RFC 919)"
        default: return nil
        }
    }

    private static func refusal(ipv6 a: [UInt8]) -> String? {
        let embedded = Array(a[12..<16])
        if a[0..<10].allSatisfy({ $0 == 0 }) && a[10] == 0xFF && a[11] == 0xFF {
            // ::ffff:a.b.c.d reaches a.b.c.d (RFC 4291 §2.5.5.2): judged as that IPv4 address.
            return refusal(ipv4: embedded).map { "an IPv4-mapped address of \($0)" }
        }
        if a[0..<12].allSatisfy({ $0 == 0 }) {
            if embedded == [0, 0, 0, 1] { return "the loopback address (::1, RFC 4291)" }
            if embedded == [0, 0, 0, 0] { return "the unspecified address (::, RFC 4291)" }
            return "an IPv4-compatible address (::/96, deprecated by RFC 4291 §2.5.5.1)"
        }
        if a[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] {
            // The NAT64 well-known prefix 64:ff9b::/96 (RFC 6052) translates to the IPv4 address.
            return refusal(ipv4: embedded).map { "a NAT64 address of \($0)" }
        }
        if a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B && a[4] == 0x00 && a[5] == 0x01 {
            return "a local-use NAT64 address (64:ff9b:1::/48, RFC 8215)"
        }
        if a[0] == 0x01 && a[1] == 0x00 && a[2..<8].allSatisfy({ $0 == 0 }) {
            return "a discard-only address (100::/64, RFC 6666)"
        }
        if a[0] == 0x20 && a[1] == 0x01 && a[2] & 0xFE == 0 {
            // Teredo, ORCHID, benchmarking… (RFC 6890 §2.2.3: not globally reachable as a block).
            return "an IETF protocol assignment (2001::/23, RFC 6890)"
        }
        if a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8 {
            return "a documentation address (2001:db8::/32, RFC 3849)"
        }
        if a[0] == 0x3F && a[1] == 0xFF && a[2] & 0xF0 == 0 {
            return "a documentation address (3fff::/20, RFC 9637)"
        }
        if a[0] == 0x20 && a[1] == 0x02 {
            // 6to4 (RFC 3056): 2002:AABB:CCDD::/48 is routed to the IPv4 address AA.BB.CC.DD.
            return refusal(ipv4: Array(a[2..<6])).map { "a 6to4 address of \($0)" }
        }
        if a[0] & 0xFE == 0xFC { return "a unique local address (fc00::/7, RFC 4193)" }
        if a[0] == 0xFE && a[1] & 0xC0 == 0x80 { return "a link-local address (fe80::/10, RFC 4291)" }
        if a[0] == 0xFE && a[1] & 0xC0 == 0xC0 { return "a site-local address (fec0::/10, RFC 3879)" }
        if a[0] == 0xFF { return "a multicast address (ff00::/8, RFC 4291)" }
        return nil
    }
}
