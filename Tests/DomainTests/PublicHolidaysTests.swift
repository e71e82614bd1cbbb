import Domain
import Foundation
import Testing

@Suite("Public holidays (slots.md §3)")
struct PublicHolidaysTests {
    /// Easter 2026 is 5 April: Vendredi saint 3 April, Lundi de Pâques 6 April, Ascension 14 May,
    /// Lundi de Pentecôte 25 May.
    static let national2026 = [
        "2026-01-01", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-07-14", "2026-08-15",
        "2026-11-01", "2026-11-11", "2026-12-25",
    ]

    @Test(arguments: [
        (2024, "2024-03-31"),
        (2025, "2025-04-20"),
        (2026, "2026-04-05"),
        (2027, "2027-03-28"),
        (2019, "2019-04-21"),
        (2000, "2000-04-23"),
        (2008, "2008-03-23"),
        (2011, "2011-04-24"),
        (2038, "2038-04-25"),  // latest possible date
        (2285, "2285-03-22"),  // earliest possible date
        (1818, "1818-03-22"),
    ])
    func easterSundayFollowsTheGregorianComputus(year: Int, expected: String) {
        // When
        let easter = PublicHolidays.easterSunday(year: year)
        // Then
        #expect(easter == ymd(expected))
        #expect(easter.weekday == .sunday)
    }

    @Test(
        arguments: [
            ("62", [String]()),
            (nil, []),
            ("75", []),
            ("67", ["2026-04-03", "2026-12-26"]),  // Alsace-Moselle: Vendredi saint, Saint-Étienne
            ("68", ["2026-04-03", "2026-12-26"]),
            ("57", ["2026-04-03", "2026-12-26"]),
            ("971", ["2026-05-27"]),  // Abolition de l'esclavage, Guadeloupe
            ("972", ["2026-05-22"]),  // Martinique
            ("973", ["2026-06-10"]),  // Guyane
            ("974", ["2026-12-20"]),  // La Réunion
            ("976", ["2026-04-27"]),  // Mayotte
        ] as [(String?, [String])])
    func holidaySetIsTheNationalSetPlusTheTerritoryExtras(departement: String?, extras: [String]) {
        // Given a normal year with Whit Monday off (the default)
        let expected = Set((Self.national2026 + extras).map(ymd))
        // When
        let holidays = PublicHolidays.dates(year: 2026, departementNumber: departement, whitMondayIsHoliday: false)
        // Then
        #expect(holidays == expected)
    }

    @Test(arguments: [
        (2024, "2024-05-20"),
        (2025, "2025-06-09"),
        (2026, "2026-05-25"),
    ])
    func whitMondayIsAHolidayOnlyWhenTheTerritorySaysSo(year: Int, whitMonday: String) {
        // Given
        let date = ymd(whitMonday)
        // When
        let off = PublicHolidays.isHoliday(date, departementNumber: "62", whitMondayIsHoliday: false)
        let on = PublicHolidays.isHoliday(date, departementNumber: "62", whitMondayIsHoliday: true)
        let withFlag = PublicHolidays.dates(year: year, departementNumber: "62", whitMondayIsHoliday: true)
        let withoutFlag = PublicHolidays.dates(year: year, departementNumber: "62", whitMondayIsHoliday: false)
        // Then
        #expect(off == false)
        #expect(on == true)
        #expect(withFlag == withoutFlag.union([date]))
    }

    @Test(
        arguments: [
            ("2025-04-18", "67", true),  // Vendredi saint 2025 in Bas-Rhin
            ("2025-04-18", "62", false),
            ("2025-04-21", "62", true),  // Lundi de Pâques 2025
            ("2025-05-29", "62", true),  // Ascension 2025
            ("2025-12-26", "57", true),
            ("2025-12-26", "974", false),
            ("2027-12-20", "974", true),
            ("2027-12-20", "971", false),
            ("2025-04-20", "62", false),  // Easter Sunday itself is not in the set
            ("2025-06-08", "62", false),  // nor Pentecost Sunday
            ("2025-12-24", "67", false),
            ("2026-05-27", " 971", true),  // surrounding spaces are ignored, as for time zones
        ] as [(String, String?, Bool)])
    func isHolidayAnswersForOneDay(date: String, departement: String?, expected: Bool) {
        // When
        let result = PublicHolidays.isHoliday(ymd(date), departementNumber: departement, whitMondayIsHoliday: false)
        // Then
        #expect(result == expected)
    }

    @Test(arguments: [
        (2038, 13),  // late Easter: 11 national (Whit Monday on) + 2 Alsace-Moselle
        (2008, 12),  // early Easter: Ascension fell on 1 May, one date for two holidays
    ])
    func everyHolidayFallsInTheRequestedYear(year: Int, count: Int) {
        // When
        let holidays = PublicHolidays.dates(year: year, departementNumber: "67", whitMondayIsHoliday: true)
        // Then
        #expect(holidays.count == count)
        #expect(holidays.allSatisfy { $0.year == year })
    }
}
