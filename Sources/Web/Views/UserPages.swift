import Domain
import Foundation
import Persistence

/// How user pages print people and dates (dd/mm/yyyy, « Prénom NOM »).
/// How agent pages write people: « Jeanne DUPONT » everywhere (the last name in capitals, with
/// its accents: Swift's uppercasing, not SQLite's ASCII-only `upper()`).
enum UserFormat {
    static func name(first: String, last: String) -> String {
        first.isEmpty ? last.uppercased() : "\(first) \(last.uppercased())"
    }

    static func date(_ day: LocalDate) -> String { day.frenchDescription }

    /// « 12/03/1980 (46 ans) ».
    static func birthDate(_ day: LocalDate, today: LocalDate) -> String {
        let age = day.age(on: today)
        return "\(date(day)) (\(age) an\(age > 1 ? "s" : ""))"
    }

    static let caisseLabels: [User.CaisseAffiliation: String] = [.aucune: "Aucune", .caf: "CAF", .msa: "MSA"]
    static let logementLabels: [User.Logement: String] = [
        .sdf: "Sans abri ou SDF", .heberge: "Hébergé", .enAccessionPropriete: "En accession à la propriété",
        .proprietaire: "Propriétaire", .autre: "Autre", .locataire: "Locataire",
    ]
}

// MARK: - List

/// `users/index`: « Usagers » with the search box, 10 per page (booking.md §9).
public struct UserIndexPage: PageModel, Equatable {
    public static let template = "users/index"
    public static let perPage = 10

    public struct Row: Sendable, Equatable {
        public let name: String
        public let path: String
        public let birthDate: String?
        public let phone: String?
        public let email: String?
        /// « Proche de … » or « n proche(s) ».
        public let relativesMarker: String?
    }

    public let formPath: String
    public let query: String
    public let newUserPath: String
    public let rows: [Row]
    public let hasRows: Bool
    public let summary: String
    public let pagination: Pagination

    static func load(db: AppDatabase, organisationID: Int64, query: String, page: Int, now: Date, zone: TimeZone)
        throws -> UserIndexPage
    {
        let text = query.trimmingCharacters(in: .whitespacesAndNewlines)
        let current = max(1, page)
        let results = try db.searchUsersPage(
            text, organisationID: organisationID, offset: (current - 1) * perPage, limit: perPage)
        let today = LocalDate(now, in: zone)
        let responsibles = try Dictionary(
            Set(results.results.compactMap(\.responsibleID)).compactMap { id in try db.user(id: id).map { (id, $0) } },
            uniquingKeysWith: { first, _ in first })
        let rows = results.results.map { result in
            let marker: String? =
                if let responsible = result.responsibleID.flatMap({ responsibles[$0] }) {
                    "Proche de \(UserFormat.name(first: responsible.firstName, last: responsible.lastName))"
                } else if result.relativesCount > 0 {
                    "\(result.relativesCount) proche\(result.relativesCount > 1 ? "s" : "")"
                } else { nil }
            return Row(
                name: UserFormat.name(first: result.firstName, last: result.lastName),
                path: SiteURL.organisation(id: organisationID, .user(id: result.id)).path,
                birthDate: result.birthDate.map { UserFormat.birthDate($0, today: today) }, phone: result.phone,
                email: result.email, relativesMarker: marker)
        }
        let summary: String =
            switch (results.total, text.isEmpty) {
            case (0, true): "Aucun usager dans cette organisation."
            case (0, false): "Aucun usager ne correspond à votre recherche."
            case (1, _): "1 usager"
            default: "\(results.total) usagers"
            }
        let pages = (results.total + perPage - 1) / perPage
        return UserIndexPage(
            formPath: SiteURL.organisation(id: organisationID, .users).path, query: text,
            newUserPath: SiteURL.organisation(id: organisationID, .newUser).path, rows: rows, hasRows: !rows.isEmpty,
            summary: summary,
            pagination: Pagination(current: current, total: pages) { number in
                SiteURL.organisation(id: organisationID, .users).path(query: [
                    "q": text.isEmpty ? nil : text, "page": number == 1 ? nil : "\(number)",
                ])
            })
    }
}

