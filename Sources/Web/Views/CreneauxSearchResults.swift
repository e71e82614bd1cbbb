import Domain
import Foundation
import Persistence

extension CreneauxSearchController {
    /// The results for one motif (booking.md §1.2).
    struct Search {
        let controller: CreneauxSearchController
        let query: Query
        let options: BookingOptions
        let motif: SlotMotif
        let agents: Set<Int64>
        /// The internal prescription's grid (booking.md §5.2) lives on the current organisation's
        /// prescription page: its weeks and slots link there, not to the motif's organisation.
        var prescriptionPage: SiteURL? = nil

        var search: SlotSearch { SlotSearch(db: controller.db, clock: controller.clock) }
        var zone: TimeZone { motif.timeZone }
        var searchPath: SiteURL { prescriptionPage ?? .organisation(id: options.organisationID, .creneauxSearch) }

        func slotQuery(place: Int64?) -> SlotQuery {
            SlotQuery(motif: motif, placeID: place, agents: agents, agentMode: true)
        }

        func fill(_ page: inout CreneauxSearchPage) throws {
            if motif.collectif {
                try collective(&page)
            } else if motif.locationType == LocationType.publicOffice.rawValue {
                try publicOffice(&page)
            } else {
                try page.grid = grid(place: nil)
            }
            let nothing =
                motif.collectif
                ? page.collectiveIsEmpty
                : (page.grid.map { $0.isEmpty && $0.nextAvailability == nil }
                    ?? !page.placeList.contains { $0.nextAvailability != nil })
            if nothing { page.widenPath = searchPath.path(pairs: query.pairs + [("elargir", "1")]) }
        }

        /// « <Lieu> — prochaine disponibilité le <date> » for the places with a non-expired period
        /// of the motif, within the places filter; one place (or one chosen) opens its grid.
        func publicOffice(_ page: inout CreneauxSearchPage) throws {
            let today = LocalDate(controller.clock.now, in: zone)
            let withPeriods = try controller.db.placesWithPeriods(motifID: motif.id, today: today)
            let places = options.places.filter {
                withPeriods.contains($0.id) && (query.placeIDs.isEmpty || query.placeIDs.contains($0.id))
            }
            if let chosen = query.placeID, let place = options.place(chosen) {
                page.grid = try grid(place: place)
                return
            }
            if places.count == 1 {
                page.grid = try grid(place: places[0])
                return
            }
            for place in places {
                let next = try search.firstSlot(slotQuery(place: place.id), from: query.from)
                page.placeList.append(
                    .init(
                        name: place.name, address: place.address,
                        nextAvailability: next.map {
                            "prochaine disponibilité le " + CreneauxSearchPage.day(LocalDate($0.startsAt, in: zone))
                        },
                        path: searchPath.path(pairs: query.pairs + [("lieu_id", "\(place.id)")])))
            }
            page.hasPlaceList = !page.placeList.isEmpty
        }

        /// Seven days from the chosen date (or from the next availability), one link per (start,
        /// agent) to the wizard.
        func grid(place: BookingOptions.PlaceOption?) throws -> CreneauxSearchPage.Grid {
            var start = query.date ?? query.from
            if query.date == nil, let next = try search.firstSlot(slotQuery(place: place?.id), from: start) {
                start = LocalDate(next.startsAt, in: zone)
            }
            let end = start.adding(days: 6) ?? start
            let slots = try search.slots(slotQuery(place: place?.id), from: start, to: end)
            let days = start.through(end).map { day in
                let links = slots.filter { LocalDate($0.startsAt, in: zone) == day }.map(link)
                return CreneauxSearchPage.Day(
                    label: CreneauxSearchPage.day(day), date: day.description, slots: links, isEmpty: links.isEmpty)
            }
            var placePairs: [(String, String)] = []
            if let place { placePairs.append(("lieu_id", "\(place.id)")) }
            func week(_ day: LocalDate) -> String {
                searchPath.path(pairs: query.pairs + placePairs + [("date", day.description)])
            }
            var nextAvailability: CreneauxSearchPage.Link?
            if slots.isEmpty, let after = end.adding(days: 1),
                let next = try search.firstSlot(slotQuery(place: place?.id), from: after)
            {
                let day = LocalDate(next.startsAt, in: zone)
                nextAvailability = .init(label: "Prochaine disponibilité le " + CreneauxSearchPage.day(day), path: week(day))
            }
            return .init(
                title: place.map { "\($0.name) (\($0.address))" },
                days: days, isEmpty: slots.isEmpty, previousPath: week(start.adding(days: -7) ?? start),
                nextPath: week(start.adding(days: 7) ?? start), nextAvailability: nextAvailability)
        }

        /// booking.md §1.1: a slot opens the wizard with motif, place, start, duration and agent.
        func link(_ slot: Slot) -> CreneauxSearchPage.SlotLink {
            let datetime = ISO8601.format(slot.startsAt, in: zone)
            var pairs: [(String, String)] = [("motif_id", "\(motif.id)")]
            if let place = slot.placeID { pairs.append(("lieu_id", "\(place)")) }
            pairs += [
                ("starts_at", datetime), ("duration", "\(motif.durationInMinutes)"), ("agent_ids[]", "\(slot.agentID)"),
            ]
            pairs += query.userIDs.map { ("user_ids[]", "\($0)") }
            return .init(
                time: NotificationFormat.time(slot.startsAt, in: zone), datetime: datetime,
                agentName: options.agent(slot.agentID)?.displayName ?? "",
                path: (prescriptionPage ?? SiteURL.organisation(id: options.organisationID, .newRdv)).path(pairs: pairs))
        }

        /// Upcoming collective appointments by place (title, time, « n/max », « Complet »).
        func collective(_ page: inout CreneauxSearchPage) throws {
            page.isCollective = true
            let upcoming = try controller.db.collectiveAppointments(
                motifID: motif.id, placeID: nil, after: controller.clock.now
            ).filter { query.placeIDs.isEmpty || $0.placeID.map(query.placeIDs.contains) == true }
            var groups: [(name: String, lines: [CreneauxSearchPage.CollectiveLine])] = []
            for item in upcoming {
                let name = options.place(item.placeID).map(\.name) ?? "Lieu ponctuel"
                let seats = item.maxParticipants.map { "\(item.usersCount)/\($0)" } ?? "\(item.usersCount)"
                let line = CreneauxSearchPage.CollectiveLine(
                    title: item.title ?? "", time: NotificationFormat.mailDate(item.startsAt, in: zone),
                    datetime: ISO8601.format(item.startsAt, in: zone), seats: seats,
                    isFull: item.maxParticipants.map { item.usersCount >= $0 } ?? false,
                    path: SiteURL.organisation(id: options.organisationID, .rdv(id: item.id)).path)
                if let index = groups.firstIndex(where: { $0.name == name }) {
                    groups[index].lines.append(line)
                } else {
                    groups.append((name, [line]))
                }
            }
            page.collectivePlaces = groups.map { .init(name: $0.name, appointments: $0.lines) }
            page.collectiveIsEmpty = groups.isEmpty
        }
    }
}
