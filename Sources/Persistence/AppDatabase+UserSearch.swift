import Domain
import Foundation
import GRDB

/// One line of a user search (users list, appointment creation user picker): enough to tell
/// homonyms apart (permissions.md "users", booking.md §9).
public struct UserSearchResult: Sendable, Equatable {
    public var id: Int64
    public var firstName: String
    public var lastName: String
    public var birthName: String?
    public var birthDate: LocalDate?
    public var email: String?
    /// As typed.
    public var phone: String?
    /// Set for a relative (« proche »).
    public var responsibleID: Int64?
    /// How many relatives this user is responsible for (not deleted).
    public var relativesCount: Int

    public init(
        id: Int64, firstName: String, lastName: String, birthName: String? = nil, birthDate: LocalDate? = nil,
        email: String? = nil, phone: String? = nil, responsibleID: Int64? = nil, relativesCount: Int = 0
    ) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.birthName = birthName
        self.birthDate = birthDate
        self.email = email
        self.phone = phone
        self.responsibleID = responsibleID
        self.relativesCount = relativesCount
    }
}

/// A territory-wide search result: masked unless `inScope`.
public struct TerritoryUserSearchResult: Sendable, Equatable {
    public var user: UserSearchResult
    public var inScope: Bool
}

/// One page of a users list: the results and how many users match in all.
public struct UserSearchPage: Sendable, Equatable {
    public var results: [UserSearchResult]
    public var total: Int
}

extension AppDatabase {
    /// Users visible in `organisationID` (a profile there, or in any organisation of the
    /// territory when `visible_users_throughout_the_territory`, domain.md §11, permissions.md)
    /// matching a prefix of every typed word, best first: bm25 over the FTS5 index of
    /// `Migrations/0015` with the weights of domain.md §11 (last name, first name, birth name,
    /// the others). An empty text lists the visible users by name.
    public func searchUsers(_ text: String, organisationID: Int64, limit: Int) throws -> [UserSearchResult] {
        try writer.read { db in
            try Self.searchUsers(db, text: text, organisationID: organisationID, offset: 0, limit: limit, count: false)
        }.results
    }

    /// The users list (booking.md §9): one page and the total.
    public func searchUsersPage(_ text: String, organisationID: Int64, offset: Int, limit: Int) throws
        -> UserSearchPage
    {
        try writer.read { db in
            try Self.searchUsers(db, text: text, organisationID: organisationID, offset: offset, limit: limit, count: true)
        }
    }

    /// bm25 column weights: one order of magnitude per rank, so a last-name match always beats
    /// a first-name one whatever the column lengths.
    static let userSearchRank = "bm25(user_search, 1000.0, 100.0, 10.0, 1.0)"

    static func searchUsers(
        _ db: Database, text: String, organisationID: Int64, offset: Int, limit: Int, count: Bool
    ) throws -> UserSearchPage {
        try searchUsers(
            db, text: text, organisations: try visibleUserOrganisationIDs(db, organisationID: organisationID),
            offset: offset, limit: limit, count: count)
    }

