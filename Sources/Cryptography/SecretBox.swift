import COpenSSL
import Foundation

/// Authenticated encryption of small secrets at rest (domain.md §1: a territory's SMS provider
/// credentials), with AES-256-GCM. The key is HKDF-SHA256(instance secret, info: `context`), so
/// each use of the instance secret gets its own key. A sealed value is
/// base64(12-byte random nonce ‖ ciphertext ‖ 16-byte tag); `open` fails on any change.
public struct SecretBox: Sendable {
    public enum Failure: Error, Equatable {
        /// Not base64, or too short to hold a nonce and a tag.
        case malformed
        /// Wrong key, or the value was altered.
        case authenticationFailed
        /// OpenSSL refused an operation (should not happen).
        case cipher
    }

    static let nonceLength = 12
    static let tagLength = 16

    private let key: [UInt8]

    public init(secret: [UInt8], context: String = "rdv secret box v1") {
        key = Digest.hkdfSHA256(inputKey: secret, info: Array(context.utf8), length: 32)
    }

    public func seal(_ plaintext: [UInt8]) throws(Failure) -> String {
        let nonce = SecureRandom.bytes(Self.nonceLength)
        let (ciphertext, tag) = try crypt(plaintext, nonce: nonce, encrypting: true, tag: nil)
        return Data(nonce + ciphertext + tag).base64EncodedString()
    }

    public func seal(_ text: String) throws(Failure) -> String { try seal(Array(text.utf8)) }

    public func open(_ sealed: String) throws(Failure) -> [UInt8] {
        guard let data = Data(base64Encoded: sealed), data.count >= Self.nonceLength + Self.tagLength else {
            throw .malformed
        }
        let bytes = [UInt8](data)
        let nonce = Array(bytes[..<Self.nonceLength])
        let ciphertext = Array(bytes[Self.nonceLength..<(bytes.count - Self.tagLength)])
        let tag = Array(bytes.suffix(Self.tagLength))
        return try crypt(ciphertext, nonce: nonce, encrypting: false, tag: tag).output
    }

    public func openText(_ sealed: String) throws(Failure) -> String {
        let bytes = try open(sealed)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .malformed }
        return text
    }

    /// One EVP AES-256-GCM pass; on decryption the tag is checked by the final call.
    private func crypt(_ input: [UInt8], nonce: [UInt8], encrypting: Bool, tag: [UInt8]?) throws(Failure)
        -> (output: [UInt8], tag: [UInt8])
    {
        guard let context = EVP_CIPHER_CTX_new() else { throw .cipher }
        defer { EVP_CIPHER_CTX_free(context) }
        let initialised =
            encrypting
            ? EVP_EncryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce)
            : EVP_DecryptInit_ex(context, EVP_aes_256_gcm(), nil, key, nonce)
        guard initialised == 1 else { throw .cipher }
        var output = [UInt8](repeating: 0, count: input.count + 16)
        var length: Int32 = 0
        let updated =
            encrypting
            ? EVP_EncryptUpdate(context, &output, &length, input, Int32(input.count))
            : EVP_DecryptUpdate(context, &output, &length, input, Int32(input.count))
        guard updated == 1 else { throw .cipher }
        var total = Int(length)
        if var expected = tag {
            guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(Self.tagLength), &expected) == 1 else {
                throw .cipher
            }
        }
        let finished = output.withUnsafeMutableBufferPointer { buffer in
            encrypting
                ? EVP_EncryptFinal_ex(context, buffer.baseAddress! + total, &length)
                : EVP_DecryptFinal_ex(context, buffer.baseAddress! + total, &length)
        }
        guard finished == 1 else { throw encrypting ? .cipher : .authenticationFailed }
        total += Int(length)
        var producedTag = [UInt8](repeating: 0, count: Self.tagLength)
        if encrypting {
            guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(Self.tagLength), &producedTag) == 1 else {
                throw .cipher
            }
        }
        return (Array(output.prefix(total)), producedTag)
    }
}
