import Domain
import Foundation
import Persistence

/// `rdvs/index`: « Liste des RDV » with the filters of booking.md §9, 10 per page, only the
/// appointments in the agent's list scope (permissions.md §2).
public struct AppointmentIndexPage: PageModel {
    public static let template = "rdvs/index"

    public struct Option: Sendable, Equatable {
        public let id: String
        public let value: String
        public let label: String
        public let isSelected: Bool
    }

    public struct Row: Sendable, Equatable {
        public let path: String
        public let date: String
        public let datetime: String
        public let durationLabel: String
        public let motifName: String
        public let userNames: String
        public let agentNames: String
        public let placeName: String
        public let organisationName: String
        public let statusLabel: String
        public let statusBadge: String
    }

    public let formPath: String
    public let organisations: [Option]
    public let hasSeveralOrganisations: Bool
    public let agents: [Option]
    public let user: String
    public let places: [Option]
    public let motifs: [Option]
    public let statuses: [Option]
    public let from: String
    public let to: String
    public let rows: [Row]
    public let isEmpty: Bool
    public let countLabel: String
    public let showsOrganisation: Bool
    public let pagination: Pagination
    /// « Exporter » (admin.md §8): the current filters as hidden fields, and the two choices.
    public let export: ExportForm

    public struct ExportForm: Sendable, Equatable {
        public let path = SiteURL.agents(.exports).path
        public let organisationID: Int64
        public let filters: [HiddenField]
        public let types: ChoiceGroup
        public let formats: ChoiceGroup
    }

    static let statusLabels: [(String, String)] = [
        ("unknown_past", "À renseigner"), ("unknown_future", "À venir"), ("seen", "Honoré"),
        ("noshow", "Absence non excusée"), ("excused", "Annulé à la demande de l'usager"),
        ("revoked", "Annulé par le service"),
    ]

    static func load(db: AppDatabase, agent: AgentContext, organisationID: Int64, query: FormData, now: Date) throws
        -> AppointmentIndexPage
    {
        let filters = try AppointmentListFilters.read(
            query, db: db, principal: agent.principal, memberships: agent.memberships, organisationID: organisationID,
            now: now)
        let list = filters.list
        let organisationIDs = filters.list.organisationIDs
        let (user, from, to, allSelected) = (filters.user, filters.from, filters.to, filters.allOrganisations)
        let (rows, total) = try db.appointmentList(list)
        let options = try db.listFilterOptions(organisationIDs: organisationIDs)
        let agents = try db.agentOptions(organisationIDs: organisationIDs)
        let formPath = SiteURL.organisation(id: organisationID, .rdvs)
        // The filters kept in every page link.
        let kept = query.pairs.filter { $0.name != "page" }.map { ($0.name, $0.value) }
        func option(_ name: String, _ value: String, _ label: String, selected: Bool) -> Option {
            Option(id: "\(name)-\(value)", value: value, label: label, isSelected: selected)
        }
        return AppointmentIndexPage(
            formPath: formPath.path,
            organisations: [option("organisation_ids", "all", "Toutes", selected: allSelected)]
                + agent.memberships.map {
                    option(
                        "organisation_ids", "\($0.id)", $0.name,
                        selected: !allSelected && organisationIDs.contains($0.id))
                },
            hasSeveralOrganisations: agent.memberships.count > 1,
            agents: agents.map { option("agent_id", "\($0.id)", $0.name, selected: list.agentID == $0.id) },
            user: user,
            places: options.places.map { option("lieu_ids", "\($0.id)", $0.name, selected: list.placeIDs.contains($0.id)) },
            motifs: options.motifs.map { option("motif_ids", "\($0.id)", $0.name, selected: list.motifIDs.contains($0.id)) },
            statuses: statusLabels.map { option("status", $0.0, $0.1, selected: list.status?.rawValue == $0.0) },
            from: from?.description ?? "", to: to?.description ?? "",
            rows: rows.map { row(of: $0, now: now) }, isEmpty: rows.isEmpty,
            countLabel: total == 1 ? "1 rendez-vous" : "\(total) rendez-vous",
            showsOrganisation: organisationIDs.count > 1,
            pagination: Pagination(
                current: list.page, total: (total + list.perPage - 1) / list.perPage,
                path: { formPath.path(pairs: kept + [("page", "\($0)")]) }),
            export: ExportForm(
                organisationID: organisationID,
                filters: AppointmentListFilters.pairs(of: query).map { HiddenField(name: $0.name, value: $0.value) },
                types: exportChoices("export_type", "Contenu", ExportType.allCases.map { ($0.rawValue, $0.label) }),
                formats: exportChoices("export_format", "Format", ExportFormat.allCases.map { ($0.rawValue, $0.label) })))
    }

    /// A radio group whose first choice is checked: the export form can never be sent incomplete.
    private static func exportChoices(_ name: String, _ legend: String, _ choices: [(String, String)]) -> ChoiceGroup {
        ChoiceGroup(
            id: name, name: name, legend: legend, hint: nil,
            options: choices.enumerated().map { index, choice in
                .init(id: "\(name)-\(choice.0)", value: choice.0, label: choice.1, isSelected: index == 0)
            }, error: nil)
    }

    static func row(of row: AppointmentListRow, now: Date) -> Row {
        let zone = row.timeZone
        return Row(
            path: SiteURL.organisation(id: row.organisationID, .rdv(id: row.id)).path,
            date: AppointmentFormat.short(row.startsAt, in: zone), datetime: AppointmentFormat.iso(row.startsAt, in: zone),
            durationLabel: NotificationFormat.duration(minutes: Int(row.endsAt.timeIntervalSince(row.startsAt) / 60)),
            motifName: row.motifName, userNames: row.userNames.joined(separator: ", "),
            agentNames: row.agentNames.joined(separator: ", "), placeName: row.placeName ?? AppointmentShowPage.locationLabels[row.locationType] ?? "—",
            organisationName: row.organisationName,
            statusLabel: AppointmentFormat.statusLabel(row.status, startsAt: row.startsAt, now: now, in: zone),
            statusBadge: AppointmentFormat.statusBadge(row.status))
    }
}
