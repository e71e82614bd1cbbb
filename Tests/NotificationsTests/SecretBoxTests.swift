import Cryptography
import Foundation
import Testing

@Suite("Secret box (credentials at rest)")
struct SecretBoxTests {
    static let instanceSecret = Array("an instance secret of some length".utf8)
    static let configuration =
        #"{"api_key":"k3y","api_key_header":"api-key","provider":"http_json","sender":"RDV","url":"https://sms.example.fr"}"#

    @Test func aSealedValueOpensToTheSameTextAndNeverRepeats() throws {
        let box = SecretBox(secret: Self.instanceSecret)
        let sealed = try box.seal(Self.configuration)
        #expect(try box.openText(sealed) == Self.configuration)
        // Nothing of the text shows through: its longest value is not in the sealed bytes (a short
        // one like the key "k3y" may appear by chance in random base64, one time in a thousand).
        let bytes = try #require(Data(base64Encoded: sealed))
        #expect(bytes.range(of: Data("https://sms.example.fr".utf8)) == nil)
        #expect(sealed.range(of: "sms.example.fr") == nil)
        // 12-byte nonce + ciphertext + 16-byte tag
        #expect(Data(base64Encoded: sealed)?.count == 12 + Self.configuration.utf8.count + 16)
        #expect(try box.seal(Self.configuration) != sealed)
        #expect(try box.openText(try box.seal("")) == "")
    }

    @Test(arguments: [0, 12, 20, 12 + 16 + 5])
    func anyAlteredByteIsRejected(offset: Int) throws {
        let box = SecretBox(secret: Self.instanceSecret)
        var bytes = [UInt8](Data(base64Encoded: try box.seal(Self.configuration))!)
        bytes[min(offset, bytes.count - 1)] ^= 0x01
        #expect(throws: SecretBox.Failure.authenticationFailed) { try box.open(Data(bytes).base64EncodedString()) }
    }

    @Test func anotherSecretOrContextCannotOpen() throws {
        let sealed = try SecretBox(secret: Self.instanceSecret).seal(Self.configuration)
        #expect(throws: SecretBox.Failure.authenticationFailed) {
            try SecretBox(secret: Array("another secret".utf8)).open(sealed)
        }
        #expect(throws: SecretBox.Failure.authenticationFailed) {
            try SecretBox(secret: Self.instanceSecret, context: "another use").open(sealed)
        }
    }

    @Test func malformedValuesAreRejected() {
        let box = SecretBox(secret: Self.instanceSecret)
        #expect(throws: SecretBox.Failure.malformed) { try box.open("not base64!") }
        #expect(throws: SecretBox.Failure.malformed) { try box.open(Data(count: 27).base64EncodedString()) }
    }

    @Test func hkdfMatchesRFC5869TestCase1() {
        let okm = Digest.hkdfSHA256(
            inputKey: [UInt8](repeating: 0x0b, count: 22), salt: Array(0x00...0x0c), info: Array(0xf0...0xf9),
            length: 42)
        #expect(
            Digest.hex(okm)
                == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    }
}
