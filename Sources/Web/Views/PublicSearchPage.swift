import Domain
import Foundation
import Geocoding
import Persistence

/// `prendre_rdv/index`: the public search (booking.md §2.2 steps 1–7), one step per page, the
/// earlier choices recalled above it with « Modifier ».
public struct PublicSearchPage: PageModel {
    public static let template = "prendre_rdv/index"

    public struct Recall: Sendable, Equatable {
        public let label: String
        public let value: String
        /// nil when there was nothing to choose (one motif: its step is skipped, so « Modifier »
        /// would come straight back).
        public let modifyPath: String?
        /// « l'adresse »: after « Modifier » for screen readers, so each link says what it
        /// changes (RGAA 6.1).
        public let modifyWhat: String
    }

    public struct AddressMatchChoice: Sendable, Equatable {
        public let id: String
        public let value: String
        public let label: String
        public let isChecked: Bool
    }

    /// Step 1 « Votre adresse ».
    public struct AddressStep: Sendable, Equatable {
        public let address: String
        public let error: String?
        public let matches: [AddressMatchChoice]
        public let hasMatches: Bool
    }

    public struct Contact: Sendable, Equatable {
        public let name: String
        public let phone: String?
        public let phoneHref: String?
        public let email: String?
        public let website: String?
    }

    /// A link of a choice list (service, motif, place, organisation).
    public struct Choice: Sendable, Equatable {
        public let label: String
        public let path: String
        public let details: [String]
        public let nextAvailability: String?
        public let hasNoAvailability: Bool
    }

    public struct SlotLink: Sendable, Equatable {
        public let time: String
        public let iso: String
        public let path: String
        /// « lundi 8 décembre 2026 à 09h00 »: the button's accessible name.
        public let name: String
    }

    public struct Day: Sendable, Equatable {
        /// « Lundi », « 7 décembre »: the column's heading on two lines.
        public let weekday: String
        public let label: String
        public let slots: [SlotLink]
        public let isEmpty: Bool
    }

    public struct Link: Sendable, Equatable {
        public let label: String
        public let path: String
    }

    /// Step 7 « Choisissez un créneau »: seven days, one button per start.
    public struct Week: Sendable, Equatable {
        public let days: [Day]
        public let isEmpty: Bool
        public let previousPath: String?
        public let nextPath: String
        public let nextAvailability: Link?
        public let hasNoAvailability: Bool
    }

    public struct Collective: Sendable, Equatable {
        public let title: String
        public let when: String
        public let iso: String
        public let seats: String
        public let path: String
    }

    public struct Restriction: Sendable, Equatable {
        public let text: String
        public let hiddenFields: [HiddenField]
        public let error: String?
    }

    public struct HiddenField: Sendable, Equatable {
        public let name: String
        public let value: String
    }

    public struct NoService: Sendable, Equatable {
        public let contacts: [Contact]
        public let hasContacts: Bool
    }

    public struct ChoiceList: Sendable, Equatable {
        public let choices: [Choice]
    }

    public struct CollectiveList: Sendable, Equatable {
        public let items: [Collective]
        public let isEmpty: Bool
    }

    public let title: String
    public let recalls: [Recall]
    public let hasRecalls: Bool
    public let addressStep: AddressStep?
    /// Step 2: nothing left, with the contacts of the département's organisations.
    public let noService: NoService?
    public let choiceList: ChoiceList?
    public let restriction: Restriction?
    public let week: Week?
    public let collectiveList: CollectiveList?
    public let searchPath: String
    /// What every form of the search carries whatever the step (`prescripteur=1`).
    public let carried: [HiddenField]
    /// « Prendre rendez-vous », or « Prescripteur : prendre rendez-vous pour un bénéficiaire ».
    public let kicker: String
    /// The search's first step, the prescriber's kept.
    public let startPath: String
    /// « Vous êtes un professionnel… » on the address step of the visitors' search.
    public let prescriberPath: String?
    public let addressesPath = SiteURL.api(.addresses).path
}

/// What the public search needs to compute a step.
struct PublicSearch {
    let db: AppDatabase
    let slots: SlotSearch
    let addresses: AddressService
    let state: PublicSearchState
    let now: Date
    /// The address service's answer for the typed text, looked up once per request.
    var typedMatches: [AddressMatch] = []

