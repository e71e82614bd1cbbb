import Domain
import Foundation

/// The « Répétition » part of the opening-period and absence forms: « Une seule fois »,
/// « Chaque semaine » (every n weeks on weekdays) or « Chaque mois » (every n months on the k-th
/// weekday or the day of month of the first day), until a date; written in the slots.md §2
/// format. The raw values are kept as typed.
public struct RepetitionFields: Sendable, Equatable {
    /// `none`, `week` or `month`.
    public var every = "none"
    public var interval = "1"
    public var weekdays: [String] = []
    /// `weekday` (« le 2e mardi ») or `day` (« le 18 »).
    public var monthlyBy = "weekday"
    public var until = ""

    public init() {}

    init(form: FormData) {
        every = form["every"] ?? "none"
        interval = (form["interval"] ?? "1").trimmingCharacters(in: .whitespaces)
        weekdays = form.values("on[]")
        monthlyBy = form["monthly_by"] ?? "weekday"
        until = form["until"] ?? ""
    }

    init(_ recurrence: Recurrence?, firstDay: LocalDate) {
        switch recurrence {
        case nil: every = "none"
        case .weekly(let weekly):
            every = "week"
            interval = String(weekly.interval)
            weekdays = (weekly.weekdays.isEmpty ? [firstDay.weekday] : weekly.weekdays).map(\.rawValue)
            until = weekly.until?.description ?? ""
        case .monthly(let monthly):
            every = "month"
            interval = String(monthly.interval)
            monthlyBy = monthly.day == nil ? "day" : "weekday"
            until = monthly.until?.description ?? ""
        }
    }

    /// The recurrence, or the fields that cannot be read (`interval`, `on`, `until`).
    func recurrence(firstDay: LocalDate?) -> (Recurrence?, [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        let untilDay = until.isEmpty ? nil : FormValue.day(until)
        if !until.isEmpty && untilDay == nil {
            issues.append(.error("until", "Saisissez une date, par exemple 31/12/2026, ou laissez vide."))
        }
        let count = Int(interval)
        if every != "none", count == nil || count! < 1 || count! > 52 {
            issues.append(.error("interval", "Saisissez un nombre entier entre 1 et 52."))
        }
        let days = weekdays.compactMap(Weekday.init(rawValue:))
        if every == "week" && days.isEmpty {
            issues.append(.error("on", "Cochez au moins un jour de la semaine."))
        }
        guard issues.isEmpty, let firstDay else { return (nil, issues) }
        switch every {
        case "week": return (.weekly(.init(interval: count ?? 1, weekdays: days, until: untilDay)), [])
        case "month":
            let day = monthlyBy == "day" ? nil : Recurrence.NthWeekday(of: firstDay)
            return (.monthly(.init(interval: count ?? 1, day: day, until: untilDay)), [])
        default: return (nil, [])
        }
    }

    /// The controls, in order, with the errors found (`recurrence`, `interval`, `on`, `until`).
    struct Controls: Sendable, Equatable {
        let every: ChoiceGroup
        let intervalField: FormField
        let weekdays: ChoiceGroup
        let monthlyBy: ChoiceGroup
        let untilField: FormField
    }

    func controls(errors: [String: String]) -> Controls {
        Controls(
            every: ChoiceGroup(
                id: "every", name: "every", legend: "Répétition", hint: nil,
                options: [("none", "Une seule fois"), ("week", "Chaque semaine"), ("month", "Chaque mois")].map {
                    .init(id: "every-\($0.0)", value: $0.0, label: $0.1, isSelected: every == $0.0)
                }, error: errors["recurrence"]),
            intervalField: FormField(
                name: "interval", label: "Toutes les", type: "number", value: interval,
                hint: "1 : chaque semaine ou chaque mois ; 2 : une semaine (un mois) sur deux…", error: errors["interval"]),
            weekdays: ChoiceGroup(
                id: "on", name: "on[]", legend: "Jours (répétition chaque semaine)", hint: nil,
                options: Weekday.allCases.map {
                    .init(
                        id: "on-\($0.rawValue)", value: $0.rawValue,
                        label: (NotificationFormat.weekdayNames[$0] ?? $0.rawValue).capitalized,
                        isSelected: weekdays.contains($0.rawValue))
                }, error: errors["on"]),
            monthlyBy: ChoiceGroup(
                id: "monthly_by", name: "monthly_by", legend: "Jour (répétition chaque mois)", hint: nil,
                options: [
                    ("weekday", "Le même jour de la semaine que le premier jour (par exemple le 2e mardi)"),
                    ("day", "Le même quantième que le premier jour (par exemple le 18)"),
                ].map { .init(id: "monthly_by-\($0.0)", value: $0.0, label: $0.1, isSelected: monthlyBy == $0.0) },
                error: nil),
            untilField: FormField(
                name: "until", label: "Jusqu'au", type: "date", value: until, hint: "Vide : sans date de fin",
                error: errors["until"]))
    }
}

/// The French message by each field, the first per field. A domain predicate (« doit être
/// postérieure… ») gets its field's label in front; a lower-case clause (« une indisponibilité
/// sur plusieurs jours… ») becomes a sentence; sentences stay as they are.
func fieldErrors(_ issues: [ValidationIssue], labels: [String: String]) -> [String: String] {
    var errors: [String: String] = [:]
    for issue in issues.errors where errors[issue.field] == nil {
        let message = issue.message
        guard let first = message.first, first.isLowercase else {
            errors[issue.field] = message
            continue
        }
        let predicate = ["doit ", "ne ", "n'", "est "].contains { message.hasPrefix($0) }
        errors[issue.field] =
            predicate && issue.field != "base"
            ? "\(labels[issue.field] ?? issue.field) \(message)." : first.uppercased() + message.dropFirst() + "."
    }
    return errors
}

/// A date or a time typed in a form, within what the database and the calendar can hold: days
/// of years 2000…2100, times 00:00…23:59 (`TimeOfDay` also accepts 24:00, the end of a day,
/// which no stored start or end may be).
enum FormValue {
    static func day(_ text: String) -> LocalDate? {
        guard let day = LocalDate(text), (2000...2100).contains(day.year) else { return nil }
        return day
    }

    static func time(_ text: String) -> TimeOfDay? {
        guard let time = TimeOfDay(text), time.minutesSinceMidnight < 24 * 60 else { return nil }
        return time
    }
}
