import Cryptography
import Domain
import Foundation
import GRDB

/// A page of API v1 records (api.md §3): the items of the page and how many match in all.
public struct APIRecordPage: Sendable, Equatable {
    public var items: [JSONValue]
    public var total: Int
}

/// Motif filters of `GET /organisations/:id/motifs` (api.md §6).
public struct APIMotifFilter: Sendable, Equatable {
    public var active: Bool?
    public var bookablePublicly: Bool?
    public var serviceID: Int64?
    public var categoryShortName: String?

    public init(active: Bool? = nil, bookablePublicly: Bool? = nil, serviceID: Int64? = nil, categoryShortName: String? = nil) {
        self.active = active
        self.bookablePublicly = bookablePublicly
        self.serviceID = serviceID
        self.categoryShortName = categoryShortName
    }
}

/// The reads of the partner API v1: records in the api.md §7 shapes, a page at a time. Which
/// records a caller may see is decided by the policies; these take the ids or the organisation
/// the policy allowed.
extension AppDatabase {
    public static let apiPageSize = 100

    /// `organisation` records of `ids`, by id.
    public func apiOrganisations(ids: [Int64], page: Int) throws -> APIRecordPage {
        try writer.read { db in
            let sorted = ids.sorted()
            let slice = sorted.dropFirst((page - 1) * Self.apiPageSize).prefix(Self.apiPageSize)
            return APIRecordPage(items: try slice.compactMap { try APIShapes.organisation(db, id: $0) }, total: sorted.count)
        }
    }

    public func apiOrganisation(id: Int64) throws -> JSONValue? {
        try writer.read { db in try APIShapes.organisation(db, id: id) }
    }

    public func apiAgent(id: Int64) throws -> JSONValue? {
        try writer.read { db in try APIShapes.agent(db, id: id) }
    }

