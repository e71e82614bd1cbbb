import Glibc

/// An incremental, strict HTTP/1.1 request parser (RFC 9112).
///
/// Bytes are appended as they arrive; ``next()`` returns complete requests one at a time, so
/// pipelined requests come out in order. Scanning resumes where it stopped, so a request that
/// arrives one byte at a time costs linear time. Any error is final for the connection.
public struct HTTPRequestParser: Sendable {
    public enum Event: Sendable {
        /// The buffered bytes do not hold a complete request yet.
        case needMoreData
        /// The client sent `Expect: 100-continue` and waits for an interim response (RFC 9110 §10.1.1).
        case sendContinue
        case request(HTTPRequest)
    }

    /// What ``step()`` yields: an ``Event``, or a pause once a head announcing a body is complete,
    /// before any body byte is taken, so the server can pick this request's body limit (and
    /// refuse with 413 or 503) before reading it. ``admitBody(limit:)`` resumes.
    public enum Step: Sendable {
        case event(Event)
        /// `declaredLength` is the Content-Length, nil for a chunked body.
        case bodyAhead(method: String, path: String, declaredLength: Int?)
    }

    enum State: Equatable {
        case requestLine, headers, body(remaining: Int), chunkLine, chunkData(remaining: Int), chunkDataEnd, trailers
    }