// MARK: - Form

/// What the agent typed in the user form, kept as typed (re-rendered on 422).
public struct UserFormInput: Sendable, Equatable {
    public static let textNames = [
        "first_name", "last_name", "birth_name", "birth_date", "email", "phone_number", "address",
        "address_details", "caisse_affiliation", "affiliation_number", "family_situation", "number_of_children",
        "case_number", "notes", "logement", "responsible_id", "responsible_search",
    ]

    public var values: [String: String]
    public var notifyBySMS: Bool
    public var notifyByEmail: Bool

    public subscript(_ name: String) -> String { values[name] ?? "" }

    public init(values: [String: String] = [:], notifyBySMS: Bool = true, notifyByEmail: Bool = true) {
        self.values = values
        self.notifyBySMS = notifyBySMS
        self.notifyByEmail = notifyByEmail
    }

    /// A submitted form: the checkboxes are absent when unticked.
    init(_ form: FormData) {
        var values: [String: String] = [:]
        for name in Self.textNames { values[name] = form[name] ?? "" }
        self.init(values: values, notifyBySMS: form["notify_by_sms"] == "1", notifyByEmail: form["notify_by_email"] == "1")
    }

    /// The form of an existing file.
    init(_ user: User) {
        var values: [String: String] = [
            "first_name": user.firstName, "last_name": user.lastName, "birth_name": user.birthName ?? "",
            "birth_date": user.birthDate?.description ?? "", "email": user.email ?? "",
            "phone_number": user.phoneNumber ?? "", "address": user.address ?? "",
            "address_details": user.addressDetails ?? "", "caisse_affiliation": user.caisseAffiliation?.rawValue ?? "",
            "affiliation_number": user.affiliationNumber ?? "", "family_situation": user.familySituation ?? "",
            "number_of_children": user.numberOfChildren.map(String.init) ?? "", "case_number": user.caseNumber ?? "",
            "notes": user.notes ?? "", "logement": user.logement?.rawValue ?? "",
            "responsible_id": user.responsibleID.map(String.init) ?? "",
        ]
        values["responsible_search"] = ""
        self.init(values: values, notifyBySMS: user.notifyBySMS, notifyByEmail: user.notifyByEmail)
    }

    /// The user this input describes over `base` (its other fields kept), with the format
    /// errors the model cannot see (a date or a number that does not parse). Fields the
    /// territory does not enable are left as they were.
    func user(over base: User?, settings: UserFileSettings) -> (User, [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        func text(_ name: String) -> String? {
            let value = self[name].trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
        var user = base ?? User(firstName: "", lastName: "")
        user.firstName = self["first_name"].trimmingCharacters(in: .whitespacesAndNewlines)
        user.lastName = self["last_name"].trimmingCharacters(in: .whitespacesAndNewlines)
        user.birthName = text("birth_name")
        user.birthDate = nil
        if let raw = text("birth_date") {
            if let day = LocalDate(raw) ?? Self.frenchDate(raw) {
                user.birthDate = day
            } else {
                issues.append(.error("birth_date", "n'est pas une date valide (jj/mm/aaaa)"))
            }
        }
        user.email = text("email")
        user.phoneNumber = text("phone_number")
        user.address = text("address")
        if settings.addressDetails { user.addressDetails = text("address_details") }
        if settings.caisseAffiliation {
            user.caisseAffiliation = text("caisse_affiliation").flatMap(User.CaisseAffiliation.init)
        }
        if settings.affiliationNumber { user.affiliationNumber = text("affiliation_number") }
        if settings.familySituation { user.familySituation = text("family_situation") }
        if settings.numberOfChildren {
            user.numberOfChildren = nil
            if let raw = text("number_of_children") {
                if let number = Int(raw), number >= 0 {
                    user.numberOfChildren = number
                } else {
                    issues.append(.error("number_of_children", "doit être un nombre positif ou nul"))
                }
            }
        }
        if settings.caseNumber { user.caseNumber = text("case_number") }
        if settings.notes { user.notes = text("notes") }
        if settings.logement { user.logement = text("logement").flatMap(User.Logement.init) }
        user.notifyBySMS = notifyBySMS
        user.notifyByEmail = notifyByEmail
        user.responsibleID = text("responsible_id").flatMap { Int64($0) }
        return (user, issues)
    }

    /// « 12/03/1980 » as typed where no date picker is offered.
    static func frenchDate(_ text: String) -> LocalDate? {
        let parts = text.split(separator: "/")
        guard parts.count == 3, let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]),
            parts[2].count == 4
        else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }
}

