import Domain
import Foundation
import Testing

@Suite("HTML part of e-mails: the text part's content, escaped (notifications.md §8)")
struct MailHTMLTests {
    static let th = "<th style=\"text-align:left;vertical-align:top;padding:4px 16px 4px 0\">"
    static let td = "<td style=\"padding:4px 0\">"
    static let link =
        "style=\"display:inline-block;padding:10px 16px;background:#000091;color:#ffffff;text-decoration:none;border-radius:4px\""

    static func row(_ label: String, _ value: String) -> String { "<tr>\(th)\(label)</th>\(td)\(value)</td></tr>" }

    static func document(title: String, _ body: [String]) -> String {
        ([
            "<!DOCTYPE html>", "<html lang=\"fr\">",
            "<head><meta charset=\"utf-8\"><title>\(title)</title></head>",
            "<body style=\"font-family:Arial,sans-serif;color:#161616\">",
        ] + body + ["<p>L&#39;équipe RDV Service Public</p>", "</body>", "</html>"]).joined(separator: "\n") + "\n"
    }

    @Test("User confirmation: paragraphs, the recap table, the button, the footer")
    func userCreated() {
        // Given the S49 confirmation
        let mail = NotificationMailTests.userMail(NF.plan(.rdvCreated))
        // Then
        #expect(
            mail?.html
                == Self.document(
                    title: "RDV confirmé le vendredi 10 décembre 2021 à 13h10",
                    [
                        "<p>Votre RDV du vendredi 10 décembre 2021 à 13h10 a été confirmé.</p>",
                        "<table role=\"presentation\" style=\"border-collapse:collapse\">",
                        Self.row("Date", "vendredi 10 décembre 2021 à 13h10"),
                        Self.row("Usager(s)", "Jeanne DUPONT"),
                        Self.row("Motif", "Dépistage IST"),
                        Self.row("Service", "PMI (Protection Maternelle Infantile)"),
                        Self.row("Durée", "30 minutes"),
                        Self.row("Lieu", "MDS Centre (10 rue d&#39;Ici 62000 Arras)"),
                        "</table>",
                        "<p>Vous pouvez annuler ce rendez-vous en ligne jusqu&#39;à 4 heures avant. "
                            + "Pour toute question, appelez le 03 21 00 00 00.</p>",
                        "<p><a href=\"https://rdv.example.fr/r/123456/Ab3dE5gH\" \(Self.link)>Voir mon rendez-vous</a></p>",
                    ]))
    }

    @Test("Escaping of & < > \" ' everywhere; line breaks inside a paragraph become <br>")
    func escaping() {
        // Given a motif name with HTML characters, and an update (a two-line paragraph)
        let motif = NotifiedMotif(
            name: "Soins \"urgents\" <enfants> & parents", serviceName: "PMI", serviceShortName: "PMI",
            instructionForRdv: "Ligne 1\nLigne <2>")
        let previous = NF.appointment(startsAt: instant("2021-12-09T10:00:00+01:00"))
        // When the user and agent e-mails are built
        let messages = NF.plan(.rdvUpdated, previous: previous, motif: motif)
        let user = NotificationMailTests.userMail(messages)
        let agent = NotificationMailTests.agentMail(messages)
        // Then
        let html = user?.html ?? ""
        #expect(html.contains(Self.row("Motif", "Soins &quot;urgents&quot; &lt;enfants&gt; &amp; parents")))
        #expect(
            html.contains(
                "<p>Votre RDV du jeudi 9 décembre 2021 à 10h00 a été modifié.<br>"
                    + "Ancien lieu : MDS Centre (10 rue d&#39;Ici 62000 Arras)</p>"))
        #expect(!html.contains("<enfants>"))
        #expect(
            agent?.html?.contains(
                "<p><a href=\"https://rdv.example.fr/admin/organisations/3/rdvs/123456\" \(Self.link)>"
                    + "Voir sur RDV Service Public</a></p>") == true)
        // And the instruction's line break, in a reminder recap
        let reminder = NotificationMailTests.userMail(NF.plan(.rdvUpcomingReminder, author: .system, motif: motif))
        #expect(reminder?.html?.contains(Self.row("Informations", "Ligne 1<br>Ligne &lt;2&gt;")) == true)
    }

    @Test("Text and HTML carry the same paragraphs for every user e-mail")
    func sameContent() {
        // Given every user e-mail of the S49 appointment
        for event in NotificationEvent.allCases {
            let mail = NotificationMailTests.userMail(
                NF.plan(
                    event, appointment: NF.appointment(status: event == .rdvCancelled ? .revoked : .unknown),
                    participants: [
                        NF.participant(status: event == .rdvCancelled ? .revoked : .unknown, before: .unknown)
                    ], author: .system))
            // Then each text line's wording appears in the HTML (links as their label)
            let html = (mail?.html ?? "").replacingOccurrences(of: "&#39;", with: "'")
            for line in (mail?.body ?? "").split(separator: "\n") {
                let wording = line.components(separatedBy: " : https://").first ?? String(line)
                let cells = wording.components(separatedBy: " : ")
                #expect(cells.allSatisfy { html.contains($0) }, "\(event): \(line)")
            }
        }
    }
}
