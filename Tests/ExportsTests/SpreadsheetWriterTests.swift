import Foundation
import Testing

@testable import Spreadsheet

@Suite("Spreadsheet writers (XLSX, CSV)")
struct SpreadsheetWriterTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let modified = Date(timeIntervalSince1970: 1_764_061_200)

    /// Text that must survive both formats: accents, the separator, quotes, line breaks, XML
    /// specials, edge spaces, a control character (dropped in XLSX), a would-be formula.
    static let header = ["nom", "date", "heure", "nombre", "vide"]
    static let rows: [[SpreadsheetCell]] = [
        [.text("Élodie « Zoé » DURAND"), .date(year: 2026, month: 12, day: 7), .time(hour: 9, minute: 5), .number(2026), .empty],
        [.text("a;b \"c\"\nd"), .date(year: 2000, month: 2, day: 29), .time(hour: 23, minute: 59), .number(0), .empty],
        [.text("<b>&amp; x</b>"), .date(year: 1900, month: 3, day: 1), .time(hour: 0, minute: 0), .number(-3), .empty],
        [.text("  espaces  "), .date(year: 2099, month: 12, day: 31), .time(hour: 10, minute: 10), .number(7), .empty],
        [.text("=HYPERLINK(\"x\")"), .empty, .empty, .empty, .text("bip\u{07}")],
    ]

    private func temporaryFile(_ name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-sheet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }

    @Test("CSV: BOM, ';', CRLF, RFC 4180 quoting, French dates and times, formulas neutralised")
    func csvBytes() throws {
        let path = try temporaryFile("t.csv")
        let writer = try CSVWriter(path: path)
        try writer.appendHeader(Self.header)
        for row in Self.rows { try writer.append(row) }
        try writer.finish()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(
            text == "nom;date;heure;nombre;vide\r\n"
                + "Élodie « Zoé » DURAND;07/12/2026;09:05;2026;\r\n"
                + "\"a;b \"\"c\"\"\nd\";29/02/2000;23:59;0;\r\n"
                + "\"<b>&amp; x</b>\";01/03/1900;00:00;-3;\r\n"  // `&amp;` holds the separator
                + "  espaces  ;31/12/2099;10:10;7;\r\n"
                + "\"'=HYPERLINK(\"\"x\"\")\";;;;bip\u{07}\r\n")
        let read = try ReadSpreadsheet.read(path)
        #expect(read.bom == true)
        #expect(read.rows.count == 6)
        #expect(read.rows[2] == [.text("a;b \"c\"\nd"), .text("29/02/2000"), .text("23:59"), .text("0"), .null])
    }

    @Test("XLSX read back by openpyxl: every cell typed, bold header, date and time formats, sheet name")
    func xlsxReadBack() throws {
        let path = try temporaryFile("t.xlsx")
        let writer = try XLSXWriter(
            path: path, sheetName: "RDV", columnWidths: [20, 12, 8, 8, 8], modified: Self.modified,
            timeZone: Self.paris)
        try writer.appendHeader(Self.header)
        for row in Self.rows { try writer.append(row) }
        try writer.finish()
        let read = try ReadSpreadsheet.read(path)
        #expect(read.sheets == ["RDV"])
        #expect(
            read.entries == [
                "[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/workbook.xml",
                "xl/worksheets/sheet1.xml",
            ])
        #expect(read.headerBold == true)
        #expect(read.formats == ["date": "dd/mm/yyyy", "time": "hh:mm"])
        #expect(
            read.rows == [
                Self.header.map { .text($0) },
                [.text("Élodie « Zoé » DURAND"), .text("date:2026-12-07"), .text("time:09:05"), .number(2026), .null],
                [.text("a;b \"c\"\nd"), .text("date:2000-02-29"), .text("time:23:59"), .number(0), .null],
                [.text("<b>&amp; x</b>"), .text("date:1900-03-01"), .text("time:00:00"), .number(-3), .null],
                [.text("  espaces  "), .text("date:2099-12-31"), .text("time:10:10"), .number(7), .null],
                // XLSX text is never a formula: kept as typed; the control character is dropped.
                [.text("=HYPERLINK(\"x\")"), .null, .null, .null, .text("bip")],
            ])
    }

    @Test("XLSX of 30,000 rows: a valid archive, every row read back")
    func largeXLSX() throws {
        let path = try temporaryFile("big.xlsx")
        let writer = try XLSXWriter(
            path: path, sheetName: "RDV", columnWidths: [], modified: Self.modified, timeZone: Self.paris)
        try writer.appendHeader(["n", "texte"])
        for n in 1...30_000 { try writer.append([.number(n), .text("ligne \(n) — é")]) }
        try writer.finish()
        let read = try ReadSpreadsheet.read(path)
        try #require(read.rows.count == 30_001)
        #expect(read.rows[30_000] == [.number(30_000), .text("ligne 30000 — é")])
        #expect(read.rows[1] == [.number(1), .text("ligne 1 — é")])
    }

    @Test("Column names and 1900-system serial days")
    func cellAddresses() {
        #expect(XLSXWriter.columnName(0) == "A")
        #expect(XLSXWriter.columnName(25) == "Z")
        #expect(XLSXWriter.columnName(26) == "AA")
        #expect(XLSXWriter.columnName(702) == "AAA")
        // Excel: 1900-03-01 = 61, 2026-12-07 = 46363.
        #expect(XLSXWriter.serialDay(year: 1900, month: 3, day: 1) == 61)
        #expect(XLSXWriter.serialDay(year: 2026, month: 12, day: 7) == 46363)
    }
}
