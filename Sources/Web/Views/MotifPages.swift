import Domain
import Foundation
import Persistence

/// `motifs/index`: « Motifs » of « Configuration » (admin.md §2) with its filters (a GET form,
/// so a filtered list is a link).
public struct MotifIndexPage: PageModel, Equatable {
    public static let template = "motifs/index"

    public struct Row: Sendable, Equatable {
        public let name: String
        public let color: String
        public let serviceName: String
        public let locationLabel: String
        public let duration: String
        public let isCollective: Bool
        public let isOnline: Bool
        public let bookableLabel: String
        /// « Modifier », for organisation admins (not on deleted motifs).
        public let editPath: String?
    }

    public let newPath: String?
    public let filterPath: String
    public let serviceFilter: SelectField
    public let locationFilter: SelectField
    public let kindFilter: SelectField
    public let onlineOnly: Bool
    public let deleted: Bool
    public let isFiltered: Bool
    public let rows: [Row]
    public let isEmpty: Bool
    public let count: Int

    static func filter(_ query: FormData) -> MotifListFilter {
        MotifListFilter(
            serviceID: query["service_id"].flatMap { Int64($0) }, locationType: query["location_type"].flatMap(LocationType.init),
            onlineOnly: query["online"] == "1", collectif: ["collectif": true, "individuel": false][query["kind"] ?? ""],
            deleted: query["deleted"] == "1")
    }

    static func load(
        organisationID: Int64, filter: MotifListFilter, services: [NamedOption], motifs: [MotifListRow], canManage: Bool
    ) -> MotifIndexPage {
        let kind = filter.collectif.map { $0 ? "collectif" : "individuel" } ?? ""
        return MotifIndexPage(
            newPath: canManage ? SiteURL.organisation(id: organisationID, .newMotif).path : nil,
            filterPath: SiteURL.organisation(id: organisationID, .motifs).path,
            serviceFilter: SelectField(
                id: "service_id", label: "Service",
                options: [.init(value: "", label: "Tous les services", isSelected: filter.serviceID == nil)]
                    + services.map { .init(value: "\($0.id)", label: $0.name, isSelected: filter.serviceID == $0.id) }),
            locationFilter: SelectField(
                id: "location_type", label: "Type de lieu",
                options: [.init(value: "", label: "Tous les types", isSelected: filter.locationType == nil)]
                    + LocationType.allCases.map {
                        .init(value: $0.rawValue, label: $0.label, isSelected: filter.locationType == $0)
                    }),
            kindFilter: SelectField(
                id: "kind", label: "Individuel ou collectif",
                options: [
                    .init(value: "", label: "Tous", isSelected: kind.isEmpty),
                    .init(value: "individuel", label: "Individuel", isSelected: kind == "individuel"),
                    .init(value: "collectif", label: "Collectif", isSelected: kind == "collectif"),
                ]),
            onlineOnly: filter.onlineOnly, deleted: filter.deleted,
            isFiltered: filter != MotifListFilter(),
            rows: motifs.map { row in
                let motif = row.motif
                return Row(
                    name: motif.name, color: motif.color, serviceName: row.serviceName,
                    locationLabel: motif.locationType.label, duration: "\(motif.defaultDurationInMin) min",
                    isCollective: motif.collectif, isOnline: motif.bookablePublicly,
                    bookableLabel: MotifFormPage.bookableLabels[motif.bookableBy] ?? motif.bookableBy.label,
                    editPath: canManage && !motif.isDeleted
                        ? motif.id.map { SiteURL.organisation(id: organisationID, .editMotif(id: $0)).path } : nil)
            }, isEmpty: motifs.isEmpty, count: motifs.count)
    }
}

/// `motifs/form`: the motif form in the 4 sections of admin.md §2, every value kept on 422.
public struct MotifFormPage: PageModel, Equatable {
    public static let template = "motifs/form"

    /// What the form sent (or the motif), as typed.
    struct Input: Equatable {
        var values: [String: String]
        var flags: Set<String>
        var duplicateTo: [Int64]

        static let textNames = [
            "name", "service_id", "motif_category_id", "color", "default_duration_in_min", "collectif", "location_type",
            "bookable_by", "min_public_booking_delay", "max_public_booking_delay", "sectorisation_level",
            "visibility_type", "restriction_for_rdv", "instruction_for_rdv", "custom_cancel_warning_message",
        ]
        static let flagNames = ["rdvs_editable_by_user", "rdvs_cancellable_by_user", "follow_up", "for_secretariat"]

