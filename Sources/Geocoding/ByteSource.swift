import CZlib
import Foundation
import Glibc

/// A file read in chunks, inflated on the way when it is gzip (RFC 1952, its magic bytes
/// 1f 8b): the BAN publishes its département files both ways. Never seeks, so a pipe works
/// (`rdv addresses import <(curl …)`); a gzip file of several members (RFC 1952 §2.2,
/// `cat a.gz b.gz`) is read to its end.
final class ByteSource {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let chunkSize = 256 * 1024

    private let handle: FileHandle
    private var stream = z_stream()
    private let isGzip: Bool
    /// Read from the file and not yet inflated (gzip) or returned (plain).
    private var pending: [UInt8]
    private var fileEnded = false
    /// Between two gzip members, or before the first: a member must start before the file ends.
    private var memberEnded = false

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure(description: "cannot open \(path)")
        }
        self.handle = handle
        pending = Array(try handle.read(upToCount: Self.chunkSize) ?? Data())
        isGzip = pending.starts(with: [0x1F, 0x8B])
        if isGzip, rdv_inflate_init_gzip(&stream) != Z_OK { throw Failure(description: "zlib: cannot start inflating") }
    }

    deinit {
        if isGzip { inflateEnd(&stream) }
        try? handle.close()
    }

    private func readMore() throws {
        guard !fileEnded else { return }
        let chunk = try handle.read(upToCount: Self.chunkSize) ?? Data()
        if chunk.isEmpty { fileEnded = true } else { pending += chunk }
    }

    /// The next bytes, or nil at the end.
    func next() throws -> [UInt8]? {
        guard isGzip else {
            if pending.isEmpty { try readMore() }
            guard !pending.isEmpty else { return nil }
            defer { pending = [] }
            return pending
        }
        while true {
            if pending.isEmpty { try readMore() }
            if pending.isEmpty {
                if memberEnded { return nil }
                throw Failure(description: "the gzip data ends before its end marker")
            }
            if memberEnded {
                // Another member follows (RFC 1952 §2.2).
                guard inflateReset(&stream) == Z_OK else { throw Failure(description: "zlib: cannot restart") }
                memberEnded = false
            }
            var out: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
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
            case Z_STREAM_END: memberEnded = true
            case Z_OK, Z_BUF_ERROR: break
            default: throw Failure(description: "the gzip data is corrupt (zlib \(status))")
            }
            if !out.isEmpty { return out }
        }
    }
}
