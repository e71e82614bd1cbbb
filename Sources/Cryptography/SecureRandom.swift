import COpenSSL

/// Random bytes from OpenSSL's CSPRNG, and the digests the web layer needs.
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        // RAND_bytes only fails when the generator cannot be seeded: no secret may be made then.
        guard RAND_bytes(&bytes, Int32(count)) == 1 else { fatalError("OpenSSL RAND_bytes failed") }
        return bytes
    }
}

public enum Digest {
    public static func sha256(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        _ = SHA256(data, data.count, &out)
        return out
    }

    public static func hmacSHA256(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 32
        _ = HMAC(EVP_sha256(), key, Int32(key.count), data, data.count, &out, &length)
        return out
    }

    /// Constant-time equality (CRYPTO_memcmp) for secrets of equal length.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count && CRYPTO_memcmp(a, b, a.count) == 0
    }

    public static func hex(_ bytes: [UInt8]) -> String { PasswordHasher.hex(bytes) }

    public static func bytes(hex: String) -> [UInt8]? { PasswordHasher.bytes(hex) }
}
