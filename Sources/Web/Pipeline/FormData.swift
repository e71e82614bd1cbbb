/// Decoded `application/x-www-form-urlencoded` data or query string: ordered pairs, repeated keys
/// kept (`a[]=1&a[]=2`), `+` as space, percent-decoding (WHATWG URL standard §5.1).
public struct FormData: Sendable, Equatable {
    public private(set) var pairs: [(name: String, value: String)]

    public init(pairs: [(name: String, value: String)] = []) { self.pairs = pairs }

    public static func == (lhs: FormData, rhs: FormData) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }

    /// The first value of `name`.
    public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// The most values one list field yields (`agent_ids[]`, `user_ids[]`…): no page offers more
    /// choices, and each value may cost queries or an SQL placeholder, so a forged body of
    /// thousands of ids costs no more than this.
    public static let maximumListValues = 200

    /// Every value of `name` (and of `name[]`), at most `maximumListValues`.
    public func values(_ name: String) -> [String] {
        Array(pairs.lazy.filter { $0.name == name || $0.name == name + "[]" }.map(\.value).prefix(Self.maximumListValues))
    }

    public struct DecodingError: Error, Equatable {
        public let reason: String
    }

    /// Decodes `a=1&b=x+y`; invalid percent-escapes or invalid UTF-8 are a decoding error (400).
    public init(urlEncoded bytes: some Sequence<UInt8>) throws(DecodingError) {
        var pairs: [(String, String)] = []
        for part in Array(bytes).split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let kv = part.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.percentDecode(kv[0])
            let value = kv.count > 1 ? try Self.percentDecode(kv[1]) : ""
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    public init(urlEncoded string: String) throws(DecodingError) {
        try self.init(urlEncoded: Array(string.utf8))
    }

    static func percentDecode(_ bytes: ArraySlice<UInt8>) throws(DecodingError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            if byte == UInt8(ascii: "+") {
                out.append(0x20)
            } else if byte == UInt8(ascii: "%") {
                guard i + 2 < bytes.endIndex, let high = hex(bytes[i + 1]), let low = hex(bytes[i + 2])
                else { throw DecodingError(reason: "invalid percent-escape") }
                out.append(high << 4 | low)
                i += 2
            } else {
                out.append(byte)
            }
            i += 1
        }
        guard let text = String(validating: out, as: UTF8.self) else { throw DecodingError(reason: "invalid UTF-8") }
        return text
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
