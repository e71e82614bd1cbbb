import Domain
import Foundation
import Testing

@Suite("Territory, organisation, agent and place validation (domain.md §1–§5)")
struct OrganisationAndAgentValidationTests {
    @Test(arguments: [
        ("62", "Europe/Paris"), ("2A", "Europe/Paris"), ("971", "America/Guadeloupe"), ("972", "America/Martinique"),
        ("973", "America/Cayenne"), ("974", "Indian/Reunion"), ("976", "Indian/Mayotte"),
    ])
    func theTimeZoneFollowsTheDepartement(number: String, zone: String) {
        #expect(Territory(name: "T", departementNumber: number).timeZoneIdentifier == zone)
    }

    @Test func territoryRules() {
        #expect(Territory(name: "Pas-de-Calais", departementNumber: "62").validate() == [])
        #expect(
            summary(Territory(name: "", departementNumber: "6200").validate()) == [
                "error name: doit être rempli(e)", "error departement_number: doit comporter au plus 3 caractères",
            ])
    }

    @Test(arguments: [("0321000000", true), ("3949", true), ("", true), ("12345", false), ("39 4", false)])
    func organisationPhoneIsANumberOrAShortNumber(phone: String, valid: Bool) {
        let organisation = Organisation(territoryID: 1, name: "MDS Arras", phoneNumber: phone)
        let expected = valid ? [] : [ValidationIssue.error("phone_number", "n'est pas un numéro de téléphone valide")]
        #expect(organisation.validate() == expected)
    }

    /// The organisation's e-mail becomes the Reply-To of its appointments' e-mails.
    @Test(arguments: [
        ("accueil@mds-arras.fr", true), ("", true), ("accueil", false), ("accueil@mds-arras.fr\r\nBcc: x@y.fr", false),
        ("accueil@mds-arras.fr\n", false), ("a@b.fr, c@d.fr", false),
    ])
    func organisationEmailIsValidated(email: String, valid: Bool) {
        let organisation = Organisation(territoryID: 1, name: "MDS Arras", email: email)
        let expected = valid ? [] : [ValidationIssue.error("email", "n'est pas une adresse e-mail valide")]
        #expect(organisation.validate() == expected)
    }

    @Test func organisationNameAndExternalIDAreUniqueInTheTerritory() {
        let sibling = Organisation(id: 2, territoryID: 1, name: "mds arras", externalID: "A1")
        let elsewhere = Organisation(id: 3, territoryID: 2, name: "MDS Arras", externalID: "A1")
        let organisation = Organisation(id: 1, territoryID: 1, name: "MDS Arras", externalID: "A1")
        #expect(
            summary(organisation.validate(siblings: [sibling, elsewhere])) == [
                "error name: est déjà utilisé", "error external_id: est déjà utilisé",
            ])
        #expect(
            organisation.validate(previous: Organisation(id: 1, territoryID: 9, name: "MDS Arras"))
                == [.error("territory_id", "ne peut pas être modifié")])
        #expect(organisation.isContactable == false)
    }

    @Test func agentRules() {
        // Given an agent without first name, e-mail or service; then an intervenant with an e-mail
        let agent = Agent(email: nil, firstName: nil, lastName: "Martin", serviceIDs: [])
        let intervenant = Agent(
            email: "i@example.fr", firstName: nil, lastName: "Durand", rdvNotificationsLevel: .none,
            plageOuvertureNotificationLevel: .none, absenceNotificationLevel: .none, serviceIDs: [1])
        // Then
        #expect(
            summary(agent.validate()) == [
                "error first_name: doit être rempli(e)", "error email: doit être rempli(e)",
                "error services: doit contenir au moins un service",
            ])
        #expect(intervenant.validate(isIntervenant: true) == [.error("email", "doit être vide pour un intervenant")])
    }

    @Test func theLastAdminCannotLeave() {
        // Given the roles of an organisation after demoting its only admin
        let remaining = [AgentRole(agentID: 1, organisationID: 1, accessLevel: .basic)]
        // Then
        #expect(
            AgentRole.lastAdminIssue(remainingRoles: remaining)
                == .error("access_level", "Il doit toujours y avoir au moins un agent Admin par organisation"))
        #expect(
            AgentRole.lastAdminIssue(
                remainingRoles: remaining + [AgentRole(agentID: 2, organisationID: 1, accessLevel: .admin)]) == nil)
    }

    @Test func promotingAnIntervenantNeedsAnEmail() {
        let before = AgentRole(id: 1, agentID: 1, organisationID: 1, accessLevel: .intervenant)
        let after = AgentRole(id: 1, agentID: 1, organisationID: 1, accessLevel: .basic)
        let agent = Agent(email: nil, firstName: nil, lastName: "Durand", serviceIDs: [1])
        #expect(
            after.validate(previous: before, agent: agent)
                == [.error("email", "est obligatoire pour donner un accès à un intervenant")])
    }

    @Test func placeRules() {
        // Given a place without coordinates; then a permanent place turned single-use
        var place = Place.make()
        place.latitude = nil
        place.longitude = nil
        // Then
        #expect(
            summary(place.validate()) == [
                "error latitude: doit être rempli(e)", "error longitude: doit être rempli(e)",
            ])
        #expect(
            Place.make(availability: .singleUse).validate(previous: .make())
                == [.error("availability", "un lieu ponctuel ne peut pas devenir un lieu permanent, ni l'inverse")])
        #expect(Place.make(availability: .disabled).validate(previous: .make()) == [])
        #expect(Place.make().fullName == "MDS Centre (10 rue de la Paix, 62000 Arras)")
    }
}

@Suite("Sectorisation and other entities (domain.md §12–§13)")
struct SectorisationValidationTests {
    @Test func zonesBelongToTheDepartement() {
        let city = Zone(sectorID: 1, level: .city, cityName: "Arras", cityCode: "62041")
        let street = Zone(
            sectorID: 1, level: .street, cityName: "Arras", cityCode: "62041", streetName: "Rue Ernestale",
            streetBanID: "62042_0420")
        #expect(city.validate(departementNumber: "62") == [])
        #expect(
            city.validate(departementNumber: "59")
                == [.error("city_code", "doit commencer par le numéro du département (59)")])
        #expect(
            street.validate(departementNumber: "62")
                == [.error("street_ban_id", "doit commencer par le code INSEE de la commune suivi de « _ »")])
        #expect(
            city.validate(departementNumber: "62", siblings: [city]) == [
                .error("city_code", "est déjà dans ce secteur")
            ])
    }

    @Test func anAgentAttributionNeedsAnAgent() {
        let attribution = SectorAttribution(sectorID: 1, organisationID: 1, level: .agent)
        #expect(attribution.validate() == [.error("agent_id", "doit être rempli(e)")])
        #expect(SectorAttribution(sectorID: 1, organisationID: 1, level: .organisation).validate() == [])
    }

    @Test func aPrescriberNeedsNamesAndAnEmail() {
        #expect(
            summary(Prescriber(firstName: "", lastName: "Roy", email: "").validate()) == [
                "error first_name: doit être rempli(e)", "error email: doit être rempli(e)",
            ])
    }

    @Test func serviceNamesAreUniqueCaseInsensitively() {
        let pmi = Service(id: 1, name: "PMI (Protection Maternelle Infantile)", shortName: "PMI")
        let copy = Service(name: "pmi (protection maternelle infantile)", shortName: "Pmi")
        #expect(
            summary(copy.validate(others: [pmi])) == [
                "error name: est déjà utilisé", "error short_name: est déjà utilisé",
            ])
        #expect(Service(name: "Secrétariat", shortName: "Secr.").isSecretariat)
    }
}
