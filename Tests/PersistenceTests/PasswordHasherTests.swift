import Testing

@testable import Cryptography

@Suite("scrypt password hashes")
struct PasswordHasherTests {
    @Test func aHashVerifiesItsPasswordOnly() throws {
        let hash = try PasswordHasher.hash("un mot de passe long")
        #expect(hash.hasPrefix("scrypt$15$8$1$"))
        #expect(PasswordHasher.verify("un mot de passe long", against: hash))
        #expect(!PasswordHasher.verify("un mot de passe lonG", against: hash))
        #expect(!PasswordHasher.verify("un mot de passe long", against: "scrypt$15$8$1$zz$00"))
    }

    @Test func twoHashesOfOnePasswordDifferBySalt() throws {
        #expect(try PasswordHasher.hash("secret") != PasswordHasher.hash("secret"))
    }

    /// RFC 7914 §12, second vector (N=1024, r=8, p=16), checks our call of EVP_PBE_scrypt.
    @Test func matchesTheRFC7914TestVector() throws {
        let key = try PasswordHasher.derive("password", salt: Array("NaCl".utf8), logN: 10, r: 8, p: 16)
        #expect(PasswordHasher.hex(key) == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162")
    }
}
