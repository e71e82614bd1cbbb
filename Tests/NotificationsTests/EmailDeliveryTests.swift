import Domain
import Foundation
import GRDB
import Logging
import Notifications
@_spi(RawDatabase) import Persistence
import Testing

/// notifications.md §8–§10 end to end: a change plans its e-mails, the scheduler sends them
/// through our SMTP client to a real SMTP server (aiosmtpd), and independent Python parsers read
/// the MIME structure and the ICS (`email`, `icalendar`).
@Suite("E-mail delivery with ICS", .serialized)
struct EmailDeliveryTests {
    let setUp = ReminderHandlerTests().setUp

    func deliver(_ db: AppDatabase, to sink: SMTPSink) throws {
        let client = SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: sink.port, startTLS: .off))
        let scheduler = OutboxScheduler(
            db: db, clock: ManualClock(AppointmentChangeTests.now),
            handlers: [
                "email": EmailHandler(
                    client: client, from: "RDV Service Public <ne-pas-repondre@rdv.example.fr>", host: "rdv.example.fr")
            ], logger: Logger(label: "t"))
        try scheduler.runOnce()
    }

    /// Moved to Tue 2021-05-04 10:00 by the system: the user gets PUBLISH, the agent REQUEST.
    @Test func aMoveSendsTheUserAndTheAgentAnEmailWithAParsableCalendarEvent() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        let sink = try SMTPSink()
        try db.updateAppointment(
            appointmentID: 1, AppointmentUpdate(startsAt: Date(timeIntervalSince1970: 1_620_115_200)), author: .system,
            now: AppointmentChangeTests.now, publicURL: AppointmentChangeTests.url)
        try deliver(db, to: sink)
        let messages = try sink.messages().sorted { ($0["to"] as? String ?? "") > ($1["to"] as? String ?? "") }
        #expect(messages.map { $0["to"] as? String } == ["jean@example.fr", "agent@example.fr"])
        let uuid = try #require(
            try db.writer.read { try String.fetchOne($0, sql: "SELECT uuid FROM appointments WHERE id = 1") })
        for mail in messages {
            #expect(
                mail["parts"] as? [String] == [
                    "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar",
                    "application/ics",
                ])
            #expect(mail["reply_to"] as? String == "mds.arras@example.fr")
            #expect(mail["auto_submitted"] as? String == "auto-generated")
            #expect(mail["attachment_name"] as? String == "invitation.ics")
            #expect(mail["attachment_is_calendar"] as? Bool == true)
            #expect((mail["html"] as? String)?.contains("mardi 4 mai 2021 à 10h00") == true)
            let ics = try SMTPSink.parseCalendar(try #require(mail["calendar"] as? String))
            #expect(ics["uid"] as? String == uuid)
            #expect(ics["sequence"] as? Int == 1)
            #expect(ics["status"] as? String == "CONFIRMED")
            #expect(ics["summary"] as? String == "RDV Consultation")
            #expect(ics["location"] as? String == "10 rue de la Paix, 62000 Arras")
            #expect(ics["tzid"] as? String == "Europe/Paris")
            #expect(ics["timezones"] as? [String] == ["Europe/Paris"])
            #expect(ics["dtstart"] as? String == "2021-05-04T10:00:00+02:00")
            #expect(ics["dtend"] as? String == "2021-05-04T11:00:00+02:00")
            #expect(ics["organizer"] as? String == "mailto:ne-pas-repondre@localhost")
        }
        let user = try SMTPSink.parseCalendar(try #require(messages[0]["calendar"] as? String))
        #expect(messages[0]["subject"] as? String == "RDV du lundi 3 mai 2021 à 09h00 modifié")
        #expect(messages[0]["calendar_method"] as? String == "PUBLISH")
        #expect(user["method"] as? String == "PUBLISH")
        #expect(user["attendees"] as? [String] == [])
        let agent = try SMTPSink.parseCalendar(try #require(messages[1]["calendar"] as? String))
        #expect(messages[1]["calendar_method"] as? String == "REQUEST")
        #expect(agent["method"] as? String == "REQUEST")
        #expect(agent["attendees"] as? [String] == ["mailto:agent@example.fr"])
        #expect(agent["description"] as? String == "https://rdv.example.fr/admin/organisations/1/rdvs/1")
        let receipts = try fetchRows(db, "SELECT result, channel, email_address FROM receipts ORDER BY id")
        #expect(receipts.map { $0["result"] as String } == ["processed", "processed"])
    }

    @Test func aCancellationCarriesACancelEvent() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        let sink = try SMTPSink()
        try db.changeAppointmentStatus(
            appointmentID: 1, to: .excused, author: .user(1), now: AppointmentChangeTests.now,
            publicURL: AppointmentChangeTests.url)
        try deliver(db, to: sink)
        let messages = try sink.messages()
        #expect(messages.count == 2)
        for mail in messages {
            let ics = try SMTPSink.parseCalendar(try #require(mail["calendar"] as? String))
            #expect(ics["method"] as? String == "CANCEL")
            #expect(ics["status"] as? String == "CANCELLED")
            #expect(ics["sequence"] as? Int == 1)
        }
    }

    /// §9.5: a 5xx for the recipient is permanent: that row fails at once with a failure receipt,
    /// the other recipient's message goes.
    @Test func aRecipientTheServerRefusesFailsAtOnceAndAloneWithAReceipt() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.changeAppointmentStatus(
            appointmentID: 1, to: .excused, author: .user(1), now: AppointmentChangeTests.now,
            publicURL: AppointmentChangeTests.url)
        let sink = try SMTPSink(rejectingRecipients: ["jean@example.fr"])
        try deliver(db, to: sink)
        let rows = try fetchRows(
            db, "SELECT payload, status, attempts FROM outbox_messages WHERE kind = 'email' ORDER BY id")
        #expect(rows.map { "\($0["status"] as String)/\($0["attempts"] as Int)" } == ["failed/1", "sent/1"])
        let receipts = try fetchRows(db, "SELECT email_address, result, error_message FROM receipts ORDER BY id")
        #expect(receipts.map { $0["result"] as String } == ["failure", "processed"])
        #expect((receipts.first?["error_message"] as String?)?.contains("550") == true)
        #expect(try sink.messages().map { $0["to"] as? String } == ["agent@example.fr"])
    }

    /// A configuration that cannot work (starttls=required, no STARTTLS offered) fails at once.
    @Test func aRequiredStartTLSTheServerCannotMeetFailsPermanently() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.changeAppointmentStatus(
            appointmentID: 1, to: .excused, author: .user(1), now: AppointmentChangeTests.now,
            publicURL: AppointmentChangeTests.url)
        let sink = try SMTPSink(rejectingEHLO: true)
        // EHLO is refused, HELO works; a required STARTTLS cannot be met: permanent.
        let client = SMTPClient(
            configuration: SMTPConfiguration(host: "127.0.0.1", port: sink.port, startTLS: .required))
        let scheduler = OutboxScheduler(
            db: db, clock: ManualClock(AppointmentChangeTests.now),
            handlers: ["email": EmailHandler(client: client, from: "x@rdv.example.fr", host: "rdv.example.fr")],
            logger: Logger(label: "t"))
        try scheduler.runOnce()
        #expect(
            try fetchRows(db, "SELECT status, attempts FROM outbox_messages WHERE kind = 'email'").map {
                "\($0["status"] as String)/\($0["attempts"] as Int)"
            } == ["failed/1", "failed/1"])
        #expect(
            try fetchRows(db, "SELECT result FROM receipts").map { $0["result"] as String } == ["failure", "failure"])
        #expect(try sink.messages().isEmpty)
    }
}

