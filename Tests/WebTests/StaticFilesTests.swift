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
        guard case .bytes(let body) = conditional.body else { return }
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
    @Test(arguments: [
        SiteURL.home, .health, .agentSignIn, .agentSignOut, .agentHome, .agentOrganisation(id: 42),
        .asset(path: "css/app.css"),
    ])
    func everyURLRoutesBackToItself(url: SiteURL) {
        #expect(SiteURL(path: url.path) == url)
    }

    @Test(arguments: ["/agents/sign_in/x", "/admin/organisations/abc", "/admin/organisations/0", "/nope", "/agents/"])
    func unknownPathsAreNil(path: String) {
        #expect(SiteURL(path: path) == nil)
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
