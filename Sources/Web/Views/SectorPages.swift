import Domain
import Foundation
import Persistence

/// `sectors/index`: « Sectorisation » (admin.md §5): the overview (zones and attributions per
/// sector, those without attribution flagged) and « Créer un secteur ».
public struct SectorIndexPage: PageModel, Equatable {
    public static let template = "sectors/index"
    static let labels = ["name": "Nom", "human_id": "Identifiant"]

    public struct Row: Sendable, Equatable {
        public let name: String
        public let humanID: String
        public let zones: Int
        public let attributions: Int
        public let lacksAttribution: Bool
        public let path: String
    }

    public let rows: [Row]
    public let isEmpty: Bool
    public let formPath: String
    public let importPath: String
    public let exportPath: String
    public let testPath: String
    public let fields: [FormField]

    static func load(
        territoryID: Int64, sectors: [SectorOverviewRow], name: String = "", humanID: String = "",
        errors: [String: String] = [:]
    ) -> SectorIndexPage {
        SectorIndexPage(
            rows: sectors.map {
                Row(
                    name: $0.sector.name, humanID: $0.sector.humanID, zones: $0.zonesCount, attributions: $0.attributionsCount,
                    lacksAttribution: $0.attributionsCount == 0,
                    path: SiteURL.territory(id: territoryID, .sector(id: $0.sector.id ?? 0)).path)
            }, isEmpty: sectors.isEmpty, formPath: SiteURL.territory(id: territoryID, .sectors).path,
            importPath: SiteURL.territory(id: territoryID, .zonesImport).path,
            exportPath: SiteURL.territory(id: territoryID, .zonesExport).path,
            testPath: SiteURL.territory(id: territoryID, .sectorisationTest).path,
            fields: [
                FormField(name: "name", label: "Nom", value: name, hint: "Par exemple « Arras nord »", required: true, error: errors["name"]),
                FormField(
                    name: "human_id", label: "Identifiant", value: humanID, autocomplete: "off",
                    hint: "La colonne sector_id des fichiers de zones, par exemple « arras-nord »", required: true,
                    error: errors["human_id"]),
            ])
    }
}

/// `sectors/show`: one sector: its zones and attributions, « Attribuer à une organisation »,
/// « Attribuer à un agent », « Supprimer le secteur ».
public struct SectorShowPage: PageModel, Equatable {
    public static let template = "sectors/show"

    public struct ZoneRow: Sendable, Equatable {
        public let label: String
        public let code: String
        public let deletePath: String
    }

    public struct AttributionRow: Sendable, Equatable {
        public let label: String
        public let deletePath: String
    }

    public let heading: String
    public let humanID: String
    public let backPath: String
    public let zones: [ZoneRow]
    public let hasZones: Bool
    public let importPath: String
    public let attributions: [AttributionRow]
    public let hasAttributions: Bool
    public let attributionPath: String
    public let organisationField: SelectField
    public let agentField: SelectField
    public let error: String?
    public let deletePath: String
    public let zoneFormPath: String
    public let zoneQuery: String
    public let zoneChoices: ChoiceGroup?
    public let levelField: ChoiceGroup?
    public let zoneNoAnswer: Bool
    public let zoneError: String?

    /// « Ajouter une zone »: what was searched, the answers, and what was chosen.
    public struct ZoneSearch: Sendable {
        var query = ""
        var answers: [AddressMatch] = []
        var choice = ""
        var level = "city"
        var error: String?
    }

    static func load(
        territoryID: Int64, sector: Sector, zones: [Zone], attributions: [SectorAttributionRow],
        organisations: [NamedOption], agents: [TerritoryAgentOption], error: String?, zoneSearch: ZoneSearch = .init()
    ) -> SectorShowPage {
        let path = SiteURL.territory(id: territoryID, .sector(id: sector.id ?? 0)).path
        let answers = zoneSearch.answers
        let chosen = answers.count == 1 ? answers[0].label : zoneSearch.choice
        return SectorShowPage(
            heading: "Secteur « \(sector.name) »", humanID: sector.humanID,
            backPath: SiteURL.territory(id: territoryID, .sectors).path,
            zones: zones.map { zone in
                ZoneRow(
                    label: zone.label,
                    code: zone.streetBanID ?? zone.cityCode, deletePath: path + "/zones/\(zone.id ?? 0)")
            }, hasZones: !zones.isEmpty, importPath: SiteURL.territory(id: territoryID, .zonesImport).path,
            attributions: attributions.map { row in
                AttributionRow(
                    label: row.agentName.map { "\($0) (\(row.organisationName))" } ?? "Organisation : \(row.organisationName)",
                    deletePath: path + "/attributions/\(row.id)")
            }, hasAttributions: !attributions.isEmpty, attributionPath: path + "/attributions",
            organisationField: SelectField(
                id: "organisation_id", label: "Organisation",
                options: organisations.map { .init(value: "\($0.id)", label: $0.name, isSelected: false) }),
            agentField: SelectField(
                id: "agent", label: "Agent",
                options: agents.map {
                    .init(value: "\($0.organisationID):\($0.agentID)", label: "\($0.agentName) (\($0.organisationName))", isSelected: false)
                }),
            error: error, deletePath: path,
            zoneFormPath: path, zoneQuery: zoneSearch.query,
            zoneChoices: answers.isEmpty
                ? nil
                : ChoiceGroup(
                    id: "address_choice", name: "address_choice", legend: "Choisissez l'adresse", hint: nil,
                    options: answers.enumerated().map { index, answer in
                        .init(id: "address_choice-\(index)", value: answer.label, label: answer.label, isSelected: answer.label == chosen)
                    }, error: zoneSearch.error),
            levelField: answers.isEmpty
                ? nil
                : ChoiceGroup(
                    id: "zone_level", name: "zone_level", legend: "Zone à ajouter", hint: nil,
                    options: [("city", "Toute la commune"), ("street", "Seulement la voie")].enumerated().map { index, option in
                        .init(id: "zone_level-\(index)", value: option.0, label: option.1, isSelected: zoneSearch.level == option.0)
                    }, error: nil),
            zoneNoAnswer: !zoneSearch.query.isEmpty && answers.isEmpty, zoneError: answers.isEmpty ? zoneSearch.error : nil)
    }
}

