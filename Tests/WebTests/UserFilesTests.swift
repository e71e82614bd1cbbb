import Domain
import Foundation
import GRDB
import HTTPTestSupport
@_spi(RawDatabase) import Persistence
import Testing
import Web

/// User files (domain.md §11, booking.md §9, permissions.md users): list and search, create with
/// errors and the duplicates warning, show, edit, remove or delete, invite; CSRF and refusals.
@Suite("User files")
struct UserFilesTests {
    /// Alice: admin of Arras, basic in Lens. Bob: basic in Lens only. Hélène (Arras) has a
    /// relative Paul, an upcoming and a past appointment; Marc is known to Lens only; Zoé to both.
    static let fixture = #"""
        {"format": "rdv-import/1",
         "services": [{"ref": "pmi", "name": "PMI (Protection Maternelle Infantile)", "short_name": "PMI"}],
         "territories": [{"ref": "t62", "name": "Pas-de-Calais", "departement_number": "62", "services": ["pmi"]}],
         "organisations": [{"ref": "o1", "territory": "t62", "name": "MDS Arras"},
                           {"ref": "o2", "territory": "t62", "name": "MDS Lens"}],
         "agents": [{"ref": "a1", "email": "alice@example.fr", "first_name": "Alice", "last_name": "Martin",
                     "password": "un mot de passe long", "services": ["pmi"],
                     "roles": [{"organisation": "o1", "access_level": "admin"}, {"organisation": "o2", "access_level": "basic"}]},
                    {"ref": "a2", "email": "bob@example.fr", "first_name": "Bob", "last_name": "Leroy",
                     "password": "un mot de passe long", "services": ["pmi"],
                     "roles": [{"organisation": "o2", "access_level": "basic"}]}],
         "places": [{"ref": "l1", "organisation": "o1", "name": "MDS Centre",
                     "address": "10 rue de la Paix, 62000 Arras", "latitude": 50.29, "longitude": 2.78}],
         "motifs": [{"ref": "m1", "organisation": "o1", "service": "pmi", "name": "Consultation",
                     "location_type": "public_office", "default_duration_in_min": 30, "bookable_by": "agents",
                     "collectif": false, "color": "#1f77b4"}],
         "users": [{"ref": "u1", "first_name": "Hélène", "last_name": "Dupré", "email": "helene@example.fr",
                    "phone_number": "0612345678", "birth_date": "1980-03-12", "organisations": ["o1"],
                    "address": "3 rue Ernestale, 62000 Arras"},
                   {"ref": "u2", "first_name": "Paul", "last_name": "Dupré", "birth_date": "2015-06-01",
                    "responsible": "u1", "organisations": ["o1"]},
                   {"ref": "u3", "first_name": "Marc", "last_name": "Lefèvre", "organisations": ["o2"]},
                   {"ref": "u4", "first_name": "Zoé", "last_name": "Bernard", "organisations": ["o1", "o2"]}],
         "referents": [{"user": "u1", "agent": "a1"}],
         "appointments": [{"ref": "r1", "organisation": "o1", "motif": "m1", "place": "l1",
                           "starts_at": "2025-11-30T10:00:00+01:00", "duration_in_min": 30,
                           "agents": ["a1"], "users": ["u1"], "status": "unknown", "created_by": "agent"},
                          {"ref": "r2", "organisation": "o1", "motif": "m1", "place": "l1",
                           "starts_at": "2025-11-02T10:00:00+01:00", "duration_in_min": 30,
                           "agents": ["a1"], "users": ["u1"], "status": "seen", "created_by": "agent"}]}
        """#

    /// A signed-in browser on the fixture, and the database.
    private func session(
        _ email: String = "alice@example.fr", _ body: (Browser, AppDatabase, Ids) throws -> Void
    ) throws {
        let (db, directory) = try makeWebDatabase(fixture: Self.fixture)
        defer { try? FileManager.default.removeItem(at: directory) }
        let browser = Browser(app: try makeWebApplication(db, clock: ManualClock(testNow)))
        let csrf = try GoldenPageTests.token(in: try browser.request("GET", "/agents/sign_in").text)
        let response = try browser.request(
            "POST", "/agents/sign_in",
            form: [("authenticity_token", csrf), ("email", email), ("password", "un mot de passe long")])
        #expect(response.status == 303)
        try body(browser, db, try Ids(db))
    }

    struct Ids {
        let arras: Int64, lens: Int64, helene: Int64, paul: Int64, marc: Int64, zoe: Int64, upcoming: Int64

        init(_ db: AppDatabase) throws {
            func id(_ sql: String) throws -> Int64 {
                try #require(try db.writer.read { try Int64.fetchOne($0, sql: sql) })
            }
            arras = try id("SELECT id FROM organisations WHERE name = 'MDS Arras'")
            lens = try id("SELECT id FROM organisations WHERE name = 'MDS Lens'")
            helene = try id("SELECT id FROM users WHERE first_name = 'Hélène'")
            paul = try id("SELECT id FROM users WHERE first_name = 'Paul'")
            marc = try id("SELECT id FROM users WHERE first_name = 'Marc'")
            zoe = try id("SELECT id FROM users WHERE first_name = 'Zoé'")
            upcoming = try id("SELECT id FROM appointments WHERE status = 'unknown'")
        }

        func path(_ area: SiteURL.Organisation, in organisation: Int64? = nil) -> String {
            SiteURL.organisation(id: organisation ?? arras, area).path
        }
    }

    private func form(_ pairs: [(String, String)], token: String) -> [(String, String)] {
        [("authenticity_token", token)] + pairs
    }

    private func newUserForm(
        first: String, last: String, birthDate: String = "", email: String = "", phone: String = "",
        extra: [(String, String)] = []
    ) -> [(String, String)] {
        [
            ("first_name", first), ("last_name", last), ("birth_name", ""), ("birth_date", birthDate),
            ("email", email), ("phone_number", phone), ("address", ""), ("notify_by_sms", "1"),
            ("notify_by_email", "1"), ("responsible_id", ""), ("responsible_search", ""),
        ] + extra
    }

    // MARK: List and search

    @Test func theListShowsTheOrganisationsUsersAndSearches() throws {
        try session { browser, _, ids in
            let list = try browser.request("GET", ids.path(.users))
            #expect(list.status == 200)
            #expect(list.text.contains(#"aria-label="Rechercher un usager""#))
            #expect(list.text.contains(#">Hélène DUPRÉ</a>"#))
            #expect(list.text.contains("Proche de Hélène DUPRÉ"))
            #expect(list.text.contains("1 proche"))
            #expect(list.text.contains("Zoé BERNARD"))
            #expect(!list.text.contains("Marc"))
            #expect(list.text.contains("3 usagers"))
            try GoldenPageTests.expectGolden("users-index", list.text)

            let search = try browser.request("GET", ids.path(.users) + "?q=helene")
            #expect(search.status == 200)
            #expect(search.text.contains("Hélène DUPRÉ"))
            #expect(!search.text.contains("Paul DUPRÉ"))
            #expect(search.text.contains(#"value="helene""#))
            #expect(search.text.contains("1 usager"))
            try GoldenPageTests.expectGolden("users-index-search", search.text)

            let none = try browser.request("GET", ids.path(.users) + "?q=lefevre")
            #expect(none.text.contains("Aucun usager ne correspond à votre recherche."))
        }
    }

    @Test func theListIsPaginatedByTen() throws {
        try session { browser, db, ids in
            try db.writer.write { db in
                for n in 1...12 {
                    try db.execute(
                        sql: "INSERT INTO users (first_name, last_name) VALUES (?, 'Zimmer')", arguments: ["Z\(n)"])
                    try db.execute(
                        sql: "INSERT INTO user_profiles (user_id, organisation_id) VALUES (?, ?)",
                        arguments: [db.lastInsertedRowID, ids.arras])
                }
            }
            let first = try browser.request("GET", ids.path(.users))
            #expect(first.text.contains("15 usagers"))
            #expect(first.text.contains(#"href="\#(ids.path(.users))?page=2""#))
            let second = try browser.request("GET", ids.path(.users) + "?page=2")
            #expect(second.text.components(separatedBy: "<tr>").count - 1 == 1 + 5)  // header + 5 rows
            let searched = try browser.request("GET", ids.path(.users) + "?q=zimmer")
            #expect(searched.text.contains(#"href="\#(ids.path(.users))?q=zimmer&amp;page=2""#))
        }
    }

    // MARK: Create

    @Test func theNewFormOffersTheFieldsByLabel() throws {
        try session { browser, _, ids in
            let page = try browser.request("GET", ids.path(.newUser))
            #expect(page.status == 200)
            for label in ["Prénom", "Nom", "Nom de naissance", "Date de naissance", "Adresse e-mail", "Téléphone", "Adresse"] {
                #expect(page.text.contains(">\(label)</label>") || page.text.contains(">\(label)<span"), "\(label)")
            }
            #expect(page.text.contains("Cet usager est un proche de…"))
            // The territory enables no optional field.
            #expect(!page.text.contains("Numéro d'allocataire"))
            try GoldenPageTests.expectGolden("users-new", page.text)

            let relative = try browser.request("GET", ids.path(.newUser) + "?responsible_id=\(ids.helene)")
            #expect(relative.text.contains(#"<option value="\#(ids.helene)" selected>Hélène DUPRÉ, né(e) le 12/03/1980</option>"#))
        }
    }

    @Test func theTerritorysOptionalFieldsAreOfferedSavedAndShown() throws {
        try session { browser, db, ids in
            try db.writer.write { db in
                try db.execute(
                    sql: """
                        UPDATE territories SET enable_notes_field = 1, enable_logement_field = 1,
                            enable_number_of_children_field = 1, enable_caisse_affiliation_field = 1
                        """)
            }
            let page = try browser.request("GET", ids.path(.newUser))
            #expect(page.text.contains(#"<label class="fr-label" for="notes">Remarques</label>"#))
            #expect(page.text.contains(#"<label class="fr-label" for="logement">Logement</label>"#))
            #expect(page.text.contains(#"<label class="fr-label" for="number_of_children">Nombre d&#39;enfants</label>"#))
            #expect(page.text.contains(#"<option value="caf">CAF</option>"#))
            #expect(!page.text.contains("Numéro d&#39;allocataire"))
            try GoldenPageTests.expectGolden("users-new-optional-fields", page.text)
            let token = try GoldenPageTests.token(in: page.text)
            let bad = try browser.request(
                "POST", ids.path(.users),
                form: form(newUserForm(first: "Léo", last: "Roux", extra: [("number_of_children", "deux")]), token: token))
            #expect(bad.status == 422)
            #expect(bad.text.contains("Nombre d&#39;enfants doit être un nombre positif ou nul"))
            #expect(bad.text.contains(#"value="deux""#))
            let saved = try browser.request(
                "POST", ids.path(.users),
                form: form(
                    newUserForm(
                        first: "Léo", last: "Roux",
                        extra: [
                            ("number_of_children", "2"), ("logement", "locataire"), ("caisse_affiliation", "caf"),
                            ("notes", "Préfère le matin"), ("affiliation_number", "ignoré"),
                        ]), token: token))
            #expect(saved.status == 303)
            let row = try #require(try db.writer.read {
                try Row.fetchOne(
                    $0,
                    sql: """
                        SELECT id, number_of_children, logement, caisse_affiliation, notes, affiliation_number
                        FROM users WHERE first_name = 'Léo'
                        """)
            })
            #expect(row["number_of_children"] as Int? == 2)
            #expect(row["logement"] as String? == "locataire")
            #expect(row["caisse_affiliation"] as String? == "caf")
            #expect(row["notes"] as String? == "Préfère le matin")
            #expect(row["affiliation_number"] as String? == nil)  // not enabled: not written
            let file = try browser.request("GET", ids.path(.user(id: row["id"])))
            #expect(file.text.contains("<dt>Logement</dt><dd>Locataire</dd>"))
            #expect(file.text.contains("<dt>Remarques</dt><dd>Préfère le matin</dd>"))
        }
    }

    @Test func aFormWithErrorsIsRenderedAgainWithItsValues() throws {
        try session { browser, db, ids in
            let token = try GoldenPageTests.token(in: try browser.request("GET", ids.path(.newUser)).text)
            let response = try browser.request(
                "POST", ids.path(.users),
                form: form(
                    newUserForm(first: "", last: "Durand <b>", birthDate: "2030-01-01", email: "pas-une-adresse"),
                    token: token))
            #expect(response.status == 422)
            #expect(response.text.contains("<title>Erreur : Créer un usager"))
            #expect(response.text.contains(#"<p id="first_name-error" class="fr-error-text">Prénom doit être rempli(e)</p>"#))
            #expect(response.text.contains(#"aria-describedby="first_name-error""#))
            #expect(response.text.contains("Date de naissance ne peut pas être dans le futur"))
            #expect(response.text.contains("Adresse e-mail n&#39;est pas une adresse e-mail valide"))
            #expect(response.text.contains(#"value="Durand &lt;b&gt;""#))
            #expect(response.text.contains(#"value="pas-une-adresse""#))
            try GoldenPageTests.expectGolden("users-new-errors", response.text)
            let count = try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM users") }
            #expect(count == 4)
        }
    }

    @Test func aLikelyDuplicateIsAWarningThatEnregistrerQuandMemeOverrides() throws {
        try session { browser, db, ids in
            let token = try GoldenPageTests.token(in: try browser.request("GET", ids.path(.newUser)).text)
            let fields = newUserForm(first: "Hélène", last: "Dupré", birthDate: "1980-03-12", phone: "06 12 34 56 78")
            let warned = try browser.request("POST", ids.path(.users), form: form(fields, token: token))
            #expect(warned.status == 422)
            #expect(warned.text.contains("Un usager avec les mêmes nom, prénom et date de naissance existe déjà"))
            #expect(warned.text.contains("Un usager avec le même numéro de téléphone existe déjà"))
            #expect(warned.text.contains(#"name="ignore_benign_errors" value="1">Enregistrer quand même</button>"#))
            #expect(warned.text.contains(#"<a href="\#(ids.path(.user(id: ids.helene)))">Hélène DUPRÉ, né(e) le 12/03/1980, 0612345678</a>"#))
            try GoldenPageTests.expectGolden("users-new-duplicates", warned.text)

            let saved = try browser.request(
                "POST", ids.path(.users), form: form(fields + [("ignore_benign_errors", "1")], token: token))
            #expect(saved.status == 303)
            let id = try #require(try db.writer.read {
                try Int64.fetchOne($0, sql: "SELECT max(id) FROM users WHERE first_name = 'Hélène'")
            })
            #expect(id != ids.helene)
            #expect(saved.headers.first { $0.0 == "Location" }?.1 == ids.path(.user(id: id)))
            let row = try #require(try db.writer.read {
                try Row.fetchOne(
                    $0,
                    sql: """
                        SELECT u.created_through, u.phone_number_formatted, p.organisation_id FROM users u
                        JOIN user_profiles p ON p.user_id = u.id WHERE u.id = ?
                        """, arguments: [id])
            })
            #expect(row["created_through"] as String == "agent_creation")
            #expect(row["phone_number_formatted"] as String == "+33612345678")
            #expect(row["organisation_id"] as Int64 == ids.arras)
            let file = try browser.request("GET", ids.path(.user(id: id)))
            #expect(file.text.contains("L&#39;usager a été créé."))
            // From Lens, where Hélène has no profile, the duplicate is counted but not shown.
            let lens = try browser.request("POST", ids.path(.users, in: ids.lens), form: form(fields, token: token))
            #expect(lens.status == 422)
            #expect(lens.text.contains("<li>2 usagers suivis par d&#39;autres organisations</li>"))
            #expect(!lens.text.contains("0612345678</a>"))
        }
    }

    @Test func aTakenEmailIsAHardError() throws {
        try session { browser, _, ids in
            let token = try GoldenPageTests.token(in: try browser.request("GET", ids.path(.newUser)).text)
            let response = try browser.request(
                "POST", ids.path(.users),
                form: form(
                    newUserForm(first: "Jean", last: "Autre", email: "HELENE@example.fr ", extra: [("ignore_benign_errors", "1")]),
                    token: token))
            #expect(response.status == 422)
            #expect(response.text.contains("Adresse e-mail est déjà utilisé par un autre usager"))
        }
    }

    @Test func aRelativeIsCreatedThroughTheResponsibleSearch() throws {
        try session { browser, db, ids in
            let token = try GoldenPageTests.token(in: try browser.request("GET", ids.path(.newUser)).text)
            let searched = try browser.request(
                "POST", ids.path(.users),
                form: form(
                    newUserForm(first: "Léa", last: "Dupré", extra: [("search_responsible", "1")])
                        .map { $0.0 == "responsible_search" ? ($0.0, "dupre") : $0 }, token: token))
            #expect(searched.status == 200)
            #expect(searched.text.contains(#"<option value="\#(ids.helene)">Hélène DUPRÉ, né(e) le 12/03/1980</option>"#))
            // Paul is a relative himself: not offered.
            #expect(!searched.text.contains(#"<option value="\#(ids.paul)""#))
            #expect(searched.text.contains(#"value="Léa""#))
            let saved = try browser.request(
                "POST", ids.path(.users),
                form: form(
                    newUserForm(first: "Léa", last: "Dupré").map { $0.0 == "responsible_id" ? ($0.0, "\(ids.helene)") : $0 },
                    token: token))
            #expect(saved.status == 303)
            let responsible = try db.writer.read {
                try Int64.fetchOne($0, sql: "SELECT responsible_id FROM users WHERE first_name = 'Léa'")
            }
            #expect(responsible == ids.helene)
            // In Lens, Marc (not Hélène) may be chosen.
            let lens = try browser.request(
                "POST", ids.path(.users, in: ids.lens),
                form: form(
                    newUserForm(first: "Noé", last: "Lefèvre").map { $0.0 == "responsible_id" ? ($0.0, "\(ids.marc)") : $0 },
                    token: token))
            #expect(lens.status == 303)
            let notHere = try browser.request(
                "POST", ids.path(.users, in: ids.lens),
                form: form(
                    newUserForm(first: "Noé", last: "Dupré").map { $0.0 == "responsible_id" ? ($0.0, "\(ids.helene)") : $0 },
                    token: token))
            #expect(notHere.status == 422)
            // A relative cannot be a responsible.
            let refused = try browser.request(
                "POST", ids.path(.users),
                form: form(
                    newUserForm(first: "Max", last: "Dupré").map { $0.0 == "responsible_id" ? ($0.0, "\(ids.paul)") : $0 },
                    token: token))
            #expect(refused.status == 422)
            #expect(refused.text.contains(#"id="responsible_id-error""#))
        }
    }

    // MARK: Show, edit

    @Test func theFileShowsDetailsFamilyReferentsAndAppointments() throws {
        try session { browser, _, ids in
            let file = try browser.request("GET", ids.path(.user(id: ids.helene)))
            #expect(file.status == 200)
            #expect(file.text.contains("<h1>Hélène DUPRÉ</h1>"))
            #expect(file.text.contains("12/03/1980 (45 ans)"))
            #expect(file.text.contains(#"<a href="\#(ids.path(.user(id: ids.paul)))">Paul DUPRÉ</a>"#))
            #expect(file.text.contains("<li>Alice MARTIN\n"))
            #expect(file.text.contains(#"href="\#(ids.path(.rdv(id: ids.upcoming)))""#))
            #expect(file.text.contains(#"<time datetime="2025-11-30T10:00:00+01:00">30/11/2025 10h00</time>"#))
            #expect(file.text.contains(#"href="\#(ids.path(.creneauxSearch))?user_ids%5B%5D=\#(ids.helene)">Prendre RDV</a>"#))
            #expect(file.text.contains("Inviter à créer un compte</button>"))
            #expect(file.text.contains(#"href="\#(ids.path(.editUser(id: ids.helene)))">Modifier</a>"#))
            #expect(file.text.contains(">Supprimer</button>"))
            try GoldenPageTests.expectGolden("users-show", file.text)

            let relative = try browser.request("GET", ids.path(.user(id: ids.paul)))
            #expect(relative.text.contains(#"<p class="fr-mb-2w">Proche de <a href="\#(ids.path(.user(id: ids.helene)))">Hélène DUPRÉ</a></p>"#))
            #expect(relative.text.contains("<dt>Téléphone</dt><dd>0612345678 (du responsable)</dd>"))
            // A relative has no login: no invitation.
            #expect(!relative.text.contains("Inviter à créer un compte"))
            try GoldenPageTests.expectGolden("users-show-relative", relative.text)
        }
    }

    @Test func anEditSavesAndKeepsValuesOnError() throws {
        try session { browser, db, ids in
            let edit = try browser.request("GET", ids.path(.editUser(id: ids.helene)))
            #expect(edit.status == 200)
            #expect(edit.text.contains(#"value="helene@example.fr""#))
            #expect(edit.text.contains(#"name="_method" value="PATCH""#))
            try GoldenPageTests.expectGolden("users-edit", edit.text)
            let token = try GoldenPageTests.token(in: edit.text)
            var fields = newUserForm(
                first: "Hélène", last: "Dupré-Martin", birthDate: "1980-03-12", email: "helene@example.fr",
                phone: "0612345678")
            fields.append(("_method", "PATCH"))
            let saved = try browser.request("POST", ids.path(.user(id: ids.helene)), form: form(fields, token: token))
            #expect(saved.status == 303)
            #expect(saved.headers.first { $0.0 == "Location" }?.1 == ids.path(.user(id: ids.helene)))
            let name = try db.writer.read {
                try String.fetchOne($0, sql: "SELECT last_name FROM users WHERE id = ?", arguments: [ids.helene])
            }
            #expect(name == "Dupré-Martin")
            #expect(try browser.request("GET", ids.path(.user(id: ids.helene))).text.contains("L&#39;usager a été modifié."))

            let invalid = fields.map { $0.0 == "phone_number" ? ($0.0, "12") : $0 }
            let refused = try browser.request("POST", ids.path(.user(id: ids.helene)), form: form(invalid, token: token))
            #expect(refused.status == 422)
            #expect(refused.text.contains("Téléphone n&#39;est pas un numéro de téléphone valide"))
            #expect(refused.text.contains(#"value="Dupré-Martin""#))
            // A user with an account cannot become a relative.
            try db.writer.write { db in
                try db.execute(sql: "UPDATE users SET password_hash = 'x' WHERE id = ?", arguments: [ids.helene])
            }
            let relative = fields.map { $0.0 == "responsible_id" ? ($0.0, "\(ids.zoe)") : $0 }
            let withAccount = try browser.request("POST", ids.path(.user(id: ids.helene)), form: form(relative, token: token))
            #expect(withAccount.status == 422)
            #expect(withAccount.text.contains("ne peut pas être renseigné : cet usager a un compte"))
        }
    }

    // MARK: Remove, delete, invite

    @Test func removalIsRefusedWhileAppointmentsAreUpcoming() throws {
        try session { browser, _, ids in
            let token = try GoldenPageTests.token(in: try browser.request("GET", ids.path(.user(id: ids.helene))).text)
            let response = try browser.request(
                "POST", ids.path(.user(id: ids.helene)),
                form: form([("_method", "DELETE"), ("scope", "organisation")], token: token))
            #expect(response.status == 422)
            #expect(response.text.contains("a des rendez-vous à venir dans cette organisation"))
            try GoldenPageTests.expectGolden("users-show-removal-refused", response.text)
            // Paul has no appointment of his own (the family check goes to relatives, not up).
            let paul = try browser.request(
                "POST", ids.path(.user(id: ids.paul)), form: form([("_method", "DELETE"), ("scope", "all")], token: token))
            #expect(paul.status == 303)
        }
    }

    @Test func removingTheLastProfileAnonymisesTheUser() throws {
        try session { browser, db, ids in
            let token = try GoldenPageTests.token(in: try browser.request("GET", ids.path(.user(id: ids.zoe))).text)
            // Zoé is known to Arras and Lens: removing her from Arras keeps her file for Lens.
            let removed = try browser.request(
                "POST", ids.path(.user(id: ids.zoe)),
                form: form([("_method", "DELETE"), ("scope", "organisation")], token: token))
            #expect(removed.status == 303)
            #expect(removed.headers.first { $0.0 == "Location" }?.1 == ids.path(.users))
            #expect(try browser.request("GET", ids.path(.users)).text.contains("L&#39;usager a été retiré de l&#39;organisation."))
            #expect(try browser.request("GET", ids.path(.user(id: ids.zoe))).status == 404)
            #expect(try browser.request("GET", ids.path(.user(id: ids.zoe), in: ids.lens)).status == 200)
            // Then deleted from Lens: no profile left, anonymised.
            let deleted = try browser.request(
                "POST", ids.path(.user(id: ids.zoe), in: ids.lens),
                form: form([("_method", "DELETE"), ("scope", "all")], token: token))
            #expect(deleted.status == 303)
            let row = try #require(try db.writer.read {
                try Row.fetchOne($0, sql: "SELECT first_name, email, deleted_at FROM users WHERE id = ?", arguments: [ids.zoe])
            })
            #expect(row["first_name"] as String == "Usager supprimé")
            #expect(row["email"] as String == "user_\(ids.zoe)@deleted.invalid")
            #expect(row["deleted_at"] as Int64? != nil)
            #expect(try browser.request("GET", ids.path(.user(id: ids.zoe), in: ids.lens)).status == 404)
            #expect(try db.searchUsers("zoe", organisationID: ids.lens, limit: 5).isEmpty)
        }
    }

    @Test func theInvitationPlansAnEmail() throws {
        try session { browser, db, ids in
            let token = try GoldenPageTests.token(in: try browser.request("GET", ids.path(.user(id: ids.helene))).text)
            let response = try browser.request(
                "POST", ids.path(.userInvitation(id: ids.helene)), form: form([], token: token))
            #expect(response.status == 303)
            let mail = try #require(try db.writer.read {
                try String.fetchOne($0, sql: "SELECT payload FROM outbox_messages WHERE kind = 'email' ORDER BY id DESC LIMIT 1")
            })
            #expect(mail.contains("helene@example.fr"))
            #expect(mail.contains("user_invitation"))
            let tokens = try db.writer.read {
                try Int.fetchOne(
                    $0, sql: "SELECT count(*) FROM account_tokens WHERE purpose = 'user_invitation' AND user_id = ?",
                    arguments: [ids.helene])
            }
            #expect(tokens == 1)
            let file = try browser.request("GET", ids.path(.user(id: ids.helene)))
            #expect(file.text.contains("L&#39;invitation à créer un compte a été envoyée."))
            #expect(file.text.contains("Invitation envoyée le 25/11/2025 10h00"))
            // A user without an e-mail cannot be invited.
            let marc = try browser.request(
                "POST", ids.path(.userInvitation(id: ids.zoe)), form: form([], token: token))
            #expect(marc.status == 422)
        }
    }

    @Test func referentsAreAssignedAndUnassigned() throws {
        try session { browser, db, ids in
            let alice = try #require(try db.writer.read {
                try Int64.fetchOne($0, sql: "SELECT id FROM agents WHERE first_name = 'Alice'")
            })
            let bob = try #require(try db.writer.read {
                try Int64.fetchOne($0, sql: "SELECT id FROM agents WHERE first_name = 'Bob'")
            })
            func referents() throws -> [Int64] {
                try db.writer.read {
                    try Int64.fetchAll($0, sql: "SELECT agent_id FROM referents WHERE user_id = ?", arguments: [ids.helene])
                }
            }
            let path = ids.path(.userReferents(id: ids.helene))
            let token = try GoldenPageTests.token(in: try browser.request("GET", ids.path(.user(id: ids.helene))).text)
            let removed = try browser.request(
                "POST", path, form: form([("_method", "DELETE"), ("agent_id", "\(alice)")], token: token))
            #expect(removed.status == 303)
            #expect(try referents() == [])
            let file = try browser.request("GET", ids.path(.user(id: ids.helene)))
            #expect(file.text.contains("Le référent a été retiré."))
            #expect(file.text.contains(#"<label class="fr-label" for="agent_id">Ajouter un référent</label>"#))
            #expect(file.text.contains(#"<option value="\#(alice)">Alice MARTIN</option>"#))
            let added = try browser.request("POST", path, form: form([("agent_id", "\(alice)")], token: token))
            #expect(added.status == 303)
            #expect(try referents() == [alice])
            // Bob has no role in Arras: not offered, refused.
            let refused = try browser.request("POST", path, form: form([("agent_id", "\(bob)")], token: token))
            #expect(refused.status == 422)
            let forged = try browser.request("POST", path, form: [("agent_id", "\(alice)"), ("_method", "DELETE")])
            #expect(forged.status == 403)
            #expect(try referents() == [alice])
        }
    }

    @Test func twoFilesAreMergedFieldByField() throws {
        try session { browser, db, ids in
            // Zoé (Arras and Lens) is merged into Hélène's file, keeping Zoé's first name.
            let search = try browser.request("GET", ids.path(.userMerge(id: ids.helene)) + "?q=zoe")
            #expect(search.status == 200)
            #expect(search.text.contains(#"aria-label="Rechercher l'usager à fusionner""#))
            let choose = ids.path(.userMerge(id: ids.helene)) + "?other_id=\(ids.zoe)"
            #expect(search.text.contains(#"<a href="\#(choose.replacingOccurrences(of: "&", with: "&amp;"))">Zoé BERNARD</a>"#))
            try GoldenPageTests.expectGolden("users-merge-search", search.text)
            let form = try browser.request("GET", choose)
            #expect(form.status == 200)
            #expect(form.text.contains(#"<label class="fr-label" for="first_name_other">Zoé</label>"#))
            try GoldenPageTests.expectGolden("users-merge", form.text)
            let token = try GoldenPageTests.token(in: form.text)
            let merged = try browser.request(
                "POST", ids.path(.userMerge(id: ids.helene)),
                form: self.form(
                    [("other_id", "\(ids.zoe)"), ("first_name", "other"), ("last_name", "kept")], token: token))
            #expect(merged.status == 303)
            #expect(merged.headers.first { $0.0 == "Location" }?.1 == ids.path(.user(id: ids.helene)))
            let row = try #require(try db.writer.read {
                try Row.fetchOne(
                    $0, sql: "SELECT first_name, last_name, email FROM users WHERE id = ?", arguments: [ids.helene])
            })
            #expect(row["first_name"] as String == "Zoé")
            #expect(row["last_name"] as String == "Dupré")
            #expect(row["email"] as String == "helene@example.fr")
            let profiles = try db.writer.read {
                try Int64.fetchAll(
                    $0, sql: "SELECT organisation_id FROM user_profiles WHERE user_id = ? ORDER BY organisation_id",
                    arguments: [ids.helene])
            }
            #expect(profiles == [ids.arras, ids.lens])
            let removed = try db.writer.read {
                try Row.fetchOne($0, sql: "SELECT first_name, deleted_at FROM users WHERE id = ?", arguments: [ids.zoe])
            }
            #expect(removed?["first_name"] as String? == "Usager supprimé")
            #expect(try browser.request("GET", ids.path(.user(id: ids.helene))).text.contains("Les deux dossiers ont été fusionnés."))
            // A file cannot be merged with itself, nor with one out of scope.
            #expect(try browser.request("GET", ids.path(.userMerge(id: ids.helene)) + "?other_id=\(ids.helene)").status == 404)
            #expect(try browser.request("GET", ids.path(.userMerge(id: ids.helene)) + "?other_id=\(ids.marc)").status == 404)
            let forged = try browser.request(
                "POST", ids.path(.userMerge(id: ids.paul)), form: [("other_id", "\(ids.helene)")])
            #expect(forged.status == 403)
            // Paul is Hélène's relative: he cannot take in the relatives of another file.
            try db.writer.write { db in
                try db.execute(
                    sql: "INSERT INTO users (first_name, last_name, responsible_id) VALUES ('Lou', 'Lefèvre', ?)",
                    arguments: [ids.marc])
                try db.execute(sql: "INSERT INTO user_profiles (user_id, organisation_id) VALUES (?, ?)", arguments: [ids.marc, ids.arras])
            }
            let refused = try browser.request(
                "POST", ids.path(.userMerge(id: ids.paul)), form: self.form([("other_id", "\(ids.marc)")], token: token))
            #expect(refused.status == 422)
            #expect(refused.text.contains("Fusionnez dans l&#39;autre sens."))
        }
    }

    // MARK: Access and CSRF

    @Test func aPostWithoutTokenIsRefused() throws {
        try session { browser, db, ids in
            let create = try browser.request("POST", ids.path(.users), form: newUserForm(first: "Jean", last: "Sans"))
            #expect(create.status == 403)
            let delete = try browser.request(
                "POST", ids.path(.user(id: ids.zoe)), form: [("_method", "DELETE"), ("scope", "all")])
            #expect(delete.status == 403)
            let invite = try browser.request("POST", ids.path(.userInvitation(id: ids.helene)), form: [])
            #expect(invite.status == 403)
            let count = try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM users WHERE deleted_at IS NULL") }
            #expect(count == 4)
        }
    }

    @Test func anAgentOutsideTheUsersOrganisationsSeesNothing() throws {
        try session("bob@example.fr") { browser, _, ids in
            for path in [
                ids.path(.users), ids.path(.newUser), ids.path(.user(id: ids.helene)),
                ids.path(.user(id: ids.helene), in: ids.lens), ids.path(.editUser(id: ids.helene), in: ids.lens),
            ] {
                let response = try browser.request("GET", path)
                #expect(response.status == 404, "\(path)")
                #expect(response.text.contains("Vous n&#39;avez pas accès à cette page."), "\(path)")
            }
            let token = try GoldenPageTests.token(in: try browser.request("GET", ids.path(.users, in: ids.lens)).text)
            let delete = try browser.request(
                "POST", ids.path(.user(id: ids.helene), in: ids.lens),
                form: form([("_method", "DELETE"), ("scope", "all")], token: token))
            #expect(delete.status == 404)
            // His own organisation's users are his to see.
            let list = try browser.request("GET", ids.path(.users, in: ids.lens))
            #expect(list.status == 200)
            #expect(list.text.contains("Marc LEFÈVRE"))
            #expect(!list.text.contains("Hélène"))
        }
    }

    @Test func anonymousVisitorsAreSentToSignIn() throws {
        let (db, directory) = try makeWebDatabase(fixture: Self.fixture)
        defer { try? FileManager.default.removeItem(at: directory) }
        let browser = Browser(app: try makeWebApplication(db, clock: ManualClock(testNow)))
        let response = try browser.request("GET", SiteURL.organisation(id: 1, .users).path)
        #expect(response.status == 303)
        #expect(response.headers.first { $0.0 == "Location" }?.1 == "/agents/sign_in")
    }
}
