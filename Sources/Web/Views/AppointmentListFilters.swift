import Domain
import Foundation
import Persistence

/// The filters of « Liste des RDV » (booking.md §9) read into a query: the list page reads them
/// from its address, « Exporter » from the hidden fields that carry them (admin.md §8), so an
/// export holds exactly the rows the agent was looking at, every page at once.
struct AppointmentListFilters {
    /// The parameters that are filters (not the page number, not the export's own choices).
    static let names: Set<String> = [
        "organisation_ids", "agent_id", "user", "user_id", "lieu_ids", "motif_ids", "status", "start", "end",
    ]

    let list: AppointmentListQuery
    /// « Toutes » was chosen in the organisation filter.
    let allOrganisations: Bool
    let user: String
    let from: LocalDate?
    let to: LocalDate?

    /// Organisations are those asked among the agent's memberships (« Toutes »: all of them),
    /// else `organisationID`; each sees all its appointments or only the agent's and its
    /// services' ones (permissions.md §2, `AppointmentPolicy.listSeesAll`).
    static func read(
        _ query: FormData, db: AppDatabase, principal: Principal, memberships: [AgentOrganisation],
        organisationID: Int64, now: Date
    ) throws -> AppointmentListFilters {
        // « Du » and « Au » are days of the organisation's territory (its time zone, domain.md §1).
        let zone = try db.timeZone(organisationID: organisationID)
        let memberIDs = memberships.map(\.id)
        let asked = query.values("organisation_ids")
        let organisationIDs: [Int64] =
            asked.contains("all")
            ? memberIDs
            : {
                let chosen = asked.compactMap { Int64($0) }.filter(memberIDs.contains)
                return chosen.isEmpty ? [organisationID] : chosen
            }()
        var list = AppointmentListQuery(
            organisationIDs: organisationIDs,
            seesAllIn: Set(organisationIDs.filter { AppointmentPolicy.listSeesAll(principal, organisationID: $0) }),
            viewerAgentID: principal.agentID, viewerServiceIDs: principal.serviceIDs, now: now)
        list.agentID = query["agent_id"].flatMap { Int64($0) }
        let user = (query["user"] ?? "").trimmingCharacters(in: .whitespaces)
        if let userID = query["user_id"].flatMap({ Int64($0) }) {
            list.userIDs = [userID]
        } else if !user.isEmpty {
            list.userIDs = try organisationIDs.flatMap { try db.searchUsers(user, organisationID: $0, limit: 200).map(\.id) }
        }
        list.placeIDs = query.values("lieu_ids").compactMap { Int64($0) }
        list.motifIDs = query.values("motif_ids").compactMap { Int64($0) }
        list.status = query["status"].flatMap(AppointmentListQuery.StatusFilter.init(rawValue:))
        let from = LocalDate(query["start"] ?? "")
        let to = LocalDate(query["end"] ?? "")
        list.from = from.flatMap { AppointmentFormat.startOfDay($0, in: zone) }
        list.until = to.flatMap { $0.adding(days: 1) }.flatMap { AppointmentFormat.startOfDay($0, in: zone) }
        list.page = Pagination.requestedPage(query["page"])
        return AppointmentListFilters(list: list, allOrganisations: asked.contains("all"), user: user, from: from, to: to)
    }

    /// The filter pairs of `query`, in their order, for the export form's hidden fields.
    static func pairs(of query: FormData) -> [(name: String, value: String)] {
        query.pairs.filter { names.contains($0.name.hasSuffix("[]") ? String($0.name.dropLast(2)) : $0.name) }
            .map { ($0.name, $0.value) }
    }
}
