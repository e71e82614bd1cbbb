import DatabaseTestSupport
import Foundation
import Testing

/// An exported file as independent readers see it: openpyxl for XLSX, Python's csv module for
/// CSV (Fixtures/read_spreadsheet.py, in the project's .venv).
struct ReadSpreadsheet: Decodable {
    enum Value: Decodable, Equatable, CustomStringConvertible {
        case text(String)
        case number(Int)
        case null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let number = try? container.decode(Int.self) {
                self = .number(number)
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        var description: String {
            switch self {
            case .text(let text): "\"\(text)\""
            case .number(let number): "\(number)"
            case .null: "null"
            }
        }
    }

    let rows: [[Value]]
    let sheets: [String]?
    let entries: [String]?
    let headerBold: Bool?
    let formats: [String: String]?
    let bom: Bool?
    let crlf: Bool?

    enum CodingKeys: String, CodingKey {
        case rows, sheets, entries, formats, bom, crlf
        case headerBold = "header_bold"
    }

    static func read(_ path: String) throws -> ReadSpreadsheet {
        let python = TemplateDatabase.packageRoot.appendingPathComponent(".venv/bin/python").path
        try #require(FileManager.default.isExecutableFile(atPath: python), "make .venv/bin/python (openpyxl) first")
        let script = TemplateDatabase.packageRoot.appendingPathComponent("Tests/ExportsTests/Fixtures/read_spreadsheet.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "read_spreadsheet.py: \(String(decoding: problem, as: UTF8.self))")
        return try JSONDecoder().decode(ReadSpreadsheet.self, from: data)
    }
}
