import Domain
import Foundation
import Persistence

/// A BAN « adresses » file (contracts.md §6): `;`-separated, a header naming the columns
/// (`id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;…;lon;lat;…`), plain or
/// gzip. Read line by line: a département file (hundreds of thousands of lines) is never held.
public final class BANFileReader {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let line: Int
        public let reason: String
        public var description: String { line > 0 ? "line \(line): \(reason)" : reason }
    }

    static let required = ["numero", "nom_voie", "code_postal", "code_insee", "nom_commune", "lon", "lat"]

    private let source: ByteSource
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private var lineNumber = 0
    private var columns: [String: Int] = [:]

    public init(path: String) throws {
        do {
            source = try ByteSource(path: path)
        } catch {
            throw Failure(line: 0, reason: "\(error)")
        }
        guard let header = try nextLine() else { throw Failure(line: 0, reason: "the file is empty") }
        let names = header.split(separator: ";", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        for (index, name) in names.enumerated() where columns[name] == nil { columns[name] = index }
        let missing = Self.required.filter { columns[$0] == nil }
        guard missing.isEmpty else {
            throw Failure(line: 1, reason: "not a BAN addresses header: missing \(missing.joined(separator: ", "))")
        }
    }

    /// The next address, or nil at the end of the file; a line that is not one is an error
    /// naming it (the import is all or nothing).
    public func next() throws -> BANAddress? {
        while let line = try nextLine() {
            if line.isEmpty { continue }
            let fields = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            func field(_ name: String) -> String {
                columns[name].flatMap { $0 < fields.count ? fields[$0].trimmingCharacters(in: .whitespaces) : nil } ?? ""
            }
            let cityCode = field("code_insee")
            let postCode = field("code_postal")
            guard cityCode.wholeMatch(of: /[0-9][0-9AB][0-9]{3}/) != nil else { throw fail("code_insee « \(cityCode) »") }
            guard postCode.wholeMatch(of: /[0-9]{5}/) != nil else { throw fail("code_postal « \(postCode) »") }
            guard let lat = Double(field("lat")), let lon = Double(field("lon")), (-90...90).contains(lat),
                (-180...180).contains(lon)
            else { throw fail("lat/lon « \(field("lat")) » « \(field("lon")) »") }
            let street = field("nom_voie")
            let city = field("nom_commune")
            guard !street.isEmpty, !city.isEmpty else { throw fail("nom_voie or nom_commune is empty") }
            // BAN: 99999 marks a named place without numbers (« lieu-dit »).
            let number = field("numero")
            let housenumber = number.isEmpty || number == "99999" ? nil : [number, field("rep")].filter { !$0.isEmpty }.joined(separator: " ")
            return BANAddress(
                housenumber: housenumber, street: street, streetID: streetID(fantoir: field("id_fantoir"), id: field("id"), cityCode: cityCode, street: street),
                postCode: postCode, cityCode: cityCode, city: city, latitude: lat, longitude: lon)
        }
        return nil
    }

    /// `<code_insee>_<fantoir>`: the `id_fantoir` column when it has that shape, else the first two
    /// parts of the address id (`62041_0420_00012`), else the city code and the street's name.
    private func streetID(fantoir: String, id: String, cityCode: String, street: String) -> String {
        if fantoir.hasPrefix(cityCode + "_") { return fantoir }
        if !fantoir.isEmpty { return cityCode + "_" + fantoir }
        let parts = id.split(separator: "_")
        if parts.count >= 2, parts[0] == cityCode { return parts[0] + "_" + parts[1] }
        return cityCode + "_" + street.lowercased().filter { $0.isLetter || $0.isNumber }
    }

    private func fail(_ reason: String) -> Failure { Failure(line: lineNumber, reason: reason) }

    /// The next line without its CR LF, decoded as UTF-8 (invalid bytes are an error).
    private func nextLine() throws -> String? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let bytes = buffer[start..<end]
                start = newline + 1
                return try decode(bytes)
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let bytes = buffer[start...]
                start = buffer.count
                return try decode(bytes)
            }
            if start > 0 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            do {
                if let chunk = try source.next() { buffer += chunk } else { atEnd = true }
            } catch {
                throw Failure(line: lineNumber, reason: "\(error)")
            }
        }
    }

    private func decode(_ bytes: ArraySlice<UInt8>) throws -> String {
        lineNumber += 1
        // A BOM on the first line (files saved by a spreadsheet) is not part of the header.
        let body = lineNumber == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes
        guard let text = String(validating: body, as: UTF8.self) else { throw fail("not UTF-8") }
        return text
    }
}
