import Domain
import Foundation
import Persistence
import Spreadsheet

/// The columns of admin.md §8, in their fixed order (partners read positions: new columns may
/// only be appended).
public enum ExportColumns {
    public static let appointmentHeaders = [
        "année", "date prise rdv", "heure prise rdv", "origine", "date rdv", "heure rdv", "service", "motif",
        "contexte", "statut", "lieu", "professionnel.le(s)", "usager(s)", "commune du premier responsable",
        "au moins un usager mineur ?", "résultat des notifications", "Organisation", "date naissance",
        "code postal du premier responsable", "créé par", "email(s) professionnel.le(s)",
    ]

    /// The same 21 columns, then « usager » and « rdv_id ».
    public static let participationHeaders = appointmentHeaders + ["usager", "rdv_id"]

    /// Column widths in characters, for the XLSX sheet.
    public static let widths = [8, 14, 10, 24, 12, 10, 20, 30, 30, 22, 40, 30, 30, 22, 12, 16, 30, 16, 12, 26, 34, 26, 10]

    public static func headers(_ type: ExportType) -> [String] {
        type == .appointments ? appointmentHeaders : participationHeaders
    }

    /// The rows of one appointment: one for the RDV export, one per participation for the other.
    public static func rows(_ type: ExportType, _ appointment: ExportedAppointment, now: Date) -> [[SpreadsheetCell]] {
        switch type {
        case .appointments:
            return [row(appointment, participants: appointment.participants, status: appointment.status, now: now)]
        case .participations:
            return appointment.participants.map { participant in
                row(appointment, participants: [participant], status: participant.status, now: now)
                    + [.text(participant.name), .number(Int(appointment.id))]
            }
        }
    }

    /// Columns A–U about `participants` (all of them, or the one of a participation row).
    static func row(
        _ a: ExportedAppointment, participants: [ExportedAppointment.Participant], status: AppointmentStatus, now: Date
    ) -> [SpreadsheetCell] {
        let zone = a.timeZone
        let created = LocalDateTime(a.createdAt, in: zone)
        let starts = LocalDateTime(a.startsAt, in: zone)
        let notified = participants.first { $0.notifiedCity != nil && $0.notifiedCity != "" }
        // Under 18 on the appointment's day.
        let hasMinor = participants.contains { $0.birthDate.map { $0.age(on: starts.date) < 18 } ?? false }
        return [
            .number(created.date.year),  // A
            created.dateCell,  // B
            created.timeCell,  // C
            .text(origin(a.createdByType)),  // D
            starts.dateCell,  // E
            starts.timeCell,  // F
            .text(a.serviceName),  // G
            .text(a.motifName),  // H
            text(a.context),  // I
            .text(statusLabel(status, startsAt: a.startsAt, now: now, in: zone)),  // J
            .text(place(a)),  // K
            text(a.agents.map(\.name).joined(separator: ", ")),  // L
            text(participants.map(\.name).joined(separator: ", ")),  // M
            text(notified?.notifiedCity),  // N
            .text(hasMinor ? "oui" : "non"),  // O
            text(a.bestReceiptResult.map(receiptLabel)),  // P
            .text(a.organisationName),  // Q
            text(participants.compactMap(\.birthDate).map(\.frenchDescription).joined(separator: ", ")),  // R
            text(notified?.notifiedPostCode),  // S
            text(creator(a)),  // T
            text(a.agents.compactMap(\.email).joined(separator: ", ")),  // U
        ]
    }

    static func text(_ value: String?) -> SpreadsheetCell {
        guard let value, !value.isEmpty else { return .empty }
        return .text(value)
    }

    static func origin(_ type: CreatorType) -> String {
        switch type {
        case .agent: "Créé par un agent"
        case .user: "RDV pris sur internet"
        case .prescripteur: "Créé par un prescripteur"
        case .fileAttente: "File d'attente"
        }
    }

    /// domain.md §9 labels; `unknown` as « À venir » (not started at the export) or « À renseigner ».
    static func statusLabel(_ status: AppointmentStatus, startsAt: Date, now: Date, in zone: TimeZone) -> String {
        if status == .unknown { return startsAt > now ? "À venir" : "À renseigner" }
        return status.label(day: LocalDate(startsAt, in: zone), today: LocalDate(now, in: zone))
    }

    /// The place's full name, or the kind of appointment (never a user's address: no personal data).
    static func place(_ a: ExportedAppointment) -> String {
        switch a.locationType {
        case .publicOffice: a.placeFullName ?? ""
        case .phone: "Par téléphone"
        case .home: "À domicile"
        case .visio: "Visioconférence"
        }
    }

    static func receiptLabel(_ result: ReceiptResult) -> String {
        switch result {
        case .delivered: "Délivré"
        case .sent: "Envoyé"
        case .processed: "Traité"
        case .failure: "Échec"
        }
    }

    static func creator(_ a: ExportedAppointment) -> String? {
        switch a.createdByType {
        case .agent, .user: a.creatorName
        case .prescripteur: a.creatorName.map { "\($0) (prescripteur)" }
        case .fileAttente: "File d'attente"
        }
    }

}

/// An instant as the territory's wall clock, for the date and time cells.
struct LocalDateTime {
    let date: LocalDate
    let hour: Int
    let minute: Int

    init(_ instant: Date, in zone: TimeZone) {
        let local = AgendaLayout.local(instant, in: zone)
        date = local.day
        hour = local.minute / 60
        minute = local.minute % 60
    }

    var dateCell: SpreadsheetCell { .date(year: date.year, month: date.month, day: date.day) }
    var timeCell: SpreadsheetCell { .time(hour: hour, minute: minute) }
}
