import Domain
import Foundation
import HTTP
import Persistence

/// « Modifier cette occurrence », « Annuler cette occurrence » and « Rétablir » (domain.md §7b)
/// for any series: the controller gives the series (found and authorised) and how to change it.
/// The occurrence is named by its regular date (`date`, in the query or the form).
struct OccurrenceActions: Sendable {
    let responses: PageResponses
    let sessions: SessionLoader

    struct Series {
        let title: String
        let pattern: SeriesPattern
        /// The series' page, where every action lands.
        let page: SiteURL
        /// The occurrence's form and actions.
        let occurrence: SiteURL
        /// The occurrence as it stands (moved or not), nil when cancelled.
        let current: (LocalDate) throws -> Occurrence?
        /// The change, saved despite benign warnings when the flag says so.
        let change: (LocalDate, OccurrenceEdit, _ confirmWarnings: Bool) throws -> OccurrenceChange
    }

    func edit(_ exchange: inout Exchange, _ agent: AgentContext, _ series: Series) throws -> HTTPResponse {
        let date = try Self.date(exchange.query["date"], of: series.pattern)
        let current = try series.current(date)
        return try responses.page(
            form(series, date, day: (current?.day ?? date).description,
                start: (current?.startTime ?? series.pattern.startTime).description,
                end: (current?.endTime ?? series.pattern.endTime).description),
            layout: agent.layout(exchange))
    }

    func move(_ exchange: inout Exchange, _ agent: AgentContext, _ series: Series) throws -> HTTPResponse {
        let date = try Self.date(exchange.form["date"], of: series.pattern)
        let (dayText, startText, endText) = (
            exchange.form["day"] ?? "", exchange.form["start_time"] ?? "", exchange.form["end_time"] ?? ""
        )
        var errors: [String: String] = [:]
        var warnings: [String] = []
        let day = FormValue.day(dayText)
        if day == nil { errors["day"] = "Saisissez une date, par exemple 14/12/2026." }
        let start = FormValue.time(startText)
        if start == nil { errors["start_time"] = "Saisissez une heure, par exemple 09:00." }
        let end = FormValue.time(endText)
        if end == nil { errors["end_time"] = "Saisissez une heure, par exemple 12:00." }
        if errors.isEmpty, let day, let start, let end {
            switch try series.change(
                date, .move(day: day, start: start, end: end), exchange.form["ignore_benign_errors"] == "1")
            {
            case .saved:
                sessions.setFlash(.occurrenceMoved, &exchange)
                return responses.redirect(series.page)
            case .notAnOccurrence: throw WebError.noAccess
            case .refused(let issues):
                errors = fieldErrors(issues, labels: ["end_time": "Heure de fin"])
                if errors.isEmpty { warnings = issues.warnings.map(\.message) }
            }
        }
        var layout = agent.layout(exchange)
        layout.hasErrors = !errors.isEmpty
        return try responses.page(
            form(series, date, day: dayText, start: startText, end: endText, errors: errors, moveWarnings: warnings),
            layout: layout, status: HTTPStatus(422))
    }

    /// « Annuler cette occurrence »; when it leaves upcoming appointments outside every period,
    /// the occurrence's page asks for confirmation first (« Annuler quand même »).
    func cancel(_ exchange: inout Exchange, _ agent: AgentContext, _ series: Series) throws -> HTTPResponse {
        let date = try Self.date(exchange.form["date"], of: series.pattern)
        switch try series.change(date, .cancel, exchange.form["ignore_benign_errors"] == "1") {
        case .saved:
            sessions.setFlash(.occurrenceCancelled, &exchange)
            return responses.redirect(series.page)
        case .notAnOccurrence: throw WebError.noAccess
        case .refused(let issues):
            let current = try series.current(date)
            return try responses.page(
                form(
                    series, date, day: (current?.day ?? date).description,
                    start: (current?.startTime ?? series.pattern.startTime).description,
                    end: (current?.endTime ?? series.pattern.endTime).description,
                    cancelWarnings: issues.map(\.message)),
                layout: agent.layout(exchange), status: HTTPStatus(422))
        }
    }

    func restore(_ exchange: inout Exchange, _ series: Series) throws -> HTTPResponse {
        let date = try Self.date(exchange.form["date"], of: series.pattern)
        guard try series.change(date, .restore, false) == .saved else { throw WebError.noAccess }
        sessions.setFlash(.occurrenceRestored, &exchange)
        return responses.redirect(series.page)
    }

    private func form(
        _ series: Series, _ date: LocalDate, day: String, start: String, end: String, errors: [String: String] = [:],
        moveWarnings: [String] = [], cancelWarnings: [String] = []
    ) -> OccurrenceFormPage {
        OccurrenceFormPage.load(
            title: series.title, date: date, formPath: series.occurrence.path, cancelPath: series.page.path, day: day,
            start: start, end: end, errors: errors, moveWarnings: moveWarnings, cancelWarnings: cancelWarnings)
    }

    /// A regular occurrence date of a recurring series, else 404.
    static func date(_ text: String?, of pattern: SeriesPattern) throws -> LocalDate {
        guard pattern.recurrence != nil, pattern.endDay == pattern.firstDay, let date = text.flatMap(LocalDate.init),
            pattern.isRegularOccurrence(date)
        else { throw WebError.noAccess }
        return date
    }
}