    init(db: AppDatabase, slots: SlotSearch, addresses: AddressService, state: PublicSearchState, now: Date) throws {
        self.db = db
        self.slots = slots
        self.addresses = addresses
        self.state = state
        self.now = now
        if state.departement == nil, state.publicLinkOrganisationID == nil, let text = state.address {
            typedMatches = Array(try addresses.search(text, now: now).prefix(5).filter { $0.cityCode != nil })
        }
    }

    /// The day the search starts from (periods and slots before it are over).
    var today: LocalDate { LocalDate(now, in: TimeZone(identifier: "Europe/Paris")!) }

    /// A visitor's slot search for a motif (and place): the agents the address's sectors allow
    /// (slots.md §9); nil when the motif is gone.
    func slotQuery(motifID: Int64, placeID: Int64?) throws -> SlotQuery? {
        guard let motif = try db.slotMotif(id: motifID) else { return nil }
        return SlotQuery(
            motif: motif, placeID: placeID,
            agents: try db.sectorisedAgents(motif: motif, cityCode: state.cityCode, streetBanID: state.streetBanID),
            booker: state.booker)
    }

    static let locationLabels: [LocationType: String] = [
        .publicOffice: "Sur place", .phone: "Par téléphone", .home: "À domicile", .visio: "Par visioconférence",
    ]

