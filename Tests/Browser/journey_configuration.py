"""Journey (issue 13, admin.md §2–§3): Alice, territorial admin of the demo territory, creates an
organisation from « Espace admin », lands in it as its admin, gives it a place whose address she
finds with « Rechercher l'adresse » (the embedded address index of the demo data), and
« Réservation en ligne » says what is missing: a motif. Works without JavaScript (the menus are
<details>, the address search a plain form)."""
from selenium.webdriver.common.by import By

from rdv_browser import JourneyFailure, run

DEMO_PASSWORD = "demo-rdv-62"


def settings(person, item):
    """« Paramètres » → `item` (a <details> menu: opens with a click, JavaScript or not)."""
    summary = person.driver.find_element(By.XPATH, "//summary[normalize-space(.)='Paramètres']")
    details = summary.find_element(By.XPATH, "..")
    if details.get_attribute("open") is None:
        summary.click()
    person.follow(item, scope=details)


def journey(person):
    person.sign_in("alice-martin-11@demo.rdv.fr", DEMO_PASSWORD)
    settings(person, "Espace admin : organisations")
    person.fill("Nom", "MDS Liévin")
    person.fill("Téléphone", "03 21 44 55 66")
    person.press("Créer l'organisation")
    person.expect_text("L'organisation a été créée : vous en êtes l'administrateur.")
    if not person.path.endswith("/edit"):
        raise JourneyFailure(f"the new organisation's page is {person.path}")
    settings(person, "Lieux")
    person.expect_text("Aucun lieu dans cette organisation.")
    person.follow("Créer un lieu")
    person.fill("Nom", "Antenne de Liévin")
    person.fill("Adresse", "5 rue de la paix lievin")
    person.press("Rechercher l'adresse")
    person.check("5 Rue de la Paix 62800 Liévin")
    person.press("Enregistrer")
    person.expect_text("Le lieu a été créé.")
    person.expect_text("5 Rue de la Paix 62800 Liévin")
    settings(person, "Réservation en ligne")
    person.expect_text("La réservation en ligne n'est pas encore active")
    person.expect_text("Créez d'abord un motif.")


run(journey)
