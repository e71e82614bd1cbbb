import Domain
import Foundation
import HTTP
import Testing

@testable import Web

@Suite("Static files")
struct StaticFilesTests {
    let files = StaticFiles(root: packageRoot.appendingPathComponent("Public"))

    @Test(arguments: [
        ("/css/../Package.swift", 400), ("/css/%2e%2e/%2e%2e/Package.swift", 400), ("/css/..%2fPackage.swift", 400),
        ("/css/a%2fb.css", 400), ("/css/app.css%00.png", 400), ("/css/%5c..%5cx", 400), ("/css//app.css", 400),
        ("/css/./app.css", 400), ("/css/.hidden", 404), ("/css/missing.css", 404), ("/css", 404),
        ("/vendor/dsfr/../../../etc/passwd", 400),
    ])
    func traversalAndHiddenFilesAreRefused(path: String, status: Int) {
        #expect(throws: WebError.self) {
            try files.response(for: path, request: HTTPRequest(method: "GET", target: path))
        }
        do {
            _ = try files.response(for: path, request: HTTPRequest(method: "GET", target: path))
        } catch let error as WebError {
            #expect(error.status.code == status, "\(path)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aFileIsServedWithTypeValidatorsAndCaching() throws {
        let response = try files.response(
            for: "/css/app.css", request: HTTPRequest(method: "GET", target: "/css/app.css"))
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == "text/css; charset=utf-8")
        #expect(response.headers["Cache-Control"] == "public, max-age=3600")
        #expect(response.headers["Last-Modified"]?.hasSuffix(" GMT") == true)
        let etag = try #require(response.headers["ETag"])
        // Then the same request with If-None-Match is a 304 without body
        let conditional = try files.response(
            for: "/css/app.css",
            request: HTTPRequest(method: "GET", target: "/css/app.css", headers: ["If-None-Match": etag]))
        #expect(conditional.status == .notModified)
        let body = try #require(conditional.body.bytes)
        #expect(body.isEmpty)
        let since = try files.response(
            for: "/css/app.css",
            request: HTTPRequest(
                method: "GET", target: "/css/app.css",
                headers: ["If-Modified-Since": response.headers["Last-Modified"]!]))
        #expect(since.status == .notModified)
    }

    @Test(arguments: [
        ("vendor/dsfr/dsfr.min.css", true), ("css/app.3f9a1c2b.css", true), ("css/app.css", false),
        ("js/a.b.js", false),
    ])
    func fingerprintedFilesAreCachedForAYear(path: String, fingerprinted: Bool) {
        #expect(StaticFiles.isFingerprinted(path) == fingerprinted)
    }
}

@Suite("Typed URLs and forms")
struct SiteURLAndFormTests {
    static let table: RouteTable = {
        let (db, directory) = try! makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        return try! makeWebApplication(db, clock: FixedClock(testNow)).routes
    }()

    @Test(arguments: [
        SiteURL.home, .health, .agents(.signIn), .agents(.signOut), .agents(.home), .organisation(id: 42, .show),
        .devOutbox, .calendarFeed(uid: "marie-durand-0f3c"), .api(.slots), .api(.nextAvailability),
        .asset(path: "css/app.css"),
    ])
    func everyLinkHasARouteThatPrintsItBack(url: SiteURL) throws {
        let (route, parameters) = try #require(Self.table.resolve(url.path))
        #expect(route.pattern.path(parameters.values) == url.path)
    }

    @Test(arguments: [
        "/agents/sign_in/x", "/admin/organisations/abc", "/admin/organisations/0", "/admin/organisations/007",
        "/admin/organisations/-1", "/nope", "/agents/", "/calendrier/a%2Fb.ics", "/calendrier/.ics",
    ])
    func unknownPathsHaveNoRoute(path: String) {
        #expect(Self.table.resolve(path) == nil)
    }

