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
            let event: HTTPRequestParser.Event
            do {
                event = try connection.parser.next()
            } catch let error as HTTPParseError {
                refuse(connection, status: error.status, reason: "\(error)")
                return
            } catch {
                refuse(connection, status: .badRequest, reason: "\(error)")
                return
            }
            switch event {
            case .needMoreData:
                if connection.readClosed || (shared.isDraining && !connection.parser.isMidRequest) {
                    close(connection)  // peer closed (mid-request or idle), or shutting down while idle
                    return
                }
                if connection.parser.isReadingBody {
                    // The body deadline is about progress: each read that brings bytes moves it.
                    connection.deadline =
                        max(connection.lastReadAt, connection.continueSentAt) + configuration.bodyTimeout.nanoseconds
                } else if connection.parser.isMidRequest, let started = connection.headStartedAt {
                    connection.deadline = started + configuration.headerTimeout.nanoseconds
                }
                return
            case .sendContinue:
                // A 25-byte interim response on a socket with nothing pending: it fits; if it
                // ever does not, the client sends the body after its own wait (RFC 9110 §10.1.1).
                HTTPResponseWriter.continueResponse.withUnsafeBytes { _ = try? connection.socket.write($0) }
                connection.continueSentAt = now
            case .request(let request):
                dispatch(request, on: connection)
            }
        }
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
        shared.workers.submit { [self] in
            post(Completion(connectionID: id, response: responder.safeResponse(to: request, context: context)))
        }
    }

    func complete(_ completion: Completion) {
        guard let connection = connections[completion.connectionID], connection.phase == .handling else { return }
        if connection.peerGone {
            close(connection)
            return
        }
        startWriting(completion.response, on: connection)
    }

    /// Answers a malformed, over-limit or late request, then closes (RFC 9112 §9.6 "close").
    func refuse(_ connection: Connection, status: HTTPStatus, reason: String) {
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
        startWriting(.text("\(status.code) \(status.reasonPhrase)\n", status: status), on: connection)
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
        let duration = Double(now &- connection.startedAt) / 1_000_000
        logger.info(
            "\(connection.method) \(connection.path) \(connection.status)",
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
        guard !connection.readClosed, !connection.peerGone else {
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
