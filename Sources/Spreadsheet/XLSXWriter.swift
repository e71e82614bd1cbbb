import Foundation

/// An Office Open XML workbook (ECMA-376 Part 1, SpreadsheetML) with one sheet, streamed into a
/// ZIP as rows arrive. admin.md §8: bold header row, dates as date cells `DD/MM/YYYY`, times as
/// time cells `hh:mm`; text as inline strings (no shared-string table to hold in memory).
public final class XLSXWriter: SpreadsheetWriter {
    private let zip: ZipWriter
    private var rowNumber = 0
    private var buffer = ""

    /// Style indexes of `styles.xml`'s `cellXfs`.
    private enum Style: Int {
        case plain = 0, header = 1, date = 2, time = 3
    }

    public init(path: String, sheetName: String, columnWidths: [Int], modified: Date, timeZone: TimeZone) throws {
        zip = try ZipWriter(path: path, modified: modified, timeZone: timeZone)
        try entry("[Content_Types].xml", Self.contentTypes)
        try entry("_rels/.rels", Self.packageRelationships)
        try entry("xl/workbook.xml", Self.workbook(sheetName: sheetName))
        try entry("xl/_rels/workbook.xml.rels", Self.workbookRelationships)
        try entry("xl/styles.xml", Self.styles)
        try zip.beginEntry("xl/worksheets/sheet1.xml")
        var head = Self.declaration
        head += "<worksheet xmlns=\"\(Self.mainNamespace)\">"
        // The header row stays in view while scrolling.
        head += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\""
        head += " state=\"frozen\"/></sheetView></sheetViews>"
        if !columnWidths.isEmpty {
            head += "<cols>"
            for (index, width) in columnWidths.enumerated() {
                head += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
            }
            head += "</cols>"
        }
        head += "<sheetData>"
        try zip.write(head)
    }

    public func appendHeader(_ titles: [String]) throws {
        try appendRow(titles.map(SpreadsheetCell.text), style: .header)
    }

    public func append(_ row: [SpreadsheetCell]) throws { try appendRow(row, style: .plain) }

    public func finish() throws {
        buffer += "</sheetData></worksheet>"
        try zip.write(buffer)
        buffer = ""
        try zip.endEntry()
        try zip.finish()
    }

    private func appendRow(_ cells: [SpreadsheetCell], style: Style) throws {
        rowNumber += 1
        buffer += "<row r=\"\(rowNumber)\">"
        for (index, cell) in cells.enumerated() {
            let reference = Self.columnName(index) + String(rowNumber)
            let textStyle = style == .header ? " s=\"\(Style.header.rawValue)\"" : ""
            switch cell {
            case .empty:
                continue
            case .text(let value):
                let preserve = value.first?.isWhitespace == true || value.last?.isWhitespace == true
                buffer += "<c r=\"\(reference)\" t=\"inlineStr\"\(textStyle)><is><t"
                buffer += preserve ? " xml:space=\"preserve\">" : ">"
                buffer += Self.escaped(value)
                buffer += "</t></is></c>"
            case .number(let value):
                buffer += "<c r=\"\(reference)\"><v>\(value)</v></c>"
            case .date(let year, let month, let day):
                let serial = Self.serialDay(year: year, month: month, day: day)
                buffer += "<c r=\"\(reference)\" s=\"\(Style.date.rawValue)\"><v>\(serial)</v></c>"
            case .time(let hour, let minute):
                // A time cell is the fraction of a day (ECMA-376 Part 1 §18.17.4.2).
                let fraction = Double(hour * 60 + minute) / 1440
                buffer += "<c r=\"\(reference)\" s=\"\(Style.time.rawValue)\"><v>\(fraction)</v></c>"
            }
        }
        buffer += "</row>"
        if buffer.utf8.count >= 32 * 1024 {
            try zip.write(buffer)
            buffer = ""
        }
    }

    private func entry(_ name: String, _ text: String) throws {
        try zip.beginEntry(name)
        try zip.write(text)
        try zip.endEntry()
    }

    // MARK: - Cell values

    /// A, B, …, Z, AA, AB, …: the column of a 0-based index.
    static func columnName(_ index: Int) -> String {
        var name = ""
        var n = index + 1
        while n > 0 {
            let remainder = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// Days since 1899-12-30, the 1900 date system's serial for any date after 1900-02-28
    /// (ECMA-376 Part 1 §18.17.4.1). Days from the civil calendar as in H. Hinnant's
    /// `days_from_civil`.
    static func serialDay(year: Int, month: Int, day: Int) -> Int {
        func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int {
            let y = m <= 2 ? y - 1 : y
            let era = (y >= 0 ? y : y - 399) / 400
            let yoe = y - era * 400
            let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            return era * 146097 + doe - 719468
        }
        return daysFromCivil(year, month, day) - daysFromCivil(1899, 12, 30)
    }

    /// XML text: the five entities where needed, and the characters XML 1.0 §2.2 forbids
    /// (controls other than tab, LF and CR) dropped, since one of them would make the whole file
    /// unreadable. Excel keeps at most 32,767 characters in a cell.
    static func escaped(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        var count = 0
        for scalar in value.unicodeScalars {
            count += scalar.utf16.count
            if count > 32_767 { break }
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            // Also safe inside an attribute value (the sheet's name).
            case "\"": result += "&quot;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    // MARK: - Package parts

    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static let contentTypes =
        declaration
        + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        + "<Override PartName=\"/xl/workbook.xml\""
        + " ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        + "<Override PartName=\"/xl/worksheets/sheet1.xml\""
        + " ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        + "<Override PartName=\"/xl/styles.xml\""
        + " ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        + "</Types>"

    static let packageRelationships =
        declaration
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\""
        + " Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\""
        + " Target=\"xl/workbook.xml\"/></Relationships>"

    static func workbook(sheetName: String) -> String {
        declaration + "<workbook xmlns=\"\(mainNamespace)\" xmlns:r=\"\(relationshipNamespace)\">"
            + "<sheets><sheet name=\"\(escaped(sheetName))\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
    }

    static let workbookRelationships =
        declaration
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\""
        + " Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\""
        + " Target=\"worksheets/sheet1.xml\"/>"
        + "<Relationship Id=\"rId2\""
        + " Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        + "</Relationships>"

    /// Custom number formats start at id 164 (below are the built-in ones, §18.8.30).
    static let styles =
        declaration
        + "<styleSheet xmlns=\"\(mainNamespace)\">"
        + "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
        + "<numFmt numFmtId=\"165\" formatCode=\"hh:mm\"/></numFmts>"
        + "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>"
        + "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
        + "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"4\">"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
        + "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "</cellXfs>"
        + "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        + "</styleSheet>"
}
