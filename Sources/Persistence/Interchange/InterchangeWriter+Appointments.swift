import Domain
import Foundation
import GRDB

extension InterchangeWriter {
    static let creatorTypes = [
        "agent": "Agent", "user": "User", "prescripteur": "Prescripteur", "file_attente": "FileAttente",
    ]

    mutating func writeAppointments() throws {
        let motifs = Dictionary(uniqueKeysWithValues: document.motifs.map { ($0.ref, $0) })
        for (i, a) in document.appointments.enumerated() {
            path = "appointments[\(i)]"
            let motif = motifs[a.motif]!
            let startsAt = InterchangeValidator.parseInstant(a.starts_at)!
            let starts = Int64(startsAt.timeIntervalSince1970)
            let ends = starts + Int64(a.duration_in_min) * 60
            let status = a.status ?? "unknown"
            let cancelled = ["excused", "revoked", "noshow"].contains(status)
            let creator = Self.creatorTypes[a.created_by ?? "agent"] ?? "Agent"
            // domain.md §9: cancelled_at is "now" of the status change; an imported past one
            // cannot have changed after its start, so the earlier of the two.
            let cancelledAt = cancelled ? min(starts, Int64(now.timeIntervalSince1970)) : nil
            let participantStatus = status
            let countsAsUser = !["excused", "revoked"].contains(participantStatus)
            let appointment = try insert(
                "appointments",
                [
                    "uuid": UUID().uuidString.lowercased(), "organisation_id": id(a.organisation),
                    "motif_id": id(a.motif), "collectif": motif.collectif ?? false,
                    "location_type": motif.location_type ?? "public_office", "place_id": a.place.map(id),
                    "starts_at": starts, "ends_at": ends, "status": status, "cancelled_at": cancelledAt,
                    "context": a.context, "name": a.name, "max_participants_count": a.max_participants_count,
                    "users_count": countsAsUser ? Set(a.users).count : 0, "created_by_type": creator,
                ])
            ids[a.ref] = appointment
            if !cancelled {
                try planReminder(appointment: appointment, startsAt: startsAt, organisation: a.organisation)
            }
            for agent in a.agents.uniqued() {
                // appointment_agents keeps a copy of the schedule for the agenda index (schema.md).
                try insert(
                    "appointment_agents",
                    [
                        "appointment_id": appointment, "agent_id": id(agent), "starts_at": starts, "ends_at": ends,
                        "status": status,
                    ])
            }
            let notified = (motif.visibility_type ?? "visible_and_notified") == "visible_and_notified"
            for user in a.users.uniqued() {
                try insert(
                    "participations",
                    [
                        "appointment_id": appointment, "user_id": id(user), "status": participantStatus,
                        "send_lifecycle_notifications": notified, "send_reminder_notification": notified,
                        "created_by_type": creator,
                    ])
                // domain.md §9 "Saving": the participant, their responsible and the responsible's
                // relatives get a profile in the organisation.
                try ensureFamilyProfiles(user, a.organisation)
            }
        }
    }

    /// notifications.md §4: a future appointment gets its reminder planned, as if created in the
    /// application (admin.md §9).
    func planReminder(appointment: Int64, startsAt: Date, organisation: String) throws {
        let territory = territoryOf[organisation]
        try AppDatabase.planReminder(
            db, appointmentID: appointment, startsAt: startsAt, timeZone: timeZone(organisation),
            departementNumber: territory?.departement_number,
            whitMondayIsHoliday: territory?.whit_monday_is_holiday ?? false,
            now: now)
    }

    func ensureFamilyProfiles(_ user: String, _ organisation: String) throws {
        try AppDatabase.linkFamilyProfiles(db, userID: id(user), organisationID: id(organisation))
    }
}
