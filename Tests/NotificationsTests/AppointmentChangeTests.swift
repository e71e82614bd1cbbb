import Cryptography
import Domain
import Foundation
import GRDB
import HTTP
import Logging
import Notifications
@_spi(RawDatabase) import Persistence
import Testing

/// Status changes, moves, agent changes and « Envoyer un rappel » plan their messages and their
/// reminder in the change's transaction (notifications.md §2, §4). The contract example: Jean
/// Dupont (mobile + e-mail) at MDS Centre on Mon 2021-05-03 09:00 Paris with Alice Martin
/// (`others`), imported on 2021-04-20.
@Suite("Appointment changes", .serialized)
struct AppointmentChangeTests {
    static let now = Date(timeIntervalSince1970: 1_618_905_600)  // 2021-04-20T08:00:00Z
    static let start = Date(timeIntervalSince1970: 1_620_025_200)  // 2021-05-03T07:00:00Z
    static let url = "https://rdv.example.fr"
    let setUp = ReminderHandlerTests().setUp

    struct Row: Equatable, CustomStringConvertible {
        var kind: String
        var key: String
        var status: String
        var description: String { "\(kind) \(key) \(status)" }
    }

    func outbox(_ db: AppDatabase) throws -> [Row] {
        try db.writer.read { db in
            try GRDB.Row.fetchAll(db, sql: "SELECT kind, idempotency_key, status FROM outbox_messages ORDER BY id").map
            {
                Row(kind: $0["kind"], key: $0["idempotency_key"], status: $0["status"])
            }
        }
    }

