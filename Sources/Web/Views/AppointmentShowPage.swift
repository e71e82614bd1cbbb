import Domain
import Foundation
import Persistence

/// `rdvs/show`: one appointment and its actions (booking.md §1.5).
public struct AppointmentShowPage: PageModel {
    public static let template = "rdvs/show"

    public struct Person: Sendable, Equatable {
        public let name: String
        public let path: String?
        /// Collective appointments show each participation's status.
        public let participationStatus: String?
    }

    public struct StatusChoice: Sendable, Equatable {
        public let value: String
        public let label: String
        public let sentence: String
        public let isCurrent: Bool
    }

    public struct Receipt: Sendable, Equatable {
        public let date: String
        public let datetime: String
        public let channel: String
        public let recipient: String
        public let event: String
        public let result: String
        public let isFailure: Bool
    }

    public let id: Int64
    public let motifName: String
    public let title: String?
    public let startsAtLabel: String
    public let startsAtISO: String
    public let endsAtLabel: String
    public let durationLabel: String
    public let placeName: String?
    public let placeAddress: String?
    public let locationLabel: String?
    public let agents: [Person]
    public let participants: [Person]
    public let isCollective: Bool
    public let statusLabel: String
    public let statusBadge: String
    public let creatorLabel: String
    public let context: String?
    public let arrivedAtLabel: String?
    public let editPath: String
    public let statusPath: String
    public let statusChoices: [StatusChoice]
    public let reminderPath: String?
    public let arrivalPath: String?
    public let duplicatePath: String
    public let destroyPath: String?
    public let receipts: [Receipt]
    public let hasReceipts: Bool
    /// « Historique » (domain.md §0), for the organisation's admins only.
    public let history: HistoryList?

    static let locationLabels: [LocationType: String] = [
        .phone: "Par téléphone", .home: "À domicile", .visio: "Par visioconférence",
    ]

    /// « Dupliquer » a collective appointment (booking.md §6): its motif, place, agents, duration
    /// and title in the « RDV collectifs » form, without its participants.
    static func collectiveDuplicate(_ record: AppointmentPageRecord) -> [(String, String)] {
        var pairs: [(String, String)] = [("motif_id", "\(record.motifID)")]
        if let place = record.placeID { pairs.append(("place_id", "\(place)")) }
        pairs += record.agents.map { ("agent_ids[]", "\($0.id)") }
        pairs.append(("duration_in_min", "\(record.durationInMin)"))
        if let name = record.name { pairs.append(("name", name)) }
        return pairs
    }

