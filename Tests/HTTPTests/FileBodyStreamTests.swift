import Foundation
import Glibc
import Testing

@testable import HTTP

@Suite("File body stream")
struct FileBodyStreamTests {
    @Test("A file comes back whole, in 64 KiB chunks, then nil")
    func readsTheFileInChunks() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-stream-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let content = (0..<(3 * FileBodyStream.chunkSize + 123)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(content).write(to: URL(fileURLWithPath: path))
        let stream = try FileBodyStream(path: path)
        var chunks: [[UInt8]] = []
        while let chunk = try stream.nextChunk() { chunks.append(chunk) }
        #expect(chunks.map(\.count) == [65536, 65536, 65536, 123])
        #expect(chunks.flatMap { $0 } == content)
        #expect(try stream.nextChunk() == nil)
    }

    @Test("A missing file is an error before any byte")
    func aMissingFileThrows() {
        #expect(throws: FileBodyStream.OpenError(errno: ENOENT)) {
            try FileBodyStream(path: "/nonexistent/rdv-export.csv")
        }
    }
}
