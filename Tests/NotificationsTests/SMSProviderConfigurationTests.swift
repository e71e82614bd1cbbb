import Domain
import Foundation
import Notifications
import Testing

@Suite("SMS provider configuration")
struct SMSProviderConfigurationTests {
    static let httpJSON = SMSProviderConfiguration.HTTPJSON(
        url: "https://api.example.fr/v3/transactionalSMS/sms", apiKey: "k3y", sender: "RDV62")
    static let mailToSMS = SMSProviderConfiguration.MailToSMS(
        gatewayDomain: "sms.example.fr", numberFormat: .international, from: "sms@rdv.example.fr")

    @Test func theJSONNamesItsProviderAndDefaultsTheKeyHeader() throws {
        let json = try SMSProviderConfiguration.httpJSON(Self.httpJSON).json()
        #expect(
            json
                == #"{"api_key":"k3y","api_key_header":"api-key","provider":"http_json","sender":"RDV62","url":"https://api.example.fr/v3/transactionalSMS/sms"}"#
        )
        #expect(try SMSProviderConfiguration(json: json) == .httpJSON(Self.httpJSON))
        let minimal = #"{"provider":"http_json","url":"https://a.fr/sms","api_key":"k","sender":"RDV"}"#
        #expect(
            try SMSProviderConfiguration(json: minimal)
                == .httpJSON(.init(url: "https://a.fr/sms", apiKey: "k", sender: "RDV")))
        let mail = try SMSProviderConfiguration.mailToSMS(Self.mailToSMS).json()
        #expect(
            mail
                == #"{"from":"sms@rdv.example.fr","gateway_domain":"sms.example.fr","number_format":"international","provider":"mail_to_sms"}"#
        )
        #expect(try SMSProviderConfiguration(json: mail) == .mailToSMS(Self.mailToSMS))
        #expect(throws: DecodingError.self) { try SMSProviderConfiguration(json: #"{"provider":"dev"}"#) }
    }

    @Test func validConfigurationsHaveNoIssues() {
        #expect(SMSProviderConfiguration.httpJSON(Self.httpJSON).validate().isEmpty)
        #expect(SMSProviderConfiguration.mailToSMS(Self.mailToSMS).validate().isEmpty)
    }

    @Test func httpJSONFieldsAreCheckedWithFrenchMessages() {
        let bad = SMSProviderConfiguration.HTTPJSON(
            url: "ftp://sms.example.fr", apiKey: " ", apiKeyHeader: "api key", sender: "RDV Solidarités")
        #expect(
            bad.validate().map(\.description) == [
                "error api_key: doit être rempli(e)",
                "error url: doit être une adresse commençant par https:// ou http://",
                "error api_key_header: n'est pas un nom d'en-tête HTTP valide",
                "error sender: doit comporter au plus 11 lettres ou chiffres, sans espace ni accent",
            ])
        let tooLong = SMSProviderConfiguration.HTTPJSON(url: "https://a.fr", apiKey: "k", sender: "ABCDEFGHIJKL")
        #expect(tooLong.validate().map(\.field) == ["sender"])
        let empty = SMSProviderConfiguration.HTTPJSON(url: "", apiKey: "k", apiKeyHeader: "", sender: "")
        #expect(
            empty.validate().map(\.description) == [
                "error url: doit être rempli(e)", "error api_key_header: doit être rempli(e)",
                "error sender: doit être rempli(e)",
            ])
    }

    @Test func mailToSMSFieldsAreCheckedWithFrenchMessages() {
        let bad = SMSProviderConfiguration.MailToSMS(gatewayDomain: "sms_gw", numberFormat: .national, from: "nobody")
        #expect(
            bad.validate().map(\.description) == [
                "error gateway_domain: n'est pas un nom de domaine valide",
                "error from: n'est pas une adresse e-mail valide",
            ])
    }

    @Test func theFactoryBuildsTheConfiguredProviderOrRefusesPermanently() throws {
        let clock = FixedClock(Date(timeIntervalSince1970: 0))
        let http = try SMSProviderConfiguration.httpJSON(Self.httpJSON).makeProvider(smtp: nil, clock: clock)
        #expect(http.name == "http_json")
        #expect((http as? HTTPJSONSMSProvider)?.sender == "RDV62")
        let smtp = SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: 25))
        let mail = try SMSProviderConfiguration.mailToSMS(Self.mailToSMS).makeProvider(smtp: smtp, clock: clock)
        #expect((mail as? MailToSMSProvider)?.address(for: "+33612345678") == "33612345678@sms.example.fr")
        #expect(throws: SMSError.permanent("mail_to_sms a besoin d'un serveur SMTP (RDV_SMTP_URL)")) {
            try SMSProviderConfiguration.mailToSMS(Self.mailToSMS).makeProvider(smtp: nil, clock: clock)
        }
        var invalid = Self.httpJSON
        invalid.sender = ""
        #expect(throws: SMSError.permanent("configuration SMS invalide : sender doit être rempli(e)")) {
            try SMSProviderConfiguration.httpJSON(invalid).makeProvider(smtp: nil, clock: clock)
        }
    }
}