    /// The agents with a role in one of `organisationIDs` or in an organisation of one of
    /// `territoryIDs` (not deleted), by id, with what `AgentPolicy.inScope` needs to keep those
    /// the caller may see.
    public func apiAgents(organisationIDs: [Int64], territoryIDs: [Int64] = []) throws -> [(view: AgentView, json: JSONValue)] {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT g.id, g.email, g.first_name, g.last_name,
                           (SELECT json_group_array(r.organisation_id) FROM agent_roles r WHERE r.agent_id = g.id) AS organisations,
                           (SELECT json_group_array(DISTINCT o.territory_id) FROM agent_roles r
                              JOIN organisations o ON o.id = r.organisation_id WHERE r.agent_id = g.id) AS territories,
                           (SELECT json_group_array(s.service_id) FROM agent_services s WHERE s.agent_id = g.id) AS services
                    FROM agents g
                    WHERE g.deleted_at IS NULL AND EXISTS (
                        SELECT 1 FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id WHERE r.agent_id = g.id
                        AND (r.organisation_id IN (SELECT value FROM json_each(?))
                             OR o.territory_id IN (SELECT value FROM json_each(?))))
                    ORDER BY g.id
                    """, arguments: [Self.jsonArray(organisationIDs), Self.jsonArray(territoryIDs)])
            return rows.map { row in
                let view = AgentView(
                    agentID: row["id"], organisationIDs: Set(Self.ids(row["organisations"])),
                    territoryIDs: Set(Self.ids(row["territories"])), serviceIDs: Set(Self.ids(row["services"])))
                return (view, APIShapes.agent(row))
            }
        }
    }

    /// The enabled `lieux` of an organisation, by id.
    public func apiLieux(organisationID: Int64, page: Int) throws -> APIRecordPage {
        try writer.read { db in
            let total =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM places WHERE organisation_id = ? AND availability = 'enabled'",
                    arguments: [organisationID]) ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM places WHERE organisation_id = ? AND availability = 'enabled' ORDER BY id LIMIT ? OFFSET ?
                    """, arguments: [organisationID, Self.apiPageSize, (page - 1) * Self.apiPageSize])
            return APIRecordPage(items: rows.map(APIShapes.lieu), total: total)
        }
    }

    /// The `motifs` of an organisation matching `filter`, by id.
    public func apiMotifs(organisationID: Int64, filter: APIMotifFilter, page: Int) throws -> APIRecordPage {
        var conditions = ["m.organisation_id = ?"]
        var arguments: StatementArguments = [organisationID]
        switch filter.active {
        case true?: conditions.append("m.deleted_at IS NULL")
        case false?: conditions.append("m.deleted_at IS NOT NULL")
        case nil: break
        }
        switch filter.bookablePublicly {
        case true?: conditions.append("m.bookable_by <> 'agents'")
        case false?: conditions.append("m.bookable_by = 'agents'")
        case nil: break
        }
        if let serviceID = filter.serviceID {
            conditions.append("m.service_id = ?")
            _ = arguments.append(contentsOf: [serviceID])
        }
        if let shortName = filter.categoryShortName {
            conditions.append("m.motif_category_id IN (SELECT id FROM motif_categories WHERE short_name = ?)")
            _ = arguments.append(contentsOf: [shortName])
        }
        let from = "FROM motifs m WHERE " + conditions.joined(separator: " AND ")
        return try writer.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT count(*) " + from, arguments: arguments) ?? 0
            var pageArguments = arguments
            _ = pageArguments.append(contentsOf: [Self.apiPageSize, (page - 1) * Self.apiPageSize])
            let ids = try Int64.fetchAll(db, sql: "SELECT m.id " + from + " ORDER BY m.id LIMIT ? OFFSET ?", arguments: pageArguments)
            let zone = try APIShapes.zone(db, organisationID: organisationID)
            return APIRecordPage(items: try ids.compactMap { try APIShapes.motif(db, id: $0, zone: zone) }, total: total)
        }
    }

    /// `rdv` records of `ids`, in that order; users' profiles are those among `scope`.
    public func apiRdvs(ids: [Int64], links: SiteLinks, scope: [Int64], include: Set<String>?) throws -> [JSONValue] {
        try writer.read { db in
            try ids.compactMap { try APIShapes.rdv(db, id: $0, links: links, scope: scope, include: include) }
        }
    }

    /// What `AppointmentPolicy` needs of one appointment; nil when there is none.
    public func apiAppointmentView(id: Int64) throws -> AppointmentView? {
        try writer.read { db -> AppointmentView? in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT a.organisation_id, m.service_id,
                               (SELECT json_group_array(x.agent_id) FROM appointment_agents x WHERE x.appointment_id = a.id) AS agents
                        FROM appointments a JOIN motifs m ON m.id = a.motif_id WHERE a.id = ?
                        """, arguments: [id])
            else { return nil }
            return AppointmentView(
                organisationID: row["organisation_id"], agentIDs: Set(Self.ids(row["agents"])),
                motifServiceID: row["service_id"])
        }
    }

    /// `user` records of `ids`, in that order; their profiles are those among `scope`.
    public func apiUsers(ids: [Int64], scope: [Int64]) throws -> [JSONValue] {
        try writer.read { db in try APIShapes.users(db, ids: ids, scope: scope) }
    }

    /// What `UserPolicy` needs of one user; nil when there is none.
    public func apiUserView(id: Int64) throws -> UserView? {
        try writer.read { db -> UserView? in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT deleted_at, (SELECT json_group_array(p.organisation_id) FROM user_profiles p
                                            WHERE p.user_id = users.id) AS organisations
                        FROM users WHERE id = ?
                        """, arguments: [id])
            else { return nil }
            return UserView(isDeleted: (row["deleted_at"] as Int64?) != nil, organisationIDs: Set(Self.ids(row["organisations"])))
        }
    }

    /// The users with a profile in `organisationID` (not deleted), by id: a page of
    /// `GET /organisations/:id/users`.
    public func apiUserIDs(organisationID: Int64, page: Int) throws -> (ids: [Int64], total: Int) {
        try writer.read { db in
            let from = """
                FROM users u WHERE u.deleted_at IS NULL
                AND u.id IN (SELECT user_id FROM user_profiles WHERE organisation_id = ?)
                """
            let total = try Int.fetchOne(db, sql: "SELECT count(*) " + from, arguments: [organisationID]) ?? 0
            let ids = try Int64.fetchAll(
                db, sql: "SELECT u.id " + from + " ORDER BY u.id LIMIT ? OFFSET ?",
                arguments: [organisationID, Self.apiPageSize, (page - 1) * Self.apiPageSize])
            return (ids, total)
        }
    }

    /// The users visible from one of `organisationIDs` (UserPolicy.show: a profile there, or in
    /// the territory when its users are visible throughout it), not deleted, among `ids` when
    /// given, by id: a page of `GET /users`.
    public func apiVisibleUserIDs(organisationIDs: [Int64], among ids: [Int64]?, page: Int) throws -> (ids: [Int64], total: Int) {
        // The visible organisations first, so that the profiles are read through their
        // (organisation_id, user_id) index: an OR across the join scanned every profile.
        var from = """
            FROM users u WHERE u.deleted_at IS NULL AND u.id IN (
                SELECT p.user_id FROM user_profiles p WHERE p.organisation_id IN (
                    SELECT value FROM json_each(?1)
                    UNION SELECT o.id FROM organisations o JOIN territories t ON t.id = o.territory_id
                    WHERE t.visible_users_throughout_the_territory = 1
                      AND o.territory_id IN (SELECT territory_id FROM organisations WHERE id IN (SELECT value FROM json_each(?1)))))
            """
        var arguments: StatementArguments = [Self.jsonArray(organisationIDs)]
        if let ids {
            from += " AND u.id IN (SELECT value FROM json_each(?2))"
            _ = arguments.append(contentsOf: [Self.jsonArray(ids)])
        }
        let limit = ids == nil ? 2 : 3  // numbered parameters: ?1 organisations, [?2 ids], then limit and offset
        return try writer.read { db in
            let total = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) " + from), arguments: arguments) ?? 0
            var pageArguments = arguments
            _ = pageArguments.append(contentsOf: [Self.apiPageSize, (page - 1) * Self.apiPageSize])
            let ids = try Int64.fetchAll(
                db.cachedStatement(sql: "SELECT u.id " + from + " ORDER BY u.id LIMIT ?\(limit) OFFSET ?\(limit + 1)"),
                arguments: pageArguments)
            return (ids, total)
        }
    }

    /// A `json_group_array` of ids.
    static func ids(_ json: String?) -> [Int64] {
        guard let json, let data = json.data(using: .utf8) else { return [] }
        return ((try? JSONDecoder().decode([Int64?].self, from: data)) ?? []).compactMap { $0 }
    }
}

