import Domain
import Foundation
import GRDB

/// A line of an agent's « Plages d'ouverture » list (domain.md §7).
public struct OpeningPeriodListItem: Sendable, Equatable {
    public let id: Int64
    public let title: String
    public let placeName: String?
    public let motifNames: [String]
    public let pattern: SeriesPattern
    public let isExpired: Bool
}

/// What the opening-period form offers: the motifs the agent may hold (individual, active, of
/// its services or `for_secretariat` for a secretary) and the organisation's open places.
public struct OpeningPeriodChoices: Sendable, Equatable {
    public struct Choice: Sendable, Equatable {
        public let id: Int64
        public let name: String
        /// False for one the period holds that is no longer offered (a disabled place, a motif
        /// deleted or outside the agent's services): shown so that an edit never drops it silently.
        public var isOffered = true
    }

    public let motifs: [Choice]
    public let places: [Choice]
}

/// The outcome of saving an opening period or an absence: done, or the issues that stopped it
/// (errors, or benign warnings not yet confirmed with « Enregistrer quand même »).
public enum SeriesSave: Sendable, Equatable {
    case saved(id: Int64)
    case refused([ValidationIssue])
}

extension AppDatabase {
    /// The agent's opening periods in the organisation, the current ones or the past ones
    /// (domain.md §7 expiration), by first day; `search` matches the title, accent- and
    /// case-insensitively.
    public func openingPeriods(
        agentID: Int64, organisationID: Int64, expired: Bool, search: String?, today: LocalDate
    ) throws -> [OpeningPeriodListItem] {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT p.id, p.title, p.first_day, p.start_time, p.end_time, p.recurrence, NULL AS end_day,
                           l.name AS place_name,
                           (SELECT group_concat(name, char(31)) FROM (SELECT m.name FROM opening_period_motifs x
                              JOIN motifs m ON m.id = x.motif_id WHERE x.opening_period_id = p.id ORDER BY m.name))
                              AS motif_names
                    FROM opening_periods p LEFT JOIN places l ON l.id = p.place_id
                    WHERE p.agent_id = ? AND p.organisation_id = ?
                    ORDER BY p.first_day, p.start_time, p.id
                    """, arguments: [agentID, organisationID])
            let exceptions = try Self.exceptions(db, column: "opening_period_id", ids: rows.map { $0["id"] })
            let folded = search.map(Self.folded).flatMap { $0.isEmpty ? nil : $0 }
            return rows.compactMap { row -> OpeningPeriodListItem? in
                guard let pattern = Self.pattern(row) else { return nil }
                let id: Int64 = row["id"]
                let isExpired = pattern.isExpired(today: today, exceptions: exceptions[id] ?? [])
                let title: String = row["title"]
                guard isExpired == expired, folded.map({ Self.folded(title).contains($0) }) ?? true else { return nil }
                return OpeningPeriodListItem(
                    id: id, title: title, placeName: row["place_name"],
                    motifNames: ((row["motif_names"] as String?) ?? "").split(separator: "\u{1F}").map(String.init),
                    pattern: pattern, isExpired: isExpired)
            }
        }
    }

    /// One opening period of the organisation, with its motifs.
    public func openingPeriod(id: Int64, organisationID: Int64) throws -> OpeningPeriod? {
        try writer.read { db in try Self.openingPeriod(db, id: id, organisationID: organisationID) }
    }

    static func openingPeriod(_ db: Database, id: Int64, organisationID: Int64) throws -> OpeningPeriod? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT *, NULL AS end_day FROM opening_periods WHERE id = ? AND organisation_id = ?",
                arguments: [id, organisationID]),
            let pattern = pattern(row)
        else { return nil }
        return OpeningPeriod(
            id: row["id"], agentID: row["agent_id"], organisationID: row["organisation_id"], title: row["title"],
            placeID: row["place_id"], firstDay: pattern.firstDay, startTime: pattern.startTime,
            endTime: pattern.endTime, recurrence: pattern.recurrence,
            motifIDs: try Int64.fetchAll(
                db, sql: "SELECT motif_id FROM opening_period_motifs WHERE opening_period_id = ? ORDER BY motif_id",
                arguments: [id]))
    }

    /// `keeping`: the motifs and place the period (or the form sent) holds, added when no longer
    /// offered, so the form shows them and the save says why they cannot stay.
    public func openingPeriodChoices(
        agentID: Int64, organisationID: Int64, keepingMotifIDs: [Int64] = [], keepingPlaceID: Int64? = nil
    ) throws -> OpeningPeriodChoices {
        try writer.read { db in
            let secretary = try Self.agentIsSecretary(db, agentID: agentID)
            let motifs = try Row.fetchAll(
                db,
                sql: """
                    SELECT m.id, m.name FROM motifs m
                    WHERE m.organisation_id = ? AND m.deleted_at IS NULL AND m.collectif = 0
                      AND (m.service_id IN (SELECT service_id FROM agent_services WHERE agent_id = ?)
                           OR (? AND m.for_secretariat = 1))
                    ORDER BY m.name, m.id
                    """, arguments: [organisationID, agentID, secretary])
            let places = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, name FROM places WHERE organisation_id = ? AND availability = 'enabled'
                    ORDER BY name, id
                    """, arguments: [organisationID])
            var motifChoices = motifs.map { OpeningPeriodChoices.Choice(id: $0["id"], name: $0["name"]) }
            var placeChoices = places.map { OpeningPeriodChoices.Choice(id: $0["id"], name: $0["name"]) }
            let missingMotifs = keepingMotifIDs.uniqued().filter { id in !motifChoices.contains { $0.id == id } }
            if !missingMotifs.isEmpty {
                let (list, arguments) = Self.inList(missingMotifs)
                motifChoices += try Row.fetchAll(
                    db, sql: "SELECT id, name FROM motifs WHERE organisation_id = ? AND id IN (\(list)) ORDER BY name, id",
                    arguments: StatementArguments([organisationID]) + arguments
                ).map { .init(id: $0["id"], name: $0["name"], isOffered: false) }
            }
            if let placeID = keepingPlaceID, !placeChoices.contains(where: { $0.id == placeID }),
                let name = try String.fetchOne(
                    db, sql: "SELECT name FROM places WHERE id = ? AND organisation_id = ?",
                    arguments: [placeID, organisationID])
            {
                placeChoices.append(.init(id: placeID, name: name, isOffered: false))
            }
            return OpeningPeriodChoices(motifs: motifChoices, places: placeChoices)
        }
    }

    /// Creates (`period.id == nil`) or updates an opening period in one transaction: the domain
    /// rules (errors), then the benign warnings (overlap with the agent's other periods, a motif
    /// longer than the period) unless confirmed, the row and its motifs, and the agent's e-mail
    /// with the recurring ICS (notifications.md §10), planned in the same transaction.
    public func saveOpeningPeriod(
        _ period: OpeningPeriod, confirmWarnings: Bool, authorName: String?, publicURL: String, today: LocalDate,
        now: Date
    ) throws -> SeriesSave {
        try immediateWrite { db in
            let before = try period.id.flatMap { try Self.openingPeriod(db, id: $0, organisationID: period.organisationID) }
            if period.id != nil && before == nil {
                return .refused([.error("base", "Cette plage d'ouverture n'existe plus.")])
            }
            let context = try Self.openingPeriodValidationContext(db, period)
            var issues = period.validate(context)
            // Ids the form did not offer (forged): refused by their fields, not by a foreign key.
            if context.motifs.count != Set(period.motifIDs).count {
                issues.append(.error("motifs", "contient un motif inconnu de l'organisation"))
            }
            if period.placeID != nil && context.place == nil {
                issues.append(.error("place_id", "doit être un lieu de l'organisation"))
            }
            // domain.md §7: the agent's other periods, in every organisation.
            let (others, exceptions) = try Self.otherPeriods(db, agentID: period.agentID, besides: period.id)
            if !issues.contains(where: { $0.severity == .error }) {
                issues += period.overlapWarnings(with: others, exceptions: exceptions, today: today)
                if let id = period.id, let orphans = Self.orphanedExceptions(exceptions[id] ?? [], of: period.pattern),
                    !orphans.isEmpty
                {
                    issues.append(.warning("base", Self.orphanedExceptionsWarning(orphans.count)))
                }
                if let id = period.id, let before {
                    issues += try Self.strandedAppointmentWarnings(
                        db, before: before, after: period, exceptions: exceptions[id] ?? [],
                        others: others, otherExceptions: exceptions, today: today, now: now)
                }
            }
            let errors = issues.filter { $0.severity == .error }
            guard errors.isEmpty else { return .refused(errors) }
            guard confirmWarnings || issues.isEmpty else { return .refused(issues) }

            let zone = try Self.organisationTimeZone(db, organisationID: period.organisationID)
            let recurrence = try period.recurrence.map {
                String(decoding: try InterchangeWriter.recurrenceEncoder.encode($0), as: UTF8.self)
            }
            let endsAt = period.recurrence?.until?.adding(days: 1)?.instant(at: .midnight, in: zone)
                .map { Int64($0.timeIntervalSince1970) }
            let epoch = Int64(now.timeIntervalSince1970)
            let versionBefore = try period.id.flatMap { try Self.auditedRow(db, .openingPeriod, id: $0) }
            let id: Int64
            if let existing = period.id {
                try db.execute(
                    sql: """
                        UPDATE opening_periods SET title = ?, place_id = ?, first_day = ?, start_time = ?, end_time = ?,
                            recurrence = ?, recurrence_ends_at = ?, expired = 0, updated_at = ?
                        WHERE id = ?
                        """,
                    arguments: [
                        period.title, period.placeID, period.firstDay.description, period.startTime.description,
                        period.endTime.description, recurrence, endsAt, epoch, existing,
                    ])
                try db.execute(
                    sql: "DELETE FROM opening_period_motifs WHERE opening_period_id = ?", arguments: [existing])
                try Self.deleteOrphanedExceptions(db, column: "opening_period_id", id: existing, pattern: period.pattern)
                id = existing
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO opening_periods (agent_id, organisation_id, place_id, title, first_day, start_time,
                            end_time, recurrence, recurrence_ends_at, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        period.agentID, period.organisationID, period.placeID, period.title,
                        period.firstDay.description, period.startTime.description, period.endTime.description,
                        recurrence, endsAt, epoch, epoch,
                    ])
                id = db.lastInsertedRowID
            }
            for motifID in Set(period.motifIDs).sorted() {
                try db.execute(
                    sql: """
                        INSERT INTO opening_period_motifs (opening_period_id, motif_id, created_at, updated_at)
                        VALUES (?, ?, ?, ?)
                        """, arguments: [id, motifID, epoch, epoch])
            }
            try Self.recordVersion(
                db, itemType: AuditedTable.openingPeriod.rawValue, itemID: id, before: versionBefore,
                after: try Self.auditedRow(db, .openingPeriod, id: id), author: authorName,
                organisationID: period.organisationID, now: now)
            try Self.planSeriesNotifications(
                db, kind: .openingPeriod, id: id, change: period.id == nil ? .created : .updated,
                authorName: authorName, instance: instance, publicURL: publicURL, now: now)
            return .saved(id: id)
        }
    }

    /// « Supprimer »: the agent's cancellation e-mail (METHOD:CANCEL) is built from the row
    /// before it goes, in the same transaction. False when it no longer exists.
    public func deleteOpeningPeriod(
        id: Int64, organisationID: Int64, authorName: String?, publicURL: String, now: Date
    ) throws -> Bool {
        try immediateWrite { db in
            guard try Self.openingPeriod(db, id: id, organisationID: organisationID) != nil else { return false }
            try Self.planSeriesNotifications(
                db, kind: .openingPeriod, id: id, change: .destroyed, authorName: authorName, instance: instance,
                publicURL: publicURL, now: now)
            try Self.audited(db, .openingPeriod, id: id, author: authorName, now: now) {
                try db.execute(sql: "DELETE FROM opening_periods WHERE id = ?", arguments: [id])
            }
            return true
        }
    }

    static func openingPeriodValidationContext(_ db: Database, _ period: OpeningPeriod) throws
        -> OpeningPeriod.ValidationContext
    {
        let (list, arguments) = inList(period.motifIDs)
        let motifs =
            period.motifIDs.isEmpty
            ? []
            : try Row.fetchAll(
                db,
                sql: """
                    SELECT id, organisation_id, service_id, name, color, default_duration_in_min, location_type,
                           collectif, for_secretariat, deleted_at FROM motifs WHERE id IN (\(list))
                    """, arguments: arguments
            ).map {
                Motif(
                    id: $0["id"], organisationID: $0["organisation_id"], serviceID: $0["service_id"], name: $0["name"],
                    color: $0["color"], defaultDurationInMin: $0["default_duration_in_min"],
                    locationType: LocationType(rawValue: $0["location_type"]) ?? .publicOffice,
                    collectif: $0["collectif"], forSecretariat: $0["for_secretariat"],
                    deletedAt: ($0["deleted_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) })
            }
        let place = try period.placeID.flatMap { placeID in
            try Row.fetchOne(db, sql: "SELECT * FROM places WHERE id = ?", arguments: [placeID]).map {
                Place(
                    id: $0["id"], organisationID: $0["organisation_id"], name: $0["name"], address: $0["address"],
                    latitude: $0["latitude"], longitude: $0["longitude"],
                    availability: Place.Availability(rawValue: $0["availability"]) ?? .enabled)
            }
        }
        return OpeningPeriod.ValidationContext(
            motifs: motifs, place: place,
            agentServiceIDs: Set(
                try Int64.fetchAll(
                    db, sql: "SELECT service_id FROM agent_services WHERE agent_id = ?", arguments: [period.agentID])),
            agentIsSecretary: try agentIsSecretary(db, agentID: period.agentID),
            agentHasRoleInOrganisation: try Bool.fetchOne(
                db, sql: "SELECT 1 FROM agent_roles WHERE agent_id = ? AND organisation_id = ?",
                arguments: [period.agentID, period.organisationID]) != nil)
    }

    static func agentIsSecretary(_ db: Database, agentID: Int64) throws -> Bool {
        try String.fetchAll(
            db,
            sql: "SELECT s.name FROM agent_services x JOIN services s ON s.id = x.service_id WHERE x.agent_id = ?",
            arguments: [agentID]
        ).contains { Service(name: $0, shortName: "").isSecretariat }
    }

    static func organisationTimeZone(_ db: Database, organisationID: Int64) throws -> TimeZone {
        timeZone(
            named: try String.fetchOne(
                db,
                sql: "SELECT t.time_zone FROM organisations o JOIN territories t ON t.id = o.territory_id WHERE o.id = ?",
                arguments: [organisationID]) ?? "Europe/Paris")
    }

    /// Lower case without accents, for a search a person types (« Péri » finds « périnatalité »).
    static func folded(_ text: String) -> String {
        TextFolding.folded(text).trimmingCharacters(in: .whitespaces)
    }
}

extension AppDatabase {
    /// The names an opening period's page shows: its place and its motifs.
    public func openingPeriodNames(id: Int64) throws -> (place: String?, motifs: [String]) {
        try writer.read { db in
            let place = try String.fetchOne(
                db, sql: "SELECT l.name FROM opening_periods p JOIN places l ON l.id = p.place_id WHERE p.id = ?",
                arguments: [id])
            let motifs = try String.fetchAll(
                db,
                sql: """
                    SELECT m.name FROM opening_period_motifs x JOIN motifs m ON m.id = x.motif_id
                    WHERE x.opening_period_id = ? ORDER BY m.name
                    """, arguments: [id])
            return (place, motifs)
        }
    }
}

/// What changing one occurrence of a series did.
public enum OccurrenceChange: Sendable, Equatable {
    case saved
    /// `date` carries no regular occurrence of the series (or the series is gone).
    case notAnOccurrence
    case refused([ValidationIssue])
}

extension AppDatabase {
    /// domain.md §7b (beyond the original): « Annuler cette occurrence » (`cancelled`) or
    /// « Modifier cette occurrence » (another day or hours) of one regular occurrence, stored as
    /// its occurrence exception without splitting the series; the agent's e-mail carries the
    /// series' ICS with the EXDATE or the RECURRENCE-ID (notifications.md §10), planned in the
    /// same transaction. `restore` removes the exception: the occurrence is regular again.
    ///
    /// Cancelling or moving an occurrence that held upcoming appointments (and no other period of
    /// the agent holds them) is a benign warning listing them, saved only with `confirmWarnings`.
    public func changeOpeningPeriodOccurrence(
        periodID: Int64, organisationID: Int64, date: LocalDate, change: OccurrenceEdit, confirmWarnings: Bool = false,
        authorName: String?, publicURL: String, now: Date
    ) throws -> OccurrenceChange {
        try immediateWrite { db in
            guard let period = try Self.openingPeriod(db, id: periodID, organisationID: organisationID) else {
                return .notAnOccurrence
            }
            if !confirmWarnings, period.pattern.recurrence != nil, period.pattern.isRegularOccurrence(date) {
                let warnings = try Self.strandedByOccurrenceChange(db, period: period, date: date, change: change, now: now)
                if !warnings.isEmpty { return .refused(warnings) }
            }
            return try Self.changeOccurrence(
                db, kind: .openingPeriod, id: periodID, pattern: period.pattern, date: date, change: change,
                authorName: authorName, instance: instance, publicURL: publicURL, now: now)
        }
    }

    /// The same for an absence (a multi-day absence does not repeat, so has none).
    public func changeAbsenceOccurrence(
        absenceID: Int64, date: LocalDate, change: OccurrenceEdit, authorName: String?, publicURL: String, now: Date
    ) throws -> OccurrenceChange {
        try immediateWrite { db in
            guard let absence = try Self.absence(db, id: absenceID), !absence.isMultiDay else { return .notAnOccurrence }
            return try Self.changeOccurrence(
                db, kind: .absence, id: absenceID, pattern: absence.pattern, date: date, change: change,
                authorName: authorName, instance: instance, publicURL: publicURL, now: now)
        }
    }

    static func changeOccurrence(
        _ db: Database, kind: NotifiedSeries.Kind, id: Int64, pattern: SeriesPattern, date: LocalDate,
        change: OccurrenceEdit, authorName: String?, instance: InstanceEnvironment, publicURL: String, now: Date
    ) throws -> OccurrenceChange {
        guard pattern.recurrence != nil, pattern.isRegularOccurrence(date) else { return .notAnOccurrence }
        let (column, table) = kind == .openingPeriod ? ("opening_period_id", "opening_periods") : ("absence_id", "absences")
        let epoch = Int64(now.timeIntervalSince1970)
        let record: AuditedTable = kind == .openingPeriod ? .openingPeriod : .absence
        let versionBefore = try auditedRow(db, record, id: id)
        switch change {
        case .restore:
            try db.execute(
                sql: "DELETE FROM occurrence_exceptions WHERE \(column) = ? AND date = ?",
                arguments: [id, date.description])
        case .cancel:
            try db.execute(
                sql: """
                    INSERT INTO occurrence_exceptions (\(column), date, cancelled, day, created_at, updated_at)
                    VALUES (?, ?, 1, ?, ?, ?)
                    ON CONFLICT (\(column), date) DO UPDATE SET cancelled = 1, day = excluded.day,
                        start_time = NULL, end_time = NULL, updated_at = excluded.updated_at
                    """, arguments: [id, date.description, date.description, epoch, epoch])
        case .move(let day, let start, let end):
            guard end > start else { return .refused([.error("end_time", "doit être postérieure à l'heure de début")]) }
            try db.execute(
                sql: """
                    INSERT INTO occurrence_exceptions (\(column), date, cancelled, day, start_time, end_time,
                        created_at, updated_at)
                    VALUES (?, ?, 0, ?, ?, ?, ?, ?)
                    ON CONFLICT (\(column), date) DO UPDATE SET cancelled = 0, day = excluded.day,
                        start_time = excluded.start_time, end_time = excluded.end_time, updated_at = excluded.updated_at
                    """,
                arguments: [id, date.description, day.description, start.description, end.description, epoch, epoch])
        }
        try db.execute(sql: "UPDATE \(table) SET updated_at = ? WHERE id = ?", arguments: [epoch, id])
        try recordVersion(
            db, itemType: record.rawValue, itemID: id, before: versionBefore, after: try auditedRow(db, record, id: id),
            author: authorName, organisationID: nil, now: now)
        try planSeriesNotifications(
            db, kind: kind, id: id, change: .updated, authorName: authorName, instance: instance, publicURL: publicURL,
            now: now)
        return .saved
    }

    /// The occurrences of an absence from `first` through `last` and its cancelled dates.
    public func absenceOccurrences(id: Int64, from first: LocalDate, through last: LocalDate) throws
        -> (occurrences: [Occurrence], cancelled: [LocalDate])
    {
        try writer.read { db in
            guard let absence = try Self.absence(db, id: id) else { return ([], []) }
            let exceptions = try Self.exceptions(db, column: "absence_id", ids: [id])[id] ?? []
            return (
                absence.occurrences(from: first, through: last, exceptions: exceptions),
                exceptions.filter { $0.cancelled && $0.date >= first && $0.date <= last }.map(\.date).sorted()
            )
        }
    }

    /// The occurrences of a period from `first` through `last`, exceptions applied (moved ones
    /// at their new place), and the cancelled original dates.
    public func openingPeriodOccurrences(id: Int64, from first: LocalDate, through last: LocalDate) throws
        -> (occurrences: [Occurrence], cancelled: [LocalDate])
    {
        try writer.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT *, NULL AS end_day FROM opening_periods WHERE id = ?", arguments: [id]),
                let pattern = Self.pattern(row)
            else { return ([], []) }
            let exceptions = try Self.exceptions(db, column: "opening_period_id", ids: [id])[id] ?? []
            return (
                pattern.occurrences(from: first, through: last, exceptions: exceptions),
                exceptions.filter { $0.cancelled && $0.date >= first && $0.date <= last }.map(\.date).sorted()
            )
        }
    }
}

/// The change asked for one occurrence.
public enum OccurrenceEdit: Sendable, Equatable {
    case cancel
    case move(day: LocalDate, start: TimeOfDay, end: TimeOfDay)
    case restore
}

extension AppDatabase {
    static let strandedAppointmentsPrefix = "Ces rendez-vous à venir ne seront plus dans une plage d'ouverture"

    /// domain.md §7 (series edits): the agent's upcoming appointments in the organisation, over
    /// the six-month horizon, that sat inside an occurrence of the period before the change and
    /// sit in none of its occurrences after it, nor in another of the agent's periods. They stay
    /// booked; the agent is told (a benign warning listing them).
    static func strandedAppointmentWarnings(
        _ db: Database, before: OpeningPeriod, after: OpeningPeriod, exceptions: [OccurrenceException],
        exceptionsAfter: [OccurrenceException]? = nil, others: [OpeningPeriod],
        otherExceptions: [Int64: [OccurrenceException]], today: LocalDate, now: Date
    ) throws -> [ValidationIssue] {
        let zone = try organisationTimeZone(db, organisationID: before.organisationID)
        let last = today.adding(days: 183) ?? today
        func intervals(_ period: OpeningPeriod, _ exceptions: [OccurrenceException]) -> [Range<Date>] {
            period.occurrences(from: today, through: last, exceptions: exceptions).compactMap { occurrence in
                guard let start = occurrence.day.instant(at: occurrence.startTime, in: zone),
                    let end = occurrence.endDay.instant(at: occurrence.endTime, in: zone), start < end
                else { return nil }
                return start..<end
            }
        }
        let old = intervals(before, exceptions)
        let new = intervals(after, exceptionsAfter ?? exceptions)
            + others.flatMap { intervals($0, $0.id.flatMap { otherExceptions[$0] } ?? []) }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT a.starts_at, a.ends_at, m.name AS motif_name FROM appointments a
                JOIN appointment_agents x ON x.appointment_id = a.id JOIN motifs m ON m.id = a.motif_id
                WHERE x.agent_id = ? AND a.organisation_id = ? AND a.starts_at >= ? AND a.starts_at < ?
                  AND a.status NOT IN ('excused', 'revoked') AND a.collectif = 0
                ORDER BY a.starts_at
                """,
            arguments: [
                before.agentID, before.organisationID, Int64(now.timeIntervalSince1970),
                Int64((last.instant(at: .endOfDay, in: zone) ?? now).timeIntervalSince1970),
            ])
        let stranded = rows.compactMap { row -> String? in
            let start = Date(timeIntervalSince1970: TimeInterval(row["starts_at"] as Int64))
            let end = Date(timeIntervalSince1970: TimeInterval(row["ends_at"] as Int64))
            func inside(_ ranges: [Range<Date>]) -> Bool { ranges.contains { $0.lowerBound <= start && end <= $0.upperBound } }
            guard inside(old), !inside(new) else { return nil }
            return "\(NotificationFormat.mailDate(start, in: zone)) (\(row["motif_name"] as String))"
        }
        guard !stranded.isEmpty else { return [] }
        return [.warning("base", "\(strandedAppointmentsPrefix) : " + stranded.joined(separator: " ; ") + ".")]
    }

    /// The agent's current periods other than `besides`, in every organisation, and the
    /// exceptions of those and of `besides`.
    static func otherPeriods(_ db: Database, agentID: Int64, besides id: Int64?) throws
        -> (periods: [OpeningPeriod], exceptions: [Int64: [OccurrenceException]])
    {
        let others = try Row.fetchAll(
            db, sql: "SELECT id, organisation_id FROM opening_periods WHERE agent_id = ? AND id IS NOT ? AND expired = 0",
            arguments: [agentID, id]
        ).compactMap { try openingPeriod(db, id: $0["id"], organisationID: $0["organisation_id"]) }
        let exceptions = try Self.exceptions(
            db, column: "opening_period_id", ids: others.compactMap(\.id) + (id.map { [$0] } ?? []))
        return (others, exceptions)
    }

    /// The same question for one occurrence cancelled or moved: the series before, and after with
    /// this date's exception replaced; the agent's other periods still count.
    static func strandedByOccurrenceChange(
        _ db: Database, period: OpeningPeriod, date: LocalDate, change: OccurrenceEdit, now: Date
    ) throws -> [ValidationIssue] {
        guard let id = period.id else { return [] }
        let replaced: OccurrenceException
        switch change {
        case .restore: return []
        case .cancel:
            replaced = OccurrenceException(seriesType: .openingPeriod, seriesID: id, date: date, cancelled: true)
        case .move(let day, let start, let end):
            replaced = OccurrenceException(
                seriesType: .openingPeriod, seriesID: id, date: date, cancelled: false, day: day, startTime: start,
                endTime: end)
        }
        let (others, exceptions) = try otherPeriods(db, agentID: period.agentID, besides: id)
        let current = exceptions[id] ?? []
        let zone = try organisationTimeZone(db, organisationID: period.organisationID)
        return try strandedAppointmentWarnings(
            db, before: period, after: period, exceptions: current,
            exceptionsAfter: current.filter { $0.date != date } + [replaced], others: others,
            otherExceptions: exceptions, today: LocalDate(now, in: zone), now: now)
    }
}

extension AppDatabase {
    /// domain.md §7b: after a change of the first day or of the repetition, the exceptions whose
    /// date is no longer a regular occurrence of the series (nil when there are none to check).
    static func orphanedExceptions(_ exceptions: [OccurrenceException], of pattern: SeriesPattern) -> [OccurrenceException]? {
        guard !exceptions.isEmpty else { return nil }
        return exceptions.filter { pattern.recurrence == nil || !pattern.isRegularOccurrence($0.date) }
    }

    static func orphanedExceptionsWarning(_ count: Int) -> String {
        count == 1
            ? "Une occurrence modifiée ou annulée ne fait plus partie de la série : elle sera supprimée."
            : "\(count) occurrences modifiées ou annulées ne font plus partie de la série : elles seront supprimées."
    }

    /// Deleted with the series change, so that a later change that brings the date back does
    /// not bring an old cancellation back with it.
    static func deleteOrphanedExceptions(_ db: Database, column: String, id: Int64, pattern: SeriesPattern) throws {
        let exceptions = try Self.exceptions(db, column: column, ids: [id])[id] ?? []
        for orphan in orphanedExceptions(exceptions, of: pattern) ?? [] {
            try db.execute(sql: "DELETE FROM occurrence_exceptions WHERE id = ?", arguments: [orphan.id])
        }
    }
}
