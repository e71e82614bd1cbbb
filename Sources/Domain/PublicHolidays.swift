import Foundation

/// The public holidays of a territory (slots.md §3): computed for any year, never hard-coded.
/// The same set blocks opening periods (slots.md §3) and moves reminders (notifications.md §4).
public enum PublicHolidays {
    /// Every holiday of `year` in the territory of `departementNumber` (slots.md §3 table).
    /// `whitMondayIsHoliday` is the territory's `whit_monday_is_holiday` setting (off by default:
    /// Whit Monday is usually the journée de solidarité, a working day).
    public static func dates(year: Int, departementNumber: String?, whitMondayIsHoliday: Bool) -> Set<LocalDate> {
        Set(named(year: year, departementNumber: departementNumber, whitMondayIsHoliday: whitMondayIsHoliday).map(\.date))
    }

    /// The same holidays with their French names, by date (« Espace admin » preview, admin.md §3).
    public static func named(year: Int, departementNumber: String?, whitMondayIsHoliday: Bool)
        -> [(date: LocalDate, name: String)]
    {
        guard (1...9999).contains(year) else { return [] }
        let departement = departementNumber?.trimmingCharacters(in: .whitespaces)
        var holidays = fixedNationalDays.map { (LocalDate(uncheckedYear: year, month: $0.month, day: $0.day), $0.name) }
        let easter = easterSunday(year: year)
        var easterOffsets = [(1, "Lundi de Pâques"), (39, "Ascension")]
        if whitMondayIsHoliday { easterOffsets.append((50, "Lundi de Pentecôte")) }
        if let departement, alsaceMoselle.contains(departement) {
            easterOffsets.append((-2, "Vendredi saint"))
            holidays.append((LocalDate(uncheckedYear: year, month: 12, day: 26), "Saint-Étienne"))
        }
        for (offset, name) in easterOffsets {
            if let date = easter.adding(days: offset) { holidays.append((date, name)) }
        }
        if let departement, let abolition = abolitionOfSlavery[departement] {
            holidays.append(
                (LocalDate(uncheckedYear: year, month: abolition.month, day: abolition.day), "Abolition de l'esclavage"))
        }
        return holidays.sorted { $0.0 < $1.0 }.map { (date: $0.0, name: $0.1) }
    }

    /// Whether `date` is a holiday of the territory (slots.md §3).
    public static func isHoliday(_ date: LocalDate, departementNumber: String?, whitMondayIsHoliday: Bool) -> Bool {
        dates(year: date.year, departementNumber: departementNumber, whitMondayIsHoliday: whitMondayIsHoliday)
            .contains(date)
    }

    /// Easter Sunday of the Gregorian calendar, by the anonymous Gregorian computus
    /// (Meeus/Jones/Butcher), as slots.md §3 asks. Valid for every year the calendar covers.
    public static func easterSunday(year: Int) -> LocalDate {
        let a = year % 19  // position in the 19-year Metonic cycle
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30  // epact-related: days from 21 March to the full moon
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7  // days from the full moon to the next Sunday
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return LocalDate(uncheckedYear: year, month: month, day: day)
    }

    /// Holidays on a fixed date everywhere (slots.md §3): Jour de l'an, Fête du Travail,
    /// Victoire 1945, Fête nationale, Assomption, Toussaint, Armistice, Noël.
    static let fixedNationalDays: [(month: Int, day: Int, name: String)] = [
        (1, 1, "Jour de l'an"), (5, 1, "Fête du Travail"), (5, 8, "Victoire 1945"), (7, 14, "Fête nationale"),
        (8, 15, "Assomption"), (11, 1, "Toussaint"), (11, 11, "Armistice 1918"), (12, 25, "Noël"),
    ]

    /// Moselle, Bas-Rhin and Haut-Rhin keep Vendredi saint and Saint-Étienne (slots.md §3).
    static let alsaceMoselle: Set<String> = ["57", "67", "68"]

    /// Abolition de l'esclavage, one day per overseas département (slots.md §3).
    static let abolitionOfSlavery: [String: (month: Int, day: Int)] = [
        "971": (5, 27),  // Guadeloupe
        "972": (5, 22),  // Martinique
        "973": (6, 10),  // Guyane
        "974": (12, 20),  // La Réunion
        "976": (4, 27),  // Mayotte
    ]
}
