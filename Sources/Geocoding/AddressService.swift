import Domain
import Foundation
import Synchronization
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
///
/// A slow or failing geocoder must not hold the server's workers: at most
/// `maxConcurrentRemote` searches wait on it at once (the others use the index), and after a
/// failure the index alone answers for `pause`.
public struct AddressService: Sendable {
    public static let limit = 5
    static let maxConcurrentRemote = 2
    static let pause: TimeInterval = 30

    let remote: (any AddressSearching)?
    let embedded: any AddressSearching
    let onRemoteFailure: @Sendable (any Error) -> Void
    private let breaker = Breaker()

    public init(
        remote: (any AddressSearching)?, embedded: any AddressSearching,
        onRemoteFailure: @escaping @Sendable (any Error) -> Void = { _ in }
    ) {
        self.remote = remote
        self.embedded = embedded
        self.onRemoteFailure = onRemoteFailure
    }

    /// Up to 5 matches; fewer than 3 significant characters ask nothing.
    public func search(_ text: String, now: Date = Date()) throws -> [AddressMatch] {
        let query = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard query.filter({ $0.isLetter || $0.isNumber }).count >= 3 else { return [] }
        let bounded = String(query.prefix(200))
        if let remote, breaker.enter(now: now) {
            defer { breaker.leave() }
            do {
                return try remote.search(bounded, limit: Self.limit)
            } catch {
                breaker.failed(until: now.addingTimeInterval(Self.pause))
                onRemoteFailure(error)
            }
        }
        return try embedded.search(bounded, limit: Self.limit)
    }

    /// How many searches wait on the remote back end, and until when it is left alone.
    final class Breaker: Sendable {
        private let state = Mutex((inFlight: 0, pausedUntil: Date.distantPast))

        func enter(now: Date) -> Bool {
            state.withLock { s in
                guard now >= s.pausedUntil, s.inFlight < AddressService.maxConcurrentRemote else { return false }
                s.inFlight += 1
                return true
            }
        }

        func leave() { state.withLock { $0.inFlight -= 1 } }

        func failed(until date: Date) { state.withLock { $0.pausedUntil = max($0.pausedUntil, date) } }
    }
}