// MARK: Writes of the API that the pages have no single operation for

extension AppDatabase {
    /// `POST /user_profiles`: the user gets a profile in `organisationID` (a no-op when it has
    /// one), with its `UserProfile` webhook.
    public func addUserProfile(userID: Int64, organisationID: Int64, author: String?, publicURL: String, now: Date) throws {
        try immediateWrite { db in
            try Self.addProfile(db, userID: userID, organisationID: organisationID, author: author, publicURL: publicURL, now: now)
        }
    }

    /// `POST /users/:id/rdv_invitation_token`: the user's token (8 characters of `[A-Z0-9]`),
    /// made on first request and then reused.
    public func rdvInvitationToken(userID: Int64, now: Date) throws -> String {
        try immediateWrite { db in
            if let token = try String.fetchOne(
                db, sql: "SELECT rdv_invitation_token FROM users WHERE id = ?", arguments: [userID])
            {
                return token
            }
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            while true {
                // 256 is not a multiple of 36: bytes ≥ 252 are skipped so every character is as likely.
                let token = String(SecureRandom.bytes(32).filter { $0 < 252 }.prefix(8).map { alphabet[Int($0) % 36] })
                guard token.count == 8 else { continue }
                let taken = try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM users WHERE rdv_invitation_token = ?", arguments: [token]) ?? false
                if taken { continue }
                try db.execute(
                    sql: "UPDATE users SET rdv_invitation_token = ?, rdv_invitation_token_created_at = ?, updated_at = ? WHERE id = ?",
                    arguments: [token, Self.epoch(now), Self.epoch(now), userID])
                return token
            }
        }
    }
}

extension AppDatabase {
    /// `user_profile` (api.md §7).
    public func apiUserProfile(userID: Int64, organisationID: Int64) throws -> JSONValue {
        try writer.read { db in
            try APIShapes.userProfile(
                db, userID: userID, organisationID: organisationID, zone: try APIShapes.zone(db, organisationID: organisationID))
        }
    }
}

