import CZlib
import Foundation

/// Writes a ZIP archive (PKWARE APPNOTE.TXT 6.3.10) to a file, one entry at a time, deflating as
/// it goes. Each local header sets general-purpose bit 3, so the entry's CRC-32 and sizes follow
/// its data in a data descriptor (APPNOTE 4.3.9): nothing is held in memory beyond zlib's window
/// and two 64 KiB buffers, whatever the size of the entry. No ZIP64: an entry or archive past
/// 4 GiB is refused (an export of a whole département stays far below).
public final class ZipWriter {
    public enum Failure: Error, Equatable {
        case cannotCreate(String)
        case zlib(Int32)
        case tooLarge
        case noOpenEntry
    }

    private struct Entry {
        let name: [UInt8]
        let offset: UInt32
        var crc: UInt32 = 0
        var compressedSize: UInt32 = 0
        var uncompressedSize: UInt32 = 0
    }

    private let handle: FileHandle
    private let dosTime: UInt16
    private let dosDate: UInt16
    private var entries: [Entry] = []
    private var current: Entry?
    private var stream = z_stream()
    /// Bytes already written to the file; `position` adds those still buffered.
    private var offset: UInt64 = 0
    private var position: UInt64 { offset + UInt64(output.count) }
    /// Uncompressed bytes waiting for `deflate`, and compressed bytes waiting for the file.
    private var input: [UInt8] = []
    private var output: [UInt8] = []
    private var uncompressed: UInt64 = 0
    private var compressed: UInt64 = 0
    private static let chunk = 64 * 1024

    /// Creates (or truncates) the file at `path`; every entry is dated `modified` (MS-DOS time,
    /// in `timeZone`: ZIP has no zone).
    public init(path: String, modified: Date, timeZone: TimeZone) throws {
        self.handle = try Self.createPrivateFile(path)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: modified)
        dosTime = UInt16((c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2)
        // MS-DOS years run 1980–2107 (7 bits): a simulated clock outside them must not trap.
        dosDate = UInt16(min(127, max(0, (c.year ?? 1980) - 1980)) << 9 | (c.month ?? 1) << 5 | (c.day ?? 1))
        input.reserveCapacity(Self.chunk)
    }

