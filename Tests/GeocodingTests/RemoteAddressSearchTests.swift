import DatabaseTestSupport
import Domain
import Foundation
import HTTP
import Logging
import Synchronization
import Testing

@testable import Geocoding
@testable import Persistence

/// The remote back end (contracts.md §6) against a local stub that speaks the BAN's GeoJSON, on
/// a real socket; a failure of any kind lets the embedded index answer.
@Suite("Remote address search", .serialized)
struct RemoteAddressSearchTests {
    /// A BAN `search` answer: a number, its street, its city.
    static let geoJSON = #"""
        {"type": "FeatureCollection", "version": "draft", "features": [
          {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.7802, 50.2902]},
           "properties": {"label": "12 Rue de l'Église 62000 Arras", "score": 0.97, "housenumber": "12",
             "id": "62041_0190_00012", "name": "12 Rue de l'Église", "postcode": "62000", "citycode": "62041",
             "x": 684000.1, "y": 7020000.2, "city": "Arras", "context": "62, Pas-de-Calais, Hauts-de-France",
             "type": "housenumber", "importance": 0.6, "street": "Rue de l'Église"}},
          {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.78, 50.29]},
           "properties": {"label": "Rue de l'Église 62000 Arras", "id": "62041_0190", "type": "street",
             "postcode": "62000", "citycode": "62041", "city": "Arras"}},
          {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.7775, 50.291]},
           "properties": {"label": "Arras", "id": "62041", "type": "municipality", "postcode": "62000",
             "citycode": "62041", "city": "Arras"}}
        ], "attribution": "BAN", "licence": "ETALAB-2.0", "query": "eglise arras", "limit": 5}
        """#

    final class Geocoder: HTTPResponder {
        enum Mode { case answer, failure, garbage, hold }
        let mode: Mode
        private let targets = Mutex<[String]>([])
        private let gate = DispatchSemaphore(value: 0)

        init(_ mode: Mode) { self.mode = mode }
        var received: [String] { targets.withLock { $0 } }
        func release() { gate.signal() }

        func respond(to request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
            targets.withLock { $0.append(request.target) }
            switch mode {
            case .answer:
                return HTTPResponse(
                    status: .ok, headers: ["Content-Type": "application/json"], body: .bytes(Array(geoJSON.utf8)))
            case .failure: return HTTPResponse(status: HTTPStatus(503), body: .bytes(Array("busy".utf8)))
            case .garbage: return HTTPResponse(status: .ok, body: .bytes(Array("<html>".utf8)))
            case .hold:
                gate.wait()
                return HTTPResponse(status: .ok)
            }
        }
    }

    func withGeocoder(_ mode: Geocoder.Mode, _ body: (String, Geocoder) throws -> Void) throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.eventLoopCount = 1
        configuration.workerCount = 2
        configuration.shutdownGracePeriod = .seconds(1)
        var logger = Logger(label: "geocoder-stub")
        logger.logLevel = .critical
        let geocoder = Geocoder(mode)
        let server = try HTTPServer(configuration: configuration, responder: geocoder, logger: logger)
        server.start()
        defer {
            if mode == .hold { geocoder.release() }
            server.shutdown()
            server.waitUntilStopped()
        }
        try body("http://127.0.0.1:\(server.port)", geocoder)
    }

    @Test("The BAN's answer becomes matches: the street of a number, none for a city")
    func readsTheBANAnswer() throws {
        try withGeocoder(.answer) { url, geocoder in
            let matches = try RemoteAddressSearch(baseURL: url + "/").search("église arras", limit: 5)
            #expect(geocoder.received == ["/search/?q=%C3%A9glise%20arras&limit=5"])
            #expect(
                matches == [
                    AddressMatch(
                        label: "12 Rue de l'Église 62000 Arras", kind: .housenumber, streetID: "62041_0190",
                        cityCode: "62041", postCode: "62000", city: "Arras", latitude: 50.2902, longitude: 2.7802),
                    AddressMatch(
                        label: "Rue de l'Église 62000 Arras", kind: .street, streetID: "62041_0190", cityCode: "62041",
                        postCode: "62000", city: "Arras", latitude: 50.29, longitude: 2.78),
                    AddressMatch(
                        label: "Arras", kind: .municipality, streetID: nil, cityCode: "62041", postCode: "62000",
                        city: "Arras", latitude: 50.291, longitude: 2.7775),
                ])
        }
    }

    @Test("An error status, a body that is not GeoJSON, a timeout: the embedded index answers", arguments: [
        Geocoder.Mode.failure, .garbage, .hold,
    ])
    func aFailingGeocoderFallsBack(mode: Geocoder.Mode) throws {
        let (db, directory) = try TemplateDatabase.make(prefix: "rdv-geocoder")
        defer { try? FileManager.default.removeItem(at: directory) }
        var sample = SeedDocument.addressSample.makeIterator()
        _ = try db.importAddresses { sample.next() }
        try withGeocoder(mode) { url, _ in
            let failures = Failures()
            let service = AddressService(
                remote: RemoteAddressSearch(baseURL: url, timeout: 0.3), embedded: EmbeddedAddressSearch(db: db),
                onRemoteFailure: { _ in failures.add() })
            let labels = try service.search("12 victor hugo lens").map(\.label)
            #expect(labels == ["12 Rue Victor Hugo 62300 Lens"])
            #expect(failures.count == 1)
        }
    }

    @Test("After a failure the geocoder is left alone for 30 seconds")
    func aFailureLeavesTheGeocoderAlone() throws {
        let (db, directory) = try TemplateDatabase.make(prefix: "rdv-geocoder")
        defer { try? FileManager.default.removeItem(at: directory) }
        try withGeocoder(.failure) { url, geocoder in
            let service = AddressService(remote: RemoteAddressSearch(baseURL: url), embedded: EmbeddedAddressSearch(db: db))
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            _ = try service.search("arras", now: start)
            _ = try service.search("arras", now: start.addingTimeInterval(29))
            #expect(geocoder.received.count == 1)
            _ = try service.search("arras", now: start.addingTimeInterval(30))
            #expect(geocoder.received.count == 2)
        }
    }
}