/// A possible duplicate listed under the warning (domain.md §11), linked when visible.
public struct UserDuplicateLink: Sendable, Equatable {
    public let label: String
    public let path: String?
}

/// `users/new` and `users/edit` share `users/form`.
public struct UserForm: Sendable, Equatable {
    public struct ResponsibleOption: Sendable, Equatable {
        public let value: String
        public let label: String
        public let isSelected: Bool
    }

    public let formPath: String
    /// `PATCH` for an edit.
    public let methodOverride: String?
    public let cancelPath: String
    public let fields: [FormField]
    public let selects: [SelectField]
    public let hasNotes: Bool
    public let notes: String
    public let notifyBySMS: Bool
    public let notifyByEmail: Bool
    public let responsibleOptions: [ResponsibleOption]
    public let responsibleSearch: String
    public let responsibleError: String?
    public let responsibleSearchMessage: String?
    public let warnings: BenignWarnings
    public let duplicates: [UserDuplicateLink]
    public let hasDuplicates: Bool
    public let formErrors: [String]
    public let hasFormErrors: Bool

    static let labels: [String: String] = [
        "first_name": "Prénom", "last_name": "Nom", "birth_name": "Nom de naissance",
        "birth_date": "Date de naissance", "email": "Adresse e-mail", "phone_number": "Téléphone",
        "address": "Adresse", "address_details": "Complément d'adresse", "caisse_affiliation": "Caisse d'affiliation",
        "affiliation_number": "Numéro d'allocataire", "family_situation": "Situation familiale",
        "number_of_children": "Nombre d'enfants", "case_number": "Numéro de dossier", "notes": "Remarques",
        "logement": "Logement", "responsible_id": "Cet usager est un proche de…",
    ]

