import GRDB

/// Failures a command-line user can act on; each has a one-line explanation.
public enum PersistenceError: Error, CustomStringConvertible, Equatable {
    case migrationsNotFound(String)
    case badMigrationName(String)
    case cannotOpen(path: String, reason: String)
    case notAnRDVDatabase(String)
    case newerSchema(path: String, unknown: [String])
    case writeFailed(String)
    case destinationExists(String)

    public var description: String {
        switch self {
        case .migrationsNotFound(let path): "no SQL migrations found in \(path)"
        case .badMigrationName(let name): "migration file \(name) is not named NNNN_verb_object.sql"
        case .cannotOpen(let path, let reason): "cannot open database \(path): \(reason)"
        case .notAnRDVDatabase(let path): "\(path) is an SQLite database, but not an RDV database (it has other tables)"
        case .newerSchema(let path, let unknown):
            "\(path) was migrated by a newer version of rdv (unknown migrations: \(unknown.joined(separator: ", ")))"
        case .writeFailed(let reason): "write failed, nothing was changed: \(reason)"
        case .destinationExists(let path): "\(path) already exists; choose a new file"
        }
    }

    /// Turns SQLite's result codes into what the user should check.
    static func explain(_ error: any Error, path: String) -> PersistenceError {
        .cannotOpen(path: path, reason: reason(for: error))
    }

    /// What went wrong, in words an operator can act on.
    static func reason(for error: any Error) -> String {
        guard let error = error as? DatabaseError else { return "\(error)" }
        let reason: String
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: reason = "the file is not an SQLite database or is corrupt"
        case .SQLITE_CANTOPEN: reason = "the file or its directory cannot be opened (does the directory exist?)"
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH: reason = "the file or its directory is read-only"
        case .SQLITE_FULL: reason = "the disk is full"
        case .SQLITE_IOERR: reason = "input/output error (\(error.message ?? "no detail"))"
        default: reason = error.message ?? "\(error.resultCode)"
        }
        return reason
    }
}