    /// The page of the state's current step.
    func page() throws -> PublicSearchPage {
        var recalls: [PublicSearchPage.Recall] = []
        func page(
            _ title: String, address: PublicSearchPage.AddressStep? = nil, contacts: [PublicSearchPage.Contact]? = nil,
            choices: [PublicSearchPage.Choice]? = nil, restriction: PublicSearchPage.Restriction? = nil,
            week: PublicSearchPage.Week? = nil, collectives: [PublicSearchPage.Collective]? = nil
        ) -> PublicSearchPage {
            PublicSearchPage(
                title: title, recalls: recalls, hasRecalls: !recalls.isEmpty, addressStep: address,
                noService: contacts.map { .init(contacts: $0, hasContacts: !$0.isEmpty) },
                choiceList: choices.map { .init(choices: $0) }, restriction: restriction, week: week,
                collectiveList: collectives.map { .init(items: $0, isEmpty: $0.isEmpty) },
                searchPath: SiteURL.publicSearch.path, carried: state.carried.map { .init(name: $0.0, value: $0.1) },
                kicker: state.kicker, startPath: SiteURL.publicSearch.path(pairs: state.carried),
                prescriberPath: state.prescripteur ? nil : SiteURL.prescriberSearch.path)
        }

        // 1. « Votre adresse », unless an organisation's public link sets the search.
        let departement: String
        let linked = try state.publicLinkOrganisationID.flatMap { try db.publicOrganisations(ids: [$0]).first }
        if let linked {
            departement = linked.departementNumber
            recalls.append(
                .init(
                    label: "Organisation", value: linked.name, modifyPath: SiteURL.publicSearch.path(pairs: state.carried),
                    modifyWhat: "l'organisation (toutes les organisations)"))
        } else {
            guard let chosen = state.departement, let address = state.address else {
                return page("Votre adresse", address: try addressStep())
            }
            departement = chosen
            recalls.append(recall("Adresse", address, .address, "l'adresse"))
        }

        // 2. The motifs offered at that address (slots.md §9), follow-up ones need a signed-in user.
        let offered = try db.publicMotifs(departement: departement, booker: state.booker, today: today, now: now).filter { motif in
            guard !motif.followUp else { return false }
            if let linked { return motif.organisationID == linked.id }
            guard let query = try slotQuery(motifID: motif.id, placeID: nil) else { return false }
            return query.agents.map { !$0.isEmpty } ?? true
        }
        guard !offered.isEmpty else {
            let contacts = try db.publicOrganisations(departement: departement).map(contact)
            return page("Aucun service n'est disponible en ligne pour cette adresse.", contacts: contacts)
        }

        // 3. « Sélectionnez le service »
        let services = Dictionary(grouping: offered, by: \.serviceID)
        let serviceID = state.serviceID.flatMap { services[$0] == nil ? nil : $0 } ?? (services.count == 1 ? services.keys.first : nil)
        guard let serviceID, let inService = services[serviceID] else {
            let choices = services.values.map { $0[0] }.sorted { $0.serviceName < $1.serviceName }.map {
                choice($0.serviceName, state.path(before: .service, adding: [("service_id", "\($0.serviceID)")]))
            }
            return page("Sélectionnez le service", choices: choices)
        }
        if services.count > 1 {
            recalls.append(recall("Service", inService[0].serviceName, .service, "le service"))
        }

        // 4. « Sélectionnez le motif »: motifs of several organisations with one name and one
        // location type are one choice.
        let groups = Dictionary(grouping: inService, by: \.nameWithLocationType)
        let key = state.motifNameWithLocationType.flatMap { groups[$0] == nil ? nil : $0 }
            ?? (groups.count == 1 ? groups.keys.first : nil)
        guard let key, let group = groups[key] else {
            let choices = groups.values.map { $0[0] }.sorted { ($0.name, $0.locationType.rawValue) < ($1.name, $1.locationType.rawValue) }
                .map {
                    choice(
                        $0.name, state.path(before: .motif, adding: [("motif_name_with_location_type", $0.nameWithLocationType)]),
                        details: [Self.locationLabels[$0.locationType] ?? ""])
                }
            return page("Sélectionnez le motif", choices: choices)
        }
        let first = group[0]
        let motifLabel = "\(first.name) (\(Self.locationLabels[first.locationType] ?? ""))"
        recalls.append(
            groups.count > 1
                ? recall("Motif", motifLabel, .motif, "le motif")
                : .init(label: "Motif", value: motifLabel, modifyPath: nil, modifyWhat: "le motif"))

        // 5. « Sélectionnez un lieu » (on site) or « Sélectionnez une organisation ».
        let motif: PublicMotif
        let placeID: Int64?
        if first.locationType == .publicOffice {
            let places = try db.publicPlaces(motifIDs: group.map(\.id), today: today, now: now)
            guard let chosen = places.first(where: { $0.id == state.placeID }),
                let chosenMotif = group.first(where: { $0.organisationID == chosen.organisationID })
            else {
                return page("Sélectionnez un lieu", choices: try placeChoices(places, group: group))
            }
            recalls.append(recall("Lieu", "\(chosen.name) (\(chosen.address))", .place, "le lieu"))
            motif = chosenMotif
            placeID = chosen.id
        } else {
            let organisationID = state.organisationID ?? state.publicLinkOrganisationID
            guard let chosenMotif = group.first(where: { $0.organisationID == organisationID }) else {
                return page("Sélectionnez une organisation", choices: try organisationChoices(group))
            }
            if linked == nil { recalls.append(recall("Organisation", chosenMotif.organisationName, .place, "l'organisation")) }
            motif = chosenMotif
            placeID = nil
        }

        // 6. The motif's conditions, accepted with a required checkbox.
        if let text = motif.restriction, !state.restrictionAccepted {
            return page(
                "À lire avant de prendre rendez-vous",
                restriction: .init(
                    text: text,
                    hiddenFields: (state.pairs(before: .restriction) + [("restriction_submitted", "1")])
                        .map { .init(name: $0.0, value: $0.1) },
                    error: state.restrictionSubmitted
                        ? "Cochez « J'ai lu et j'accepte ces conditions » pour continuer." : nil))
        }

        // 7. « Choisissez un créneau »
        guard let query = try slotQuery(motifID: motif.id, placeID: placeID) else { throw WebError.notFound }
        if query.motif.collectif {
            return page("Choisissez un atelier", collectives: try collectives(query, motif: motif))
        }
        return page("Choisissez un créneau", week: try week(query, motif: motif))
    }

    // MARK: Steps

    /// The state of the typed address when it is, letter for letter (case aside), one match of
    /// the address service: a suggestion of the autocomplete, or a person who typed it all.
    func exactAddress() -> PublicSearchState? {
        guard let text = state.address?.lowercased() else { return nil }
        let exact = typedMatches.filter { $0.label.lowercased() == text }
        guard exact.count == 1 else { return nil }
        return PublicSearchState(choice: PublicSearchState.choice(exact[0]))
    }

    /// Without JavaScript the server looks the typed text up and offers up to 5 matches.
    func addressStep() throws -> PublicSearchPage.AddressStep {
        guard let text = state.address else { return .init(address: "", error: nil, matches: [], hasMatches: false) }
        let matches = typedMatches
        guard !matches.isEmpty else {
            return .init(
                address: text, error: "Aucune adresse ne correspond. Vérifiez-la, ou saisissez seulement la commune.",
                matches: [], hasMatches: false)
        }
        return .init(
            address: text, error: nil,
            matches: matches.enumerated().map { index, match in
                .init(id: "address-\(index + 1)", value: PublicSearchState.choice(match), label: match.label, isChecked: index == 0)
            }, hasMatches: true)
    }

