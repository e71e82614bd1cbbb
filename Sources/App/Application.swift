import Domain
import Foundation
import Geocoding
import HTTP
import Logging
import Persistence
import Web

/// Everything needed to run the product, from configuration; shared by `rdv serve` and the tests.
public struct AppConfiguration: Sendable {
    public var server = ServerConfiguration()
    public var web = WebSettings()
    /// `Templates/` and `Public/` (found by `ResourceLocator` in `rdv serve`).
    public var templatesDirectory: URL
    public var publicDirectory: URL
    /// contracts.md §6: `RDV_GEOCODER_URL`, the remote address back end (nil: the embedded index only).
    public var geocoderURL: String?

    public init(templatesDirectory: URL, publicDirectory: URL) {
        self.templatesDirectory = templatesDirectory
        self.publicDirectory = publicDirectory
    }
}

/// Builds the server with the web application. The listener is bound on return, so
/// ``HTTPServer/port`` is known (tests bind port 0).
public func buildApplication(
    _ configuration: AppConfiguration, database: AppDatabase, clock: any Clock, logger: Logger
) throws -> HTTPServer {
    let web = WebApplication(
        db: database, renderer: try TemplateRenderer(directory: configuration.templatesDirectory),
        staticFiles: StaticFiles(root: configuration.publicDirectory), clock: clock, settings: configuration.web,
        throttle: SignInThrottle(limitsAttempts: configuration.web.rateLimits),
        addressService: AddressService(
            remote: configuration.geocoderURL.map { RemoteAddressSearch(baseURL: $0) },
            embedded: EmbeddedAddressSearch(db: database),
            onRemoteFailure: { error in
                logger.warning("address service: the remote geocoder failed, the embedded index answered: \(error)")
            }))
    return try HTTPServer(configuration: configuration.server, responder: web, logger: logger)
}
