import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// « Exporter » on « Liste des RDV » and « Vos exports » (admin.md §6, §8): the request queues the
/// job and returns at once; the file is downloaded by its owner only (`ExportPolicy`).
struct ExportsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader
    /// The export job's directory (`WebSettings.exportsDirectory`).
    let directory: URL?

    func index(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let page = ExportIndexPage.load(try db.exports(agentID: agent.account.id, now: clock.now), now: clock.now)
        return try responses.page(page, layout: agent.layout(exchange))
    }

    /// POST: the list's filters as they were on the page (hidden fields), over organisations the
    /// agent belongs to; the radios always send a choice, so a missing or unknown one is a forged
    /// form (422).
    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let form = exchange.form
        guard let organisationID = form["organisation_id"].flatMap(Int64.init) else { throw WebError.unprocessable }
        try authorize(ExportPolicy.create(agent.principal, organisationIDs: [organisationID]))
        guard let type = form["export_type"].flatMap(ExportType.init(rawValue:)),
            let format = form["export_format"].flatMap(ExportFormat.init(rawValue:))
        else { throw WebError.unprocessable }
        let filters = try AppointmentListFilters.read(
            form, db: db, principal: agent.principal, memberships: agent.memberships, organisationID: organisationID,
            now: clock.now)
        try authorize(ExportPolicy.create(agent.principal, organisationIDs: filters.list.organisationIDs))
        let export = try db.requestExport(
            agentID: agent.account.id, type: type, format: format, query: filters.list, now: clock.now)
        exchange.context.logger.info(
            "export requested", metadata: ["export": "\(export.id)", "type": "\(type.rawValue)", "format": "\(format.rawValue)"])
        sessions.setFlash(.exportRequested, &exchange)
        return responses.redirect(.agents(.exports))
    }

    /// The file, while it is ready and not expired; anyone but its owner is told it does not exist.
    func show(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        guard let export = try db.export(uuid: exchange.parameters.string("uuid")) else { throw WebError.noAccess }
        try authorize(ExportPolicy.download(agent.principal, ownerAgentID: export.agentID))
        guard export.status == .ready, !export.isExpired(now: clock.now), let fileName = export.fileName,
            let directory
        else { throw WebError.notFound }
        let path = directory.appendingPathComponent(ExportRules.storedFileName(uuid: export.uuid, format: export.format))
        // Streamed: a file of 100,000 rows (40 MB of CSV) costs one chunk of memory per download.
        guard let body = try? FileBodyStream(path: path.path) else { throw WebError.notFound }
        // The name is ours (ExportRules.fileName: ASCII letters, digits, dashes), so it needs no
        // RFC 6266 encoding; personal data is never cached on the way.
        return HTTPResponse(
            status: .ok,
            headers: [
                "Content-Type": export.format.mediaType, "Content-Disposition": "attachment; filename=\"\(fileName)\"",
                "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff",
            ],
            body: .stream(body))
    }
}
