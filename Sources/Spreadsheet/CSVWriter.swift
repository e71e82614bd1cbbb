import Foundation

/// admin.md §8 CSV: UTF-8 with a byte-order mark (so Excel reads the accents), `;` between
/// fields, CRLF line ends and RFC 4180 §2 quoting; dates `DD/MM/YYYY`, times `HH:MM`.
///
/// A text field that a spreadsheet would take for a formula (first character `=`, `+`, `-`,
/// `@`, tab or CR: OWASP "CSV injection") is prefixed with `'`: the context and names are typed
/// by people, and opening an export must never run what they typed.
public final class CSVWriter: SpreadsheetWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    public init(path: String) throws {
        handle = try ZipWriter.createPrivateFile(path)
        buffer = [0xEF, 0xBB, 0xBF]
    }

    deinit { try? handle.close() }

    public func appendHeader(_ titles: [String]) throws { try append(titles.map(SpreadsheetCell.text)) }

    public func append(_ row: [SpreadsheetCell]) throws {
        var line = ""
        for (index, cell) in row.enumerated() {
            if index > 0 { line += ";" }
            line += Self.field(cell)
        }
        line += "\r\n"
        buffer.append(contentsOf: line.utf8)
        if buffer.count >= 64 * 1024 { try flush() }
    }

    public func finish() throws {
        try flush()
        try handle.close()
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    static func field(_ cell: SpreadsheetCell) -> String {
        switch cell {
        case .empty: return ""
        case .number(let value): return String(value)
        case .date(let year, let month, let day): return "\(twoDigits(day))/\(twoDigits(month))/\(year)"
        case .time(let hour, let minute): return "\(twoDigits(hour)):\(twoDigits(minute))"
        case .text(let value):
            var text = value
            if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
            guard text.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
                return text
            }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
