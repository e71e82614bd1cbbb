import HTTP
import Logging

/// Everything needed to run the product, from configuration; shared by `rdv serve` and the tests.
public struct AppConfiguration: Sendable {
    public var server = ServerConfiguration()

    public init() {}
}

/// Builds the server with the application's responder. The listener is bound on return, so
/// ``HTTPServer/port`` is known (tests bind port 0).
public func buildApplication(_ configuration: AppConfiguration, logger: Logger) throws -> HTTPServer {
    try HTTPServer(configuration: configuration.server, responder: AppResponder(), logger: logger)
}