    func placeChoices(_ places: [PublicPlace], group: [PublicMotif]) throws -> [PublicSearchPage.Choice] {
        var rows: [(distance: Double?, next: Date?, choice: PublicSearchPage.Choice)] = []
        for place in places {
            guard let motif = group.first(where: { $0.organisationID == place.organisationID }),
                let query = try slotQuery(motifID: motif.id, placeID: place.id)
            else { continue }
            let next = try nextStart(query)
            let distance = state.latitude.flatMap { lat in
                state.longitude.flatMap { lon in
                    place.latitude.flatMap { pLat in place.longitude.map { Place.distance(pLat, $0, lat, lon) } }
                }
            }
            var details = [place.address]
            if let distance { details.append("à " + Self.kilometres(distance)) }
            rows.append(
                (distance, next,
                 choice(
                    place.name, state.path(before: .place, adding: [("lieu_id", "\(place.id)")]), details: details,
                    next: next, zone: query.motif.timeZone)))
        }
        // By distance when the address has a position, else by next availability.
        let sorted =
            state.latitude != nil
            ? rows.sorted { ($0.distance ?? .infinity, $0.choice.label) < ($1.distance ?? .infinity, $1.choice.label) }
            : rows.sorted { ($0.next ?? .distantFuture, $0.choice.label) < ($1.next ?? .distantFuture, $1.choice.label) }
        return sorted.map(\.choice)
    }

    func organisationChoices(_ group: [PublicMotif]) throws -> [PublicSearchPage.Choice] {
        var rows: [(next: Date?, choice: PublicSearchPage.Choice)] = []
        for motif in group {
            guard let query = try slotQuery(motifID: motif.id, placeID: nil) else { continue }
            let next = try nextStart(query)
            rows.append(
                (next,
                 choice(
                    motif.organisationName,
                    state.path(before: .place, adding: [("organisation_ids[]", "\(motif.organisationID)")]), next: next,
                    zone: query.motif.timeZone)))
        }
        return rows.sorted { ($0.next ?? .distantFuture, $0.choice.label) < ($1.next ?? .distantFuture, $1.choice.label) }
            .map(\.choice)
    }

    /// The next start a visitor may book from today: a slot, or a workshop with a seat left.
    func nextStart(_ query: SlotQuery) throws -> Date? {
        let day = LocalDate(now, in: query.motif.timeZone)
        if query.motif.collectif {
            let end = day.adding(days: 366) ?? day
            return try slots.collectiveSlots(query, from: day, to: end).first { $0.seatsLeft != 0 }?.startsAt
        }
        return try slots.firstSlot(query, from: day)?.startsAt
    }

    /// Seven days from `date` (default today), one button per start; an empty week points to
    /// the next availability.
    func week(_ query: SlotQuery, motif: PublicMotif) throws -> PublicSearchPage.Week {
        let zone = query.motif.timeZone
        let today = LocalDate(now, in: zone)
        let start = max(state.date ?? today, today)
        let end = start.adding(days: 6) ?? start
        let found = try slots.slots(query, from: start, to: end)
        let days = start.through(end).map { day in
            let links = found.filter { LocalDate($0.startsAt, in: zone) == day }.map { slot in
                let time = NotificationFormat.time(slot.startsAt, in: zone)
                return PublicSearchPage.SlotLink(
                    time: time, iso: AppointmentFormat.iso(slot.startsAt, in: zone),
                    path: slotPath(motifID: motif.id, placeID: query.placeID, startsAt: slot.startsAt, zone: zone),
                    name: "\(NotificationFormat.mailDay(day)) à \(time)")
            }
            let heading = NotificationFormat.weekdayAndDay(day)
            return PublicSearchPage.Day(
                weekday: heading.weekday.capitalizedFirst, label: heading.day, slots: links, isEmpty: links.isEmpty)
        }
        func weekPath(_ day: LocalDate) -> String { state.path(before: .date, adding: [("date", day.description)]) }
        var next: PublicSearchPage.Link?
        var none = false
        if found.isEmpty {
            if let after = end.adding(days: 1), let slot = try slots.firstSlot(query, from: after) {
                let day = LocalDate(slot.startsAt, in: zone)
                next = .init(label: "Prochaine disponibilité le " + NotificationFormat.mailDay(day), path: weekPath(day))
            } else {
                none = true
            }
        }
        return .init(
            days: days, isEmpty: found.isEmpty,
            previousPath: start > today ? weekPath(max(start.adding(days: -7) ?? today, today)) : nil,
            nextPath: weekPath(start.adding(days: 7) ?? start), nextAvailability: next, hasNoAvailability: none)
    }

