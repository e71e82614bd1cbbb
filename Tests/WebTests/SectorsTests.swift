import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Spreadsheet
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// « Espace admin » → « Sectorisation » (admin.md §5) on `appointmentFixture` (territory 62),
/// Alice made territorial admin.
@Suite("Sectorisation", .serialized)
struct SectorsTests {
    static let base = "/admin/territories/1"

    static func multipart(_ csrf: String, file: String, commit: String, replace: Bool = false) -> (String, [UInt8]) {
        multipart(csrf, bytes: Array(file.utf8), filename: "zones.csv", commit: commit, replace: replace)
    }

    static func multipart(_ csrf: String, bytes: [UInt8], filename: String, commit: String, replace: Bool = false) -> (String, [UInt8]) {
        let boundary = "rdvboundary42"
        var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"authenticity_token\"\r\n\r\n\(csrf)\r\n"
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"commit\"\r\n\r\n\(commit)\r\n"
        if replace { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"replace\"\r\n\r\n1\r\n" }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n"
        body += "Content-Type: application/octet-stream\r\n\r\n"
        return ("multipart/form-data; boundary=\(boundary)", Array(body.utf8) + bytes + Array("\r\n--\(boundary)--\r\n".utf8))
    }

    @Test func zonesAreSimulatedThenImportedAllOrNothingAndTheTestFindsTheOrganisation() throws {
        try withAppointmentBrowser { browser, db in
            try db.writer.write { try $0.execute(sql: "INSERT INTO territorial_roles (agent_id, territory_id) VALUES (1, 1)") }
            var sample = SeedDocument.addressSample.makeIterator()
            _ = try db.importAddresses { sample.next() }
            let index = try browser.request("GET", Self.base + "/sectors").text
            #expect(index.contains("Aucun secteur dans ce territoire."))
            let csrf = try #require(Browser.token(in: index))
            let created = try browser.request(
                "POST", Self.base + "/sectors", form: [("authenticity_token", csrf), ("name", "Arras centre"), ("human_id", "arras")])
            #expect(created.status == 303)
            let twice = try browser.request(
                "POST", Self.base + "/sectors", form: [("authenticity_token", csrf), ("name", "Autre"), ("human_id", "arras")])
            #expect(twice.status == 422)
            #expect(twice.text.contains(#"<p id="human_id-error" class="fr-error-text">Identifiant est déjà utilisé.</p>"#))
            let overview = try browser.request("GET", Self.base + "/sectors").text
            #expect(overview.contains("Sans attribution"))
            try GoldenPageTests.expectGolden("sectors-index", overview)

            // Dry run: one row in error (a city code outside the département), nothing written.
            let bad = "\u{FEFF}sector_id;city_name;city_code;street_name;street_code\narras;Arras;62041;;\narras;Amiens;80021;;\n"
            let (type, body) = Self.multipart(csrf, file: bad, commit: "dry_run")
            let dryRun = try browser.request("POST", Self.base + "/zones_import", body: body, contentType: type)
            #expect(dryRun.status == 200)
            #expect(dryRun.text.contains("<td>2</td><td>arras</td><td>Arras (62041)</td><td></td><td>Créée</td>"))
            #expect(dryRun.text.contains("Code INSEE doit commencer par le numéro du département (62)"))
            #expect(dryRun.text.contains("1 ligne en erreur : rien n&#39;a été importé (simulation)."))
            let (_, badImport) = Self.multipart(csrf, file: bad, commit: "import")
            #expect(try browser.request("POST", Self.base + "/zones_import", body: badImport, contentType: type).status == 422)
            #expect(try db.zoneFileRows(territoryID: 1).isEmpty)
            // Fixed (a comma file this time, with a street zone): imported.
            let good = "sector_id,city_name,city_code,street_name,street_code\narras,Arras,62041,,\narras,Arras,62041,Rue de la Paix,0420\n"
            let (_, goodImport) = Self.multipart(csrf, file: good, commit: "import")
            let imported = try browser.request("POST", Self.base + "/zones_import", body: goodImport, contentType: type)
            #expect(imported.status == 303)
            #expect(try db.zoneFileRows(territoryID: 1) == [
                ["arras", "Arras", "62041", "", ""], ["arras", "Arras", "62041", "Rue de la Paix", "62041_0420"],
            ])
            // Again: every row already exists.
            let (_, again) = Self.multipart(csrf, file: good, commit: "dry_run")
            #expect(try browser.request("POST", Self.base + "/zones_import", body: again, contentType: type).text.contains("Déjà existante"))
            let export = try browser.request("GET", Self.base + "/zones.csv")
            #expect(export.text.hasPrefix("\u{FEFF}sector_id;city_name;city_code;street_name;street_code\r\narras;Arras;62041;;\r\n"))

