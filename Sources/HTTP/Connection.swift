import Sockets

/// One client connection's state. Owned by exactly one ``EventLoop`` and touched only on its thread.
final class Connection {
    enum Phase {
        /// Waiting for or receiving a request.
        case reading
        /// A handler is producing the response; the socket is not read meanwhile, so responses
        /// to pipelined requests leave in order.
        case handling
        /// The response is being written (the socket was full).
        case writing
        /// After a refusal: our write side is shut, unread input is drained until the peer closes.
        case lingering
    }

    let id: UInt64
    let socket: Socket
    /// Read once at accept; handlers get it in their context.
    var remoteAddress = ""
    var parser: HTTPRequestParser
    var phase = Phase.reading
    var interest: PollEvents = []
    var registered = false
    /// Monotonic nanoseconds at which the current phase times out.
    var deadline: UInt64 = .max
    /// When the first byte of the request being read arrived (for the header deadline).
    var headStartedAt: UInt64?
    /// When bytes last arrived, and when a 100 Continue was sent (for the body deadline).
    var lastReadAt: UInt64 = 0
    var continueSentAt: UInt64 = 0
    /// The peer shut its write side: finish what is buffered, then close.
    var readClosed = false
    /// The handler job of the request being handled; cancelled when the connection closes.
    var job: WorkerPool.Ticket?
    /// Body bytes of the current request counted in the server's in-flight budget.
    var reservedBodyBytes = 0
    /// When the current request's body was admitted, and how many bytes it may bring (its
    /// Content-Length, or its limit when chunked): for the total body deadline.
    var bodyAdmittedAt: UInt64 = 0
    var bodyExpectedBytes = 0
    /// The output being written is an interim response (100 Continue): once it is out, reading
    /// the request resumes instead of finishing an exchange.
    var writingInterim = false
    /// Guards against re-entering ``EventLoop/process(_:)`` for pipelined requests.
    var processing = false

    var output: [UInt8] = []
    var outputOffset = 0
    var stream: (any HTTPBodyStream)?
    var framing = HTTPResponseWriter.Framing.none
    var closeAfterResponse = false

    // The exchange in progress, for the access log and the response framing.
    var method = ""
    var path = ""
    var requestID = ""
    var requestVersion = HTTPVersion.http1_1
    var isHead = false
    var startedAt: UInt64 = 0
    var status = 0
    var bytesSent = 0

    init(id: UInt64, socket: Socket, limits: HTTPParserLimits) {
        self.id = id
        self.socket = socket
        self.parser = HTTPRequestParser(limits: limits)
    }
}
