import Domain
import Foundation
import Persistence

/// `agents/exports/index`: « Vos exports », the agent's exports of the last 2 weeks (admin.md §6):
/// a download link while the file is valid, « Expiré » after its 6 hours.
public struct ExportIndexPage: PageModel, Equatable {
    public static let template = "agents/exports/index"

    public struct Row: Sendable, Equatable {
        public let fileName: String
        public let typeLabel: String
        public let formatLabel: String
        public let requestedAt: String
        public let requestedAtISO: String
        /// Exactly one of the four states.
        public let downloadPath: String?
        public let expiresAt: String?
        public let isPending: Bool
        public let isFailed: Bool
        public let isExpired: Bool
    }

    public let menu = AgentAccountMenu(current: .exports)
    public let rows: [Row]
    public let isEmpty: Bool

    static func load(_ exports: [ExportRecord], now: Date) -> ExportIndexPage {
        let rows = exports.map { export in
            let zone = export.timeZone
            let isReady = export.status == .ready && !export.isExpired(now: now)
            return Row(
                // Before the job names the file, the name it will have (the export date is the
                // request's, unless the job runs after midnight).
                fileName: export.fileName
                    ?? ExportRules.fileName(
                        type: export.type, format: export.format, date: LocalDate(export.createdAt, in: zone),
                        organisationIDs: export.organisationIDs),
                typeLabel: export.type.label, formatLabel: export.format.label,
                requestedAt: AppointmentFormat.short(export.createdAt, in: zone),
                requestedAtISO: AppointmentFormat.iso(export.createdAt, in: zone),
                downloadPath: isReady ? SiteURL.agents(.export(uuid: export.uuid)).path : nil,
                expiresAt: isReady ? export.expiresAt.map { AppointmentFormat.short($0, in: zone) } : nil,
                isPending: export.status == .pending, isFailed: export.status == .failed,
                isExpired: export.status == .ready && export.isExpired(now: now))
        }
        return ExportIndexPage(rows: rows, isEmpty: rows.isEmpty)
    }
}