            // Attribute the sector to MDS Arras, then « Test de sectorisation ».
            let sector = try #require(try db.sectors(territoryID: 1).first?.sector.id)
            let attributed = try browser.request(
                "POST", Self.base + "/sectors/\(sector)/attributions", form: [("authenticity_token", csrf), ("organisation_id", "1")])
            #expect(attributed.status == 303)
            let show = try browser.request("GET", Self.base + "/sectors/\(sector)").text
            #expect(show.contains("<li>Organisation : MDS Arras"))
            let test = try browser.request("GET", Self.base + "/sectorisation_test?q=10+rue+de+la+paix+arras").text
            #expect(test.contains("<dt>Code INSEE</dt><dd>62041</dd>"))
            #expect(test.contains("<tr><td>Arras centre</td><td>Commune : Arras</td><td>MDS Arras</td></tr>"))
            try GoldenPageTests.expectGolden("sectors-test", test)
        }
    }

    /// « Ajouter une zone » through the address service: the street of an address, then its
    /// whole city; a zone already there is refused with its message.
    @Test func zonesAreAddedFromTheAddressService() throws {
        try withAppointmentBrowser { browser, db in
            try db.writer.write { try $0.execute(sql: "INSERT INTO territorial_roles (agent_id, territory_id) VALUES (1, 1)") }
            var sample = SeedDocument.addressSample.makeIterator()
            _ = try db.importAddresses { sample.next() }
            let csrf = try csrfToken(browser, Self.base + "/sectors")
            let created = try browser.request(
                "POST", Self.base + "/sectors", form: [("authenticity_token", csrf), ("name", "Arras centre"), ("human_id", "arras")])
            #expect(created.status == 303)
            let search = try browser.request("GET", Self.base + "/sectors/1?zone_q=10+rue+de+la+paix+arras").text
            #expect(search.contains(#"<input type="radio" id="address_choice-0" name="address_choice" value="10 Rue de la Paix 62000 Arras" checked>"#))
            func add(_ level: String) throws -> WireResponse {
                try browser.request(
                    "POST", Self.base + "/sectors/1/zones",
                    form: [
                        ("authenticity_token", csrf), ("zone_q", "10 rue de la paix arras"),
                        ("address_choice", "10 Rue de la Paix 62000 Arras"), ("zone_level", level),
                    ])
            }
            let street = try add("street")
            #expect(street.status == 303)
            let twice = try add("street")
            #expect(twice.status == 422)
            #expect(twice.text.contains("Cette zone est déjà dans le secteur."))
            let city = try add("city")
            #expect(city.status == 303)
            let show = try browser.request("GET", Self.base + "/sectors/1").text
            #expect(show.contains("La zone a été ajoutée."))
            #expect(show.contains("<tr><td>Voie : Rue de la Paix (Arras)</td><td>62041_0420</td>"))
            #expect(show.contains("<tr><td>Commune : Arras</td><td>62041</td>"))
            let none = try browser.request("GET", Self.base + "/sectors/1?zone_q=zzz+introuvable").text
            #expect(none.contains("Aucune adresse ne correspond"))
        }
    }

    /// admin.md §5: an XLSX workbook's first sheet is imported like a CSV file.
    @Test func anXLSXFileIsImportedLikeACSVFile() throws {
        try withAppointmentBrowser { browser, db in
            try db.writer.write { try $0.execute(sql: "INSERT INTO territorial_roles (agent_id, territory_id) VALUES (1, 1)") }
            let csrf = try csrfToken(browser, Self.base + "/sectors")
            _ = try browser.request(
                "POST", Self.base + "/sectors", form: [("authenticity_token", csrf), ("name", "Arras centre"), ("human_id", "arras")])
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-zones-\(UUID().uuidString).xlsx").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            let writer = try XLSXWriter(path: path, sheetName: "Zones", columnWidths: [], modified: testNow, timeZone: .gmt)
            try writer.appendHeader(ZoneImportLine.columns)
            try writer.append([.text("arras"), .text("Arras"), .number(62041)])
            try writer.append([.text("arras"), .text("Arras"), .text("62041"), .text("Rue de la Paix"), .text("0420")])
            try writer.finish()
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let (type, body) = Self.multipart(csrf, bytes: bytes, filename: "zones.xlsx", commit: "import")
            let imported = try browser.request("POST", Self.base + "/zones_import", body: body, contentType: type)
            #expect(imported.status == 303)
            let zones = try db.zoneFileRows(territoryID: 1)
            #expect(zones.count == 2)
            let (_, broken) = Self.multipart(csrf, bytes: [0x50, 0x4B, 0x03, 0x04, 1, 2], filename: "zones.xlsx", commit: "dry_run")
            let refused = try browser.request("POST", Self.base + "/zones_import", body: broken, contentType: type)
            #expect(refused.status == 422)
            #expect(refused.text.contains("Le fichier XLSX est illisible : ce n&#39;est pas une archive ZIP."))
        }
    }

    @Test func aBasicAgentHasNoSectorisation() throws {
        try withAppointmentBrowser(as: "bruno@example.fr") { browser, _ in
            let sectors = try browser.request("GET", Self.base + "/sectors")
            let export = try browser.request("GET", Self.base + "/zones.csv")
            #expect(sectors.status == 403 && export.status == 403)
        }
    }
}