    /// - Parameters:
    ///   - responsibles: the current responsible and the results of « Chercher », as options.
    ///   - duplicates: shown under the warnings.
    static func make(
        input: UserFormInput, settings: UserFileSettings, formPath: String, methodOverride: String?,
        cancelPath: String, issues: [ValidationIssue], responsibles: [UserSummary], responsibleSearchMessage: String?,
        duplicates: [UserDuplicateLink]
    ) -> UserForm {
        var errors: [String: String] = [:]
        for issue in issues.errors where errors[issue.field] == nil {
            errors[issue.field] = issue.field == "base" ? issue.message : "\(labels[issue.field] ?? issue.field) \(issue.message)"
        }
        func field(_ name: String, type: String = "text", autocomplete: String? = nil, hint: String? = nil, required: Bool = false)
            -> FormField
        {
            FormField(
                name: name, label: labels[name] ?? name, type: type, value: input[name], autocomplete: autocomplete,
                hint: hint, required: required, error: errors[name])
        }
        // The fields describe the person helped, not the agent: "off" keeps the agent's own details
        // from being suggested. Not on email/tel, where the axe-core we test with refuses "off".
        var fields = [
            field("first_name", autocomplete: "off", required: true),
            field("last_name", autocomplete: "off", required: true),
            field("birth_name", autocomplete: "off"),
            field("birth_date", type: "date"),
            field("email", type: "email"),
            field("phone_number", type: "tel", hint: "Un numéro français, fixe ou mobile"),
            field("address", autocomplete: "off"),
        ]
        if settings.addressDetails { fields.append(field("address_details", autocomplete: "off")) }
        if settings.affiliationNumber { fields.append(field("affiliation_number", autocomplete: "off")) }
        if settings.familySituation { fields.append(field("family_situation", autocomplete: "off")) }
        if settings.numberOfChildren { fields.append(field("number_of_children", type: "number", autocomplete: "off")) }
        if settings.caseNumber { fields.append(field("case_number", autocomplete: "off")) }
        var selects: [SelectField] = []
        func select(_ name: String, _ choices: [(String, String)]) -> SelectField {
            SelectField(
                id: name, label: labels[name] ?? name, hint: nil,
                options: [.init(value: "", label: "Non renseigné", isSelected: input[name].isEmpty)]
                    + choices.map { .init(value: $0.0, label: $0.1, isSelected: input[name] == $0.0) },
                error: errors[name])
        }
        if settings.caisseAffiliation {
            selects.append(
                select(
                    "caisse_affiliation",
                    User.CaisseAffiliation.allCases.map { ($0.rawValue, UserFormat.caisseLabels[$0] ?? $0.rawValue) }))
        }
        if settings.logement {
            selects.append(
                select("logement", User.Logement.allCases.map { ($0.rawValue, UserFormat.logementLabels[$0] ?? $0.rawValue) }))
        }
        let chosen = input["responsible_id"]
        var options = [ResponsibleOption(value: "", label: "Aucun", isSelected: chosen.isEmpty)]
        var seen: Set<Int64> = []
        for summary in responsibles where seen.insert(summary.id).inserted {
            let born = summary.birthDate.map { ", né(e) le \(UserFormat.date($0))" } ?? ""
            options.append(
                .init(
                    value: "\(summary.id)", label: UserFormat.name(first: summary.firstName, last: summary.lastName) + born,
                    isSelected: chosen == "\(summary.id)"))
        }
        let known = Set(errors.keys).subtracting(["responsible_id", "base"]).subtracting(fields.map(\.name))
            .subtracting(selects.map(\.id))
        let formErrors = (errors["base"].map { [$0] } ?? []) + known.sorted().compactMap { errors[$0] }
        return UserForm(
            formPath: formPath, methodOverride: methodOverride, cancelPath: cancelPath, fields: fields,
            selects: selects, hasNotes: settings.notes, notes: input["notes"], notifyBySMS: input.notifyBySMS,
            notifyByEmail: input.notifyByEmail, responsibleOptions: options, responsibleSearch: input["responsible_search"],
            responsibleError: errors["responsible_id"], responsibleSearchMessage: responsibleSearchMessage,
            warnings: BenignWarnings(issues.warnings.map(\.message)), duplicates: duplicates,
            hasDuplicates: !duplicates.isEmpty, formErrors: formErrors, hasFormErrors: !formErrors.isEmpty)
    }
}

/// `users/new`: « Créer un usager ».
public struct UserNewPage: PageModel, Equatable {
    public static let template = "users/new"
    public let form: UserForm
}

/// `users/edit`: « Modifier l'usager ».
public struct UserEditPage: PageModel, Equatable {
    public static let template = "users/edit"
    public let name: String
    public let form: UserForm
}

// MARK: - File

/// `users/show`: the user file (booking.md §9 « User file », domain.md §11).
public struct UserShowPage: PageModel, Equatable {
    public static let template = "users/show"

    public struct Detail: Sendable, Equatable {
        public let label: String
        public let value: String
    }

    public struct Link: Sendable, Equatable {
        public let label: String
        public let path: String
    }

