import Cryptography
import Domain
import Foundation

/// Builds the `rdv seed` data set as an import document, so seeding goes through the same
/// validations and writes as `rdv import` (département 62, Europe/Paris).
public struct SeedDocument {
    public static let demoPassword = "demo-rdv-62"
    /// One scrypt hash of `demoPassword`, shared by every demo agent and computed once per
    /// process: scrypt costs ~0.1 s by design, and hashing it per agent made
    /// `rdv seed --scale departement` spend most of its time in libcrypto (225 agents). One salt
    /// for all is deliberate and harmless here: salts keep precomputed tables from working and
    /// hide that two accounts share a password, but this password is public (README, printed by
    /// `rdv seed`) and identical for every demo agent by construction. Real imports still hash
    /// each `password` with its own salt.
    static let demoPasswordHash: String = {
        do { return try PasswordHasher.hash(demoPassword) } catch {
            fatalError("scrypt failed for the demo password: \(error)")
        }
    }()
    static let timeZone = TimeZone(identifier: "Europe/Paris")!

    let scale: SeedScale
    let today: DateComponents
    var random = SeededGenerator(seed: 62)
    var document = InterchangeDocument()
    /// Agents able to hold each motif, by motif ref.
    var holders: [String: [String]] = [:]
    /// Agent refs per organisation ref (roles basic or admin, not the secretary).
    var staff: [String: [String]] = [:]
    var placesByOrganisation: [String: [String]] = [:]
    var usersByOrganisation: [String: [String]] = [:]
    /// The demo logins printed by `rdv seed`: (e-mail, description).
    public internal(set) var logins: [(email: String, role: String)] = []

    public static func make(scale: SeedScale, now: Date) -> SeedDocument {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var seed = SeedDocument(scale: scale, today: calendar.dateComponents([.year, .month, .day], from: now))
        seed.build()
        return seed
    }

    public var result: InterchangeDocument { document }

    mutating func build() {
        addTerritory()
        for index in 0..<scale.organisations { addOrganisation(index) }
        addUsers()
        addAppointments()
    }

    // MARK: calendar helpers

    /// Days since 1970-01-01 of today's local date.
    var todayNumber: Int { LocalDate(year: today.year!, month: today.month!, day: today.day!)!.daysSinceEpoch }

    /// The local date `offset` days from today, as "YYYY-MM-DD".
    func day(_ offset: Int) -> String {
        LocalDate(daysSinceEpoch: todayNumber + offset)!.description
    }

    /// ISO weekday (1 = Monday) of the local date `offset` days from today.
    func weekday(_ offset: Int) -> Int {
        LocalDate(daysSinceEpoch: todayNumber + offset)!.weekday.isoNumber
    }

    /// The instant of a local date and time in Paris, ISO-8601 with its offset.
    func instant(dayOffset: Int, minutes: Int) -> String {
        // The wall-clock time read as UTC, then shifted by Paris's offset at that moment.
        let wall = Date(timeIntervalSince1970: TimeInterval((todayNumber + dayOffset) * 86_400 + minutes * 60))
        let offset = Self.timeZone.secondsFromGMT(for: wall.addingTimeInterval(-3600))
        return ISO8601.format(wall.addingTimeInterval(TimeInterval(-offset)), in: Self.timeZone)
    }

    mutating func pick<T>(_ list: [T]) -> T {
        list[Int((random.next() as UInt64) % UInt64(list.count))]
    }

    mutating func chance(_ percent: Int) -> Bool {
        Int((random.next() as UInt64) % 100) < percent
    }
}