    /// A new file only its owner can read (0600): an export holds people's names, birth dates
    /// and contacts.
    static func createPrivateFile(_ path: String) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw Failure.cannotCreate(path) }
        return handle
    }

    deinit {
        if current != nil { deflateEnd(&stream) }
        try? handle.close()
    }

    /// Starts an entry (a path inside the archive, UTF-8, `/`-separated).
    public func beginEntry(_ name: String) throws {
        if current != nil { try endEntry() }
        guard position <= UInt64(UInt32.max), entries.count < Int(UInt16.max) else { throw Failure.tooLarge }
        let entry = Entry(name: Array(name.utf8), offset: UInt32(position))
        var header = LittleEndianBytes()
        header.append(UInt32(0x0403_4b50))  // local file header signature
        header.append(UInt16(20))  // version needed: 2.0 (deflate)
        header.append(UInt16(1 << 3 | 1 << 11))  // data descriptor follows; name is UTF-8
        header.append(UInt16(8))  // method: deflate
        header.append(dosTime)
        header.append(dosDate)
        header.append(UInt32(0))  // CRC-32, compressed and uncompressed sizes: in the descriptor
        header.append(UInt32(0))
        header.append(UInt32(0))
        header.append(UInt16(entry.name.count))
        header.append(UInt16(0))  // extra field length
        header.bytes += entry.name
        try emit(header.bytes)
        stream = z_stream()
        let status = rdv_deflate_init_raw(&stream, 6)
        guard status == Z_OK else { throw Failure.zlib(status) }
        current = entry
        uncompressed = 0
        compressed = 0
    }

    /// Appends bytes to the open entry.
    public func write(_ bytes: some Sequence<UInt8>) throws {
        guard current != nil else { throw Failure.noOpenEntry }
        input.append(contentsOf: bytes)
        if input.count >= Self.chunk { try deflateInput(finishing: false) }
    }

    public func write(_ string: String) throws { try write(string.utf8) }

    /// Closes the open entry: the rest of the deflate stream, then its data descriptor.
    public func endEntry() throws {
        try deflateInput(finishing: true)
        guard var entry = current else { throw Failure.noOpenEntry }
        deflateEnd(&stream)
        current = nil
        guard uncompressed <= UInt64(UInt32.max), compressed <= UInt64(UInt32.max) else { throw Failure.tooLarge }
        entry.compressedSize = UInt32(compressed)
        entry.uncompressedSize = UInt32(uncompressed)
        var descriptor = LittleEndianBytes()
        descriptor.append(UInt32(0x0807_4b50))
        descriptor.append(entry.crc)
        descriptor.append(entry.compressedSize)
        descriptor.append(entry.uncompressedSize)
        entries.append(entry)
        try emit(descriptor.bytes)
    }

    /// Writes the central directory and closes the file.
    public func finish() throws {
        if current != nil { try endEntry() }
        let directoryStart = position
        for entry in entries {
            var record = LittleEndianBytes()
            record.append(UInt32(0x0201_4b50))  // central directory header signature
            record.append(UInt16(0x0314))  // made by: Unix, 2.0
            record.append(UInt16(20))
            record.append(UInt16(1 << 3 | 1 << 11))
            record.append(UInt16(8))
            record.append(dosTime)
            record.append(dosDate)
            record.append(entry.crc)
            record.append(entry.compressedSize)
            record.append(entry.uncompressedSize)
            record.append(UInt16(entry.name.count))
            record.append(UInt16(0))  // extra field
            record.append(UInt16(0))  // comment
            record.append(UInt16(0))  // disk number start
            record.append(UInt16(0))  // internal attributes
            record.append(UInt32(0o100644) << 16)  // external attributes: a regular file, rw-r--r--
            record.append(entry.offset)
            record.bytes += entry.name
            try emit(record.bytes)
        }
        let directorySize = position - directoryStart
        guard position <= UInt64(UInt32.max) else { throw Failure.tooLarge }
        var end = LittleEndianBytes()
        end.append(UInt32(0x0605_4b50))  // end of central directory
        end.append(UInt16(0))
        end.append(UInt16(0))
        end.append(UInt16(entries.count))
        end.append(UInt16(entries.count))
        end.append(UInt32(directorySize))
        end.append(UInt32(directoryStart))
        end.append(UInt16(0))  // comment length
        try emit(end.bytes)
        try flushOutput()
        try handle.close()
    }

    // MARK: - Deflate and output

    private func deflateInput(finishing: Bool) throws {
        guard var entry = current else { throw Failure.noOpenEntry }
        entry.crc = input.withUnsafeBufferPointer { buffer in
            UInt32(crc32(uLong(entry.crc), buffer.baseAddress, uInt(buffer.count)))
        }
        current = entry
        uncompressed += UInt64(input.count)
        var scratch = [UInt8](repeating: 0, count: Self.chunk)
        try input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            while true {
                let status = scratch.withUnsafeMutableBufferPointer { target -> Int32 in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    return deflate(&stream, finishing ? Z_FINISH : Z_NO_FLUSH)
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw Failure.zlib(status)
                }
                let produced = Self.chunk - Int(stream.avail_out)
                output.append(contentsOf: scratch[0..<produced])
                compressed += UInt64(produced)
                if finishing ? status == Z_STREAM_END : stream.avail_in == 0 && stream.avail_out > 0 { break }
            }
            stream.next_in = nil
        }
        input.removeAll(keepingCapacity: true)
        if output.count >= Self.chunk || finishing { try flushOutput() }
    }

    /// Bytes that are not deflated (headers, descriptors, directory): after any pending data.
    private func emit(_ bytes: [UInt8]) throws {
        output += bytes
        if output.count >= Self.chunk { try flushOutput() }
    }

    private func flushOutput() throws {
        guard !output.isEmpty else { return }
        try handle.write(contentsOf: output)
        offset += UInt64(output.count)
        output.removeAll(keepingCapacity: true)
    }
}

/// Little-endian integer fields (every ZIP field is little-endian, APPNOTE 4.4).
struct LittleEndianBytes {
    var bytes: [UInt8] = []

    mutating func append(_ value: UInt16) {
        bytes.append(UInt8(value & 0xff))
        bytes.append(UInt8(value >> 8))
    }

    mutating func append(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xff)) }
    }
}