    public struct AppointmentRow: Sendable, Equatable {
        public let path: String
        public let startsAt: String
        public let startsAtISO: String
        public let motifName: String
        public let placeName: String?
        public let agents: String
        public let statusLabel: String
        public let statusBadge: String
    }

    public let name: String
    public let details: [Detail]
    public let responsible: Link?
    public let isRelative: Bool
    public let relatives: [Link]
    public let hasRelatives: Bool
    public let addRelativePath: String?
    public struct Referent: Sendable, Equatable {
        public let agentID: Int64
        public let name: String
    }

    public let referents: [Referent]
    public let hasReferents: Bool
    /// The organisation's agents who are not referents yet (« Ajouter un référent »).
    public let referentChoices: [Referent]
    public let hasReferentChoices: Bool
    public let referentsPath: String
    public let upcoming: [AppointmentRow]
    public let hasUpcoming: Bool
    public let past: [AppointmentRow]
    public let hasPast: Bool
    public let bookPath: String
    public let editPath: String
    public let deletePath: String
    public let invitationPath: String?
    public let mergePath: String
    public let invitationSent: String?
    public let removalError: String?
    /// « Historique » (domain.md §0), for the organisation's admins only.
    public let history: HistoryList?

    /// The file's fields as the form names them.
    static let historyFields: [(name: String, label: String)] =
        AppDatabase.mergeableUserColumns.map { ($0, UserForm.labels[$0] ?? $0) } + [
            ("post_code", "Code postal"), ("city_name", "Commune"), ("responsible_id", "Proche de l'usager n°"),
            ("notify_by_sms", "Accepte les notifications par SMS"),
            ("notify_by_email", "Accepte les notifications par e-mail"),
        ]

    static func history(_ entries: [VersionEntry], zone: TimeZone) -> HistoryList {
        HistoryList.load(entries, fields: historyFields, zone: zone) { field, value in
            switch field {
            case "notify_by_sms", "notify_by_email": value == "1" ? "Oui" : "Non"
            case "birth_date": LocalDate(value).map(UserFormat.date) ?? value
            default: value
            }
        }
    }