    static func load(
        _ record: AppointmentPageRecord, receipts: [AppointmentReceipt], canDelete: Bool, history: HistoryList? = nil,
        now: Date
    ) -> AppointmentShowPage {
        let zone = record.timeZone
        let org = record.organisationID
        let rdv = { (area: SiteURL.Organisation) in SiteURL.organisation(id: org, area).path }
        let isToday = LocalDate(record.startsAt, in: zone) == LocalDate(now, in: zone)
        let arrived = record.arrivedAt.map { LocalDate($0, in: zone) == LocalDate(now, in: zone) } ?? false
        var duplicate: [(String, String)] = [("motif_id", "\(record.motifID)")]
        if let place = record.placeID { duplicate.append(("lieu_id", "\(place)")) }
        duplicate += record.participants.filter { !$0.status.isCancelled }.map { ("user_ids[]", "\($0.user.id)") }
        duplicate += record.agents.map { ("agent_ids[]", "\($0.id)") }
        duplicate.append(("duration", "\(record.durationInMin)"))
        return AppointmentShowPage(
            id: record.id, motifName: record.motifName, title: record.name == record.motifName ? nil : record.name,
            startsAtLabel: AppointmentFormat.long(record.startsAt, in: zone),
            startsAtISO: AppointmentFormat.iso(record.startsAt, in: zone),
            endsAtLabel: NotificationFormat.time(record.endsAt, in: zone),
            durationLabel: NotificationFormat.duration(minutes: record.durationInMin),
            placeName: record.placeName, placeAddress: record.placeAddress,
            locationLabel: locationLabels[record.locationType],
            agents: record.agents.map { Person(name: $0.fullName, path: nil, participationStatus: nil) },
            participants: record.participants.map {
                Person(
                    name: $0.user.fullName, path: rdv(.user(id: $0.user.id)),
                    participationStatus: record.collectif
                        ? AppointmentFormat.statusLabel($0.status, startsAt: record.startsAt, now: now, in: zone) : nil)
            },
            isCollective: record.collectif,
            statusLabel: AppointmentFormat.statusLabel(record.status, startsAt: record.startsAt, now: now, in: zone),
            statusBadge: AppointmentFormat.statusBadge(record.status),
            creatorLabel: AppointmentFormat.creator(record.createdByType, name: record.createdBy),
            context: record.context.flatMap { $0.isEmpty ? nil : $0 },
            arrivedAtLabel: arrived ? record.arrivedAt.map { NotificationFormat.time($0, in: zone) } : nil,
            editPath: rdv(.editRdv(id: record.id)), statusPath: rdv(.rdvStatus(id: record.id)),
            statusChoices: statusChoices(record, now: now),
            reminderPath: !record.status.isCancelled && record.startsAt > now ? rdv(.rdvReminder(id: record.id)) : nil,
            arrivalPath: record.status == .unknown && isToday && !arrived ? rdv(.rdvArrival(id: record.id)) : nil,
            duplicatePath: record.collectif
                ? SiteURL.organisation(id: org, .newCollectiveRdv).path(pairs: collectiveDuplicate(record))
                : SiteURL.organisation(id: org, .newRdv).path(pairs: duplicate),
            destroyPath: canDelete ? rdv(.rdv(id: record.id)) : nil,
            receipts: receipts.map { receipt(of: $0, zone: zone) }, hasReceipts: !receipts.isEmpty, history: history)
    }

    /// The appointment's fields as its pages name them, in the page's order.
    static let historyFields: [(name: String, label: String)] = [
        ("starts_at", "Début"), ("ends_at", "Fin"), ("status", "Statut"), ("place_id", "Lieu"), ("agent_ids", "Agents"),
        ("name", "Titre"), ("max_participants_count", "Nombre de places"), ("context", "Contexte"),
        ("arrived_at", "Arrivée de l'usager"), ("cancelled_at", "Annulé le"), ("user_id", "Usager"),
    ]

    /// A participation's entries read as the appointment's own events.
    static let participationActions: [VersionEntry.Event: String] = [
        .create: "Ajout d'un participant", .update: "Participation modifiée", .destroy: "Retrait d'un participant",
    ]

    /// The history in the page's words: dates in the organisation's zone, a status by its label,
    /// a place and agents by their names (`names`, else their number).
    static func history(
        _ entries: [VersionEntry], record: AppointmentPageRecord, names: HistoryNames, now: Date
    ) -> HistoryList {
        let zone = record.timeZone
        let action = { (entry: VersionEntry) in
            (entry.itemType == "Participation" ? participationActions : HistoryList.actions)[entry.event] ?? ""
        }
        let describe = { (field: String, value: String) -> String in
            switch field {
            case "starts_at", "ends_at", "arrived_at", "cancelled_at":
                return TimeInterval(value).map { AppointmentFormat.short(Date(timeIntervalSince1970: $0), in: zone) } ?? value
            case "status":
                return AppointmentStatus(rawValue: value).map {
                    $0.label(day: LocalDate(record.startsAt, in: zone), today: LocalDate(now, in: zone))
                } ?? value
            case "place_id":
                return Int64(value).flatMap { names.places[$0] } ?? value
            case "user_id":
                return Int64(value).flatMap { names.users[$0] } ?? value
            case "agent_ids":
                return value.split(separator: ",").map { Int64($0).flatMap { names.agents[$0] } ?? String($0) }
                    .joined(separator: ", ")
            default:
                return value
            }
        }
        return HistoryList.load(entries, fields: historyFields, zone: zone, describe: describe, action: action)
    }