    /// The search over the users with a profile in one of `organisations`.
    static func searchUsers(
        _ db: Database, text: String, organisations: [Int64], offset: Int, limit: Int, count: Bool
    ) throws -> UserSearchPage {
        guard !organisations.isEmpty else { return UserSearchPage(results: [], total: 0) }
        let inList = Array(repeating: "?", count: organisations.count).joined(separator: ", ")
        // Driven by the profiles index (an organisation has thousands of users, the territory
        // tens of thousands): `u.id IN (…)` is a list looked up per candidate.
        let visible = """
            u.deleted_at IS NULL
            AND u.id IN (SELECT p.user_id FROM user_profiles p WHERE p.organisation_id IN (\(inList)))
            """
        let orgArguments = StatementArguments(organisations)
        let order = "ORDER BY s.rank, u.last_name, u.first_name, u.id"
        // The page's ids first, then their columns: the relatives count runs for 10 rows only.
        func page(_ candidates: String, _ arguments: StatementArguments) throws -> [UserSearchResult] {
            try Row.fetchAll(
                db,
                sql: """
                    SELECT u.id, u.first_name, u.last_name, u.birth_name, u.birth_date, u.email, u.phone_number,
                        u.responsible_id,
                        (SELECT count(*) FROM users r WHERE r.responsible_id = u.id AND r.deleted_at IS NULL)
                            AS relatives_count
                    FROM (SELECT s.id, s.rank FROM (\(candidates)) s JOIN users u ON u.id = s.id
                          \(order) LIMIT ? OFFSET ?) s
                    JOIN users u ON u.id = s.id
                    \(order)
                    """,
                arguments: arguments + [limit, offset]
            ).map(userSearchResult)
        }
        guard let match = userSearchMatch(text) else {
            let candidates = "SELECT u.id, 0 AS rank FROM users u WHERE \(visible)"
            let results = try page(candidates, orgArguments)
            let total =
                count
                ? try Int.fetchOne(db, sql: "SELECT count(*) FROM users u WHERE \(visible)", arguments: orgArguments) ?? 0
                : results.count
            return UserSearchPage(results: results, total: total)
        }
        // bm25 is computed for the visible matches only (the join filters first); a number may
        // also be a file's id (domain.md §11: search by id), ranked first.
        let id = text.trimmingCharacters(in: .whitespaces).wholeMatch(of: /[0-9]{1,18}/).flatMap { Int64($0.output) }
        let matches = """
            SELECT u.id, \(userSearchRank) AS rank FROM user_search JOIN users u ON u.id = user_search.rowid
            WHERE user_search MATCH ? AND \(visible)
            """
        let byID = "SELECT u.id, -1e300 AS rank FROM users u WHERE u.id = ? AND \(visible)"
        let candidates = "SELECT id, min(rank) AS rank FROM (\(matches) UNION ALL \(byID)) GROUP BY id"
        var arguments: StatementArguments = [match]
        arguments += orgArguments
        arguments += [id]
        arguments += orgArguments
        let results = try page(candidates, arguments)
        let total =
            count
            ? try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM users u WHERE \(visible) AND (
                        u.id IN (SELECT rowid FROM user_search WHERE user_search MATCH ?) OR u.id = ?)
                    """,
                arguments: orgArguments + [match, id]) ?? 0
            : results.count
        return UserSearchPage(results: results, total: total)
    }

    /// « User search for prescription » (permissions.md "Users and related records", booking.md
    /// §5.2): the whole territory of `organisationID`, same ranking. Users outside the agent's
    /// scope (`visibleFrom`'s users) keep their name and birth date only: e-mail as
    /// `j***@d***.fr`, phone as `06 ** ** ** 12`, birth name dropped.
    public func searchUsersInTerritory(_ text: String, organisationID: Int64, limit: Int) throws
        -> [TerritoryUserSearchResult]
    {
        try writer.read { db in
            let territory = try Int64.fetchAll(
                db,
                sql: """
                    SELECT o.id FROM organisations o JOIN organisations current ON current.territory_id = o.territory_id
                    WHERE current.id = ? ORDER BY o.id
                    """, arguments: [organisationID])
            let results = try Self.searchUsers(
                db, text: text, organisations: territory, offset: 0, limit: limit, count: false
            ).results
            guard !results.isEmpty else { return [] }
            let visible = try Self.visibleUserOrganisationIDs(db, organisationID: organisationID)
            let (users, userArguments) = Self.inList(results.map(\.id))
            let (organisations, organisationArguments) = Self.inList(visible)
            let inScope = Set(
                try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT user_id FROM user_profiles
                        WHERE user_id IN (\(users)) AND organisation_id IN (\(organisations))
                        """, arguments: userArguments + organisationArguments))
            return results.map { result in
                guard !inScope.contains(result.id) else { return TerritoryUserSearchResult(user: result, inScope: true) }
                var masked = result
                masked.birthName = nil
                masked.email = result.email.map(Self.maskedEmail)
                masked.phone = result.phone.map(Self.maskedPhone)
                return TerritoryUserSearchResult(user: masked, inScope: false)
            }
        }
    }

    /// `jean.dupont@domaine.fr` → `j***@d***.fr`.
    static func maskedEmail(_ email: String) -> String {
        let parts = email.split(separator: "@", maxSplits: 1)
        guard parts.count == 2 else { return "***" }
        let host = parts[1]
        let tld = host.lastIndex(of: ".").map { String(host[$0...]) } ?? ""
        return "\(parts[0].prefix(1))***@\(host.prefix(1))***\(tld)"
    }

    /// `06 12 34 56 78` → `06 ** ** ** 78`.
    static func maskedPhone(_ phone: String) -> String {
        let digits = phone.filter(\.isNumber)
        guard digits.count >= 4 else { return "** ** ** ** **" }
        return "\(digits.prefix(2)) ** ** ** \(digits.suffix(2))"
    }

    /// The ids of users visible in organisation `?` (bound twice: the organisation id, then again):
    /// a profile there, or in any organisation of its territory when the territory shares its
    /// users (permissions.md). Used by other queries as `u.id IN (…)`.
    static let visibleUserIDsSQL = """
        SELECT p.user_id FROM user_profiles p
        JOIN organisations o ON o.id = p.organisation_id
        JOIN organisations current ON current.id = ?
        JOIN territories t ON t.id = current.territory_id
        WHERE p.organisation_id = ?
           OR (t.visible_users_throughout_the_territory = 1 AND o.territory_id = current.territory_id)
        """

    /// The organisations whose profiles make a user visible from `organisationID` (permissions.md
    /// "Users and related records").
    static func visibleUserOrganisationIDs(_ db: Database, organisationID: Int64) throws -> [Int64] {
        try Int64.fetchAll(
            db,
            sql: """
                SELECT o.id FROM organisations current
                JOIN territories t ON t.id = current.territory_id
                JOIN organisations o ON o.id = current.id
                    OR (t.visible_users_throughout_the_territory = 1 AND o.territory_id = current.territory_id)
                WHERE current.id = ?
                ORDER BY o.id
                """,
            arguments: [organisationID])
    }

    /// The FTS5 query for what an agent typed, or nil when nothing searchable was typed. Each
    /// word is a quoted prefix phrase (the tokenizer splits "12/03/1980", "Jean-Pierre" or an
    /// e-mail into a sequence, quotes neutralise FTS5 syntax); words are ANDed. A text of digits
    /// and separators only is also tried as one number ("06 12 34" → "061234"*, a phone prefix).
    public static func userSearchMatch(_ text: String) -> String? {
        let words = text.split(whereSeparator: \.isWhitespace).filter { $0.contains(where: { $0.isLetter || $0.isNumber }) }
        guard !words.isEmpty else { return nil }
        func phrase(_ word: some StringProtocol) -> String { ftsPrefixPhrase(word) }
        let all = words.map(phrase).joined(separator: " AND ")
        let numberOnly = text.allSatisfy { ("0"..."9").contains($0) || " .-+()".contains($0) }
        let digits = text.filter { ("0"..."9").contains($0) }
        guard numberOnly, digits != text.trimmingCharacters(in: .whitespaces) else { return all }
        return "(\(phrase(digits))) OR (\(all))"
    }

    static func userSearchResult(_ row: Row) -> UserSearchResult {
        UserSearchResult(
            id: row["id"], firstName: row["first_name"], lastName: row["last_name"], birthName: row["birth_name"],
            birthDate: (row["birth_date"] as String?).flatMap(LocalDate.init), email: row["email"],
            phone: row["phone_number"], responsibleID: row["responsible_id"], relativesCount: row["relatives_count"])
    }
}
