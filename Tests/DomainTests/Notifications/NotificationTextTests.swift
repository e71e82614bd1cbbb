import Domain
import Foundation
import Testing

@Suite("Notification texts: SMS and e-mails (notifications.md §5–§6, §8)")
struct NotificationTextTests {
    static let link = "Infos et annulation: rdv.example.fr/r/123456/Ab3dE5gH"
    static let noPhone = NotifiedOrganisation(id: 3, name: "MDS Arras", phoneNumber: nil)

    static func sms(_ messages: [PlannedMessage]) -> String? { messages.first { $0.channel == .sms }?.body }
    static func mail(_ messages: [PlannedMessage]) -> PlannedMessage? {
        messages.first { $0.channel == .mail && $0.recipient.kind == .user }
    }

    struct SMSCase: Sendable, CustomTestStringConvertible {
        var label: String
        var plan: @Sendable () -> [PlannedMessage]
        var expected: String
        var testDescription: String { label }
    }

    static let collective = NF.appointment(name: "Atelier portage")
    static let smsTable: [SMSCase] = [
        SMSCase(
            label: "created, public office (S49, the spec's 140-character example)",
            plan: { NF.plan(.rdvCreated) },
            expected: "RDV PMI vendredi 10/12 à 13h10.\nMDS Centre (10 rue d'Ici 62000 Arras)\n\(link) / 03 21 00 00 00"
        ),
        SMSCase(
            label: "updated, public office",
            plan: { NF.plan(.rdvUpdated, previous: NF.appointment(startsAt: instant("2021-12-09T10:00:00+01:00"))) },
            expected:
                "RDV modifié: PMI vendredi 10/12 à 13h10.\nMDS Centre (10 rue d'Ici 62000 Arras)\n\(link) / 03 21 00 00 00"
        ),
        SMSCase(
            label: "reminder, public office",
            plan: { NF.plan(.rdvUpcomingReminder, author: .system) },
            expected:
                "Rappel RDV PMI le vendredi 10/12 à 13h10.\nMDS Centre (10 rue d'Ici 62000 Arras)\n\(link) / 03 21 00 00 00"
        ),
        SMSCase(
            label: "cancelled with a phone",
            plan: { NF.plan(.rdvCancelled, appointment: NF.appointment(status: .revoked)) },
            expected:
                "RDV PMI vendredi 10/12 à 13h10 a été annulé.\nAppelez le 03 21 00 00 00 ou allez sur rdv.example.fr/prdv?tkn=Ab3dE5gH pour reprendre RDV."
        ),
        SMSCase(
            label: "cancelled without any phone",
            plan: {
                NF.plan(
                    .rdvCancelled, appointment: NF.appointment(status: .revoked, place: nil),
                    motif: NF.motif(location: .phone), organisation: noPhone)
            },
            expected:
                "RDV PMI vendredi 10/12 à 13h10 a été annulé.\nAllez sur rdv.example.fr/prdv?tkn=Ab3dE5gH pour reprendre RDV."
        ),
        SMSCase(
            label: "participation cancelled in a collective appointment",
            plan: {
                NF.plan(
                    .rdvCancelled, appointment: collective,
                    participants: [NF.participant(status: .revoked, before: .unknown)], motif: NF.motif(collectif: true)
                )
            },
            expected:
                "Votre participation au RDV PMI : Atelier portage, vendredi 10/12 à 13h10 a été annulée.\nAppelez le 03 21 00 00 00 ou allez sur rdv.example.fr/prdv?tkn=Ab3dE5gH pour reprendre RDV."
        ),
        SMSCase(
            label: "waiting list",
            plan: { NF.plan(.newCreneauAvailable, author: .system) },
            expected:
                "RDV PMI: des créneaux se sont libérés.\nPour voir les disponibilités: rdv.example.fr/r/123456/cr?tkn=Ab3dE5gH"
        ),
        SMSCase(
            label: "created, phone appointment: the organisation's phone",
            plan: { NF.plan(.rdvCreated, appointment: NF.appointment(place: nil), motif: NF.motif(location: .phone)) },
            expected: "RDV PMI vendredi 10/12 à 13h10.\nRDV téléphonique\n\(link) / 03 21 99 99 99"),
        SMSCase(
            label: "created, home appointment: « vers »",
            plan: { NF.plan(.rdvCreated, appointment: NF.appointment(place: nil), motif: NF.motif(location: .home)) },
            expected: "RDV PMI vendredi 10/12 vers 13h10.\nRDV à votre domicile\n\(link) / 03 21 99 99 99"),
        SMSCase(
            label: "created, visio, no phone at all",
            plan: {
                NF.plan(
                    .rdvCreated, appointment: NF.appointment(place: nil), motif: NF.motif(location: .visio),
                    organisation: noPhone)
            },
            expected: "RDV PMI vendredi 10/12 à 13h10.\nRDV par visioconférence\n\(link)"),
        SMSCase(
            label: "created, collective with an intitulé",
            plan: { NF.plan(.rdvCreated, appointment: collective, motif: NF.motif(collectif: true)) },
            expected:
                "RDV PMI : Atelier portage, vendredi 10/12 à 13h10.\nMDS Centre (10 rue d'Ici 62000 Arras)\n\(link) / 03 21 00 00 00"
        ),
        SMSCase(
            label: "reminder, intitulé over 50 characters cut with « ... », then the place name alone",
            plan: {
                NF.plan(
                    .rdvUpcomingReminder,
                    appointment: NF.appointment(name: "Atelier collectif de préparation à la naissance et parentalité"),
                    author: .system, motif: NF.motif(collectif: true))
            },
            expected:
                "Rappel RDV PMI : Atelier collectif de préparation à la naissance et..., le vendredi 10/12 à 13h10.\nMDS Centre\n\(link) / 03 21 00 00 00"
        ),
        SMSCase(
            label: "created, follow-up motif: « avec M. DURAND »",
            plan: {
                NF.plan(
                    .rdvCreated, agents: [NotifiedAgent(id: 10, firstName: "Marie", lastName: "Durand", email: nil)],
                    motif: NF.motif(followUp: true))
            },
            expected:
                "RDV PMI vendredi 10/12 à 13h10.\nMDS Centre (10 rue d'Ici 62000 Arras) avec M. DURAND\n\(link) / 03 21 00 00 00"
        ),
        SMSCase(
            label: "created, instance label line",
            plan: {
                NF.plan(
                    .rdvCreated, appointment: NF.appointment(place: nil), motif: NF.motif(location: .visio),
                    organisation: noPhone,
                    settings: NotificationSettings(
                        publicURL: "https://rdv.example.fr/", timeZone: paris, instanceLabel: "DEMO"))
            },
            expected: "DEMO\nRDV PMI vendredi 10/12 à 13h10.\nRDV par visioconférence\n\(link)"),
    ]

