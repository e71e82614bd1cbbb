import Foundation

/// Subject and body of the opening-period and absence e-mails (notifications.md §8).
struct SeriesMailText {
    var series: NotifiedSeries
    var change: SeriesChange
    var settings: NotificationSettings

    /// « Plage d'ouverture » / « Indisponibilité »: both feminine, so one past participle fits.
    private var noun: String { series.kind == .openingPeriod ? "Plage d'ouverture" : "Indisponibilité" }

    private var participle: String {
        switch change {
        case .created: "créée"
        case .updated: "modifiée"
        case .destroyed: "supprimée"
        }
    }

    /// « <product name> - Plage d'ouverture créée - <title> ».
    var subject: String { "\(settings.productName) - \(noun) \(participle) - \(series.title)" }

    /// The record's page for agents; none once it is deleted. Opening periods live in their
    /// organisation; an absence without one has no page link.
    var link: String? {
        guard change != .destroyed, let organisationID = series.organisationID else { return nil }
        return series.kind == .openingPeriod
            ? settings.links.openingPeriod(organisationID: organisationID, id: series.id)
            : settings.links.absence(organisationID: organisationID, id: series.id)
    }

    func body(authorName: String?) -> MailBody {
        let article = series.kind == .openingPeriod ? "Votre plage d'ouverture" : "Votre indisponibilité"
        let by = authorName.map { " par \($0)" } ?? ""
        var blocks: [MailBody.Block] = [
            .paragraph("\(article) « \(series.title) » a été \(participle)\(by)."), .recap(rows),
        ]
        if let link { blocks.append(.button(label: "Voir sur \(settings.productName)", url: link)) }
        return MailBody(blocks: blocks, productName: settings.productName)
    }

    /// Dates, hours, recurrence and place.
    var rows: [MailBody.Row] {
        let pattern = series.pattern
        var rows: [MailBody.Row]
        if pattern.endDay > pattern.firstDay {
            rows = [
                MailBody.Row(
                    label: "Du", value: "\(NotificationFormat.mailDay(pattern.firstDay)) à \(hour(pattern.startTime))"),
                MailBody.Row(
                    label: "Au", value: "\(NotificationFormat.mailDay(pattern.endDay)) à \(hour(pattern.endTime))"),
            ]
        } else {
            rows = [
                MailBody.Row(
                    label: pattern.recurrence == nil ? "Date" : "Premier jour",
                    value: NotificationFormat.mailDay(pattern.firstDay)),
                MailBody.Row(label: "Horaires", value: "de \(hour(pattern.startTime)) à \(hour(pattern.endTime))"),
            ]
        }
        if let recurrence = pattern.recurrence {
            rows.append(MailBody.Row(label: "Récurrence", value: Self.describe(recurrence, firstDay: pattern.firstDay)))
        }
        if let place = series.place { rows.append(MailBody.Row(label: "Lieu", value: place.fullName)) }
        return rows
    }

    private func hour(_ time: TimeOfDay) -> String { time.frenchDescription }

    /// « Toutes les semaines, le lundi et le jeudi », « Tous les 2 mois, le 3e mercredi »,
    /// « Tous les mois, le 18 », then « , jusqu'au mardi 31 décembre 2024 » when it ends.
    static func describe(_ recurrence: Recurrence, firstDay: LocalDate) -> String {
        let start = recurrence.starts ?? firstDay
        var text: String
        switch recurrence {
        case .weekly(let weekly):
            let days = (weekly.weekdays.isEmpty ? [start.weekday] : Set(weekly.weekdays).sorted())
                .map { "le " + (NotificationFormat.weekdayNames[$0] ?? "") }
            let every = weekly.interval == 1 ? "Toutes les semaines" : "Toutes les \(weekly.interval) semaines"
            text = "\(every), \(NotificationFormat.frenchList(days))"
        case .monthly(let monthly):
            let every = monthly.interval == 1 ? "Tous les mois" : "Tous les \(monthly.interval) mois"
            if let day = monthly.day {
                let rank = day.ordinal == 1 ? "1er" : "\(day.ordinal)e"
                text = "\(every), le \(rank) \(NotificationFormat.weekdayNames[day.weekday] ?? "")"
            } else {
                text = "\(every), le \(NotificationFormat.ordinal(start.day))"
            }
        }
        if let until = recurrence.until { text += ", jusqu'au \(NotificationFormat.mailDay(until))" }
        return text
    }
}

extension Recurrence {
    /// The plain-language summary the agents' e-mails and the opening-period pages show:
    /// « Toutes les 2 semaines, le lundi et le jeudi, jusqu'au jeudi 31 décembre 2026 ».
    public func frenchSummary(firstDay: LocalDate) -> String { SeriesMailText.describe(self, firstDay: firstDay) }
}