    /// The dropdown of booking.md §1.5, each choice with what it will send (notifications.md §2,
    /// §3: nothing for `seen`/`noshow`, nothing about a past appointment; a cancellation reaches
    /// users by SMS only when the author is an agent, which it is here).
    static func statusChoices(_ record: AppointmentPageRecord, now: Date) -> [StatusChoice] {
        let labels: [(AppointmentStatus, String)] = [
            (.seen, "Honoré"), (.noshow, "Absence non excusée"), (.excused, "Annulé à la demande de l'usager"),
            (.revoked, "Annulé par le service"), (.unknown, "Réinitialiser"),
        ]
        let allowed = AppointmentStatus.allowed(collectif: record.collectif)
        let present = record.participants.filter { !$0.status.isCancelled }
        func channels(_ people: [AppointmentPageRecord.Participant]) -> String? {
            let email = people.contains { $0.reachableByEmail }
            let sms = people.contains { $0.reachableBySMS }
            switch (sms, email) {
            case (true, true): return "par SMS et e-mail"
            case (true, false): return "par SMS"
            case (false, true): return "par e-mail"
            case (false, false): return nil
            }
        }
        let nothing = "Aucune notification ne sera envoyée."
        let past = record.startsAt <= now
        return labels.filter { allowed.contains($0.0) }.map { status, label in
            var sentence = nothing
            switch status {
            case record.status:
                sentence = "C'est le statut actuel du rendez-vous."
            case .excused, .revoked:
                if past {
                    sentence = "Aucune notification ne sera envoyée : le rendez-vous est passé."
                } else if let how = channels(present) {
                    sentence = "Les usagers seront prévenus de l'annulation \(how)."
                } else {
                    sentence = "Aucun usager ne peut être prévenu de l'annulation."
                }
            case .unknown where record.status.isCancelled && !past:
                sentence =
                    channels(record.participants).map { "Les usagers seront prévenus du rétablissement du rendez-vous \($0)." }
                    ?? nothing
            default: break
            }
            return StatusChoice(value: status.rawValue, label: label, sentence: sentence, isCurrent: status == record.status)
        }
    }

    static let channelLabels = ["mail": "E-mail", "sms": "SMS"]
    static let resultLabels = ["processed": "Envoyé", "sent": "Envoyé", "delivered": "Distribué", "failure": "Échec"]
    static let eventLabels = [
        "rdv_created": "Création", "rdv_updated": "Modification", "rdv_cancelled": "Annulation",
        "rdv_upcoming_reminder": "Rappel", "user_arrived": "Arrivée de l'usager",
        "new_creneau_available": "Créneau disponible",
    ]

    static func receipt(of receipt: AppointmentReceipt, zone: TimeZone) -> Receipt {
        Receipt(
            date: AppointmentFormat.short(receipt.createdAt, in: zone),
            datetime: AppointmentFormat.iso(receipt.createdAt, in: zone),
            channel: channelLabels[receipt.channel] ?? receipt.channel,
            recipient: receipt.recipient.map { mask($0, channel: receipt.channel) } ?? "—",
            event: eventLabels[receipt.event] ?? receipt.event,
            result: resultLabels[receipt.result] ?? receipt.result, isFailure: receipt.result == "failure")
    }

    /// permissions.md §2 masking: e-mail as `j***@d***.fr`, phone as `06 ** ** ** 12`.
    static func mask(_ recipient: String, channel: String) -> String {
        if channel == "mail", let at = recipient.firstIndex(of: "@") {
            let local = recipient[..<at]
            let domain = recipient[recipient.index(after: at)...]
            let dot = domain.lastIndex(of: ".")
            let host = dot.map { domain[..<$0] } ?? domain
            let tld = dot.map { String(domain[$0...]) } ?? ""
            return "\(local.prefix(1))***@\(host.prefix(1))***\(tld)"
        }
        let national = NotificationFormat.phone(recipient)
        let groups = national.split(separator: " ")
        guard groups.count == 5 else { return String(recipient.prefix(2)) + "***" }
        return "\(groups[0]) ** ** ** \(groups[4])"
    }
}
