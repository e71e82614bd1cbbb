/// A small CSV file read whole (admin.md §5 zone imports): UTF-8 with an optional byte-order
/// mark, `;` or `,` between fields (whichever the header line holds more of), LF or CRLF line
/// ends, RFC 4180 §2 quoting (`""` inside a quoted field is one `"`). Blank lines are skipped;
/// each row keeps its 1-based line number for messages.
public enum CSVReader {
    public struct Row: Sendable, Equatable {
        public let line: Int
        public let fields: [String]
    }

    public struct Failure: Error, Equatable {
        public let line: Int
        public let reason: String
    }

    public static func rows(_ bytes: [UInt8]) throws(Failure) -> [Row] {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else {
            throw Failure(line: 1, reason: "le fichier n'est pas en UTF-8")
        }
        let header = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let separator: Character =
            header.filter { $0 == ";" }.count >= header.filter { $0 == "," }.count ? ";" : ","
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var rowLine = 1
        var characters = text.makeIterator()
        var pending: Character? = nil
        func endRow() {
            fields.append(field)
            if fields.count > 1 || !fields[0].trimmingSpaces.isEmpty { rows.append(Row(line: rowLine, fields: fields)) }
            fields = []
            field = ""
        }
        while let character = pending ?? characters.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case separator:
                fields.append(field)
                field = ""
            case "\n", "\r\n", "\r":
                endRow()
                line += 1
                rowLine = line
            default: field.append(character)
            }
        }
        if quoted { throw Failure(line: rowLine, reason: "un guillemet n'est pas refermé") }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " && $0 != "\t" } ?? endIndex
        let end = lastIndex { $0 != " " && $0 != "\t" }.map { index(after: $0) } ?? endIndex
        return start < end ? self[start..<end] : ""
    }
}

extension CSVWriter {
    /// A whole small CSV document in memory, in the writer's format (BOM, `;`, CRLF, quoting).
    public static func document(_ rows: [[String]]) -> [UInt8] {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        for row in rows {
            bytes += Array((row.map { field(.text($0)) }.joined(separator: ";") + "\r\n").utf8)
        }
        return bytes
    }
}
