import Domain
import Foundation
import HTTP
import HTTPTestSupport
import Testing

@testable import Persistence
@testable import Web

/// `GET /adresses?q=` (contracts.md §6): the address service as JSON, rate-limited per client.
@Suite("Address endpoint", .serialized)
struct AddressesEndpointTests {
    @Test func answersTheMatchesAsJSONAndLimitsEachClient() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        var sample = SeedDocument.addressSample.makeIterator()
        _ = try db.importAddresses { sample.next() }
        let browser = Browser(app: try makeWebApplication(db, clock: ManualClock(testNow)))
        let response = try browser.request("GET", "/adresses?q=12+rue+victor+hugo+arras")
        #expect(response.status == 200)
        #expect(response.headers.contains { $0.0 == "Content-Type" && $0.1 == "application/json; charset=utf-8" })
        #expect(
            response.text
                == #"{"adresses":[{"label":"12 Rue Victor Hugo 62000 Arras","type":"housenumber","street_id":"62041_0735","city_code":"62041","post_code":"62000","city":"Arras","latitude":50.2936,"longitude":2.7789}]}"#
        )
        #expect(try browser.request("GET", "/adresses?q=ar").text == #"{"adresses":[]}"#)
        #expect(try browser.request("GET", "/adresses").text == #"{"adresses":[]}"#)
        #expect(try browser.request("POST", "/adresses?q=arras").status == 405)
        // 60 at once (three so far: a refused method costs nothing), then « Trop de recherches » until the bucket refills.
        for _ in 0..<57 { #expect(try browser.request("GET", "/adresses?q=arras").status == 200) }
        let limited = try browser.request("GET", "/adresses?q=arras")
        #expect(limited.status == 429)
        #expect(limited.text == #"{"error":"Trop de recherches : réessayez dans une minute."}"#)
    }
}
