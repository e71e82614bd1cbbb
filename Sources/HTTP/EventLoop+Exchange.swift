import Logging
import Sockets

/// Reading requests, running handlers and writing responses: the life of one exchange.
extension EventLoop {
    func readAndProcess(_ connection: Connection) {
        let result: IOResult
        do {
            result = try connection.socket.read(into: scratch)
        } catch {
            close(connection)
            return
        }
        switch result {
        case .bytes(let n):
            if connection.headStartedAt == nil { connection.headStartedAt = now }
            connection.lastReadAt = now
            connection.parser.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
        case .wouldBlock:
            return
        case .closed:
            connection.readClosed = true
        }
        process(connection)
    }

    /// Parses and dispatches buffered requests while the connection is free to take one.
    func process(_ connection: Connection) {
        guard !connection.processing else { return }
        connection.processing = true
        defer { connection.processing = false }
        while connection.phase == .reading {
            let step: HTTPRequestParser.Step
            do {
                step = try connection.parser.step()
            } catch let error as HTTPParseError {
                refuse(connection, status: error.status, reason: "\(error)")
                return
            } catch {
                refuse(connection, status: .badRequest, reason: "\(error)")
                return
            }
            switch step {
            case .bodyAhead(let method, let path, let declaredLength):
                guard admitBody(on: connection, method: method, path: path, declaredLength: declaredLength) else {
                    return
                }
            case .event(.needMoreData):
                if connection.readClosed || (shared.isDraining && !connection.parser.isMidRequest) {
                    close(connection)  // peer closed (mid-request or idle), or shutting down while idle
                    return
                }
                if connection.parser.isReadingBody {
                    // A chunked body's size is known only as it arrives: it takes budget as it grows.
                    guard reserveBody(connection.parser.bodyBytesHeld, on: connection) else { return }
                    connection.deadline = bodyDeadline(of: connection)
                } else if connection.parser.isMidRequest, let started = connection.headStartedAt {
                    connection.deadline = started + configuration.headerTimeout.nanoseconds
                }
                return
            case .event(.sendContinue):
                // RFC 9110 §15.2.1: an interim response, written like any other output (it may
                // not fit in the socket at once); reading resumes once it is out.
                connection.continueSentAt = now
                connection.writingInterim = true
                connection.output.append(contentsOf: HTTPResponseWriter.continueResponse)
                connection.outputOffset = 0
                connection.phase = .writing
                flush(connection)
            case .event(.request(let request)):
                guard reserveBody(request.body.count, on: connection) else { return }
                dispatch(request, on: connection)
            }
        }
    }

    /// Decides on a body before any of it is read: the responder's limit for this route (or the
    /// server's), then room in the server's body budget for a declared length.
    private func admitBody(on connection: Connection, method: String, path: String, declaredLength: Int?) -> Bool {
        let limit = shared.responder.maximumBodySize(method: method, path: path) ?? configuration.parserLimits.maxBodyBytes
        do {
            try connection.parser.admitBody(limit: limit)
        } catch {
            // RFC 9110 §15.5.14 (413), sent instead of 100 Continue (§10.1.1), before the body.
            refuse(connection, status: .contentTooLarge, reason: "body over \(limit) bytes")
            return false
        }
        if let declaredLength, !reserveBody(declaredLength, on: connection) { return false }
        connection.bodyAdmittedAt = now
        connection.bodyExpectedBytes = declaredLength ?? limit
        return true
    }

    /// Grows the connection's share of the body budget to `bytes`; when the rest of the budget is
    /// too small, refuses with 503 and `Retry-After` (RFC 9110 §15.6.4, §10.2.3) and returns false.
    private func reserveBody(_ bytes: Int, on connection: Connection) -> Bool {
        let extra = bytes - connection.reservedBodyBytes
        guard extra > 0 else { return true }
        guard shared.reserveBodyBytes(extra) else {
            refuse(
                connection, status: .serviceUnavailable, reason: "request bodies in memory over budget",
                headers: ["Retry-After": "1"])
            return false
        }
        connection.reservedBodyBytes = bytes
        return true
    }

    func releaseBody(of connection: Connection) {
        shared.releaseBodyBytes(connection.reservedBodyBytes)
        connection.reservedBodyBytes = 0
    }

    /// The earlier of two deadlines: no pause longer than the body timeout, and the whole body
    /// within max(body timeout, expected size / minimum rate) of its admission, so that a client
    /// trickling a byte now and then is cut off too.
    private func bodyDeadline(of connection: Connection) -> UInt64 {
        let timeout = configuration.bodyTimeout.nanoseconds
        let progress = max(connection.lastReadAt, connection.continueSentAt) + timeout
        let rate = configuration.minimumBodyBytesPerSecond
        guard rate > 0 else { return progress }
        let transfer = Double(connection.bodyExpectedBytes) / Double(rate) * 1_000_000_000
        let allowed = transfer >= Double(UInt64.max / 2) ? UInt64.max / 2 : max(timeout, UInt64(transfer))
        let total = connection.bodyAdmittedAt &+ allowed
        return min(progress, total < connection.bodyAdmittedAt ? .max : total)
    }

    private func dispatch(_ request: HTTPRequest, on connection: Connection) {
        connection.phase = .handling
        connection.deadline = .max
        connection.headStartedAt = nil
        connection.method = request.method
        connection.path = request.path
        connection.requestVersion = request.version
        connection.isHead = request.isHead
        connection.startedAt = now
        connection.requestID = nextRequestID()
        // CONNECT would turn the connection into a tunnel, which this server does not offer.
        connection.closeAfterResponse = !request.keepAlive || shared.isDraining || request.method == "CONNECT"
        let context = RequestContext(
            requestID: connection.requestID, logger: logger, remoteAddress: connection.remoteAddress)
        let responder = shared.responder
        if responder.canRespondInline(to: request) {
            startWriting(responder.safeResponse(to: request, context: context), on: connection)
            return
        }
        setInterest(connection, [])
        let id = connection.id
        let ticket = WorkerPool.Ticket()
        connection.job = ticket
        shared.workers.submit(ticket) { [self] in
            post(Completion(connectionID: id, response: responder.safeResponse(to: request, context: context)))
        }
    }

