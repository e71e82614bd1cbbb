import HTTP
import Foundation
import Synchronization

/// Growing delays between failed sign-ins of one (client address, account) pair (booking.md
/// §3.2 keeps the per-account lock in the database besides). Keying on the pair means that
/// failures on made-up e-mails, or on other accounts behind the same proxy, never slow down
/// an agent who types the right password. Kept in memory and bounded: a restart forgets.
public final class SignInThrottle: Sendable {
    struct Entry {
        var failures: Int
        var lastFailure: Date
    }

    /// Failures allowed without any wait.
    let freeFailures: Int
    /// The longest wait; the wait doubles per failure up to it.
    let maxDelay: TimeInterval
    /// A pair is forgotten this long after its last failure.
    let window: TimeInterval
    private let entries = Mutex<[String: Entry]>([:])

    /// Sign-in attempts of one client address, whatever the e-mail: each runs scrypt (32 MiB,
    /// tens of milliseconds), so one address trying a new e-mail each time must not keep both
    /// cores busy: `burst` at once, then `attemptsPerMinute`.
    let attempts: ClientRateLimit

    public init(
        freeFailures: Int = 3, maxDelay: TimeInterval = 60, window: TimeInterval = 15 * 60, burst: Int = 30,
        attemptsPerMinute: Int = 30, limitsAttempts: Bool = true
    ) {
        self.freeFailures = freeFailures
        self.maxDelay = maxDelay
        self.window = window
        attempts = ClientRateLimit(burst: burst, perMinute: attemptsPerMinute, enabled: limitsAttempts)
    }

    /// Takes one attempt from the address's budget; false when it is spent (answer « Trop de
    /// tentatives » without hashing).
    public func allowAttempt(address: String, now: Date) -> Bool { attempts.allow(address, now: now) }

    static func key(address: String, email: String) -> String {
        address + "\u{0}" + email.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Seconds to wait before this pair may try again; 0 = now.
    public func delay(address: String, email: String, now: Date) -> TimeInterval {
        let key = Self.key(address: address, email: email)
        return entries.withLock { entries in
            guard let entry = entries[key], entry.failures >= freeFailures else { return 0 }
            let wait = min(maxDelay, pow(2, Double(entry.failures - freeFailures)))
            return max(0, entry.lastFailure.addingTimeInterval(wait).timeIntervalSince(now))
        }
    }

    public func recordFailure(address: String, email: String, now: Date) {
        let key = Self.key(address: address, email: email)
        entries.withLock { entries in
            var entry = entries[key] ?? Entry(failures: 0, lastFailure: now)
            if now.timeIntervalSince(entry.lastFailure) > window { entry.failures = 0 }
            entry.failures += 1
            entry.lastFailure = now
            entries[key] = entry
            // Bounded memory: forget stale pairs when the table grows.
            if entries.count > 100_000 {
                entries = entries.filter { now.timeIntervalSince($0.value.lastFailure) <= window }
            }
        }
    }

    /// A success clears that pair only.
    public func recordSuccess(address: String, email: String) {
        _ = entries.withLock { $0.removeValue(forKey: Self.key(address: address, email: email)) }
    }
}

/// The client's address: the socket peer, or, when the peer is a trusted reverse proxy
/// (`RDV_TRUSTED_PROXIES`), the last `X-Forwarded-For` hop that is not one of them.
struct ClientAddress: Sendable {
    let trustedProxies: Set<String>

    func of(_ exchange: Exchange) -> String {
        let peer = exchange.context.remoteAddress
        guard trustedProxies.contains(peer) else { return peer }
        let hops = exchange.request.headers.values(for: "X-Forwarded-For")
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        return hops.last { !trustedProxies.contains($0) } ?? peer
    }
}

/// A token bucket per client address: `burst` requests at once, then `perMinute`. Kept in memory
/// and bounded (full buckets carry no information and are forgotten when the table grows).
/// `RDV_RATE_LIMITS=off` (contracts.md §1, load tests on loopback) turns every one off.
public final class ClientRateLimit: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: Date
    }

    let burst: Double
    let perMinute: Double
    let isEnabled: Bool
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(burst: Int, perMinute: Int, enabled: Bool = true) {
        self.burst = Double(burst)
        self.perMinute = Double(perMinute)
        isEnabled = enabled
    }

    /// Takes one request from the address's budget; false when it is spent.
    public func allow(_ address: String, now: Date) -> Bool {
        guard isEnabled else { return true }
        let address = Self.key(address)
        return buckets.withLock { buckets in
            var bucket = buckets[address] ?? Bucket(tokens: burst, updated: now)
            let refill = max(0, now.timeIntervalSince(bucket.updated)) * perMinute / 60
            bucket.tokens = min(burst, bucket.tokens + refill)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[address] = bucket
            if buckets.count > 100_000 {
                buckets = buckets.filter { now.timeIntervalSince($0.value.updated) < 60 * burst / perMinute }
                // Still full of live buckets: start again rather than filter on every request.
                if buckets.count > 100_000 { buckets = [:] }
            }
            return allowed
        }
    }

    /// An IPv6 client is its /64 (RFC 4291 §2.5.4: a site's hosts choose the rest freely, so a
    /// limit per full address limits nothing); IPv4 addresses as they are.
    static func key(_ address: String) -> String {
        guard address.contains(":") else { return address }
        // An IPv4 client seen through an IPv6 socket (::ffff:192.0.2.1) is its IPv4 address.
        if address.contains("."), let last = address.split(separator: ":").last { return String(last) }
        var groups = address.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if let gap = groups.firstIndex(of: ""), address.contains("::") {
            // "2001:db8::1" → fill the elided groups with zeros.
            let present = groups.filter { !$0.isEmpty }.count
            groups.removeAll { $0.isEmpty }
            groups.insert(contentsOf: Array(repeating: "0", count: max(0, 8 - present)), at: min(gap, groups.count))
        }
        return groups.prefix(4).map { $0.lowercased() }.joined(separator: ":") + "::/64"
    }
}
