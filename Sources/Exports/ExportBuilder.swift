import Domain
import Foundation
import Glibc
import Logging
import Notifications
import Persistence
import Spreadsheet

/// Writes an export's file: the ids its filters match, read in pages of 200 (admin.md §8), each
/// page's rows streamed into the XLSX or CSV writer, so memory stays flat however many rows.
public struct ExportBuilder: Sendable {
    let db: AppDatabase

    public init(db: AppDatabase) { self.db = db }

    /// Writes the file at `path` and returns the number of data rows.
    @discardableResult
    public func write(_ export: ExportRecord, to path: String, now: Date) throws -> Int {
        let writer: any SpreadsheetWriter =
            switch export.format {
            case .xlsx:
                try XLSXWriter(
                    path: path, sheetName: "RDV", columnWidths: ExportColumns.widths, modified: now,
                    timeZone: export.timeZone)
            case .csv: try CSVWriter(path: path)
            }
        try writer.appendHeader(ExportColumns.headers(export.type))
        let ids = try db.appointmentListIDs(export.query)
        var count = 0
        for start in stride(from: 0, to: ids.count, by: ExportRules.pageSize) {
            let page = Array(ids[start..<min(start + ExportRules.pageSize, ids.count)])
            for appointment in try db.exportedAppointments(ids: page) {
                for row in ExportColumns.rows(export.type, appointment, now: now) {
                    try writer.append(row)
                    count += 1
                }
            }
        }
        try writer.finish()
        return count
    }
}

/// The `export` outbox rows: `build` writes the file, marks the export ready and plans its
/// e-mail; `expire` deletes the file once its 6 hours are over (booking.md §11 "Exports").
/// Files live in `directory` under the export's uuid.
public struct ExportJobHandler: OutboxHandler {
    let db: AppDatabase
    let directory: URL
    let logger: Logger

    public init(db: AppDatabase, directory: URL, logger: Logger) {
        self.db = db
        self.directory = directory
        self.logger = logger
    }

    public func handle(_ message: OutboxMessage, now: Date) -> HandlingResult {
        let job: ExportJob
        do {
            job = try JSONDecoder().decode(ExportJob.self, from: Data(message.payload.utf8))
        } catch {
            return .failedPermanently("unreadable export job", nil)
        }
        let export: ExportRecord
        do {
            guard let found = try db.export(id: job.exportID) else {
                // The row went with its agent: the file must go all the same (6 hours, domain.md §13).
                if job.action == .expire, let name = job.storedFileName, !name.contains("/") {
                    try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
                }
                return .dropped("export deleted")
            }
            export = found
        } catch {
            return .failed("database: \(error)", nil)
        }
        let path = directory.appendingPathComponent(ExportRules.storedFileName(uuid: export.uuid, format: export.format))
            .path
        switch job.action {
        case .build:
            // Run again after a crash that followed the commit: nothing left to do.
            guard export.status == .pending else { return .sent(nil) }
            return build(export, path: path, now: now)
        case .expire:
            do {
                if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            } catch {
                return .failed("cannot delete the expired file: \(error)", nil)
            }
            logger.info("export file expired", metadata: ["export": "\(export.id)"])
            return .sent(nil)
        }
    }

    private func build(_ export: ExportRecord, path: String, now: Date) -> HandlingResult {
        let started = Date()
        // Written under a name of its own, renamed when complete: a second run of the job (its
        // claim expired during a long build) never writes into the file being served.
        let partial = path + ".partial-" + UUID().uuidString.lowercased()
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let rows = try ExportBuilder(db: db).write(export, to: partial, now: now)
            if rename(partial, path) != 0 { throw ExportFileError(reason: String(cString: strerror(errno))) }
            let fileName = ExportRules.fileName(
                type: export.type, format: export.format, date: LocalDate(now, in: export.timeZone),
                organisationIDs: export.organisationIDs)
            try db.completeExport(id: export.id, fileName: fileName, now: now)
            logger.info(
                "export ready",
                metadata: [
                    "export": "\(export.id)", "type": "\(export.type.rawValue)", "format": "\(export.format.rawValue)",
                    "rows": "\(rows)", "ms": "\(Int(Date().timeIntervalSince(started) * 1000))",
                ])
            return .sent(nil)
        } catch {
            // A partial file must not be served; the export says it failed and can be asked again.
            try? FileManager.default.removeItem(atPath: partial)
            try? db.failExport(id: export.id, message: "L'export n'a pas pu être préparé.", now: now)
            logger.error("export failed", metadata: ["export": "\(export.id)", "error": "\(error)"])
            return .failedPermanently("export failed: \(error)", nil)
        }
    }
}

struct ExportFileError: Error, CustomStringConvertible {
    let reason: String
    var description: String { "cannot move the export into place: \(reason)" }
}