    static func load(
        _ file: UserFile, settings: UserFileSettings, now: Date, referentCandidates: [(id: Int64, name: String)] = [],
        removalError: String? = nil, history: HistoryList? = nil
    ) -> UserShowPage {
        let user = file.user
        let id = user.id ?? 0
        let organisationID = settings.organisationID
        let zone = settings.timeZone
        let today = LocalDate(now, in: zone)
        var details: [Detail] = []
        func add(_ label: String, _ value: String?) {
            if let value, !value.isEmpty { details.append(Detail(label: label, value: value)) }
        }
        add("Nom de naissance", user.birthName)
        add("Date de naissance", user.birthDate.map { UserFormat.birthDate($0, today: today) })
        // A relative's empty contact fields are its responsible's (domain.md §11).
        let fallback = file.responsible == nil ? nil : file.responsibleUser
        func contact(_ label: String, _ own: String?, _ inherited: String?) {
            if let own, !own.isEmpty {
                add(label, own)
            } else if let inherited, !inherited.isEmpty {
                add(label, "\(inherited) (du responsable)")
            }
        }
        contact("Adresse e-mail", user.email, fallback?.email)
        contact("Téléphone", user.phoneNumber, fallback?.phoneNumber)
        contact("Adresse", user.address, fallback?.address)
        if settings.addressDetails { add("Complément d'adresse", user.addressDetails) }
        if settings.caisseAffiliation { add("Caisse d'affiliation", user.caisseAffiliation.flatMap { UserFormat.caisseLabels[$0] }) }
        if settings.affiliationNumber { add("Numéro d'allocataire", user.affiliationNumber) }
        if settings.familySituation { add("Situation familiale", user.familySituation) }
        if settings.numberOfChildren { add("Nombre d'enfants", user.numberOfChildren.map(String.init)) }
        if settings.caseNumber { add("Numéro de dossier", user.caseNumber) }
        if settings.logement { add("Logement", user.logement.flatMap { UserFormat.logementLabels[$0] }) }
        if settings.notes { add("Remarques", user.notes) }
        add(
            "Notifications",
            [user.notifyBySMS ? "SMS" : nil, user.notifyByEmail ? "e-mail" : nil].compactMap { $0 }.joined(separator: " et ")
                .ifEmpty("Aucune"))
        func link(_ summary: UserSummary) -> Link {
            Link(
                label: UserFormat.name(first: summary.firstName, last: summary.lastName),
                path: SiteURL.organisation(id: organisationID, .user(id: summary.id)).path)
        }
        func row(_ appointment: UserFileAppointment) -> UserShowPage.AppointmentRow {
            AppointmentRow(
                path: SiteURL.organisation(id: organisationID, .rdv(id: appointment.id)).path,
                startsAt: AppointmentFormat.short(appointment.startsAt, in: zone),
                startsAtISO: AppointmentFormat.iso(appointment.startsAt, in: zone), motifName: appointment.motifName,
                placeName: appointment.placeName, agents: appointment.agentNames.joined(separator: ", "),
                statusLabel: AppointmentFormat.statusLabel(appointment.status, startsAt: appointment.startsAt, now: now, in: zone),
                statusBadge: AppointmentFormat.statusBadge(appointment.status))
        }
        let relatives = file.relatives.map(link)
        let upcoming = file.upcoming.map(row)
        let past = file.past.map(row)
        let assigned = Set(file.referents.map(\.id))
        let choices = referentCandidates.filter { !assigned.contains($0.id) }.map {
            Referent(agentID: $0.id, name: $0.name)
        }
        let canInvite = user.email != nil && !file.hasAccount && !user.isRelative
        return UserShowPage(
            name: UserFormat.name(first: user.firstName, last: user.lastName), details: details,
            responsible: file.responsible.map(link), isRelative: user.isRelative, relatives: relatives,
            hasRelatives: !relatives.isEmpty,
            addRelativePath: user.isRelative
                ? nil : SiteURL.organisation(id: organisationID, .newUser).path(query: ["responsible_id": "\(id)"]),
            referents: file.referents.map { Referent(agentID: $0.id, name: $0.name) },
            hasReferents: !file.referents.isEmpty, referentChoices: choices, hasReferentChoices: !choices.isEmpty,
            referentsPath: SiteURL.organisation(id: organisationID, .userReferents(id: id)).path, upcoming: upcoming,
            hasUpcoming: !upcoming.isEmpty, past: past, hasPast: !past.isEmpty,
            bookPath: SiteURL.organisation(id: organisationID, .creneauxSearch).path(query: ["user_ids[]": "\(id)"]),
            editPath: SiteURL.organisation(id: organisationID, .editUser(id: id)).path,
            deletePath: SiteURL.organisation(id: organisationID, .user(id: id)).path,
            invitationPath: canInvite ? SiteURL.organisation(id: organisationID, .userInvitation(id: id)).path : nil,
            mergePath: SiteURL.organisation(id: organisationID, .userMerge(id: id)).path,
            invitationSent: user.invitationCreatedAt.map {
                "Invitation envoyée le \(AppointmentFormat.short($0, in: zone))"
                    + (user.invitationAcceptedAt == nil ? "" : ", acceptée")
            },
            removalError: removalError, history: history)
    }
}

extension String {
    fileprivate func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}

// MARK: - Merge

/// `users/merge`: « Fusionner deux usagers » (domain.md §11): pick the other file, then each
/// field that differs.
public struct UserMergePage: PageModel, Equatable {
    public static let template = "users/merge"

    public struct Candidate: Sendable, Equatable {
        public let label: String
        public let path: String
    }

    public struct Row: Sendable, Equatable {
        public let column: String
        public let label: String
        public let keptValue: String
        public let otherValue: String
        /// Both files say the same: nothing to choose.
        public let isSame: Bool
        /// The kept file's value is chosen unless it is empty.
        public let keepsKept: Bool
    }