/// notifications.md §2 rows « opening period / absence created, updated, deleted »: the agent's
/// e-mail with the recurring ICS, through the outbox and a real SMTP server.
@Suite("Opening period and absence e-mails", .serialized)
struct SeriesEmailTests {
    let setUp = ReminderHandlerTests().setUp

    @Test func aWeeklyOpeningPeriodCreatedSendsItsAgentARecurringInvitation() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        let sink = try SMTPSink()
        try db.planSeriesNotifications(
            kind: .openingPeriod, id: 1, change: .created, publicURL: AppointmentChangeTests.url,
            now: AppointmentChangeTests.now)
        try EmailDeliveryTests().deliver(db, to: sink)
        let mail = try #require(try sink.messages().first)
        #expect(mail["to"] as? String == "agent@example.fr")
        #expect(mail["subject"] as? String == "RDV Service Public - Plage d'ouverture créée - Permanence")
        #expect(mail["calendar_method"] as? String == "REQUEST")
        let calendar = try #require(mail["calendar"] as? String)
        let ics = try SMTPSink.parseCalendar(calendar)
        #expect(ics["uid"] as? String == "plage_ouverture_1@rdv.example.fr")
        #expect(ics["summary"] as? String == "Permanence")
        #expect(ics["dtstart"] as? String == "2021-05-03T09:00:00+02:00")
        #expect(ics["dtend"] as? String == "2021-05-03T11:20:00+02:00")
        let lines = ICalendar.unfold(calendar)
        #expect(lines.contains { $0.hasPrefix("RRULE:FREQ=WEEKLY") && $0.contains("BYDAY=MO") })
        #expect(lines.contains { $0.hasPrefix("EXDATE;TZID=Europe/Paris:20210510T090000") })
        let receipt = try #require(try fetchRows(db, "SELECT event, result FROM receipts").first)
        #expect(receipt["event"] == "plage_ouverture_created")
        #expect(receipt["result"] == "processed")
    }

    @Test func anAgentWhoTurnedAbsenceEmailsOffGetsNone() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.planSeriesNotifications(
            kind: .absence, id: 1, change: .updated, publicURL: AppointmentChangeTests.url,
            now: AppointmentChangeTests.now)
        #expect(
            try fetchRows(db, "SELECT payload FROM outbox_messages WHERE kind = 'email'").compactMap {
                try JSONDecoder().decode(RenderedMessage.self, from: Data(($0["payload"] as String).utf8)).subject
            } == ["RDV Service Public - Indisponibilité modifiée - Formation"])
        // A second change in the same second is a second message (sequence 2), with SEQUENCE:2.
        try db.planSeriesNotifications(
            kind: .absence, id: 1, change: .updated, publicURL: AppointmentChangeTests.url,
            now: AppointmentChangeTests.now)
        let payloads = try fetchRows(db, "SELECT payload, idempotency_key FROM outbox_messages WHERE kind = 'email'")
        let keys = payloads.map { $0["idempotency_key"] as String }
        #expect(keys.count == 2)
        #expect(keys.first.map { $0.hasPrefix("absence_updated:1:") && $0.hasSuffix(":s1:agent-1:mail") } == true)
        #expect(keys.last.map { $0.hasSuffix(":s2:agent-1:mail") } == true)
        let last = try JSONDecoder().decode(RenderedMessage.self, from: Data((payloads[1]["payload"] as String).utf8))
        #expect(last.ics.map { ICalendar.unfold($0).contains("SEQUENCE:2") } == true)
        try db.writer.write { try $0.execute(sql: "UPDATE agents SET absence_notification_level = 'none'") }
        try db.planSeriesNotifications(
            kind: .absence, id: 1, change: .destroyed, publicURL: AppointmentChangeTests.url,
            now: AppointmentChangeTests.now)
        #expect(try fetchRows(db, "SELECT id FROM outbox_messages WHERE kind = 'email'").count == 2)
    }
}

