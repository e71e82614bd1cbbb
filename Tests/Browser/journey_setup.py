"""Journey (issue 13, admin.md §2–§4, §11): from an empty database, the instance operator sets
its password through the `rdv superadmin` link, adds a service to the catalogue and creates a
territory with its first organisation and admin. The admin accepts the invitation found in the
« Boîte d'envoi », gives the organisation a place (found through the address service), a motif
« Ouvert aux agents et aux usagers », invites an agent and opens a period for that agent;
« Réservation en ligne » then says booking is active and `/api/v1/creneaux` lists its slots.
Then sectorisation (admin.md §5): the admin creates a sector, simulates a zones CSV import that
shows one error row, imports the corrected file, attributes the sector to the organisation, and
« Test de sectorisation » for an address of the file names that organisation.
Works without JavaScript.
"""
import json
import os
import re
import tempfile
from urllib.parse import urlparse

from selenium.webdriver.common.by import By

from rdv_browser import JourneyFailure, run, xpath_literal

OPERATOR_PASSWORD = "exploitation du service public 2026"
ADMIN_PASSWORD = "une longue phrase pour la somme"
SERVICE = "PMI (Protection Maternelle Infantile)"
ADDRESS = "12 Rue des Trois Cailloux 80000 Amiens"


def settings(person, item):
    """« Paramètres » → `item` (a <details> menu: opens with a click, JavaScript or not)."""
    summary = person.driver.find_element(By.XPATH, "//summary[normalize-space(.)='Paramètres']")
    details = summary.find_element(By.XPATH, "..")
    if details.get_attribute("open") is None:
        summary.click()
    person.follow(item, scope=details)


def set_password(person, password):
    person.fill("Mot de passe", password)
    person.fill("Confirmation du mot de passe", password)
    person.press("Enregistrer mon mot de passe")


def record_id(person, pattern):
    """The id in the first link of the page whose address matches `pattern` (one group)."""
    for link in person.driver.find_elements(By.TAG_NAME, "a"):
        match = re.search(pattern, link.get_attribute("href") or "")
        if match:
            return int(match.group(1))
    raise JourneyFailure(f"no link matching {pattern} on {person.path}")


def operator_creates_the_territory(person):
    link = os.environ.get("RDV_SETUP_LINK", "")
    if "/super_admins/password/edit?token=" not in link:
        raise JourneyFailure(f"no setup link from rdv superadmin: {link!r}")
    parsed = urlparse(link)
    person.visit(f"{parsed.path}?{parsed.query}")
    person.expect_text("ops@exploitant.example")
    set_password(person, OPERATOR_PASSWORD)
    person.expect_text("Votre mot de passe a été enregistré.")
    person.expect_text("Aucun territoire")

    person.follow("Services")
    person.fill("Nom", SERVICE)
    person.fill("Nom court", "PMI")
    person.press("Ajouter le service")
    person.expect_text("Le service a été ajouté au catalogue.")

    person.follow("Créer un territoire")
    person.fill("Nom du territoire", "Somme")
    person.fill("Numéro de département", "80")
    person.choose("Premier service", SERVICE)
    person.fill("Nom de la première organisation", "MDS Amiens")
    person.fill("Adresse e-mail de l'administrateur", "claire.dubois@somme.example")
    person.fill("Prénom de l'administrateur", "Claire")
    person.fill("Nom de l'administrateur", "Dubois")
    person.press("Créer le territoire")
    person.expect_text("Le territoire a été créé : son administrateur a reçu son invitation.")
    person.expect_text("Somme")

    # The scheduler hands the invitation to the development provider within a few seconds.
    person.follow("Boîte d'envoi")
    person.wait_for_text("invitation_token=")
    found = re.search(r"https?://[^\s]+/agents/invitation/accept\?invitation_token=[0-9a-f]{64}", person.text)
    if not found:
        raise JourneyFailure(f"no invitation link in the « Boîte d'envoi »:\n{person.text[:1500]}")
    person.sign_out()
    return urlparse(found.group(0))