        subscript(_ name: String) -> String { values[name] ?? "" }

        init(_ motif: Motif) {
            values = [
                "name": motif.name, "service_id": "\(motif.serviceID)",
                "motif_category_id": motif.motifCategoryID.map { "\($0)" } ?? "", "color": motif.color,
                "default_duration_in_min": "\(motif.defaultDurationInMin)", "collectif": motif.collectif ? "1" : "0",
                "location_type": motif.locationType.rawValue, "bookable_by": motif.bookableBy.rawValue,
                "min_public_booking_delay": "\(motif.minPublicBookingDelay)",
                "max_public_booking_delay": "\(motif.maxPublicBookingDelay)",
                "sectorisation_level": motif.sectorisationLevel.rawValue, "visibility_type": motif.visibilityType.rawValue,
                "restriction_for_rdv": motif.restrictionForRdv ?? "", "instruction_for_rdv": motif.instructionForRdv ?? "",
                "custom_cancel_warning_message": motif.customCancelWarningMessage ?? "",
            ]
            flags = Set(
                [
                    motif.rdvsEditableByUser ? "rdvs_editable_by_user" : nil,
                    motif.rdvsCancellableByUser ? "rdvs_cancellable_by_user" : nil,
                    motif.followUp ? "follow_up" : nil, motif.forSecretariat ? "for_secretariat" : nil,
                ].compactMap { $0 })
            duplicateTo = []
        }

        init(form: FormData) {
            var values: [String: String] = [:]
            for name in Self.textNames {
                let raw = form[name] ?? ""
                values[name] = name.hasSuffix("_for_rdv") || name == "custom_cancel_warning_message"
                    ? raw : raw.trimmingCharacters(in: .whitespaces)
            }
            self.values = values
            flags = Set(Self.flagNames.filter { form[$0] == "1" })
            duplicateTo = form.values("duplicate_organisation_ids").compactMap { Int64($0) }
        }

        /// The motif the input describes, on top of the stored one (or a new one of the organisation);
        /// nil values stay as stored so the domain rules name what is missing.
        func motif(organisationID: Int64, stored: Motif?) -> (Motif, [String: String]) {
            var errors: [String: String] = [:]
            var motif = stored ?? Motif(organisationID: organisationID, serviceID: 0, name: "", color: "")
            motif.name = self["name"]
            if let service = Int64(self["service_id"]) { motif.serviceID = service } else { errors["service_id"] = "Choisissez un service." }
            motif.motifCategoryID = Int64(self["motif_category_id"])
            motif.color = self["color"]
            if let duration = Int(self["default_duration_in_min"]), (1...1440).contains(duration) {
                motif.defaultDurationInMin = duration
            } else {
                errors["default_duration_in_min"] = "Durée par défaut doit être un nombre de minutes entre 1 et 1440."
            }
            motif.collectif = self["collectif"] == "1"
            if let location = LocationType(rawValue: self["location_type"]) { motif.locationType = location } else {
                errors["location_type"] = "Choisissez un type de lieu."
            }
            if let bookable = BookableBy(rawValue: self["bookable_by"]) { motif.bookableBy = bookable } else {
                errors["bookable_by"] = "Choisissez qui peut réserver."
            }
            if let delay = Int(self["min_public_booking_delay"]) { motif.minPublicBookingDelay = delay }
            if let delay = Int(self["max_public_booking_delay"]) { motif.maxPublicBookingDelay = delay }
            motif.sectorisationLevel = SectorisationLevel(rawValue: self["sectorisation_level"]) ?? .departement
            motif.visibilityType = VisibilityType(rawValue: self["visibility_type"]) ?? .visibleAndNotified
            motif.restrictionForRdv = self["restriction_for_rdv"]
            motif.instructionForRdv = self["instruction_for_rdv"]
            motif.customCancelWarningMessage = self["custom_cancel_warning_message"]
            motif.rdvsEditableByUser = flags.contains("rdvs_editable_by_user")
            motif.rdvsCancellableByUser = flags.contains("rdvs_cancellable_by_user")
            motif.followUp = flags.contains("follow_up")
            motif.forSecretariat = flags.contains("for_secretariat")
            return (motif, errors)
        }
    }

