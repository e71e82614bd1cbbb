import Domain
import Foundation
import Geocoding
import HTTP
import Persistence
import Spreadsheet

/// « Espace admin » → « Sectorisation » (admin.md §5), for territorial admins
/// (`TerritoryPolicy.configure`): sectors, zones imported from a CSV file (« Simuler l'import »,
/// then all-or-nothing « Importer »), the zones' export, attributions, « Test de sectorisation ».
struct SectorsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader
    let addresses: AddressService

    func index(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territoryID = try agent.configurableTerritoryID(exchange)
        return try responses.page(
            SectorIndexPage.load(territoryID: territoryID, sectors: try db.sectors(territoryID: territoryID)),
            layout: agent.layout(exchange))
    }

    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territoryID = try agent.configurableTerritoryID(exchange)
        let name = (exchange.form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let humanID = (exchange.form["human_id"] ?? "").trimmingCharacters(in: .whitespaces)
        switch try db.createSector(Sector(territoryID: territoryID, name: name, humanID: humanID), now: clock.now) {
        case .success(let id):
            sessions.setFlash(.sectorCreated, &exchange)
            return responses.redirect(.territory(id: territoryID, .sector(id: id)))
        case .failure(let refusal):
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            return try responses.page(
                SectorIndexPage.load(
                    territoryID: territoryID, sectors: try db.sectors(territoryID: territoryID), name: name,
                    humanID: humanID, errors: fieldErrors(refusal.issues, labels: SectorIndexPage.labels)),
                layout: layout, status: HTTPStatus(422))
        }
    }

    /// `?zone_q=`: the address service's answers for « Ajouter une zone ».
    func show(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (territoryID, sector) = try record(exchange, agent)
        let query = (exchange.query["zone_q"] ?? "").trimmingCharacters(in: .whitespaces)
        return try responses.page(
            try sectorPage(territoryID, sector, zoneSearch: .init(query: query, answers: try zoneAnswers(query))),
            layout: agent.layout(exchange))
    }

    /// « Ajouter la zone » (admin.md §5): the chosen answer as a city zone or, when it has a
    /// street, a street zone; the same rules and transaction as a one-line import.
    func addZone(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (territoryID, sector) = try record(exchange, agent)
        let query = (exchange.form["zone_q"] ?? "").trimmingCharacters(in: .whitespaces)
        let answers = try zoneAnswers(query)
        let choice = exchange.form["address_choice"] ?? ""
        let level = exchange.form["zone_level"] ?? ""
        func refuse(_ message: String) throws -> HTTPResponse {
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            return try responses.page(
                try sectorPage(
                    territoryID, sector,
                    zoneSearch: .init(query: query, answers: answers, choice: choice, level: level, error: message)),
                layout: layout, status: HTTPStatus(422))
        }
        guard let match = chosen(answers, choice),
            let cityCode = match.cityCode
        else { return try refuse("Choisissez l'adresse dans la liste.") }
        let street = level == "street" ? match.streetID : nil
        if level == "street", street == nil { return try refuse("Cette réponse est une commune : ajoutez-la comme commune entière.") }
        let line = ZoneImportLine(
            line: 1, sectorHumanID: sector.humanID, cityName: match.city, cityCode: cityCode,
            streetName: street == nil ? nil : match.streetName, streetCode: street)
        let (results, _) = try db.importZones([line], territoryID: territoryID, replace: false, apply: true, now: clock.now)
        switch results.first?.outcome {
        case .created:
            sessions.setFlash(.zoneAdded, &exchange)
            return responses.redirect(.territory(id: territoryID, .sector(id: sector.id ?? 0)))
        case .existing: return try refuse("Cette zone est déjà dans le secteur.")
        case .error(let message): return try refuse(message)
        case nil: return try refuse("Choisissez l'adresse dans la liste.")
        }
    }

    /// The answer the person picked, or the only one.
    private func chosen(_ answers: [AddressMatch], _ choice: String) -> AddressMatch? {
        answers.first { $0.label == choice } ?? (answers.count == 1 ? answers.first : nil)
    }

    /// Only answers with a city code can be placed in zones (a place's own entry has none).
    private func zoneAnswers(_ query: String) throws -> [AddressMatch] {
        query.isEmpty ? [] : try addresses.search(query).filter { $0.cityCode != nil }
    }

    func destroy(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (territoryID, sector) = try record(exchange, agent)
        guard try db.deleteSector(id: sector.id ?? 0, territoryID: territoryID) else { throw WebError.noAccess }
        sessions.setFlash(.sectorDeleted, &exchange)
        return responses.redirect(.territory(id: territoryID, .sectors))
    }

    /// « Attribuer à une organisation » (`organisation_id`) or « Attribuer à un agent »
    /// (`agent`, "<organisation>:<agent>").
    func addAttribution(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (territoryID, sector) = try record(exchange, agent)
        let form = exchange.form
        var attribution: SectorAttribution?
        if let organisation = form["organisation_id"].flatMap({ Int64($0) }) {
            attribution = SectorAttribution(sectorID: sector.id ?? 0, organisationID: organisation, level: .organisation)
        } else if let pair = form["agent"]?.split(separator: ":"), pair.count == 2, let organisation = Int64(pair[0]),
            let agentID = Int64(pair[1])
        {
            attribution = SectorAttribution(sectorID: sector.id ?? 0, organisationID: organisation, level: .agent, agentID: agentID)
        }
        var error = "Choisissez une organisation ou un agent."
        if let attribution {
            switch try db.addSectorAttribution(attribution, territoryID: territoryID, now: clock.now) {
            case .success:
                sessions.setFlash(.sectorAttributed, &exchange)
                return responses.redirect(.territory(id: territoryID, .sector(id: sector.id ?? 0)))
            case .failure(let refusal):
                error = fieldErrors(refusal.issues, labels: ["sector_id": "Ce secteur", "agent_id": "Agent"]).values.sorted().first ?? error
            }
        }
        var layout = agent.layout(exchange)
        layout.hasErrors = true
        return try responses.page(
            try sectorPage(territoryID, sector, error: error), layout: layout, status: HTTPStatus(422))
    }

    func removeAttribution(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (territoryID, sector) = try record(exchange, agent)
        guard try db.removeSectorAttribution(id: exchange.parameters.id("attribution_id"), sectorID: sector.id ?? 0) else {
            throw WebError.noAccess
        }
        sessions.setFlash(.sectorAttributionRemoved, &exchange)
        return responses.redirect(.territory(id: territoryID, .sector(id: sector.id ?? 0)))
    }

    func removeZone(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (territoryID, sector) = try record(exchange, agent)
        guard try db.deleteZone(id: exchange.parameters.id("zone_id"), sectorID: sector.id ?? 0) else { throw WebError.noAccess }
        sessions.setFlash(.zoneRemoved, &exchange)
        return responses.redirect(.territory(id: territoryID, .sector(id: sector.id ?? 0)))
    }

    // MARK: Import and export

    func newImport(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territoryID = try agent.configurableTerritoryID(exchange)
        return try responses.page(ZoneImportPage.load(territoryID: territoryID), layout: agent.layout(exchange))
    }

    func createImport(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territoryID = try agent.configurableTerritoryID(exchange)
        let replace = exchange.form["replace"] == "1"
        let apply = exchange.form["commit"] == "import"
        func refuse(_ message: String) throws -> HTTPResponse {
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            return try responses.page(
                ZoneImportPage.load(territoryID: territoryID, replace: replace, fileError: message), layout: layout,
                status: HTTPStatus(422))
        }
        guard let file = exchange.files.first(where: { $0.field == "file" }), !file.data.isEmpty else {
            return try refuse("Choisissez un fichier CSV.")
        }
        // admin.md §5: a CSV file, or an XLSX workbook's first sheet.
        let isWorkbook = file.filename.lowercased().hasSuffix(".xlsx") || file.data.starts(with: [0x50, 0x4B, 0x03, 0x04])
        let rows: [CSVReader.Row]
        do {
            rows = isWorkbook ? try XLSXReader.rows(file.data) : try CSVReader.rows(file.data)
        } catch {
            return try refuse(error.line > 0 ? "Ligne \(error.line) : \(error.reason)." : "\(error.reason).")
        }
        guard let header = rows.first else { return try refuse("Le fichier est vide.") }
        switch ZoneImportLine.lines(header: header.fields, rows: rows.dropFirst().map { ($0.line, $0.fields) }) {
        case .failure(let missing):
            return try refuse(
                "Colonnes manquantes : \(missing.names.joined(separator: ", ")). L'en-tête attendu est « \(ZoneImportLine.columns.joined(separator: ";")) ».")
        case .success(let lines):
            let (results, applied) = try db.importZones(
                lines, territoryID: territoryID, replace: replace, apply: apply, now: clock.now)
            if applied {
                sessions.setFlash(.zonesImported, &exchange)
                return responses.redirect(.territory(id: territoryID, .sectors))
            }
            var layout = agent.layout(exchange)
            let failed = results.contains { if case .error = $0.outcome { true } else { false } }
            layout.hasErrors = apply && failed
            return try responses.page(
                ZoneImportPage.load(territoryID: territoryID, replace: replace, results: results, wasImport: apply),
                layout: layout, status: apply && failed ? HTTPStatus(422) : .ok)
        }
    }

    /// The zones as the import's columns, so a file exported can be edited and imported again.
    func export(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territoryID = try agent.configurableTerritoryID(exchange)
        return HTTPResponse(
            status: .ok,
            headers: [
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": "attachment; filename=\"zones-\(territoryID).csv\"", "Cache-Control": "private, no-store",
            ],
            body: .bytes(CSVWriter.document([ZoneImportLine.columns] + (try db.zoneFileRows(territoryID: territoryID)))))
    }

    // MARK: « Test de sectorisation »

    func test(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territoryID = try agent.configurableTerritoryID(exchange)
        let query = (exchange.query["q"] ?? "").trimmingCharacters(in: .whitespaces)
        let choice = exchange.query["address_choice"] ?? ""
        let answers = try zoneAnswers(query)
        var result: SectorisationTestPage.Result?
        if let match = chosen(answers, choice),
            let cityCode = match.cityCode
        {
            let motifs = try db.sectorisedMotifIDs(territoryID: territoryID).map { motif in
                let name = "\(motif.name) (\(motif.organisationName))"
                guard let slotMotif = try db.slotMotif(id: motif.id) else { return SectorisationTestPage.MotifRow(name: name, offered: false) }
                // The rule the slots use (slots.md §9): nil is unrestricted, an empty set is not offered.
                let allowed = try db.sectorisedAgents(motif: slotMotif, cityCode: cityCode, streetBanID: match.streetID)
                return SectorisationTestPage.MotifRow(name: name, offered: allowed.map { !$0.isEmpty } ?? true)
            }
            result = .init(
                address: match, matches: try db.sectorisationMatches(
                    territoryID: territoryID, cityCode: cityCode, streetBanID: match.streetID),
                motifs: motifs)
        }
        return try responses.page(
            SectorisationTestPage.load(
                territoryID: territoryID, query: query, answers: answers, choice: choice, result: result),
            layout: agent.layout(exchange))
    }

    // MARK: -

    private func sectorPage(
        _ territoryID: Int64, _ sector: Sector, error: String? = nil, zoneSearch: SectorShowPage.ZoneSearch = .init()
    ) throws -> SectorShowPage {
        SectorShowPage.load(
            territoryID: territoryID, sector: sector, zones: try db.zones(sectorID: sector.id ?? 0),
            attributions: try db.sectorAttributions(sectorID: sector.id ?? 0),
            organisations: try db.territoryOrganisations(territoryID: territoryID).map { NamedOption(id: $0.id, name: $0.name) },
            agents: try db.territoryAgentOptions(territoryID: territoryID), error: error, zoneSearch: zoneSearch)
    }

    private func record(_ exchange: Exchange, _ agent: AgentContext) throws -> (Int64, Sector) {
        let territoryID = try agent.configurableTerritoryID(exchange)
        guard let sector = try db.sector(id: exchange.parameters.id("id"), territoryID: territoryID) else {
            throw WebError.noAccess
        }
        return (territoryID, sector)
    }
}
