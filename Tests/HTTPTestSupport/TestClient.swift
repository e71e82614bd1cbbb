import Glibc
import Sockets

/// A response as read off the wire by ``TestClient``.
public struct WireResponse: Sendable {
    public let status: Int
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

public struct TestClientError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

/// A blocking client socket that reads responses byte-exactly, for tests over real sockets.
/// Reads time out (default 5 s) instead of hanging a test.
public final class TestClient {
    public let socket: Socket
    private var buffer: [UInt8] = []
    public private(set) var sawEOF = false

    public init(port: UInt16, receiveTimeoutMilliseconds: Int = 5000) throws {
        socket = try Socket.connect(to: SocketAddress(host: "127.0.0.1", port: port))
        socket.setNoDelay()
        try socket.setReceiveTimeout(milliseconds: receiveTimeoutMilliseconds)
    }

    private var closed = false

    deinit { close() }

    /// Closes the socket once (a second close could hit a descriptor number reused meanwhile,
    /// possibly one of the in-process server's).
    public func close() {
        guard !closed else { return }
        closed = true
        socket.close()
    }

    public func send(_ text: String) throws { try socket.writeAll(Array(text.utf8)) }
    public func send(_ bytes: [UInt8]) throws { try socket.writeAll(bytes) }

    /// Sends `bytes` in pieces of `size` bytes, one write each.
    public func send(_ bytes: [UInt8], inPiecesOf size: Int) throws {
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + size, bytes.count)
            try socket.writeAll(Array(bytes[offset..<end]))
            offset = end
        }
    }

    /// Reads more bytes; false at end of stream (or reset). Throws on timeout.
    @discardableResult
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { Glibc.recv(socket.fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        if n == 0 || errno == ECONNRESET {
            sawEOF = true
            return false
        }
        throw TestClientError(description: "recv failed or timed out (errno \(errno))")
    }

    private func readLine() throws -> String? {
        while true {
            if let lf = buffer.firstIndex(of: 0x0A) {
                let line = buffer[..<lf].last == 0x0D ? buffer[..<(lf - 1)] : buffer[..<lf]
                let text = String(decoding: line, as: UTF8.self)
                buffer.removeSubrange(...lf)
                return text
            }
            guard try fill() else { return nil }
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard try fill() else { throw TestClientError(description: "EOF inside a body") }
        }
        let bytes = Array(buffer[..<count])
        buffer.removeSubrange(..<count)
        return bytes
    }

    /// Reads one response, or returns nil if the server closed before sending one.
    /// `expectBody: false` for responses to HEAD.
    public func readResponse(expectBody: Bool = true) throws -> WireResponse? {
        guard let statusLine = try readLine() else { return nil }
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw TestClientError(description: "bad status line: \(statusLine)")
        }
        var headers: [(name: String, value: String)] = []
        while let line = try readLine(), !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw TestClientError(description: "bad header: \(line)")
            }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters()))
        }
        let response = WireResponse(status: status, headers: headers, body: [])
        guard expectBody, status >= 200, status != 204, status != 304 else { return response }
        var body: [UInt8] = []
        if let length = response.header("Content-Length").flatMap(Int.init) {
            body = try readExactly(length)
        } else if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while let sizeLine = try readLine(), let size = Int(sizeLine, radix: 16) {
                if size == 0 {
                    _ = try readLine()
                    break
                }
                body += try readExactly(size)
                _ = try readExactly(2)
            }
        } else {
            while try fill() {}
            body = buffer
            buffer = []
        }
        return WireResponse(status: status, headers: headers, body: body)
    }

    /// Reads every response until the server closes the connection.
    public func readAllResponses() throws -> [WireResponse] {
        var responses: [WireResponse] = []
        while let response = try readResponse() { responses.append(response) }
        return responses
    }

    /// True when the server has closed the connection (EOF with nothing else pending).
    public func isClosedByServer() throws -> Bool {
        if !buffer.isEmpty { return false }
        return try !fill()
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

/// Waits for `condition` to hold, checking every millisecond, up to `timeoutMilliseconds`.
/// For state another thread changes (never a fixed sleep standing in for a condition).
public func waitFor(timeoutMilliseconds: Int = 5000, _ condition: () -> Bool) -> Bool {
    for _ in 0..<timeoutMilliseconds {
        if condition() { return true }
        usleep(1000)
    }
    return condition()
}

/// Number of open file descriptors of this process.
public func openFileDescriptorCount() -> Int {
    guard let dir = opendir("/proc/self/fd") else { return -1 }
    defer { closedir(dir) }
    var count = 0
    while readdir(dir) != nil { count += 1 }
    return count - 3  // ".", ".." and the directory stream itself
}