    public let name: String
    public let showPath: String
    public let searchPath: String
    public let query: String
    public let candidates: [Candidate]
    public let hasCandidates: Bool
    public let searchMessage: String?
    public let otherName: String?
    public let otherID: String?
    public let rows: [Row]
    public let formPath: String
    public let error: String?

    static func load(
        kept: UserFile, other: UserFile?, settings: UserFileSettings, query: String, results: [UserSearchResult],
        error: String? = nil
    ) -> UserMergePage {
        let keptID = kept.user.id ?? 0
        let path = SiteURL.organisation(id: settings.organisationID, .userMerge(id: keptID)).path
        let text = query.trimmingCharacters(in: .whitespacesAndNewlines)
        let candidates = results.filter { $0.id != keptID }.map { result in
            Candidate(
                label: UserFormat.name(first: result.firstName, last: result.lastName)
                    + (result.birthDate.map { ", né(e) le \(UserFormat.date($0))" } ?? "")
                    + (result.email.map { ", \($0)" } ?? ""),
                path: SiteURL.organisation(id: settings.organisationID, .userMerge(id: keptID)).path(query: [
                    "other_id": "\(result.id)"
                ]))
        }
        var rows: [Row] = []
        if let other {
            let enabled: [String: Bool] = [
                "address_details": settings.addressDetails, "caisse_affiliation": settings.caisseAffiliation,
                "affiliation_number": settings.affiliationNumber, "family_situation": settings.familySituation,
                "number_of_children": settings.numberOfChildren, "case_number": settings.caseNumber,
                "notes": settings.notes, "logement": settings.logement,
            ]
            let a = Self.values(kept.user)
            let b = Self.values(other.user)
            for column in AppDatabase.mergeableUserColumns where enabled[column] ?? true {
                let (x, y) = (a[column] ?? "", b[column] ?? "")
                guard !x.isEmpty || !y.isEmpty else { continue }
                rows.append(
                    Row(
                        column: column, label: UserForm.labels[column] ?? column, keptValue: x.isEmpty ? "—" : x,
                        otherValue: y.isEmpty ? "—" : y, isSame: x == y, keepsKept: !x.isEmpty))
            }
        }
        return UserMergePage(
            name: UserFormat.name(first: kept.user.firstName, last: kept.user.lastName),
            showPath: SiteURL.organisation(id: settings.organisationID, .user(id: keptID)).path, searchPath: path,
            query: text, candidates: candidates, hasCandidates: !candidates.isEmpty,
            searchMessage: text.isEmpty || !candidates.isEmpty || other != nil
                ? nil : "Aucun autre usager ne correspond à votre recherche.",
            otherName: other.map { UserFormat.name(first: $0.user.firstName, last: $0.user.lastName) },
            otherID: other?.user.id.map(String.init), rows: rows, formPath: path, error: error)
    }

    /// The displayed value of each mergeable column.
    static func values(_ user: User) -> [String: String] {
        [
            "first_name": user.firstName, "last_name": user.lastName, "birth_name": user.birthName ?? "",
            "birth_date": user.birthDate.map(UserFormat.date) ?? "", "email": user.email ?? "",
            "phone_number": user.phoneNumber ?? "", "address": user.address ?? "",
            "address_details": user.addressDetails ?? "",
            "caisse_affiliation": user.caisseAffiliation.flatMap { UserFormat.caisseLabels[$0] } ?? "",
            "affiliation_number": user.affiliationNumber ?? "", "family_situation": user.familySituation ?? "",
            "number_of_children": user.numberOfChildren.map(String.init) ?? "", "case_number": user.caseNumber ?? "",
            "notes": user.notes ?? "", "logement": user.logement.flatMap { UserFormat.logementLabels[$0] } ?? "",
        ]
    }
}
