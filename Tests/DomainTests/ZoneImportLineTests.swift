import Testing

@testable import Domain

/// admin.md §5: the rows of a zones file, whatever wrote it.
@Suite("Zone import lines")
struct ZoneImportLineTests {
    @Test func aCityCodeStoredAsANumberGetsItsLeadingZeroBack() throws {
        let lines = try ZoneImportLine.lines(
            header: ["City_Code", "sector_id", "city_name"],
            rows: [
                (2, ["1001", "ain", "L'Abergement-Clémenciat"]), (3, ["01004", "ain", "Ambérieu-en-Bugey"]),
                (4, ["2A004", "corse", "Ajaccio"]), (5, ["101", "x", "Trop court"]),
            ]
        ).get()
        #expect(lines.map(\.cityCode) == ["01001", "01004", "2A004", "101"])
        #expect(lines.map(\.sectorHumanID) == ["ain", "ain", "corse", "x"])
    }

    @Test func aMissingRequiredColumnIsNamed() {
        #expect(
            throws: ZoneImportLine.MissingColumns(names: ["city_code"]),
            performing: { try ZoneImportLine.lines(header: ["sector_id", "city_name"], rows: []).get() })
    }
}
