import CZlib
import Foundation
import Glibc

/// A file read in chunks, inflated on the way when it is gzip (RFC 1952, its magic bytes
/// 1f 8b): the BAN publishes its département files both ways.
final class ByteSource {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let handle: FileHandle
    private var stream = z_stream()
    private let isGzip: Bool
    private var pending: [UInt8] = []
    private var finished = false

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure(description: "cannot open \(path)")
        }
        self.handle = handle
        let head = try handle.read(upToCount: 2) ?? Data()
        try handle.seek(toOffset: 0)
        isGzip = Array(head) == [0x1F, 0x8B]
        if isGzip, rdv_inflate_init_gzip(&stream) != Z_OK { throw Failure(description: "zlib: cannot start inflating") }
    }

    deinit {
        if isGzip { inflateEnd(&stream) }
        try? handle.close()
    }

    /// The next bytes, or nil at the end.
    func next() throws -> [UInt8]? {
        guard !finished else { return nil }
        let chunk = try handle.read(upToCount: 256 * 1024) ?? Data()
        guard isGzip else {
            if chunk.isEmpty { finished = true; return nil }
            return Array(chunk)
        }
        pending += chunk
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var status = Z_OK
        pending.withUnsafeMutableBufferPointer { input in
            stream.next_in = input.baseAddress
            stream.avail_in = uInt(input.count)
            repeat {
                buffer.withUnsafeMutableBufferPointer { output in
                    stream.next_out = output.baseAddress
                    stream.avail_out = uInt(output.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    out += output[0..<(output.count - Int(stream.avail_out))]
                }
            } while status == Z_OK && stream.avail_out == 0
        }
        pending = Array(pending.suffix(Int(stream.avail_in)))
        switch status {
        case Z_STREAM_END:
            // Members after the first (concatenated gzip) are not read: BAN files have one.
            finished = true
        case Z_OK, Z_BUF_ERROR:
            // The file ended and nothing more came out: the stream was cut short.
            if chunk.isEmpty && out.isEmpty { throw Failure(description: "the gzip data ends before its end marker") }
        default: throw Failure(description: "the gzip data is corrupt (zlib \(status))")
        }
        return out
    }
}
