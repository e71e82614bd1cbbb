import Domain
import Foundation
import Persistence

/// A back end of the address service (contracts.md §6).
public protocol AddressSearching: Sendable {
    func search(_ text: String, limit: Int) throws -> [AddressMatch]
}

/// The embedded back end: the database's FTS5 index (`rdv addresses import`, and what the
/// instance knows of its own zones and places).
public struct EmbeddedAddressSearch: AddressSearching {
    let db: AppDatabase

    public init(db: AppDatabase) { self.db = db }

    public func search(_ text: String, limit: Int) throws -> [AddressMatch] {
        try db.searchAddresses(text, limit: limit)
    }
}

/// The one address service of the address step, « Test de sectorisation », places and users:
/// the remote back end when `RDV_GEOCODER_URL` names one, the embedded index otherwise, and the
/// embedded index again whenever the remote one fails (nothing breaks, the log says why).
public struct AddressService: Sendable {
    public static let limit = 5

    let remote: (any AddressSearching)?
    let embedded: any AddressSearching
    let onRemoteFailure: @Sendable (any Error) -> Void

    public init(
        remote: (any AddressSearching)?, embedded: any AddressSearching,
        onRemoteFailure: @escaping @Sendable (any Error) -> Void = { _ in }
    ) {
        self.remote = remote
        self.embedded = embedded
        self.onRemoteFailure = onRemoteFailure
    }

    /// Up to 5 matches; fewer than 3 significant characters ask nothing.
    public func search(_ text: String) throws -> [AddressMatch] {
        let query = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard query.filter({ $0.isLetter || $0.isNumber }).count >= 3 else { return [] }
        let bounded = String(query.prefix(200))
        if let remote {
            do {
                return try remote.search(bounded, limit: Self.limit)
            } catch {
                onRemoteFailure(error)
            }
        }
        return try embedded.search(bounded, limit: Self.limit)
    }
}