    func complete(_ completion: Completion) {
        guard let connection = connections[completion.connectionID], connection.phase == .handling else { return }
        connection.job = nil
        startWriting(completion.response, on: connection)
    }

    /// Answers a malformed, over-limit or late request, then closes (RFC 9112 §9.6 "close").
    func refuse(_ connection: Connection, status: HTTPStatus, reason: String, headers: HTTPHeaders = [:]) {
        logger.notice(
            "refused request",
            metadata: ["status": "\(status.code)", "reason": "\(reason)", "connection": "\(connection.id)"])
        connection.phase = .handling
        connection.method = "-"
        connection.path = "-"
        connection.requestID = nextRequestID()
        connection.requestVersion = .http1_1
        connection.isHead = false
        connection.startedAt = now
        connection.closeAfterResponse = true
        var response = HTTPResponse.text("\(status.code) \(status.reasonPhrase)\n", status: status)
        for (name, value) in headers { response.headers[name] = value }
        connection.writingInterim = false
        startWriting(response, on: connection)
    }

    func startWriting(_ response: HTTPResponse, on connection: Connection) {
        let framing = HTTPResponseWriter.framing(for: response, request: connection.requestVersion)
        if framing == .closeDelimited { connection.closeAfterResponse = true }
        connection.output = HTTPResponseWriter.head(
            response, framing: framing, keepAlive: !connection.closeAfterResponse,
            requestVersion: connection.requestVersion, date: httpDate(), serverName: configuration.serverName)
        connection.outputOffset = 0
        connection.status = response.status.code
        connection.bytesSent = 0
        connection.framing = framing
        connection.stream = nil
        if !connection.isHead && framing != .none {
            switch response.body {
            case .bytes(let bytes): connection.output.append(contentsOf: bytes)
            case .stream(let stream): connection.stream = stream
            }
        }
        connection.phase = .writing
        flush(connection)
    }

    /// Writes until done or until the socket is full (then waits for EPOLLOUT).
    func flush(_ connection: Connection) {
        while true {
            if connection.outputOffset < connection.output.count {
                let result = try? connection.output.withUnsafeBytes {
                    try connection.socket.write(UnsafeRawBufferPointer(rebasing: $0[connection.outputOffset...]))
                }
                switch result {
                case .bytes(let n):
                    connection.outputOffset += n
                    connection.bytesSent += n
                    continue
                case .wouldBlock:
                    connection.deadline = now + configuration.writeTimeout.nanoseconds
                    setInterest(connection, [.writable])
                    return
                case .closed, nil:
                    close(connection)
                    return
                }
            }
            connection.output.removeAll(keepingCapacity: connection.output.capacity <= 16 * 1024)
            connection.outputOffset = 0
            if connection.writingInterim {
                connection.writingInterim = false
                connection.phase = .reading
                setInterest(connection, [.readable, .readHangup])
                process(connection)  // a no-op when called from process, which goes on by itself
                return
            }
            if let stream = connection.stream {
                do {
                    if let chunk = try stream.nextChunk() {
                        if connection.framing == .chunked {
                            if !chunk.isEmpty { HTTPResponseWriter.appendChunk(chunk, to: &connection.output) }
                        } else {
                            connection.output = chunk
                        }
                    } else {
                        connection.stream = nil
                        if connection.framing == .chunked { connection.output = HTTPResponseWriter.lastChunk }
                    }
                    continue
                } catch {
                    // The head is gone already: the only honest signal left is an incomplete body.
                    logger.error(
                        "response stream failed", metadata: ["id": "\(connection.requestID)", "error": "\(error)"])
                    close(connection)
                    return
                }
            }
            finishResponse(connection)
            return
        }
    }

    private func finishResponse(_ connection: Connection) {
        now = Clock.monotonicNanoseconds()
        releaseBody(of: connection)
        let duration = Double(now &- connection.startedAt) / 1_000_000
        logger.info(
            "\(connection.method) \(configuration.accessLogRedaction.redact(path: connection.path)) \(connection.status)",
            metadata: [
                "bytes": "\(connection.bytesSent)", "duration_ms": "\((duration * 1000).rounded() / 1000)",
                "id": "\(connection.requestID)",
            ])
        if connection.closeAfterResponse {
            lingerOrClose(connection)
            return
        }
        connection.phase = .reading
        connection.deadline = now + configuration.idleTimeout.nanoseconds
        if connection.parser.isMidRequest { connection.headStartedAt = now }
        setInterest(connection, [.readable, .readHangup])
        process(connection)  // pipelined requests already buffered
    }

    /// Shuts our side and drains what the client still sends, so it reads our response rather
    /// than a TCP reset caused by unread data (lingering close, as nginx and Apache do).
    private func lingerOrClose(_ connection: Connection) {
        guard !connection.readClosed else {
            close(connection)
            return
        }
        connection.socket.shutdownWrite()
        connection.phase = .lingering
        connection.deadline = now + configuration.lingerTimeout.nanoseconds
        setInterest(connection, [.readable, .readHangup])
    }

    func linger(_ connection: Connection) {
        switch try? connection.socket.read(into: scratch) {
        case .bytes: return
        case .wouldBlock: return
        case .closed, nil: close(connection)
        }
    }
}
