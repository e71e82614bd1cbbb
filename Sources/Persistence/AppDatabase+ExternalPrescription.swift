import Domain
import Foundation
import GRDB

/// The person an external prescriber books for (booking.md §5.1 step 4).
public struct Beneficiary: Sendable, Equatable {
    public var firstName: String
    public var lastName: String
    /// A mobile number, or nil: without one, the beneficiary gets no notification.
    public var phoneNumber: String?

    public init(firstName: String, lastName: String, phoneNumber: String?) {
        self.firstName = firstName
        self.lastName = lastName
        self.phoneNumber = phoneNumber
    }
}

/// An external prescription: the slot (an individual start, or the seat of a collective
/// appointment), who books and for whom.
public struct ExternalPrescription: Sendable {
    public var slot: BookingRequest
    /// The collective appointment of the chosen start; nil for an individual motif.
    public var collectiveAppointmentID: Int64?
    public var prescriber: Prescriber
    public var beneficiary: Beneficiary

    public init(slot: BookingRequest, collectiveAppointmentID: Int64?, prescriber: Prescriber, beneficiary: Beneficiary) {
        self.slot = slot
        self.collectiveAppointmentID = collectiveAppointmentID
        self.prescriber = prescriber
        self.beneficiary = beneficiary
    }
}

public struct PrescriptionMade: Sendable, Equatable {
    public let appointmentID: Int64
    public let userID: Int64
    public let prescriberID: Int64
}

extension AppDatabase {
    /// booking.md §5.1 steps 5–6 in one IMMEDIATE transaction: the beneficiary (a user with the
    /// same first name, last name and phone, or a new one created through `prescripteur`), the
    /// prescriber row (the author, `created_by_id`), the booking or the seat (slots.md §6),
    /// `rdv_created` to the beneficiary and the agents, and the prescriber's confirmation
    /// e-mail (notifications.md §8). Nothing is kept when the slot is gone.
    public func prescribeExternally(
        _ prescription: ExternalPrescription, clock: any Clock, random: RandomSource, publicURL: String? = nil
    ) throws -> PrescriptionMade {
        let publicURL = publicURL ?? instance.publicURL
        let now = clock.now
        let epoch = Self.epoch(now)
        return try immediateWrite { db in
            let userID = try Self.beneficiaryUser(db, prescription.beneficiary, now: now)
            let prescriber = prescription.prescriber
            try db.execute(
                sql: """
                    INSERT INTO prescribers (first_name, last_name, email, phone_number, phone_number_formatted,
                                             created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    prescriber.firstName, prescriber.lastName, EmailAddress.normalised(prescriber.email),
                    prescriber.phoneNumber, prescriber.phoneNumber.flatMap(PhoneNumber.init)?.e164, epoch, epoch,
                ])
            let prescriberID = db.lastInsertedRowID
            let appointmentID: Int64
            if let collective = prescription.collectiveAppointmentID {
                _ = try Self.joinCollective(
                    db, appointmentID: collective, userID: userID, booker: .prescripteur, createdByID: prescriberID,
                    author: "Prescripteur", notificationAuthor: .prescriber, instance: instance, publicURL: publicURL,
                    now: now)
                appointmentID = collective
            } else {
                var request = prescription.slot
                request.userIDs = [userID]
                request.createdByType = .prescripteur
                let made = try Self.book(db, request, now: now, random: random)
                appointmentID = made.appointmentID
                // domain.md §9: the prescriber is the author of the appointment and of its participation.
                try db.execute(
                    sql: "UPDATE appointments SET created_by_id = ? WHERE id = ?", arguments: [prescriberID, appointmentID])
                try db.execute(
                    sql: "UPDATE participations SET created_by_id = ? WHERE appointment_id = ?",
                    arguments: [prescriberID, appointmentID])
                try Self.planNotifications(
                    db, event: .rdvCreated, appointmentID: appointmentID, author: .prescriber, instance: instance,
                    publicURL: publicURL, now: now)
                try Self.planAppointmentWebhooks(
                    db, appointmentID: appointmentID, event: .created, publicURL: publicURL, now: now)
            }
            if let context = try Self.notificationContext(db, appointmentID: appointmentID, instance: instance, now: now),
                let beneficiary = context.participants.first(where: { $0.user.userID == userID })?.user,
                let mail = MailPlanner.prescriberConfirmation(
                    appointment: context.appointment, beneficiary: beneficiary, prescriber: prescriber,
                    prescriberID: prescriberID, motif: context.motif, organisation: context.organisation,
                    agents: context.agents,
                    settings: NotificationSettings(
                        publicURL: publicURL, timeZone: context.timeZone, smsEnabled: context.smsEnabled,
                        noReplyAddress: instance.noReplyAddress),
                    now: now)
            {
                try Self.planMails(db, [mail], now: now)
            }
            return PrescriptionMade(appointmentID: appointmentID, userID: userID, prescriberID: prescriberID)
        }
    }

    /// step 5: the user with this first name, last name (case and accents aside) and phone, not deleted; or
    /// a new one (`created_through = prescripteur`, no e-mail, so no confirmation e-mail).
    private static func beneficiaryUser(_ db: Database, _ beneficiary: Beneficiary, now: Date) throws -> Int64 {
        let formatted = beneficiary.phoneNumber.flatMap(PhoneNumber.init)?.e164
        if let formatted {
            // Names compared without case or accents (SQLite's lower() knows ASCII only).
            let same = { (a: String, b: String) in
                TextFolding.folded(a).trimmingCharacters(in: .whitespaces)
                    == TextFolding.folded(b).trimmingCharacters(in: .whitespaces)
            }
            let candidates = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, first_name, last_name FROM users
                    WHERE phone_number_formatted = ? AND deleted_at IS NULL ORDER BY id
                    """, arguments: [formatted])
            if let existing = candidates.first(where: {
                same($0["first_name"], beneficiary.firstName) && same($0["last_name"], beneficiary.lastName)
            }) {
                return existing["id"]
            }
        }
        let epoch = epoch(now)
        try db.execute(
            sql: """
                INSERT INTO users (first_name, last_name, phone_number, phone_number_formatted, created_through,
                                   last_modified_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'prescripteur', ?, ?, ?)
                """,
            arguments: [beneficiary.firstName, beneficiary.lastName, beneficiary.phoneNumber, formatted, epoch, epoch, epoch])
        let id = db.lastInsertedRowID
        try auditCreated(db, .user, id: id, author: "Prescripteur", now: now)
        return id
    }