/// notifications.md §8 account e-mails go through the same outbox: a sign-in code is planned,
/// delivered over SMTP and receipted.
@Suite("Account e-mails through the outbox", .serialized)
struct AccountEmailDeliveryTests {
    @Test func aSignInCodeIsDeliveredWithItsCodeAndReceipted() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sink = try SMTPSink()
        let mail = try #require(
            MailPlanner.signInCode(
                address: "jean@example.fr", code: "482913", codeID: 7, issuedAt: AppointmentChangeTests.now,
                settings: NotificationSettings(
                    publicURL: "https://rdv.example.fr", timeZone: TimeZone(identifier: "Europe/Paris")!)))
        try db.planMails([mail], now: AppointmentChangeTests.now)
        try db.planMails([mail], now: AppointmentChangeTests.now)  // planned twice, sent once
        try EmailDeliveryTests().deliver(db, to: sink)
        let messages = try sink.messages()
        #expect(messages.count == 1)
        #expect(messages.first?["subject"] as? String == "Votre code de connexion RDV Service Public")
        #expect((messages.first?["text"] as? String)?.contains("482913") == true)
        #expect((messages.first?["html"] as? String)?.contains("482913") == true)
        let receipt = try #require(try fetchRows(db, "SELECT event, result FROM receipts").first)
        #expect(receipt["event"] == "sign_in_code")
        #expect(receipt["result"] == "processed")
    }
}