    func payloads(_ db: AppDatabase, event: String) throws -> [RenderedMessage] {
        try db.writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT payload FROM outbox_messages WHERE kind IN ('email', 'sms') ORDER BY id")
        }.map { try JSONDecoder().decode(RenderedMessage.self, from: Data($0.utf8)) }.filter { $0.event == event }
    }

    static let reminder = "reminder:1:2021-05-03T07:00:00Z"

    @Test func anAgentRevokingNotifiesTheUserByMailAndSMSAndCancelsTheReminder() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.changeAppointmentStatus(
            appointmentID: 1, to: .revoked, author: .agent(1), now: Self.now, publicURL: Self.url)
        #expect(
            try outbox(db) == [
                Row(kind: "reminder", key: Self.reminder, status: "cancelled"),
                Row(kind: "email", key: "rdv_cancelled:1:2021-05-03T07:00:00Z:s1:user-1:mail", status: "pending"),
                Row(kind: "sms", key: "rdv_cancelled:1:2021-05-03T07:00:00Z:s1:user-1:sms", status: "pending"),
            ])  // Alice is the author with level `others`: no agent e-mail
        let mail = try #require(try payloads(db, event: "rdv_cancelled").first)
        #expect(mail.subject == "RDV annulé le lundi 3 mai 2021 à 09h00 avec MDS Arras")
        #expect(mail.body.hasPrefix("Votre RDV a été annulé pour raison administrative."))
        #expect(mail.calendarMethod == "CANCEL")
        #expect(mail.appointmentID == 1)
        // The same status again changes nothing and plans nothing.
        try db.changeAppointmentStatus(
            appointmentID: 1, to: .revoked, author: .agent(1), now: Self.now, publicURL: Self.url)
        #expect(try outbox(db).count == 3)
    }

    @Test func aUserCancellingGetsTheEmailOnlyAndTheAgentIsTold() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.changeAppointmentStatus(
            appointmentID: 1, to: .excused, author: .user(1), now: Self.now, publicURL: Self.url)
        let messages = try payloads(db, event: "rdv_cancelled")
        #expect(messages.map(\.recipient) == ["jean@example.fr", "agent@example.fr"])
        #expect(messages.first?.body.hasPrefix("Votre RDV a été annulé à votre demande.") == true)
        #expect(messages.last?.subject?.hasPrefix("RDV annulé") == true)
    }

    @Test func reactivatingConfirmsAgainAndPlansTheSameReminderAgain() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.changeAppointmentStatus(
            appointmentID: 1, to: .revoked, author: .agent(1), now: Self.now, publicURL: Self.url)
        try db.changeAppointmentStatus(
            appointmentID: 1, to: .unknown, author: .agent(1), now: Self.now, publicURL: Self.url)
        let rows = try outbox(db)
        #expect(rows.first == Row(kind: "reminder", key: Self.reminder, status: "pending"))
        #expect(
            rows.filter { $0.key.hasPrefix("rdv_created") }.map(\.key) == [
                "rdv_created:1:2021-05-03T07:00:00Z:s2:user-1:mail", "rdv_created:1:2021-05-03T07:00:00Z:s2:user-1:sms",
            ])
        let status = try db.writer.read { try String.fetchOne($0, sql: "SELECT status FROM participations") }
        #expect(status == "unknown")
    }

    @Test func seenAndNoShowNotifyNobody() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.changeAppointmentStatus(
            appointmentID: 1, to: .seen, author: .agent(1), now: Self.now, publicURL: Self.url)
        #expect(try outbox(db).map(\.kind) == ["reminder"])
    }

    /// Tue 2021-05-04 10:00: Mon 3 (1), Sun 2 skipped, Sat 1 May holiday, Fri 30 Apr (2).
    @Test func movingReplansTheReminderAndTellsTheUserOfTheOldAndNewDates() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        let newStart = Date(timeIntervalSince1970: 1_620_115_200)  // 2021-05-04T08:00:00Z
        try db.updateAppointment(
            appointmentID: 1, AppointmentUpdate(startsAt: newStart), author: .agent(1), now: Self.now,
            publicURL: Self.url)
        let rows = try outbox(db)
        #expect(rows.first == Row(kind: "reminder", key: Self.reminder, status: "cancelled"))
        #expect(rows.contains(Row(kind: "reminder", key: "reminder:1:2021-05-04T08:00:00Z", status: "pending")))
        let due = try db.writer.read {
            try Int64.fetchOne(
                $0, sql: "SELECT due_at FROM outbox_messages WHERE idempotency_key = 'reminder:1:2021-05-04T08:00:00Z'")
        }
        #expect(due == 1_619_769_600)  // 2021-04-30T08:00:00Z = Fri 10:00 Paris
        let mail = try #require(try payloads(db, event: "rdv_updated").first { $0.channel == "mail" })
        #expect(mail.subject == "RDV du lundi 3 mai 2021 à 09h00 modifié")
        #expect(mail.body.contains("mardi 4 mai 2021 à 10h00"))
        let sms = try #require(try payloads(db, event: "rdv_updated").first { $0.channel == "sms" })
        #expect(sms.body.hasPrefix("RDV modifié: PMI mardi 04/05 à 10h00."))
        #expect(
            try db.writer.read { try Int64.fetchOne($0, sql: "SELECT starts_at FROM appointment_agents") }
                == 1_620_115_200)
        // Moving back: the cancelled, unsent reminder of the first start is pending again.
        try db.updateAppointment(
            appointmentID: 1, AppointmentUpdate(startsAt: Self.start), author: .agent(1), now: Self.now,
            publicURL: Self.url)
        let again = try outbox(db)
        #expect(again.first == Row(kind: "reminder", key: Self.reminder, status: "pending"))
        #expect(again.contains(Row(kind: "reminder", key: "reminder:1:2021-05-04T08:00:00Z", status: "cancelled")))
        // Two distinct changes of one start are two messages (change ids s1, s2).
        #expect(try payloads(db, event: "rdv_updated").count == 4)
    }

    /// A reminder row already claimed when the appointment moves sends nothing: its start is gone.
    @Test func aClaimedReminderOfAStartTheAppointmentLeftSendsNothing() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        let claimed = try #require(
            try db.claimDueMessages(now: ReminderHandlerTests.reminderMoment, kinds: ["reminder"]).first)
        try db.updateAppointment(
            appointmentID: 1, AppointmentUpdate(startsAt: Date(timeIntervalSince1970: 1_621_839_600)),
            author: .agent(1),
            now: Self.now, publicURL: Self.url)
        let handler = ReminderHandler(db: db, publicURL: Self.url)
        #expect(handler.handle(claimed, now: ReminderHandlerTests.reminderMoment) == .dropped("appointment moved"))
        #expect(try outbox(db).filter { $0.key.hasPrefix("reminder:1:") && $0.kind != "reminder" }.isEmpty)
    }

    /// An appointment deleted while its message is being sent: the outcome is still recorded
    /// (the receipt's appointment is read from the row, already cleared by the deletion).
    @Test func aMessageSentWhileItsAppointmentIsDeletedIsRecorded() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.changeAppointmentStatus(
            appointmentID: 1, to: .revoked, author: .agent(1), now: Self.now, publicURL: Self.url)
        let claimed = try #require(try db.claimDueMessages(now: Self.now, kinds: ["email"]).first)
        try db.writer.write { try $0.execute(sql: "DELETE FROM appointments WHERE id = 1") }
        let receipt = DeliveryReceipt(event: "rdv_cancelled", channel: "mail", result: "processed")
        #expect(try db.markSent(claimed, now: Self.now, receipt: receipt))
        let row = try #require(try fetchRows(db, "SELECT appointment_id, outbox_message_id FROM receipts").first)
        #expect(row["appointment_id"] as Int64? == nil)
        #expect(row["outbox_message_id"] as Int64? == claimed.id)
    }

    @Test func changingOnlyTheAgentsTellsTheAgentsNotTheUser() throws {
        let (db, directory) = try setUp { document in
            var second = document.agents[0]
            second.ref = "a2"
            second.email = "bruno@example.fr"
            second.first_name = "Bruno"
            document.agents.append(second)
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.updateAppointment(
            appointmentID: 1, AppointmentUpdate(agentIDs: [2]), author: .system, now: Self.now, publicURL: Self.url)
        let mails = try db.writer.read { db in
            try String.fetchAll(db, sql: "SELECT payload FROM outbox_messages WHERE kind = 'email' ORDER BY id")
        }.map { try JSONDecoder().decode(RenderedMessage.self, from: Data($0.utf8)) }
        #expect(
            mails.map { "\($0.event) \($0.recipient)" } == [
                "rdv_created bruno@example.fr", "rdv_cancelled agent@example.fr",
            ])
        #expect(mails.map(\.calendarMethod) == ["REQUEST", "CANCEL"])
        #expect(try outbox(db).filter { $0.kind == "sms" }.isEmpty)
    }

    @Test func aManualReminderGoesNowAndTheAutomaticOneNever() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try db.sendReminderNow(appointmentID: 1, author: .agent(1), now: Self.now, publicURL: Self.url) == 2)
        #expect(try outbox(db).first == Row(kind: "reminder", key: Self.reminder, status: "sent"))
        // A second click plans nothing: one reminder per start.
        #expect(try db.sendReminderNow(appointmentID: 1, author: .agent(1), now: Self.now, publicURL: Self.url) == 0)
        let clock = ManualClock(ReminderHandlerTests.reminderMoment)
        let scheduler = OutboxScheduler(
            db: db, clock: clock,
            handlers: [
                "reminder": ReminderHandler(db: db, publicURL: Self.url), "sms": DevMessageHandler(db: db),
                "email": DevMessageHandler(db: db),
            ], logger: Logger(label: "t"))
        try scheduler.runOnce()
        #expect(try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM dev_outbox_messages") } == 2)
        #expect(
            try db.writer.read {
                try String.fetchAll($0, sql: "SELECT subject FROM dev_outbox_messages WHERE channel = 'mail'")
            } == ["[Rappel] RDV le lundi 3 mai 2021 à 09h00"])
    }

    @Test func aManualReminderIsRefusedForACancelledOrPastAppointment() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: AppointmentChangeError.reminderNotAllowed) {
            try db.sendReminderNow(appointmentID: 1, author: .agent(1), now: Self.start, publicURL: Self.url)
        }
        try db.changeAppointmentStatus(
            appointmentID: 1, to: .revoked, author: .agent(1), now: Self.now, publicURL: Self.url)
        #expect(throws: AppointmentChangeError.reminderNotAllowed) {
            try db.sendReminderNow(appointmentID: 1, author: .agent(1), now: Self.now, publicURL: Self.url)
        }
        #expect(throws: AppointmentChangeError.notFound) {
            try db.sendReminderNow(appointmentID: 42, author: .agent(1), now: Self.now, publicURL: Self.url)
        }
    }

    /// notifications.md §12: checked before each attempt.
    @Test func aMessageAboutADeletedOrStartedAppointmentIsDroppedNotSent() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.updateAppointment(
            appointmentID: 1, AppointmentUpdate(startsAt: Self.start.addingTimeInterval(3600)), author: .agent(1),
            now: Self.now, publicURL: Self.url)
        let scheduler = OutboxScheduler(
            db: db, clock: ManualClock(Self.start.addingTimeInterval(3600)),
            handlers: ["sms": DevMessageHandler(db: db), "email": DevMessageHandler(db: db)], logger: Logger(label: "t")
        )
        try scheduler.runOnce()
        #expect(try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM dev_outbox_messages") } == 0)
        #expect(
            try db.writer.read {
                try String.fetchAll($0, sql: "SELECT DISTINCT last_error FROM outbox_messages WHERE kind <> 'reminder'")
            } == ["appointment already started"])
    }
}