    func collectives(_ query: SlotQuery, motif: PublicMotif) throws -> [PublicSearchPage.Collective] {
        let zone = query.motif.timeZone
        let today = LocalDate(now, in: zone)
        return try slots.collectiveSlots(query, from: today, to: today.adding(days: 366) ?? today).map { slot in
            PublicSearchPage.Collective(
                title: slot.title ?? motif.name, when: AppointmentFormat.long(slot.startsAt, in: zone),
                iso: AppointmentFormat.iso(slot.startsAt, in: zone),
                seats: slot.seatsLeft.map { $0 == 0 ? "Complet" : $0 == 1 ? "1 place restante" : "\($0) places restantes" }
                    ?? "Places disponibles",
                path: slotPath(motifID: motif.id, placeID: slot.placeID, startsAt: slot.startsAt, zone: zone))
        }
    }

    /// booking.md §2.2 step 8's address, with the search's state so « Modifier » keeps working.
    func slotPath(motifID: Int64, placeID: Int64?, startsAt: Date, zone: TimeZone) -> String {
        var pairs = state.pairs(before: .date).filter { $0.0 != "lieu_id" }
        pairs.append(("motif_id", "\(motifID)"))
        if let placeID { pairs.append(("lieu_id", "\(placeID)")) }
        pairs.append(("starts_at", AppointmentFormat.iso(startsAt, in: zone)))
        return SiteURL.publicSlot.path(pairs: pairs)
    }

    // MARK: Parts

    func recall(_ label: String, _ value: String, _ item: PublicSearchState.Item, _ what: String) -> PublicSearchPage.Recall {
        .init(label: label, value: value, modifyPath: state.path(before: item), modifyWhat: what)
    }

    func choice(
        _ label: String, _ path: String, details: [String] = [], next: Date? = nil, zone: TimeZone? = nil
    ) -> PublicSearchPage.Choice {
        let nextLabel = zone.flatMap { zone in
            next.map { "Prochaine disponibilité le " + NotificationFormat.mailDay(LocalDate($0, in: zone)) }
        }
        return .init(
            label: label, path: path, details: details.filter { !$0.isEmpty }, nextAvailability: nextLabel,
            hasNoAvailability: zone != nil && next == nil)
    }

    func contact(_ organisation: PublicOrganisation) -> PublicSearchPage.Contact {
        let phone = organisation.phoneNumber.flatMap { $0.isEmpty ? nil : $0 }
        return .init(
            name: organisation.name, phone: phone,
            phoneHref: phone.map { "tel:" + $0.filter { $0.isNumber || $0 == "+" } },
            email: organisation.email, website: organisation.website)
    }

    /// « 2,3 km », « 850 m ».
    static func kilometres(_ metres: Double) -> String {
        if metres < 1000 { return "\(Int((metres / 10).rounded()) * 10) m" }
        let tenths = Int((metres / 100).rounded())
        return "\(tenths / 10),\(tenths % 10) km"
    }
}

extension PublicSearchState {
    /// A radio's value for an address match: what the state keeps of it.
    static func choice(_ match: AddressMatch) -> String {
        [
            match.label, match.cityCode ?? "", match.streetID ?? "", match.latitude.map(coordinate) ?? "",
            match.longitude.map(coordinate) ?? "",
        ].joined(separator: "|")
    }

    /// The state of a submitted address choice; nil when it is not one.
    init?(choice: String) {
        let parts = choice.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, !parts[0].isEmpty, let departement = Self.departement(ofCityCode: parts[1]) else {
            return nil
        }
        self.init()
        address = String(parts[0].prefix(200))
        cityCode = parts[1]
        self.departement = departement
        streetBanID = parts[2].isEmpty ? nil : parts[2]
        latitude = Double(parts[3]).flatMap { (-90...90).contains($0) ? $0 : nil }
        longitude = Double(parts[4]).flatMap { (-180...180).contains($0) ? $0 : nil }
    }
}