extension AppDatabase {
    /// The appointment of a participation and whether its motif is collective; nil when the
    /// participation does not exist.
    public func apiParticipationAppointment(id: Int64) throws -> (appointmentID: Int64, collectif: Bool)? {
        try writer.read { db -> (appointmentID: Int64, collectif: Bool)? in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT p.appointment_id, a.collectif FROM participations p JOIN appointments a ON a.id = p.appointment_id
                    WHERE p.id = ?
                    """, arguments: [id]
            ).map { ($0["appointment_id"], $0["collectif"]) }
        }
    }
}

extension AppDatabase {
    /// api.md §8 `public_links`: the territory's organisations with an `external_id` and public
    /// availability — an opening period not yet over with a motif bookable by everyone, or a
    /// future collective appointment of such a motif — by `external_id`.
    public func publicLinkOrganisations(departementNumber: String, now: Date) throws -> [String] {
        try writer.read { db in
            let epoch = Self.epoch(now)
            guard
                let zone = try String.fetchOne(
                    db, sql: "SELECT time_zone FROM territories WHERE departement_number = ?", arguments: [departementNumber]
                ).flatMap(TimeZone.init(identifier:))
            else { return [] }
            let today = LocalDate(now, in: zone).description
            return try String.fetchAll(
                db,
                sql: """
                    SELECT o.external_id FROM organisations o JOIN territories t ON t.id = o.territory_id
                    WHERE t.departement_number = ? AND o.external_id IS NOT NULL AND (
                        EXISTS (
                            SELECT 1 FROM opening_periods p JOIN opening_period_motifs pm ON pm.opening_period_id = p.id
                            JOIN motifs m ON m.id = pm.motif_id
                            WHERE p.organisation_id = o.id AND m.bookable_by = 'everyone' AND m.deleted_at IS NULL
                              AND CASE WHEN p.recurrence IS NULL THEN p.first_day >= ?
                                       ELSE p.recurrence_ends_at IS NULL OR p.recurrence_ends_at > ? END)
                        OR EXISTS (
                            SELECT 1 FROM appointments a JOIN motifs m ON m.id = a.motif_id
                            WHERE a.organisation_id = o.id AND m.collectif = 1 AND m.bookable_by = 'everyone'
                              AND m.deleted_at IS NULL AND a.starts_at > ? AND a.status NOT IN ('excused', 'revoked')))
                    ORDER BY o.external_id
                    """, arguments: [departementNumber, today, epoch, epoch])
        }
    }
}

extension AppDatabase {
    /// Opening periods of `organisationIDs` (of `agentID` when given), by id, with what the
    /// policy needs: their agent and organisation.
    public func apiOpeningPeriods(organisationIDs: [Int64], agentID: Int64?) throws
        -> [(id: Int64, agentID: Int64, organisationID: Int64)]
    {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, agent_id, organisation_id FROM opening_periods
                    WHERE organisation_id IN (SELECT value FROM json_each(?)) AND (? IS NULL OR agent_id = ?)
                    ORDER BY id
                    """, arguments: [Self.jsonArray(organisationIDs), agentID, agentID]
            ).map { ($0["id"], $0["agent_id"], $0["organisation_id"]) }
        }
    }

    /// The absences of `agentIDs`, by id.
    public func apiAbsenceIDs(agentIDs: [Int64]) throws -> [Int64] {
        try writer.read { db in
            try Int64.fetchAll(
                db, sql: "SELECT id FROM absences WHERE agent_id IN (SELECT value FROM json_each(?)) ORDER BY id",
                arguments: [Self.jsonArray(agentIDs)])
        }
    }

    public func apiOpeningPeriods(ids: [Int64], links: SiteLinks, now: Date) throws -> [JSONValue] {
        try writer.read { db in try ids.compactMap { try APIShapes.openingPeriod(db, id: $0, links: links, now: now) } }
    }

    public func apiAbsences(ids: [Int64], links: SiteLinks, now: Date) throws -> [JSONValue] {
        try writer.read { db in try ids.compactMap { try APIShapes.absence(db, id: $0, links: links, now: now) } }
    }
}

extension AppDatabase {
    /// api.md §6 `GET /organisations` with an address: among the sectors of the territory that
    /// the address falls in (slots.md §9: its city's zones, its street's zones), the one with the
    /// fewest attributed organisations (the most precise), and its organisations, by id.
    public func apiSectorOrganisationIDs(departementNumber: String, cityCode: String, streetBanID: String?) throws -> [Int64] {
        try writer.read { db in
            try Int64.fetchAll(
                db,
                sql: """
                    WITH matching AS (
                        SELECT DISTINCT s.id FROM sectors s JOIN territories t ON t.id = s.territory_id
                        JOIN zones z ON z.sector_id = s.id
                        WHERE t.departement_number = ?
                          AND ((z.level = 'city' AND z.city_code = ?) OR (z.level = 'street' AND z.street_ban_id = ?))),
                    chosen AS (
                        SELECT m.id FROM matching m
                        ORDER BY (SELECT count(DISTINCT a.organisation_id) FROM sector_attributions a WHERE a.sector_id = m.id), m.id
                        LIMIT 1)
                    SELECT DISTINCT organisation_id FROM sector_attributions WHERE sector_id IN (SELECT id FROM chosen)
                    ORDER BY organisation_id
                    """, arguments: [departementNumber, cityCode, streetBanID])
        }
    }
}
