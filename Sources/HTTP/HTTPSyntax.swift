/// Character classes of RFC 9110 §5.6 and RFC 9112, as 256-entry tables.
enum HTTPSyntax {
    private static func table(_ accepts: (UInt8) -> Bool) -> [Bool] {
        (0..<256).map { (i: Int) -> Bool in accepts(UInt8(i)) }
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
    }

    /// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    static let token = table { isAlphanumeric($0) || "!#$%&'*+-.^_`|~".utf8.contains($0) }

    /// field-vchar / SP / HTAB, where field-vchar = VCHAR / obs-text (RFC 9110 §5.5).
    /// CR, LF, NUL, DEL and the other controls are refused.
    static let fieldValue = table { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }

    /// Bytes accepted in a request-target: visible ASCII. Controls, space, DEL and non-ASCII bytes
    /// are refused; "#" is checked apart (a fragment is never sent, RFC 9112 §3.2).
    static let target = table { $0 > 0x20 && $0 < 0x7F }

    /// reg-name / IP-literal characters with an optional port (RFC 3986 §3.2.2), for Host.
    static let host = table { isAlphanumeric($0) || "-._~%!$&'()*+,;=:[]".utf8.contains($0) }

    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
