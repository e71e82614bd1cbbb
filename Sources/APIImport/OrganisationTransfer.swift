import Domain
import Foundation
import Geocoding
import Persistence

/// `rdv import-api`: an organisation read through an API v1, mapped to `rdv-import/1`, validated
/// and imported all or nothing (the import's own transaction): a failure at any step writes nothing.
public enum OrganisationTransfer {
    public struct Outcome {
        /// ref → new id, as `rdv import` prints them (`a12` was the source's agent 12).
        public var ids: [String: Int64]
        public var report: [String]
    }

    public enum Failure: Error, CustomStringConvertible {
        case source(APIv1Client.Failure)
        /// The mapped document broke a rule of the format: `<JSON path>: <message>` lines.
        case invalid([String])

        public var description: String {
            switch self {
            case .source(let failure): failure.description
            case .invalid(let lines): lines.joined(separator: "\n")
            }
        }
    }

    public static func run(
        from base: URL, email: String, password: String, organisationID: Int64?, options: InterchangeMapping.Options,
        into db: AppDatabase, clock: any Clock
    ) throws -> Outcome {
        var client = APIv1Client(base: base)
        let pull: OrganisationPull
        do {
            try client.signIn(email: email, password: password)
            pull = try OrganisationPull.read(client: client, organisationID: organisationID, from: clock.now)
        } catch { throw Failure.source(error) }
        let search = EmbeddedAddressSearch(db: db)
        let mapping = InterchangeMapping(pull, options: options) { address in
            guard let match = try? search.search(address, limit: 1).first, let latitude = match.latitude,
                let longitude = match.longitude
            else { return nil }
            return (latitude, longitude)
        }
        let data = try JSONSerialization.data(withJSONObject: mapping.document, options: [.sortedKeys])
        do {
            let ids = try db.importDocument(try InterchangeDecoding.decode(data), clock: clock)
            return Outcome(ids: ids, report: mapping.report)
        } catch let errors as InterchangeErrors {
            throw Failure.invalid(errors.errors.map(\.description))
        }
    }
}