/// notifications.md §13: a change of an appointment posts the api.md §7 `rdv` to the endpoints of
/// its organisation subscribed to `rdv`, signed, from the outbox planned in the change's transaction.
@Suite("Appointment webhooks", .serialized)
struct AppointmentWebhookTests {
    let setUp = ReminderHandlerTests().setUp

    @Test func aStatusChangePostsTheSignedRdvToSubscribedEndpointsOnly() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        try withStubServer([]) { base, stub in
            try db.writer.write { db in
                try db.execute(
                    sql: "INSERT INTO webhook_endpoints (organisation_id, target_url, secret) VALUES (1, ?, 'k3y')",
                    arguments: [base + "/rdv"])
                try db.execute(
                    sql: """
                        INSERT INTO webhook_endpoints (organisation_id, target_url, secret, subscriptions)
                        VALUES (1, ?, 'other', '["user"]')
                        """, arguments: [base + "/users"])
            }
            try db.changeAppointmentStatus(
                appointmentID: 1, to: .revoked, author: .agent(1), now: AppointmentChangeTests.now,
                publicURL: AppointmentChangeTests.url)
            let scheduler = OutboxScheduler(
                db: db, clock: ManualClock(AppointmentChangeTests.now),
                handlers: [
                    "webhook": WebhookHandler(
                        sender: WebhookSender(allowPrivateAddresses: true), resolveEndpoint: db.webhookEndpoint(id:))
                ],
                logger: Logger(label: "t"))
            #expect(try scheduler.runOnce() == 1)
            let request = try #require(stub.requests.first)
            #expect(stub.requests.count == 1)
            #expect(request.path == "/rdv")
            #expect(
                request.headers["X-Lapin-Signature"]
                    == Digest.hex(Digest.hmacSHA256(key: Array("k3y".utf8), request.body)))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
            let meta = try #require(json["meta"] as? [String: Any])
            #expect(meta["model"] as? String == "Rdv")
            #expect(meta["event"] as? String == "updated")
            #expect(meta["timestamp"] as? String == "2021-04-20T10:00:00+02:00")
            let rdv = try #require(json["data"] as? [String: Any])
            #expect(rdv["status"] as? String == "revoked")
            #expect(rdv["starts_at"] as? String == "2021-05-03T09:00:00.000+02:00")
            #expect(rdv["duration_in_min"] as? Int == 60)
            #expect(rdv["address"] as? String == "10 rue de la Paix, 62000 Arras")
            #expect(rdv["url_for_agents"] as? String == "https://rdv.example.fr/admin/organisations/1/rdvs/1")
            #expect((rdv["lieu"] as? [String: Any])?["name"] as? String == "MDS Centre")
            #expect((rdv["motif"] as? [String: Any])?["name"] as? String == "Consultation")
            let participation = try #require((rdv["participations"] as? [[String: Any]])?.first)
            #expect(participation["status"] as? String == "revoked")
            #expect((participation["user"] as? [String: Any])?["first_name"] as? String == "Jean")
            #expect((rdv["agents"] as? [[String: Any]])?.map { $0["email"] as? String } == ["agent@example.fr"])
            #expect(rdv["cancelled_at"] as? String == "2021-04-20T10:00:00.000+02:00")
        }
    }
}