def admin_configures_online_booking(person, invitation):
    person.visit(f"{invitation.path}?{invitation.query}")
    person.expect_text("claire.dubois@somme.example")
    set_password(person, ADMIN_PASSWORD)
    person.expect_text("Votre mot de passe a été enregistré. Bienvenue !")

    settings(person, "Lieux")
    person.follow("Créer un lieu")
    person.fill("Nom", "MDS Amiens Centre")
    person.fill("Adresse", "12 rue des trois cailloux amiens")
    person.press("Rechercher l'adresse")
    person.check(ADDRESS)
    person.press("Enregistrer")
    person.expect_text("Le lieu a été créé.")
    place_id = record_id(person, r"/lieux/(\d+)/edit")

    settings(person, "Motifs")
    person.expect_text("Aucun motif dans cette organisation.")
    person.follow("Créer un motif")
    person.fill("Nom", "Consultation de puériculture")
    person.check("Ouvert aux agents et aux usagers")
    person.press("Enregistrer")
    person.expect_text("Le motif a été créé.")
    motif_id = record_id(person, r"/motifs/(\d+)/edit")

    settings(person, "Réservation en ligne")
    person.expect_text("La réservation en ligne n'est pas encore active")
    person.expect_text("n'est associé à une plage d'ouverture en cours")

    settings(person, "Agents")
    person.follow("Inviter un agent")
    person.fill("Adresse e-mail", "marc.petit@somme.example")
    person.fill("Prénom", "Marc")
    person.fill("Nom", "Petit")
    person.check("Agent")
    person.check(SERVICE)
    person.press("Envoyer l'invitation")
    person.expect_text("L'invitation a été envoyée.")
    # DSFR badges are upper-cased by CSS, and innerText shows them so.
    if "invitation en attente" not in person.text.lower():
        raise JourneyFailure("the invited agent has no « Invitation en attente » badge")

    person.follow("Plages d'ouverture de Marc PETIT")
    person.follow("Créer une plage d'ouverture")
    person.fill("Titre", "Permanence du mardi")
    person.fill_date("Premier jour", "2026-12-08")
    person.fill_time("Heure de début", "09:00")
    person.fill_time("Heure de fin", "12:00")
    person.choose("Lieu", "MDS Amiens Centre")
    person.check("Consultation de puériculture")
    person.press("Enregistrer")
    if "Enregistrer quand même" in person.text:
        person.press("Enregistrer quand même")
    person.expect_text("La plage d'ouverture a été créée.")

    settings(person, "Réservation en ligne")
    person.expect_text("La réservation en ligne est active")

    person.driver.get(
        f"{person.base_url}/api/v1/creneaux?motif_id={motif_id}&lieu_id={place_id}&from=2026-12-08&to=2026-12-08")
    answer = json.loads(person.driver.execute_script("return document.body.innerText"))
    starts = [slot["starts_at"] for slot in answer["creneaux"]]
    if not starts or starts[0] != "2026-12-08T09:00:00+01:00" or len(starts) != 6:
        raise JourneyFailure(f"the period's slots are not offered: {starts}")


ZONES_HEADER = "sector_id;city_name;city_code;street_name;street_code"
# 62041 is Arras: not a city of the Somme (80), so the simulation refuses that row.
ZONES_WITH_AN_ERROR = [
    "amiens-centre;Amiens;80021;Rue des Trois Cailloux;1450",
    "amiens-centre;Arras;62041;;",
]
ZONES_FIXED = [
    "amiens-centre;Amiens;80021;Rue des Trois Cailloux;1450",
    "amiens-centre;Amiens;80021;Boulevard Alsace-Lorraine;0630",
]


def zones_file(rows):
    handle = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8")
    handle.write("\n".join([ZONES_HEADER, *rows]) + "\n")
    handle.close()
    return handle.name


def upload_zones(person, rows, button):
    path = zones_file(rows)
    try:
        person.control("Fichier de zones").send_keys(path)
        person.press(button)
    finally:
        os.unlink(path)


def admin_sectorises_the_territory(person):
    person.visit("/agents")
    settings(person, "Espace admin : sectorisation")
    person.fill("Nom", "Amiens centre")
    person.fill("Identifiant", "amiens-centre")
    person.press("Créer le secteur")
    person.expect_text("Amiens centre")

    person.follow("Importer des zones")
    upload_zones(person, ZONES_WITH_AN_ERROR, "Simuler l'import")
    person.expect_text("1 ligne en erreur : rien n'a été importé (simulation).")
    person.expect_text("Code INSEE doit commencer par le numéro du département (80)")
    person.expect_text("Créée")

    upload_zones(person, ZONES_FIXED, "Simuler l'import")
    person.expect_text("Simulation : 2 zones à créer, 0 déjà existante. Rien n'a encore été importé.")
    upload_zones(person, ZONES_FIXED, "Importer")
    person.expect_text("Les zones ont été importées.")
    if "sans attribution" not in person.text.lower():
        raise JourneyFailure("the new sector is not flagged « Sans attribution »")

    person.follow("Amiens centre")
    person.expect_text("Voie : Rue des Trois Cailloux (Amiens)")
    person.expect_text("Voie : Boulevard Alsace-Lorraine (Amiens)")
    person.choose("Organisation", "MDS Amiens")
    person.press("Attribuer à une organisation")
    person.expect_text("Organisation : MDS Amiens")

    person.follow("Sectorisation")
    person.follow("Test de sectorisation")
    person.fill("Adresse", "12 rue des trois cailloux amiens")
    person.press("Tester l'adresse")
    if "Choisissez l'adresse" in person.text or "Plusieurs adresses" in person.text:
        person.check(ADDRESS)
        person.press("Tester l'adresse")
    person.expect_text("80021_1450")
    caption = xpath_literal("Zones et secteurs de l'adresse")
    table = person.driver.find_element(By.XPATH, f"//table[caption[normalize-space(.)={caption}]]")
    rows = [row.text for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    if rows != ["Amiens centre Voie : Rue des Trois Cailloux (Amiens) MDS Amiens"]:
        raise JourneyFailure(f"« Test de sectorisation » does not name the organisation: {rows}")


def journey(person):
    invitation = operator_creates_the_territory(person)
    admin_configures_online_booking(person, invitation)
    admin_sectorises_the_territory(person)


run(journey)