    @Test("The exact SMS text of each event and location type", arguments: smsTable)
    func smsText(row: SMSCase) {
        // Given the row's appointment
        // When it is planned
        let text = Self.sms(row.plan())
        // Then the SMS is the spec's template, literally, without the motif name (S51)
        #expect(text == row.expected)
        #expect(text?.contains("Dépistage") == false)
    }

    @Test(
        "The common confirmation, change and reminder of a place-based appointment fit one SMS",
        arguments: [NotificationEvent.rdvCreated, .rdvUpdated, .rdvUpcomingReminder])
    func oneSMS(event: NotificationEvent) {
        // Given the S49 appointment
        // When its SMS is built
        let text =
            Self.sms(
                NF.plan(
                    event, previous: NF.appointment(startsAt: instant("2021-12-09T10:00:00+01:00")), author: .system))
            ?? ""
        // Then it is at most 160 septets, one SMS; the confirmation is the spec's 140
        #expect(GSM7.septetCount(text) <= 160)
        #expect(GSM7.smsCount(text) == 1)
        if event == .rdvCreated { #expect(GSM7.septetCount(text) == 140) }
    }

    @Test("Over 160 characters the place's full name becomes its name alone (S99)")
    func longPlace() {
        // Given « Espace Cœur de Ville » with a short, then a long address
        let short = NotifiedPlace(
            id: 6, name: "Espace Cœur de Ville", address: "2 rue de l'Hôtel de Ville", phoneNumber: "0321000000")
        let long = NotifiedPlace(
            id: 6, name: "Espace Cœur de Ville", address: "2 rue de l'Hôtel de Ville, Bâtiment B, 3e étage 62000 Arras",
            phoneNumber: "0321000000")
        // When the confirmation SMS is built
        let first = Self.sms(NF.plan(.rdvCreated, appointment: NF.appointment(place: short)))
        let second = Self.sms(NF.plan(.rdvCreated, appointment: NF.appointment(place: long))) ?? ""
        // Then the full name is normalised (« é » and « à » kept), then the address is dropped
        #expect(
            first
                == "RDV PMI vendredi 10/12 à 13h10.\nEspace Coeur de Ville (2 rue de l'Hotel de Ville)\n\(Self.link) / 03 21 00 00 00"
        )
        #expect(second == "RDV PMI vendredi 10/12 à 13h10.\nEspace Coeur de Ville\n\(Self.link) / 03 21 00 00 00")
        #expect(GSM7.septetCount(second) <= 160)
    }

    struct GSMCase: Sendable, CustomTestStringConvertible {
        var input: String
        var expected: String
        var testDescription: String { input }
    }

    static let gsm: [GSMCase] = [
        GSMCase(input: "é è à ù ì ò É Ç", expected: "é è à ù ì ò É Ç"),
        GSMCase(input: "ä ö ñ ü Ä Ö Ñ Ü Å å ß", expected: "ä ö ñ ü Ä Ö Ñ Ü Å å ß"),
        GSMCase(input: "Cœur ŒUVRE", expected: "Coeur OEUVRE"),
        GSMCase(input: "âêëîïôûçáíóúãõ", expected: "aeeiioucaiouao"),
        GSMCase(input: "ÀÂÈÊËÎÏÔÙÛ", expected: "AAEEEIIOUU"),
        GSMCase(input: "l’été ‘x’", expected: "l'été 'x'"),
        GSMCase(input: "« oui » “non”", expected: "\" oui \" \"non\""),
        GSMCase(input: "a – b — c…", expected: "a - b - c..."),
        GSMCase(input: "10\u{00A0}h\u{202F}30", expected: "10 h 30"),
        GSMCase(input: "€ [ ] { } \\ ^ ~ |", expected: "€ [ ] { } \\ ^ ~ |"),
        GSMCase(input: "Łódź 😀 ok", expected: "odz  ok"),
        GSMCase(input: "e\u{0301}te\u{0302}", expected: "éte"),
    ]

    @Test("GSM-7 normalisation (notifications.md §6)", arguments: gsm)
    func normalisation(row: GSMCase) {
        // Given a text with non-GSM characters
        // When it is normalised
        // Then the spec's replacements apply
        #expect(GSM7.normalise(row.input) == row.expected)
    }

    @Test("Extension characters count as two septets")
    func septets() {
        // Given the nine extension characters and plain text
        // Then each counts twice, the rest once
        #expect(GSM7.septetCount("€[]{}\\^~|") == 18)
        #expect(GSM7.septetCount("RDV é") == 5)
        #expect(GSM7.smsCount(String(repeating: "a", count: 161)) == 2)
        #expect(GSM7.smsCount(String(repeating: "a", count: 307)) == 3)
    }
}
