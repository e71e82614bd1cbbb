import Domain
import Foundation
import HTTP
import Logging
import Notifications
import Persistence
import Testing

@Suite("HTTP JSON SMS provider against a stub provider", .serialized)
struct HTTPJSONSMSProviderTests {
    static let key = "rdv_created:12:u7:sms"

    func provider(_ base: String, timeout: TimeInterval = 5) -> HTTPJSONSMSProvider {
        HTTPJSONSMSProvider(
            url: URL(string: base + "/v3/transactionalSMS/sms")!, apiKey: "k3y-s3cret", sender: "RDVSOLID",
            timeout: timeout, allowPrivateAddresses: true)
    }

    func error(of body: () throws -> SMSResult) -> SMSError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? SMSError
        }
    }

    @Test func anAcceptedMessageIsSentWithTheSpecifiedJSONAndKeepsTheMessageID() throws {
        try withStubServer([.status(201, body: #"{"reference":"x","messageId":1511882900176220}"#)]) { base, stub in
            // When an SMS with an extension character is sent
            let result = try provider(base).send(
                to: "+33612345678", text: "RDV PMI vendredi 10/12 à 13h10. Tarif 5€", tag: "rdv_created",
                idempotencyKey: Self.key)
            // Then the provider's id is kept and the parts are counted in septets
            #expect(result == SMSResult(status: .sent, providerMessageID: "1511882900176220", parts: 1))
            let request = try #require(stub.requests.first)
            #expect(stub.requests.count == 1)
            #expect(request.method == "POST")
            #expect(request.path == "/v3/transactionalSMS/sms")
            #expect(request.headers["api-key"] == "k3y-s3cret")
            #expect(request.headers["Content-Type"] == "application/json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: String])
            #expect(
                json == [
                    "sender": "RDVSOLID", "recipient": "33612345678",
                    "content": "RDV PMI vendredi 10/12 à 13h10. Tarif 5€",
                    "type": "transactional", "tag": "rdv_created", "reference": Self.key,
                ])
        }
    }

    @Test func aCustomKeyHeaderCarriesTheKey() throws {
        try withStubServer([.status(200)]) { base, stub in
            let provider = HTTPJSONSMSProvider(
                url: URL(string: base + "/sms")!, apiKey: "abc", apiKeyHeader: "X-Api-Key", sender: "RDV",
                allowPrivateAddresses: true)
            let result = try provider.send(to: "+262692123456", text: "x", tag: "rdv_updated", idempotencyKey: "k")
            #expect(result == SMSResult(status: .sent, providerMessageID: nil, parts: 1))
            #expect(stub.requests.first?.headers["X-Api-Key"] == "abc")
            #expect(stub.requests.first?.headers["api-key"] == nil)
        }
    }

    @Test(arguments: [400, 401, 404, 422])
    func aClientErrorIsPermanent(status: Int) throws {
        try withStubServer([.status(status, body: #"{"message":"invalid"}"#)]) { base, _ in
            let error = error { try provider(base).send(to: "+33612345678", text: "x", tag: "t", idempotencyKey: "k") }
            #expect(error == .permanent("the provider refused the message (\(status))"))
        }
    }

    @Test(arguments: [408, 429, 500, 503])
    func throttlingAndServerErrorsAreTransient(status: Int) throws {
        try withStubServer([.status(status)]) { base, _ in
            let error = error { try provider(base).send(to: "+33612345678", text: "x", tag: "t", idempotencyKey: "k") }
            #expect(error == .transient("the provider answered \(status)"))
        }
    }

    @Test func aProviderThatDoesNotAnswerInTimeIsATransientTimeout() throws {
        try withStubServer([.hold]) { base, stub in
            let error = error {
                try provider(base, timeout: 0.3).send(to: "+33612345678", text: "x", tag: "t", idempotencyKey: "k")
            }
            stub.releaseHeld()
            #expect(error == .transient("the provider did not answer in time"))
        }
    }

    /// A redirect is never followed: the POST (and its key) is not replayed elsewhere.
    @Test func aRedirectIsNotFollowed() throws {
        try withStubServer([.redirect("/elsewhere")]) { base, stub in
            let error = error { try provider(base).send(to: "+33612345678", text: "x", tag: "t", idempotencyKey: "k") }
            #expect(error != nil)
            #expect(stub.requests.map(\.path) == ["/v3/transactionalSMS/sms"])
        }
    }

    @Test func anUnreachableProviderIsTransient() throws {
        let provider = HTTPJSONSMSProvider(
            url: URL(string: "http://127.0.0.1:1/sms")!, apiKey: "k", sender: "RDV", allowPrivateAddresses: true)
        let error = error { try provider.send(to: "+33612345678", text: "x", tag: "t", idempotencyKey: "k") }
        #expect(error?.isPermanent == false)
    }

    @Test func aNumberThatIsNotE164IsPermanentAndNothingIsSent() throws {
        try withStubServer([]) { base, stub in
            let error = error { try provider(base).send(to: "06 12", text: "x", tag: "t", idempotencyKey: "k") }
            #expect(error == .permanent("the recipient is not an E.164 number"))
            #expect(stub.requests.isEmpty)
        }
    }
}
