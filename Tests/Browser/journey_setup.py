"""Journey (issue 13, admin.md §2–§4, §11): from an empty database, the instance operator sets
its password through the `rdv superadmin` link, adds a service to the catalogue and creates a
territory with its first organisation and admin. The admin accepts the invitation found in the
« Boîte d'envoi », gives the organisation a place (found through the address service), a motif
« Ouvert aux agents et aux usagers », invites an agent and opens a period for that agent;
« Réservation en ligne » then says booking is active and `/api/v1/creneaux` lists its slots.
Works without JavaScript. Not covered yet: the sectorisation half of the issue's journey.
"""
import json
import os
import re
from urllib.parse import urlparse

from selenium.webdriver.common.by import By

from rdv_browser import JourneyFailure, run

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


def journey(person):
    invitation = operator_creates_the_territory(person)
    admin_configures_online_booking(person, invitation)


run(journey)