    @Test func routeParametersAreTyped() throws {
        let (route, parameters) = try #require(Self.table.resolve("/admin/organisations/42"))
        #expect(route.group == .page)
        #expect(parameters.id("organisation_id") == 42)
        #expect(route.allowedMethods == ["GET", "HEAD", "PATCH"])  // PATCH: « Organisation » (admin.md §2)
        let signIn = try #require(Self.table.resolve("/agents/sign_in")).route
        #expect(signIn.allowedMethods == ["GET", "HEAD", "POST"])
    }

    /// Every link the messages carry (Domain's SitePath) prints with the same template syntax
    /// as the routes (the pages behind most of them come with their issues).
    @Test func messageLinksUseTheRouteSyntax() {
        let links = SiteLinks(publicURL: "https://rdv.example.fr/")
        #expect(links.userAppointment(id: 12, token: "abc") == "https://rdv.example.fr/r/12/abc")
        #expect(links.userReschedule(id: 12, token: "abc", withScheme: false) == "rdv.example.fr/r/12/cr?tkn=abc")
        #expect(links.rebook(token: "abc") == "https://rdv.example.fr/prdv?tkn=abc")
        #expect(links.agentAppointment(organisationID: 3, appointmentID: 9)
            == "https://rdv.example.fr/admin/organisations/3/rdvs/9")
        #expect(links.calendarFeed(uid: "x-1") == "https://rdv.example.fr/calendrier/x-1.ics")
        #expect(RoutePattern(SitePath.userAppointment).path(["rdv_id": "12", "tkn": "abc"]) == "/r/12/abc")
        #expect(links.calendarFeed(uid: "x-1").hasSuffix(SiteURL.calendarFeed(uid: "x-1").path))
    }

    @Test func urlEncodedFormsKeepOrderRepeatedKeysAndArrays() throws {
        let form = try FormData(urlEncoded: "email=a%40b.fr&name=Jean+Dupont&tag[]=1&tag[]=2&tag=3&empty=&flag")
        #expect(form["email"] == "a@b.fr")
        #expect(form["name"] == "Jean Dupont")
        #expect(form.values("tag") == ["1", "2", "3"])
        #expect(form["empty"] == "")
        #expect(form["flag"] == "")
        #expect(try FormData(urlEncoded: "q=%C3%A9t%C3%A9")["q"] == "été")
    }

    @Test(arguments: ["a=%zz", "a=%4", "a=%C3%28", "%"])
    func malformedFormsAreDecodingErrors(body: String) {
        #expect(throws: FormData.DecodingError.self) { try FormData(urlEncoded: body) }
    }
}

@Suite("Multipart forms")
struct MultipartFormTests {
    @Test func fieldsAndFilesAreDecoded() throws {
        let body = Array(
            ("--XyZ\r\nContent-Disposition: form-data; name=\"authenticity_token\"\r\n\r\nabc\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"zones.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + "city_code;name\r\n62041;Arras\r\n--XyZ--\r\n").utf8)
        let boundary = try #require(MultipartForm.boundary(contentType: "multipart/form-data; boundary=\"XyZ\""))
        let form = try MultipartForm(body: body, boundary: boundary)
        #expect(form.fields["authenticity_token"] == "abc")
        #expect(
            form.files == [
                .init(
                    field: "file", filename: "zones.csv", contentType: "text/csv",
                    data: Array("city_code;name\r\n62041;Arras".utf8))
            ])
    }

    @Test(arguments: [
        "no boundary at all", "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated",
        "--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--", "--XyZ garbage",
    ])
    func malformedBodiesAreRefused(body: String) {
        #expect(throws: FormData.DecodingError.self) { try MultipartForm(body: Array(body.utf8), boundary: "XyZ") }
    }

    @Test func onlyMultipartFormDataHasABoundary() {
        #expect(MultipartForm.boundary(contentType: "multipart/mixed; boundary=a") == nil)
        #expect(MultipartForm.boundary(contentType: "multipart/form-data") == nil)
        #expect(MultipartForm.boundary(contentType: "Multipart/Form-Data; charset=utf-8; boundary=b1") == "b1")
    }
}
