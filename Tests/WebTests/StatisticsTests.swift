import Domain
import Foundation
import GRDB
#if canImport(FoundationXML)
    import FoundationXML
#endif
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// « Statistiques » (admin.md §7) on `appointmentFixture`: testNow is Tuesday 2025-11-25
/// 10:00 Paris, so week 51 (the last) starts Monday 24 November; appointment 3 (Thursday 20th,
/// Alice) is the only past one; 1, 2 and 4 are later this week; the 12 December ones are
/// after the charts' weeks. `createdNow` dates their creation at testNow (the import stamps
/// the real time).
@Suite("Statistics", .serialized)
struct StatisticsTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let pmi = "PMI (Protection Maternelle Infantile)"

    /// A browser signed in as `email` (or anonymous), with the clock it shares with the app.
    func withStatistics(
        as email: String? = nil, _ body: (Browser, AppDatabase, ManualClock) throws -> Void
    ) throws {
        let (db, directory) = try makeWebDatabase(fixture: appointmentFixture)
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualClock(testNow)
        let browser = Browser(app: try makeWebApplication(db, clock: clock))
        if let email {
            let csrf = try #require(Browser.token(in: try browser.request("GET", "/agents/sign_in").text))
            let signedIn = try browser.request(
                "POST", "/agents/sign_in",
                form: [("authenticity_token", csrf), ("email", email), ("password", "un mot de passe long")])
            #expect(signedIn.status == 303)
        }
        try body(browser, db, clock)
    }

    static func receipt(_ db: AppDatabase, at instant: Date, channel: String = "sms", result: String = "delivered") throws {
        try db.writer.write {
            try $0.execute(
                sql: """
                    INSERT INTO receipts (appointment_id, organisation_id, territory_id, event, channel, result, sms_provider, created_at, updated_at)
                    VALUES (1, 1, 1, 'rdv_created', ?, ?, ?, ?, ?)
                    """,
                arguments: [channel, result, channel == "sms" ? "dev" : nil, Int64(instant.timeIntervalSince1970), Int64(instant.timeIntervalSince1970)])
        }
    }

    static func createdNow(_ db: AppDatabase) throws {
        try db.writer.write {
            try $0.execute(sql: "UPDATE appointments SET created_at = ?", arguments: [Int64(testNow.timeIntervalSince1970)])
        }
    }

    static func week(_ count: Int, at index: Int) -> [Int] {
        var values = Array(repeating: 0, count: StatisticsCalendar.weekCount)
        values[index] = count
        return values
    }

    @Test func theReportCountsEachChartByItsPeriods() throws {
        try withStatistics { _, db, _ in
            try Self.createdNow(db)
            try db.writer.write {
                try $0.execute(sql: "UPDATE appointments SET status = 'seen' WHERE id = 3")
            }
            try Self.receipt(db, at: testNow)
            try Self.receipt(db, at: testNow.addingTimeInterval(-86400), channel: "mail", result: "failure")
            let report = try db.statistics(.organisation(id: 1), now: testNow, zone: Self.paris)
            #expect(report.calendar.weeks.last == LocalDate("2025-11-24"))
            #expect(report.calendar.weeks.first == LocalDate("2024-12-02"))
            #expect(report.calendar.months.first == LocalDate("2024-12-01"))
            #expect(report.calendar.days.first == LocalDate("2025-10-27"))
            #expect(report.appointmentsCount == 16)
            #expect(report.usersCount == 3)
            #expect(report.agentsCount == 3)
            #expect(report.organisationsCount == nil)
            #expect(report.noShowRate == 0)
            #expect(report.createdByOrigin == ["Agent": Self.week(16, at: 51)])
            var publicOffice = Self.week(3, at: 51)
            publicOffice[50] = 1
            #expect(report.byLocationType == ["public_office": publicOffice])
            var pmi = Self.week(2, at: 51)
            pmi[50] = 1
            #expect(report.byService == [Self.pmi: pmi, "Service social": Self.week(1, at: 51)])
            #expect(report.byTerritory == nil)
            #expect(report.appointmentStatuses == ["seen": Self.week(1, at: 50)])
            #expect(report.participationStatuses == ["unknown": Self.week(1, at: 50)])
            #expect(report.activeAgents == Array(repeating: 0, count: 11) + [1])
            var sms = Array(repeating: 0, count: StatisticsCalendar.dayCount)
            sms[29] = 1
            var mail = Array(repeating: 0, count: StatisticsCalendar.dayCount)
            mail[28] = 1
            #expect(report.notificationsByChannel == ["sms": sms, "mail": mail])
            #expect(report.notificationsByResult == ["delivered": sms, "failure": mail])
            #expect(report.notificationsByEvent == ["rdv_created": zip(sms, mail).map { $0 + $1 }])

            // One agent: Alice's appointments are 1 and 3; Bruno's 2 and the 12 December ones.
            let alice = try db.statistics(.agent(id: 1), now: testNow, zone: Self.paris)
            #expect(alice.appointmentsCount == 2)
            #expect(alice.usersCount == 1)
            #expect(alice.agentsCount == nil)
            var alicePublicOffice = Self.week(1, at: 51)
            alicePublicOffice[50] = 1
            #expect(alice.byLocationType == ["public_office": alicePublicOffice])
            let everything = try db.statistics(.everything, now: testNow, zone: Self.paris)
            #expect(everything.organisationsCount == 2)
            #expect(everything.byTerritory == ["Pas-de-Calais": publicOffice])
        }
    }

    /// Local weeks, not UTC ones: Monday 30 June 2025 00:30 in Paris is Sunday 22:30 UTC, and
    /// Monday 27 October 00:30 (after the switch to winter time) is Sunday 23:30 UTC.
    @Test func instantsFallInTheirLocalWeekAcrossDaylightSavingTime() throws {
        let calendar = StatisticsCalendar(now: testNow, zone: Self.paris)
        func week(_ iso: String) throws -> Int? {
            calendar.weekBuckets.index(Int64(try #require(ISO8601DateFormatter().date(from: iso)).timeIntervalSince1970))
        }
        let summer = try #require(calendar.weeks.firstIndex(of: LocalDate("2025-06-30")!))
        let winter = try #require(calendar.weeks.firstIndex(of: LocalDate("2025-10-27")!))
        #expect(try week("2025-06-29T22:30:00Z") == summer)
        #expect(try week("2025-06-29T21:30:00Z") == summer - 1)
        #expect(try week("2025-10-26T23:30:00Z") == winter)
        #expect(try week("2025-10-26T22:30:00Z") == winter - 1)
        #expect(try week("2025-11-24T09:00:00Z") == 51)
    }

    /// Each chart is an SVG with one group per series and its axis labels, parsed as XML.
    @Test func theTerritoryPageDrawsEveryChartWithItsTable() throws {
        try withStatistics { browser, db, _ in
            try Self.createdNow(db)
            try Self.receipt(db, at: testNow)
            let page = try browser.request("GET", "/stats/62")
            #expect(page.status == 200)
            let charts = try Self.charts(in: page.text)
            #expect(
                charts.map(\.title) == [
                    "RDV créés par semaine, selon leur origine", "RDV par semaine, selon le type de lieu",
                    "RDV par semaine, selon le service", "Statut des RDV passés, par semaine (en %)",
                    "Statut des participations aux RDV passés, par semaine (en %)", "Agents actifs par mois",
                    "Notifications par jour, selon le canal", "Notifications par jour, selon l'événement",
                    "Notifications par jour, selon le résultat",
                ])
            let origin = try #require(charts.first)
            #expect(origin.series == ["Agent", "RDV pris sur internet", "File d'attente", "Prescripteur"])
            #expect(origin.bars == ["Agent": 1])
            #expect(origin.texts.prefix(5) == ["0", "5", "10", "15", "20"])
            #expect(origin.texts.suffix(1) == ["24 nov."])
            let statuses = charts[3]
            #expect(
                statuses.series == [
                    "Rendez-vous honoré", "Absence non excusée", "Annulé (excusé)", "Annulé (par le service)", "À renseigner",
                ])
            #expect(statuses.texts.prefix(5) == ["0 %", "25 %", "50 %", "75 %", "100 %"])
            #expect(charts[5].series == ["Agents ayant eu au moins un RDV passé dans le mois"])
            #expect(charts[5].texts.suffix(2) == ["oct. 25", "nov. 25"])
            // The data tables say the same in figures.
            let lastWeek = #"<tr><th scope="row">semaine du 24 novembre 2025</th><td>16</td><td>0</td><td>0</td><td>0</td><td>16</td></tr>"#
            #expect(page.text.contains(lastWeek))
            let counter = #"<span class="rdv-counters__value">16</span> <span class="rdv-counters__label">RDV</span>"#
            #expect(page.text.contains(counter))
            try GoldenPageTests.expectGolden("stats-territory", page.text)

            let unknown = try browser.request("GET", "/stats/99")
            #expect(unknown.status == 404)
            let national = try Self.charts(in: try browser.request("GET", "/stats").text)
            #expect(national.map(\.title).contains("RDV par semaine, selon le territoire"))
        }
    }

    /// admin.md §7: figures are cached 24 hours (by the injected clock).
    @Test func figuresAreCachedForADay() throws {
        try withStatistics { browser, db, clock in
            let counter = "<span class=\"rdv-counters__value\">16</span> <span class=\"rdv-counters__label\">RDV</span>"
            let first = try browser.request("GET", "/stats/62").text
            #expect(first.contains(counter))
            try db.writer.write { try $0.execute(sql: "DELETE FROM appointments WHERE id = 16") }
            clock.advance(by: 23 * 3600)
            let cached = try browser.request("GET", "/stats/62").text
            #expect(cached.contains(counter))
            clock.advance(by: 3600)
            let fresh = try browser.request("GET", "/stats/62").text
            #expect(fresh.contains("<span class=\"rdv-counters__value\">15</span> <span class=\"rdv-counters__label\">RDV</span>"))
        }
    }

    /// permissions.md §2: organisation stats for its admins; agent stats for the agent and the
    /// admins of its organisations; other members refused, non-members told it is absent.
    @Test(arguments: [
        ("alice@example.fr", "/admin/organisations/1/stats", 200),
        ("bruno@example.fr", "/admin/organisations/1/stats", 403),
        ("denis@example.fr", "/admin/organisations/1/stats", 404),
        ("bruno@example.fr", "/admin/organisations/1/agents/2/stats", 200),
        ("alice@example.fr", "/admin/organisations/1/agents/2/stats", 200),
        ("bruno@example.fr", "/admin/organisations/1/agents/1/stats", 403),
        ("denis@example.fr", "/admin/organisations/2/agents/2/stats", 404),
        ("denis@example.fr", "/admin/organisations/1/agents/4/stats", 404),
    ])
    func statisticsFollowThePolicies(email: String, path: String, status: Int) throws {
        let heading: String
        switch (path.contains("/agents/"), email) {
        case (false, _): heading = "<h1 class=\"fr-h3\">Statistiques de MDS Arras</h1>"
        case (true, "bruno@example.fr"): heading = "<h1 class=\"fr-h3\">Mes statistiques</h1>"
        case (true, _): heading = "<h1 class=\"fr-h3\">Statistiques de Bruno PETIT</h1>"
        }
        try withStatistics(as: email) { browser, _, _ in
            let response = try browser.request("GET", path)
            #expect(response.status == status)
            if status == 200 { #expect(response.text.contains(heading)) }
        }
    }

    @Test func anonymousVisitorsAreSentToSignInForOrganisationStatistics() throws {
        try withStatistics { browser, _, _ in
            let response = try browser.request("GET", "/admin/organisations/1/stats")
            #expect(response.status == 303)
        }
    }

    struct Chart {
        var title = ""
        var series: [String] = []
        var bars: [String: Int] = [:]
        var texts: [String] = []
    }

    /// Each `<section class="rdv-chart">`'s title and its SVG, parsed by Foundation's XMLParser
    /// (so the SVG must be well-formed XML).
    static func charts(in html: String) throws -> [Chart] {
        var charts: [Chart] = []
        for section in html.components(separatedBy: "<section class=\"rdv-chart").dropFirst() {
            var chart = Chart()
            if let heading = section.range(of: "<h2 "), let start = section.range(of: ">", range: heading.upperBound..<section.endIndex),
                let end = section.range(of: "</h2>", range: start.upperBound..<section.endIndex)
            {
                chart.title = String(section[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&#39;", with: "'")
            }
            if let start = section.range(of: "<svg class=\"rdv-chart__svg\""), let end = section.range(of: "</svg>") {
                let reader = SVGReader()
                let parser = XMLParser(data: Data(section[start.lowerBound..<end.upperBound].utf8))
                parser.delegate = reader
                #expect(parser.parse(), "\(chart.title): \(parser.parserError.map { "\($0)" } ?? "")")
                chart.series = reader.series
                chart.bars = reader.bars
                chart.texts = reader.texts
            }
            charts.append(chart)
        }
        return charts
    }

    final class SVGReader: NSObject, XMLParserDelegate {
        var series: [String] = []
        var bars: [String: Int] = [:]
        var texts: [String] = []
        private var current: String?
        private var text: String?

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if name == "g", let label = attributes["data-series"] {
                series.append(label)
                current = label
            }
            if name == "rect", let current { bars[current, default: 0] += 1 }
            if name == "text" { text = "" }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text? += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "g" { current = nil }
            if name == "text", let text {
                texts.append(text)
                self.text = nil
            }
        }
    }
}