    /// A new motif: the defaults of domain.md §6, the only service chosen when there is one.
    static func newInput(organisationID: Int64, services: [NamedOption]) -> Input {
        let motif = Motif(organisationID: organisationID, serviceID: services.count == 1 ? services[0].id : 0, name: "", color: "#1F77B4")
        var input = Input(motif)
        if services.count != 1 { input.values["service_id"] = "" }
        return input
    }

    static let labels: [String: String] = [
        "name": "Nom", "service_id": "Service", "motif_category_id": "Catégorie", "color": "Couleur",
        "default_duration_in_min": "Durée par défaut (en minutes)", "collectif": "Individuel ou collectif",
        "location_type": "Type de lieu", "bookable_by": "Qui peut réserver ce motif ?",
        "min_public_booking_delay": "Délai minimum de réservation", "max_public_booking_delay": "Délai maximum de réservation",
        "rdvs_editable_by_user": "Les usagers peuvent déplacer leur RDV",
        "rdvs_cancellable_by_user": "Les usagers peuvent annuler leur RDV", "follow_up": "RDV de suivi",
        "for_secretariat": "Ouvert au secrétariat", "sectorisation_level": "Sectorisation",
        "visibility_type": "Visibilité et notifications", "restriction_for_rdv": "Conditions pour prendre ce RDV",
        "instruction_for_rdv": "Indications pour le RDV", "custom_cancel_warning_message": "Message avant l'annulation",
        "duplicate_organisation_ids": "Copier dans d'autres organisations", "deleted_at": "Supprimé le",
    ]
    /// « Historique », in the form's order.
    static let historyFields: [(name: String, label: String)] = [
        "name", "service_id", "motif_category_id", "color", "default_duration_in_min", "collectif", "location_type",
        "bookable_by", "min_public_booking_delay", "max_public_booking_delay", "rdvs_editable_by_user",
        "rdvs_cancellable_by_user", "follow_up", "for_secretariat", "sectorisation_level", "visibility_type",
        "restriction_for_rdv", "instruction_for_rdv", "custom_cancel_warning_message", "deleted_at",
    ].map { ($0, labels[$0] ?? $0) }

    /// admin.md §4 journey wording: « Ouvert aux agents et aux usagers » is the public choice.
    static let bookableLabels: [BookableBy: String] = [
        .agents: "Agents de l'organisation uniquement",
        .agentsAndPrescripteurs: "Ouvert aux agents et aux prescripteurs",
        .agentsAndPrescripteursAndInvitedUsers: "Ouvert aux agents, aux prescripteurs et aux usagers invités",
        .everyone: "Ouvert aux agents et aux usagers",
    ]
    static let visibilityLabels: [VisibilityType: String] = [
        .visibleAndNotified: "Visible et notifié : l'usager voit le RDV dans son espace et reçoit les notifications",
        .visibleAndNotNotified: "Visible sans notification : l'usager voit le RDV mais ne reçoit rien",
        .invisible: "Invisible : l'usager ne voit pas le RDV et n'est pas notifié",
    ]
    static let sectorisationLabels: [SectorisationLevel: String] = [
        .departement: "Tout le territoire : pas de sectorisation",
        .organisation: "Les organisations attribuées au secteur de l'adresse de l'usager",
        .agent: "Les agents attribués au secteur de l'adresse de l'usager",
    ]
    static let minimumDelays = [1800, 3600, 7200, 14400, 43200, 86400, 172_800, 259_200, 604_800, 1_209_600]
    static let maximumDelays = [604_800, 1_209_600, 2_629_746, 5_259_492, 7_889_238, 15_778_476, 31_556_952]

    /// A delay in the words of the form: « 30 minutes », « 2 jours », « 3 mois ».
    static func delayLabel(_ seconds: Int) -> String {
        let named = [
            1800: "30 minutes", 3600: "1 heure", 604_800: "1 semaine", 1_209_600: "2 semaines", 2_629_746: "1 mois",
            5_259_492: "2 mois", 7_889_238: "3 mois", 15_778_476: "6 mois", 31_556_952: "1 an",
        ]
        if let name = named[seconds] { return name }
        if seconds % 86400 == 0 { return seconds == 86400 ? "1 jour" : "\(seconds / 86400) jours" }
        if seconds % 3600 == 0 { return "\(seconds / 3600) heures" }
        return "\(seconds / 60) minutes"
    }