/// `sectors/import`: « Importer des zones »: the file, the replace option, « Simuler l'import »
/// and « Importer », and each row's outcome.
public struct ZoneImportPage: PageModel, Equatable {
    public static let template = "sectors/import"

    public struct Row: Sendable, Equatable {
        public let line: Int
        public let sector: String
        public let city: String
        public let street: String
        public let outcome: String
        public let isError: Bool
    }

    public let formPath: String
    public let backPath: String
    public let replace: Bool
    public let fileError: String?
    public let rows: [Row]
    public let hasRows: Bool
    public let summary: String?
    public let columns = ZoneImportLine.columns.joined(separator: ";")

    static func load(
        territoryID: Int64, replace: Bool = false, fileError: String? = nil, results: [ZoneImportResult] = [],
        wasImport: Bool = false
    ) -> ZoneImportPage {
        let errors = results.filter { if case .error = $0.outcome { true } else { false } }.count
        let created = results.filter { $0.outcome == .created }.count
        let summary: String? =
            results.isEmpty
            ? nil
            : errors > 0
                ? "\(errors) ligne\(errors > 1 ? "s" : "") en erreur : rien n'a été importé\(wasImport ? "" : " (simulation)"). Corrigez le fichier puis recommencez."
                : "Simulation : \(created) zone\(created > 1 ? "s" : "") à créer, \(results.count - created) déjà existante\(results.count - created > 1 ? "s" : ""). Rien n'a encore été importé."
        return ZoneImportPage(
            formPath: SiteURL.territory(id: territoryID, .zonesImport).path,
            backPath: SiteURL.territory(id: territoryID, .sectors).path, replace: replace, fileError: fileError,
            rows: results.map { result in
                let outcome: String
                switch result.outcome {
                case .created: outcome = "Créée"
                case .existing: outcome = "Déjà existante"
                case .error(let message): outcome = message
                }
                let line = result.line
                return Row(
                    line: line.line, sector: line.sectorHumanID, city: "\(line.cityName) (\(line.cityCode))",
                    street: [line.streetName, line.streetBanID.map { "(\($0))" }].compactMap { $0 }.joined(separator: " "),
                    outcome: outcome, isError: { if case .error = result.outcome { true } else { false } }())
            }, hasRows: !results.isEmpty, summary: summary)
    }
}

/// `sectors/test`: « Test de sectorisation »: an address (chosen among the address service's
/// answers, without JavaScript), its codes, the zones and sectors it falls in, their
/// attributions, and for each sectorised motif whether it would be offered.
public struct SectorisationTestPage: PageModel, Equatable {
    public static let template = "sectors/test"

    struct Result: Equatable {
        let address: AddressMatch
        let matches: [SectorisationMatch]
        let motifs: [MotifRow]
    }

    public struct Match: Sendable, Equatable {
        public let sector: String
        public let zone: String
        public let attributions: String
    }

    public struct MotifRow: Sendable, Equatable {
        public let name: String
        public let offered: Bool
    }

    public let formPath: String
    public let backPath: String
    public let query: String
    public let choices: ChoiceGroup?
    public let noAnswer: Bool
    public let address: String?
    public let cityCode: String?
    public let streetID: String?
    public let matches: [Match]
    public let hasMatches: Bool
    public let motifs: [MotifRow]
    public let hasMotifs: Bool

    static func load(
        territoryID: Int64, query: String, answers: [AddressMatch], choice: String, result: Result?
    ) -> SectorisationTestPage {
        SectorisationTestPage(
            formPath: SiteURL.territory(id: territoryID, .sectorisationTest).path,
            backPath: SiteURL.territory(id: territoryID, .sectors).path, query: query,
            choices: answers.count > 1 && result == nil
                ? ChoiceGroup(
                    id: "address_choice", name: "address_choice", legend: "Choisissez l'adresse", hint: nil,
                    options: answers.enumerated().map {
                        .init(id: "address_choice-\($0.offset)", value: $0.element.label, label: $0.element.label, isSelected: false)
                    }, error: nil) : nil,
            noAnswer: !query.isEmpty && answers.isEmpty, address: result?.address.label,
            cityCode: result?.address.cityCode, streetID: result?.address.streetID ?? (result == nil ? nil : "—"),
            matches: (result?.matches ?? []).map {
                Match(
                    sector: $0.sectorName, zone: $0.zoneLabel,
                    attributions: $0.attributions.isEmpty ? "Aucune attribution" : $0.attributions.joined(separator: " ; "))
            }, hasMatches: !(result?.matches ?? []).isEmpty,
            motifs: result?.motifs ?? [], hasMotifs: !(result?.motifs ?? []).isEmpty)
    }
}
