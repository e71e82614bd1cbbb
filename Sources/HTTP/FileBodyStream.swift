import Glibc
import Synchronization

/// A response body read from a file in 64 KiB chunks as the socket drains: a download of any size
/// costs one chunk of memory, not the file. The file is opened by `init` (so a missing file is an
/// error before any byte is sent) and closed at its end, or when the response is dropped.
public final class FileBodyStream: HTTPBodyStream {
    public struct OpenError: Error, Equatable {
        public let errno: Int32
    }

    static let chunkSize = 64 * 1024
    private let descriptor: Mutex<Int32>

    public init(path: String) throws(OpenError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OpenError(errno: errno) }
        descriptor = Mutex(fd)
    }

    public func nextChunk() throws -> [UInt8]? {
        try descriptor.withLock { fd -> [UInt8]? in
            guard fd >= 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
            var count = 0
            repeat {
                count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, Self.chunkSize) }
            } while count < 0 && errno == EINTR
            guard count > 0 else {
                let failure = count < 0 ? errno : 0
                close(fd)
                fd = -1
                if failure != 0 { throw OpenError(errno: failure) }
                return nil
            }
            chunk.removeSubrange(count...)
            return chunk
        }
    }

    deinit {
        descriptor.withLock { fd in
            if fd >= 0 { close(fd) }
        }
    }
}
