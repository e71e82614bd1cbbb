extension Digest {
    /// HKDF-SHA256 (RFC 5869): extract with `salt` (empty = 32 zero bytes, §2.2), then expand
    /// `info` to `length` bytes (at most 255 × 32).
    public static func hkdfSHA256(inputKey: [UInt8], salt: [UInt8] = [], info: [UInt8], length: Int) -> [UInt8] {
        precondition(length > 0 && length <= 255 * 32, "HKDF-SHA256 output length out of range")
        let prk = hmacSHA256(key: salt.isEmpty ? [UInt8](repeating: 0, count: 32) : salt, inputKey)
        var output: [UInt8] = []
        var block: [UInt8] = []
        var counter: UInt8 = 1
        while output.count < length {
            block = hmacSHA256(key: prk, block + info + [counter])
            output += block
            counter &+= 1
        }
        return Array(output.prefix(length))
    }
}