    /// The confirmation page of a prescription (booking.md §5.1 step 7), for the browser that
    /// made it: the beneficiary's name, the appointment and the organisation's phone.
    public func prescriptionSummary(appointmentID: Int64, userID: Int64) throws -> PrescriptionSummary? {
        try writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT a.starts_at, a.ends_at, a.location_type, m.name AS motif_name, m.instruction_for_rdv,
                           u.first_name, u.last_name, o.name AS organisation_name, o.phone_number, t.time_zone,
                           l.name AS place_name, l.address AS place_address
                    FROM appointments a JOIN participations p ON p.appointment_id = a.id AND p.user_id = ?
                    JOIN users u ON u.id = p.user_id JOIN motifs m ON m.id = a.motif_id
                    JOIN organisations o ON o.id = a.organisation_id JOIN territories t ON t.id = o.territory_id
                    LEFT JOIN places l ON l.id = a.place_id
                    WHERE a.id = ?
                    """, arguments: [userID, appointmentID]
            ).map {
                PrescriptionSummary(
                    beneficiaryName: "\($0["first_name"] as String) \($0["last_name"] as String)",
                    motifName: $0["motif_name"],
                    startsAt: Date(timeIntervalSince1970: TimeInterval($0["starts_at"] as Int64)),
                    endsAt: Date(timeIntervalSince1970: TimeInterval($0["ends_at"] as Int64)),
                    timeZone: TimeZone(identifier: $0["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!,
                    locationType: LocationType(rawValue: $0["location_type"]) ?? .publicOffice,
                    placeName: $0["place_name"], placeAddress: $0["place_address"],
                    organisationName: $0["organisation_name"], organisationPhone: $0["phone_number"],
                    instruction: $0["instruction_for_rdv"])
            }
        }
    }
}

public struct PrescriptionSummary: Sendable, Equatable {
    public let beneficiaryName: String
    public let motifName: String
    public let startsAt: Date
    public let endsAt: Date
    public let timeZone: TimeZone
    public let locationType: LocationType
    public let placeName: String?
    public let placeAddress: String?
    public let organisationName: String
    public let organisationPhone: String?
    public let instruction: String?
}