    /// A stored value as the form says it, for « Historique ».
    static func describe(field: String, value: String, options: MotifFormOptions) -> String {
        switch field {
        case "service_id": return options.services.first { "\($0.id)" == value }?.name ?? value
        case "motif_category_id": return options.categories.first { "\($0.id)" == value }?.name ?? value
        case "collectif": return value == "1" ? "Collectif" : "Individuel"
        case "location_type": return LocationType(rawValue: value)?.label ?? value
        case "bookable_by": return BookableBy(rawValue: value).flatMap { bookableLabels[$0] } ?? value
        case "visibility_type": return VisibilityType(rawValue: value).flatMap { visibilityLabels[$0] } ?? value
        case "sectorisation_level": return SectorisationLevel(rawValue: value).flatMap { sectorisationLabels[$0] } ?? value
        case "min_public_booking_delay", "max_public_booking_delay": return Int(value).map(delayLabel) ?? value
        case "rdvs_editable_by_user", "rdvs_cancellable_by_user", "follow_up", "for_secretariat":
            return value == "1" ? "Oui" : "Non"
        case "deleted_at": return value.isEmpty ? value : "oui"
        default: return value
        }
    }

    public struct Flag: Sendable, Equatable {
        public let id: String
        public let label: String
        public let hint: String?
        public let isChecked: Bool
        public let error: String?
    }

    public let heading: String
    public let formPath: String
    public let isEdit: Bool
    public let cancelPath: String
    public let baseError: String?
    // 1. « Configuration principale »
    public let nameField: FormField
    public let serviceField: SelectField
    public let categoryField: SelectField?
    public let colorField: FormField
    public let durationField: FormField
    public let kindField: ChoiceGroup
    public let locationField: ChoiceGroup
    // 2. « Réservation en ligne »
    public let bookableField: ChoiceGroup
    public let minDelayField: SelectField
    public let maxDelayField: SelectField
    public let userFlags: [Flag]
    public let agentFlags: [Flag]
    public let sectorisationField: ChoiceGroup
    // 3. « Notifications et instructions »
    public let visibilityField: ChoiceGroup
    public let restrictionField: TextAreaField
    public let instructionField: TextAreaField
    public let cancelWarningField: TextAreaField
    // 4. « Organisations »
    public let duplicationField: ChoiceGroup?
    /// « Supprimer ce motif », on the edit form.
    public let deletePath: String?
    public let history: HistoryList?