    public let limits: HTTPParserLimits
    var buffer: [UInt8] = []
    /// First byte not consumed yet.
    var index = 0
    /// Where the search for the next LF resumes.
    var scanIndex = 0
    var state = State.requestLine
    var leadingEmptyLines = 0
    var head = PartialHead()
    /// Set by ``step()`` after a head with a body; cleared by ``admitBody(limit:)``.
    var awaitingAdmission = false

    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
    }

    /// True while part of a request has been received (for the header and body deadlines).
    public var isMidRequest: Bool { state != .requestLine || index < buffer.count }

    /// True once the head is complete and the body is still arriving.
    public var isReadingBody: Bool {
        switch state {
        case .requestLine, .headers: false
        default: true
        }
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        if index > 0 {
            // Drop consumed bytes before growing, so pipelined requests are not moved once each.
            buffer.removeSubrange(0..<index)
            scanIndex -= index
            index = 0
        }
        buffer.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Bytes of the request body received so far (decoded chunks and undecoded bytes alike),
    /// for the server's budget of body bytes in memory.
    public var bodyBytesHeld: Int {
        isReadingBody ? head.body.count + buffer.count - index : 0
    }

    /// Advances as far as the buffered bytes allow; every body gets ``HTTPParserLimits/maxBodyBytes``.
    public mutating func next() throws -> Event {
        while true {
            switch try step() {
            case .event(let event): return event
            case .bodyAhead: try admitBody(limit: limits.maxBodyBytes)
            }
        }
    }

    /// Accepts the announced body up to `limit` decoded bytes; a larger Content-Length is refused
    /// now, before any of it is read (RFC 9110 §15.5.14), a chunked body once it passes the limit.
    public mutating func admitBody(limit: Int) throws {
        guard awaitingAdmission else { return }
        awaitingAdmission = false
        head.bodyLimit = limit
        if let length = head.contentLength, length > limit { throw HTTPParseError.bodyTooLarge }
    }

    /// Like ``next()``, but pauses with ``Step/bodyAhead(method:path:declaredLength:)`` after each
    /// head that announces a body; call ``admitBody(limit:)`` before stepping again.
    public mutating func step() throws -> Step {
        if awaitingAdmission {
            return .bodyAhead(method: head.method, path: head.path, declaredLength: head.contentLength)
        }
        while true {
            if head.expectsContinue && isReadingBody {
                // RFC 9110 §10.1.1: the client waits for 100 before sending the body; if some of
                // it is already here, it did not wait and needs no interim response.
                head.expectsContinue = false
                if index == buffer.count { return .event(.sendContinue) }
            }
            switch state {
            case .requestLine:
                guard let line = try nextLine(limit: limits.maxRequestLineLength, tooLong: .requestLineTooLong) else {
                    return .event(.needMoreData)
                }
                if line.isEmpty {
                    // RFC 9112 §2.2: ignore at least one empty line before the request-line.
                    leadingEmptyLines += 1
                    guard leadingEmptyLines <= limits.maxLeadingEmptyLines else {
                        throw HTTPParseError.invalidRequestLine
                    }
                    continue
                }
                try parseRequestLine(line)
                state = .headers
            case .headers:
                guard let line = try nextFieldLine() else { return .event(.needMoreData) }
                if line.isEmpty {
                    try finishHead()
                    if state == .chunkLine || (head.contentLength ?? 0) > 0 {
                        awaitingAdmission = true
                        return .bodyAhead(method: head.method, path: head.path, declaredLength: head.contentLength)
                    }
                } else {
                    try head.add(parseFieldLine(line), limits: limits)
                }
            case .body(let remaining):
                guard buffer.count - index >= remaining else { return .event(.needMoreData) }
                head.body = Array(buffer[index..<(index + remaining)])
                index += remaining
                scanIndex = index  // body bytes are data: never search them for line ends
                return .event(.request(completeRequest()))
            case .chunkLine:
                guard let line = try nextLine(limit: limits.maxChunkLineLength, tooLong: .invalidChunkSize) else {
                    return .event(.needMoreData)
                }
                let size = try parseChunkLine(line)
                if size == 0 {
                    state = .trailers
                } else {
                    guard size <= head.bodyLimit - head.body.count else { throw HTTPParseError.bodyTooLarge }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let available = min(buffer.count - index, remaining)
                guard available > 0 else { return .event(.needMoreData) }
                head.body.append(contentsOf: buffer[index..<(index + available)])
                index += available
                scanIndex = index
                state = remaining == available ? .chunkDataEnd : .chunkData(remaining: remaining - available)
            case .chunkDataEnd:
                // RFC 9112 §7.1: chunk-data is followed by exactly CRLF.
                guard buffer.count - index >= 2 else { return .event(.needMoreData) }
                guard buffer[index] == 0x0D, buffer[index + 1] == 0x0A else {
                    throw HTTPParseError.invalidChunkTerminator
                }
                index += 2
                scanIndex = index
                state = .chunkLine
            case .trailers:
                // RFC 9112 §7.1.2: trailer fields share the syntax and the limits of header fields.
                guard let line = try nextFieldLine() else { return .event(.needMoreData) }
                if line.isEmpty { return .event(.request(completeRequest())) }
                try head.addTrailer(parseFieldLine(line), limits: limits)
            }
        }
    }

    /// The next line without its CRLF, or nil when no LF has arrived yet.
    /// RFC 9112 §2.2: lines end with CRLF; a bare LF is refused (strict framing, no smuggling).
    mutating func nextLine(limit: Int, tooLong: HTTPParseError) throws -> Range<Int>? {
        scanIndex = max(scanIndex, index)
        let lf: Int? = buffer.withUnsafeBufferPointer { p in
            guard scanIndex < p.count, let base = p.baseAddress,
                let hit = memchr(base + scanIndex, 0x0A, p.count - scanIndex)
            else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        guard let lf else {
            scanIndex = buffer.count
            // The CR of a line that is exactly at the limit may already be here.
            if buffer.count - index > limit + 1 { throw tooLong }
            return nil
        }
        guard lf > index, buffer[lf - 1] == 0x0D else { throw HTTPParseError.bareLineFeed }
        let line = index..<(lf - 1)
        guard line.count <= limit else { throw tooLong }
        index = lf + 1
        scanIndex = index
        return line
    }

    /// The next line of a field section (empty at its end), counted against the section's limit.
    mutating func nextFieldLine() throws -> Range<Int>? {
        let budget = limits.maxHeaderBlockBytes - head.fieldBytes
        guard let line = try nextLine(limit: max(budget, 0), tooLong: .headerBlockTooLarge) else { return nil }
        head.fieldBytes += line.count + 2
        return line
    }

    mutating func completeRequest() -> HTTPRequest {
        let request = head.request()
        head = PartialHead()
        state = .requestLine
        leadingEmptyLines = 0
        if index == buffer.count {
            // Idle connections keep little memory: drop large buffers once drained.
            buffer.removeAll(keepingCapacity: buffer.capacity <= 4096)
            index = 0
            scanIndex = 0
        }
        return request
    }
}
