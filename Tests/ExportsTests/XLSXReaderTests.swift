import DatabaseTestSupport
import Foundation
import Testing

@testable import Spreadsheet

/// The zone import's XLSX reader (admin.md §5: the first sheet of a workbook).
@Suite("XLSX reader")
struct XLSXReaderTests {
    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("rdv-xlsx-\(UUID().uuidString)-\(name)").path
    }

    /// A workbook as a spreadsheet program writes it (openpyxl): shared strings, a city code
    /// typed as a number, an empty row, an entity in a string, a second sheet left out.
    @Test func theFirstSheetOfAWorkbookIsReadAsRowsOfText() throws {
        let path = Self.temporary("zones.xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let python = TemplateDatabase.packageRoot.appendingPathComponent(".venv/bin/python").path
        try #require(FileManager.default.isExecutableFile(atPath: python), "make .venv/bin/python (openpyxl) first")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            TemplateDatabase.packageRoot.appendingPathComponent("Tests/ExportsTests/Fixtures/write_zones_xlsx.py").path, path,
        ]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let rows = try XLSXReader.rows(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(rows.map(\.line) == [1, 2, 3, 5])
        #expect(
            rows.map(\.fields) == [
                ["sector_id", "city_name", "city_code", "street_name", "street_code"],
                ["arras", "Arras", "62041"],
                ["arras", "Arras", "62041", "Rue de la Paix", "0420"],
                ["lens", "Lens", "62498", "Rue d'Arras & Co", "62498_0100"],
            ])
    }

    /// Our own writer's inline strings read back.
    @Test func ourExportsReadBack() throws {
        let path = Self.temporary("export.xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try XLSXWriter(
            path: path, sheetName: "RDV", columnWidths: [], modified: Date(timeIntervalSince1970: 1_764_061_200), timeZone: .gmt)
        try writer.appendHeader(["a", "b", "c"])
        try writer.append([.text("<é>"), .number(42), .empty])
        try writer.append([.empty, .text("x")])
        try writer.finish()
        let rows = try XLSXReader.rows(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(rows.map(\.fields) == [["a", "b", "c"], ["<é>", "42"], ["", "x"]])
    }

    @Test(arguments: [Array("pas un classeur".utf8), [0x50, 0x4B, 0x03, 0x04, 0, 0]])
    func aBrokenFileIsRefusedWithAMessage(bytes: [UInt8]) {
        #expect(throws: CSVReader.Failure.self) { try XLSXReader.rows(bytes) }
    }
}
