import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The first sheet of an Office Open XML workbook (ECMA-376 Part 1, SpreadsheetML) as rows of
/// text, like `CSVReader`'s: shared strings, inline strings and numbers as written in the file
/// (a city code typed as a number keeps its digits; formulas give their cached value).
public enum XLSXReader {
    public static func rows(_ bytes: [UInt8]) throws(CSVReader.Failure) -> [CSVReader.Row] {
        do throws(ZipReader.Failure) {
            let zip = try ZipReader(bytes)
            let strings = zip.contains("xl/sharedStrings.xml") ? parse(try zip.data("xl/sharedStrings.xml"), SharedStrings()).strings : []
            let sheet = parse(try zip.data(try firstSheet(zip)), SheetRows(strings: strings))
            return sheet.rows.filter { !$0.fields.allSatisfy(\.isEmpty) }
        } catch {
            throw CSVReader.Failure(line: 0, reason: "Le fichier XLSX est illisible : \(error.reason)")
        }
    }

    /// The part of the workbook's first `<sheet>`, through the workbook's relationships.
    static func firstSheet(_ zip: ZipReader) throws(ZipReader.Failure) -> String {
        let fallback = "xl/worksheets/sheet1.xml"
        guard zip.contains("xl/workbook.xml"), zip.contains("xl/_rels/workbook.xml.rels") else { return fallback }
        let workbook = parse(try zip.data("xl/workbook.xml"), FirstSheet())
        let relationships = parse(try zip.data("xl/_rels/workbook.xml.rels"), Relationships())
        guard let id = workbook.relationshipID, let target = relationships.targets[id] else { return fallback }
        return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }

    static func parse<Delegate: XMLParserDelegate>(_ bytes: [UInt8], _ delegate: Delegate) -> Delegate {
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = false
        parser.delegate = delegate
        parser.parse()
        return delegate
    }

    /// « AB12 » → 27 (0-based column of the cell reference).
    static func column(of reference: String) -> Int? {
        var value = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard ("A"..."Z").contains(scalar) else { break }
            value = value * 26 + Int(scalar.value - 64)
            letters += 1
        }
        return letters == 0 ? nil : value - 1
    }

    /// Element names without their prefix (`x:row` and `row` alike).
    static func local(_ name: String) -> Substring { name.split(separator: ":").last ?? Substring(name) }

    final class SharedStrings: NSObject, XMLParserDelegate {
        var strings: [String] = []
        private var current: String?
        private var inText = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            switch local(name) {
            case "si": current = ""
            case "t": inText = true
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current? += string } }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch local(name) {
            case "t": inText = false
            case "si":
                strings.append(current ?? "")
                current = nil
            default: break
            }
        }
    }

    final class SheetRows: NSObject, XMLParserDelegate {
        let strings: [String]
        var rows: [CSVReader.Row] = []
        private var fields: [String] = []
        private var rowNumber = 0
        private var cellColumn = 0
        private var cellType = ""
        private var text: String?
        private var inValue = false

        init(strings: [String]) { self.strings = strings }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            switch local(name) {
            case "row":
                rowNumber = attributes["r"].flatMap { Int($0) } ?? rowNumber + 1
                fields = []
            case "c":
                cellColumn = attributes["r"].flatMap(XLSXReader.column(of:)) ?? fields.count
                cellType = attributes["t"] ?? "n"
                text = nil
            case "v", "t":
                inValue = true
                if text == nil { text = "" }
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { if inValue { text? += string } }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch local(name) {
            case "v", "t": inValue = false
            case "c":
                var value = text ?? ""
                if cellType == "s" { value = Int(value).flatMap { strings.indices.contains($0) ? strings[$0] : nil } ?? "" }
                if cellType == "n", value.hasSuffix(".0") { value = String(value.dropLast(2)) }
                // Cells may be sparse: the columns between keep empty fields.
                guard cellColumn < 16_384 else { return }
                while fields.count < cellColumn { fields.append("") }
                if fields.count == cellColumn { fields.append(value.trimmingCharacters(in: .whitespaces)) }
            case "row": rows.append(CSVReader.Row(line: rowNumber, fields: fields))
            default: break
            }
        }
    }

    final class FirstSheet: NSObject, XMLParserDelegate {
        var relationshipID: String?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            guard relationshipID == nil, local(name) == "sheet" else { return }
            relationshipID = attributes.first { local($0.key) == "id" }?.value
        }
    }

    final class Relationships: NSObject, XMLParserDelegate {
        var targets: [String: String] = [:]

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            guard local(name) == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
            targets[id] = target
        }
    }
}