    static func load(
        organisationID: Int64, motifID: Int64?, input: Input, options: MotifFormOptions,
        errors: [String: String] = [:], history: HistoryList? = nil
    ) -> MotifFormPage {
        func field(_ name: String, type: String = "text", hint: String? = nil, required: Bool = false) -> FormField {
            FormField(
                name: name, label: labels[name] ?? name, type: type, value: input[name], hint: hint, required: required,
                error: errors[name])
        }
        func radios(_ name: String, hint: String? = nil, _ choices: [(String, String)]) -> ChoiceGroup {
            ChoiceGroup(
                id: name, name: name, legend: labels[name] ?? name, hint: hint,
                options: choices.enumerated().map { index, choice in
                    .init(id: "\(name)-\(index)", value: choice.0, label: choice.1, isSelected: input[name] == choice.0)
                }, error: errors[name])
        }
        func delays(_ name: String, _ choices: [Int], hint: String) -> SelectField {
            let current = Int(input[name])
            let all = (choices + (current.map { choices.contains($0) ? [] : [$0] } ?? [])).sorted()
            return SelectField(
                id: name, label: labels[name] ?? name, hint: hint,
                options: all.map { .init(value: "\($0)", label: delayLabel($0), isSelected: current == $0) },
                error: errors[name])
        }
        func flag(_ name: String, hint: String? = nil) -> Flag {
            Flag(id: name, label: labels[name] ?? name, hint: hint, isChecked: input.flags.contains(name), error: errors[name])
        }
        let list = SiteURL.organisation(id: organisationID, .motifs)
        return MotifFormPage(
            heading: motifID == nil ? "Créer un motif" : "Modifier le motif « \(input["name"]) »",
            formPath: motifID.map { SiteURL.organisation(id: organisationID, .motif(id: $0)).path } ?? list.path,
            isEdit: motifID != nil, cancelPath: list.path, baseError: errors["base"],
            nameField: field("name", hint: "Par exemple « Consultation prénatale »", required: true),
            serviceField: SelectField(
                id: "service_id", label: "Service",
                options: (options.services.count == 1 ? [] : [.init(value: "", label: "Choisissez un service", isSelected: input["service_id"].isEmpty)])
                    + options.services.map { .init(value: "\($0.id)", label: $0.name, isSelected: input["service_id"] == "\($0.id)") },
                error: errors["service_id"]),
            categoryField: options.categories.isEmpty
                ? nil
                : SelectField(
                    id: "motif_category_id", label: "Catégorie", hint: "Facultatif ; sert aux liens nationaux de recherche",
                    options: [.init(value: "", label: "Aucune", isSelected: input["motif_category_id"].isEmpty)]
                        + options.categories.map {
                            .init(value: "\($0.id)", label: $0.name, isSelected: input["motif_category_id"] == "\($0.id)")
                        }, error: errors["motif_category_id"]),
            colorField: field("color", type: "color", hint: "La couleur du motif dans les agendas", required: true),
            durationField: field("default_duration_in_min", type: "number", hint: "La durée d'un créneau", required: true),
            kindField: radios("collectif", hint: "Ne peut plus changer une fois des RDV pris", [("0", "Individuel"), ("1", "Collectif")]),
            locationField: radios(
                "location_type", hint: "Un RDV collectif a lieu sur place",
                LocationType.allCases.map { ($0.rawValue, $0.label) }),
            bookableField: radios(
                "bookable_by", BookableBy.allCases.map { ($0.rawValue, bookableLabels[$0] ?? $0.label) }),
            minDelayField: delays("min_public_booking_delay", minimumDelays, hint: "Le plus tôt qu'un usager peut réserver"),
            maxDelayField: delays("max_public_booking_delay", maximumDelays, hint: "Le plus tard qu'un usager peut réserver"),
            userFlags: [flag("rdvs_editable_by_user"), flag("rdvs_cancellable_by_user")],
            agentFlags: [
                flag("follow_up", hint: "Seuls les agents référents de l'usager peuvent assurer ce RDV"),
                flag("for_secretariat", hint: "Les agents du Secrétariat peuvent aussi assurer ce RDV"),
            ],
            sectorisationField: radios(
                "sectorisation_level", hint: "Pour la réservation en ligne : qui est proposé selon l'adresse",
                SectorisationLevel.allCases.map { ($0.rawValue, sectorisationLabels[$0] ?? $0.rawValue) }),
            visibilityField: radios(
                "visibility_type", VisibilityType.allCases.map { ($0.rawValue, visibilityLabels[$0] ?? $0.rawValue) }),
            restrictionField: TextAreaField(
                id: "restriction_for_rdv", label: labels["restriction_for_rdv"] ?? "",
                hint: "Montré avant la réservation en ligne, par exemple « Réservé aux femmes enceintes »",
                value: input["restriction_for_rdv"], error: errors["restriction_for_rdv"]),
            instructionField: TextAreaField(
                id: "instruction_for_rdv", label: labels["instruction_for_rdv"] ?? "",
                hint: "Dans la confirmation, par exemple « Apportez votre carnet de santé »",
                value: input["instruction_for_rdv"], error: errors["instruction_for_rdv"]),
            cancelWarningField: TextAreaField(
                id: "custom_cancel_warning_message", label: labels["custom_cancel_warning_message"] ?? "",
                hint: "Vide : « \(Motif.defaultCancelWarningMessage) »", value: input["custom_cancel_warning_message"],
                error: errors["custom_cancel_warning_message"]),
            duplicationField: options.duplicationTargets.isEmpty
                ? nil
                : ChoiceGroup(
                    id: "duplicate_organisation_ids", name: "duplicate_organisation_ids",
                    legend: labels["duplicate_organisation_ids"] ?? "",
                    hint: "Une copie du motif est créée dans chaque organisation cochée, à l'enregistrement",
                    options: options.duplicationTargets.map {
                        .init(
                            id: "duplicate_organisation_ids-\($0.id)", value: "\($0.id)", label: $0.name,
                            isSelected: input.duplicateTo.contains($0.id))
                    }, error: errors["duplicate_organisation_ids"]),
            deletePath: motifID.map { SiteURL.organisation(id: organisationID, .motif(id: $0)).path },
            history: history)
    }
}
