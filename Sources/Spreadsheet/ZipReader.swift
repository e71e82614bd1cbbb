import CZlib
import Foundation

/// The entries of a ZIP archive held in memory (APPNOTE.TXT 6.3): read through the central
/// directory, which has the sizes even when the local headers defer them to data descriptors.
/// Stored (0) and deflated (8) entries only; sizes are bounded so a small hostile file cannot
/// inflate into gigabytes.
public struct ZipReader {
    public struct Failure: Error, Equatable {
        public let reason: String
    }

    struct Entry {
        let method: UInt16
        let compressedSize: Int
        let size: Int
        let localHeaderOffset: Int
    }

    let bytes: [UInt8]
    let entries: [String: Entry]
    /// The largest uncompressed entry accepted (a zone sheet is far smaller).
    public static let maximumEntrySize = 64 << 20

    public init(_ bytes: [UInt8]) throws(Failure) {
        self.bytes = bytes
        // End of central directory: 22 bytes plus a comment of at most 65,535 (APPNOTE 4.3.16).
        guard bytes.count >= 22 else { throw Failure(reason: "ce n'est pas une archive ZIP") }
        var end = -1
        var position = bytes.count - 22
        while position >= max(0, bytes.count - 22 - 65_535) {
            if Self.uint32(bytes, position) == 0x0605_4b50 { end = position; break }
            position -= 1
        }
        guard end >= 0 else { throw Failure(reason: "ce n'est pas une archive ZIP") }
        let count = Int(Self.uint16(bytes, end + 10))
        var offset = Int(Self.uint32(bytes, end + 16))
        var entries: [String: Entry] = [:]
        for _ in 0..<count {
            guard offset + 46 <= bytes.count, Self.uint32(bytes, offset) == 0x0201_4b50 else {
                throw Failure(reason: "répertoire de l'archive illisible")
            }
            let nameLength = Int(Self.uint16(bytes, offset + 28))
            let extraLength = Int(Self.uint16(bytes, offset + 30))
            let commentLength = Int(Self.uint16(bytes, offset + 32))
            guard offset + 46 + nameLength <= bytes.count else { throw Failure(reason: "répertoire de l'archive illisible") }
            let name = String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self)
            entries[name] = Entry(
                method: Self.uint16(bytes, offset + 10), compressedSize: Int(Self.uint32(bytes, offset + 20)),
                size: Int(Self.uint32(bytes, offset + 24)), localHeaderOffset: Int(Self.uint32(bytes, offset + 42)))
            offset += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }

    public func contains(_ name: String) -> Bool { entries[name] != nil }

    /// The uncompressed bytes of `name`.
    public func data(_ name: String) throws(Failure) -> [UInt8] {
        guard let entry = entries[name] else { throw Failure(reason: "l'archive n'a pas de partie \(name)") }
        let header = entry.localHeaderOffset
        guard header + 30 <= bytes.count, Self.uint32(bytes, header) == 0x0403_4b50 else {
            throw Failure(reason: "partie \(name) illisible")
        }
        let start = header + 30 + Int(Self.uint16(bytes, header + 26)) + Int(Self.uint16(bytes, header + 28))
        guard start + entry.compressedSize <= bytes.count, entry.size <= Self.maximumEntrySize else {
            throw Failure(reason: "partie \(name) illisible")
        }
        let compressed = Array(bytes[start..<(start + entry.compressedSize)])
        switch entry.method {
        case 0: return compressed
        case 8: return try Self.inflate(compressed, size: entry.size, name: name)
        default: throw Failure(reason: "partie \(name) compressée d'une façon inconnue")
        }
    }

    static func inflate(_ input: [UInt8], size: Int, name: String) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard rdv_inflate_init_raw(&stream) == Z_OK else { throw Failure(reason: "zlib indisponible") }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(size, 1))
        var input = input
        let status = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == size else { throw Failure(reason: "partie \(name) illisible") }
        return Array(output.prefix(size))
    }

    static func uint16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        guard at + 2 <= bytes.count else { return 0 }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        guard at + 4 <= bytes.count else { return 0 }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}
