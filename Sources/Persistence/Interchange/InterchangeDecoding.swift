import Foundation

/// Decodes an `rdv-import/1` document, reporting every malformed record (not only the first)
/// with its JSON path.
public enum InterchangeDecoding {
    public static func decode(_ data: Data) throws -> InterchangeDocument {
        let lenient: LenientDocument
        do {
            lenient = try JSONDecoder().decode(LenientDocument.self, from: data)
        } catch let error as DecodingError {
            throw InterchangeErrors(errors: [describe(error)])
        } catch {
            throw InterchangeErrors(errors: [InterchangeError(path: "", message: "not a JSON document: \(error)")])
        }
        var errors: [InterchangeError] = []
        if lenient.format != InterchangeDocument.formatName {
            errors.append(InterchangeError(path: "format", message: "must be \"\(InterchangeDocument.formatName)\""))
        }
        func records<T>(_ list: [Lenient<T>]?) -> [T] {
            (list ?? []).compactMap { item in
                if let error = item.error { errors.append(describe(error)) }
                return item.value
            }
        }
        var document = InterchangeDocument()
        document.services = records(lenient.services)
        document.territories = records(lenient.territories)
        document.organisations = records(lenient.organisations)
        document.agents = records(lenient.agents)
        document.places = records(lenient.places)
        document.motifs = records(lenient.motifs)
        document.opening_periods = records(lenient.opening_periods)
        document.absences = records(lenient.absences)
        document.users = records(lenient.users)
        document.referents = records(lenient.referents)
        document.sectors = records(lenient.sectors)
        document.appointments = records(lenient.appointments)
        guard errors.isEmpty else { throw InterchangeErrors(errors: errors) }
        return document
    }

    /// `appointments[2].starts_at: must be a string`.
    static func describe(_ error: DecodingError) -> InterchangeError {
        switch error {
        case .typeMismatch(let type, let context):
            return InterchangeError(path: path(context.codingPath), message: "must be \(typeName(type))")
        case .valueNotFound(let type, let context):
            return InterchangeError(path: path(context.codingPath), message: "must be \(typeName(type)), not null")
        case .keyNotFound(let key, let context):
            return InterchangeError(path: path(context.codingPath + [key]), message: "is required")
        case .dataCorrupted(let context):
            return InterchangeError(
                path: path(context.codingPath), message: "is not valid JSON (\(context.debugDescription))")
        @unknown default:
            return InterchangeError(path: "", message: "\(error)")
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return result
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}

/// Decodes `T`, keeping the error instead of failing the whole document.
struct Lenient<T: Decodable>: Decodable {
    var value: T?
    var error: DecodingError?

    init(from decoder: any Decoder) throws {
        do {
            value = try T(from: decoder)
        } catch let error as DecodingError {
            self.error = error
        }
    }
}

struct LenientDocument: Decodable {
    var format: String?
    var services: [Lenient<ServiceRecord>]?
    var territories: [Lenient<TerritoryRecord>]?
    var organisations: [Lenient<OrganisationRecord>]?
    var agents: [Lenient<AgentRecord>]?
    var places: [Lenient<PlaceRecord>]?
    var motifs: [Lenient<MotifRecord>]?
    var opening_periods: [Lenient<OpeningPeriodRecord>]?
    var absences: [Lenient<AbsenceRecord>]?
    var users: [Lenient<UserRecord>]?
    var referents: [Lenient<ReferentRecord>]?
    var sectors: [Lenient<SectorRecord>]?
    var appointments: [Lenient<AppointmentRecord>]?
}
