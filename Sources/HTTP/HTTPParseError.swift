/// Why a request was refused; each case knows its status (RFC 9112, RFC 9110 §15.5).
/// Every refusal closes the connection: after a framing error the rest of the stream cannot be trusted.
public enum HTTPParseError: Error, Sendable, Hashable {
    case invalidRequestLine
    case invalidMethod
    case invalidTarget
    case fragmentInTarget
    case unsupportedMethod
    case invalidVersion
    case bareLineFeed
    case bareCarriageReturn
    case invalidHeaderName
    case whitespaceBeforeColon
    case obsoleteLineFolding
    case invalidHeaderValue
    case missingHost
    case multipleHost
    case invalidHost
    case invalidContentLength
    case multipleContentLength
    case contentLengthWithTransferEncoding
    case transferEncodingInHTTP10
    case chunkedNotFinal
    case invalidChunkSize
    case invalidChunkExtension
    case invalidChunkTerminator
    case unsupportedTransferCoding
    case unsupportedVersion
    case unsupportedExpectation
    case requestLineTooLong
    case headerBlockTooLarge
    case tooManyHeaderFields
    case bodyTooLarge

    public var status: HTTPStatus {
        switch self {
        case .requestLineTooLong: .uriTooLong
        case .headerBlockTooLarge, .tooManyHeaderFields: .requestHeaderFieldsTooLarge
        case .bodyTooLarge: .contentTooLarge
        case .unsupportedTransferCoding, .unsupportedMethod: .notImplemented
        case .unsupportedVersion: .httpVersionNotSupported
        case .unsupportedExpectation: .expectationFailed
        default: .badRequest
        }
    }
}
