import Domain
import Foundation
import Notifications
import Testing

@Suite("Mail-to-SMS provider against a real SMTP server", .serialized)
struct MailToSMSProviderTests {
    static let clock = FixedClock(Date(timeIntervalSince1970: 1_764_061_200))

    func provider(_ format: MailToSMSProvider.NumberFormat, port: UInt16 = 1) -> MailToSMSProvider {
        MailToSMSProvider(
            gatewayDomain: "sms.example.fr", numberFormat: format, from: "RDV Solidarités <sms@rdv.example.fr>",
            smtp: SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: port, startTLS: .off)),
            clock: Self.clock)
    }

    @Test func theTextArrivesAsThePlainBodyOfAnEmailToTheNationalNumberAtTheGateway() throws {
        let sink = try SMTPSink()
        let text = "RDV PMI vendredi 10/12 à 13h10.\nMDS Centre\n.\nInfos et annulation: rdv.example.fr/r/12/Ab3dE5gH"
        let result = try provider(.national, port: sink.port).send(
            to: "+33612345678", text: text, tag: "rdv_created", idempotencyKey: "rdv_created:12:u7:sms")
        #expect(result == SMSResult(status: .sent, providerMessageID: nil, parts: 1))
        let mail = try #require(try sink.messages().first)
        #expect(mail["rcpt"] as? String == "0612345678@sms.example.fr")
        #expect(mail["to"] as? String == "0612345678@sms.example.fr")
        #expect(mail["parts"] as? [String] == ["text/plain"])
        #expect(mail["subject"] is NSNull)
        #expect(
            mail["message_id"] as? String
                == MailMessage.messageIDHeader(key: "rdv_created:12:u7:sms", host: "rdv.example.fr"))
        #expect(mail["text"] as? String == text)
    }

    @Test(arguments: [
        (MailToSMSProvider.NumberFormat.national, "+33612345678", "0612345678@sms.example.fr"),
        (.international, "+33612345678", "33612345678@sms.example.fr"),
        (.national, "+262692123456", "0692123456@sms.example.fr"),
        (.international, "+262692123456", "262692123456@sms.example.fr"),
    ])
    func gatewayAddresses(format: MailToSMSProvider.NumberFormat, e164: String, address: String) {
        #expect(provider(format).address(for: e164) == address)
    }

    @Test func anUnreachableSMTPServerIsTransientAndAForeignNumberPermanent() {
        do {
            _ = try provider(.national).send(to: "+33612345678", text: "x", tag: "t", idempotencyKey: "k")
            Issue.record("expected a failure")
        } catch let error as SMSError {
            #expect(!error.isPermanent)
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: SMSError.permanent("the recipient is not a French phone number")) {
            try provider(.national).send(to: "+4915112345678", text: "x", tag: "t", idempotencyKey: "k")
        }
    }
}
