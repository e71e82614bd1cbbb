import COpenSSL

/// scrypt password hashes (booking.md §3, toolchain.md §1): N = 2^15, r = 8, p = 1, 16-byte salt,
/// 32-byte key, stored as `scrypt$15$8$1$<salt hex>$<key hex>` so parameters can be raised later.
public enum PasswordHasher {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    static let logN = 15, r = 8, p = 1, keyLength = 32

    public static func hash(_ password: String) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&salt, Int32(salt.count)) == 1 else { throw Failure(description: "RAND_bytes failed") }
        let key = try derive(password, salt: salt, logN: logN, r: r, p: p)
        return "scrypt$\(logN)$\(r)$\(p)$\(hex(salt))$\(hex(key))"
    }

    /// Constant-time comparison with a stored hash; false for any malformed hash.
    public static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let logN = Int(parts[1]), let r = Int(parts[2]),
            let p = Int(parts[3]), (10...20).contains(logN), let salt = bytes(parts[4]), let expected = bytes(parts[5]),
            expected.count == keyLength, let key = try? derive(password, salt: salt, logN: logN, r: r, p: p)
        else { return false }
        return CRYPTO_memcmp(key, expected, keyLength) == 0
    }

    static func derive(_ password: String, salt: [UInt8], logN: Int, r: Int, p: Int) throws -> [UInt8] {
        var key = [UInt8](repeating: 0, count: keyLength)
        let utf8 = Array(password.utf8)
        let ok = utf8.withUnsafeBufferPointer { pw in
            pw.withMemoryRebound(to: CChar.self) { chars in
                EVP_PBE_scrypt(
                    chars.baseAddress, chars.count, salt, salt.count, UInt64(1) << UInt64(logN), UInt64(r), UInt64(p),
                    64 * 1024 * 1024, &key, key.count)
            }
        }
        guard ok == 1 else { throw Failure(description: "EVP_PBE_scrypt failed") }
        return key
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(_ hex: String) -> [UInt8]? {
        let chars = Array(hex.utf8)
        guard chars.count.isMultiple(of: 2) else { return nil }
        var out = [UInt8]()
        for i in stride(from: 0, to: chars.count, by: 2) {
            guard let byte = UInt8(String(decoding: chars[i...i + 1], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
        }
        return out
    }
}
