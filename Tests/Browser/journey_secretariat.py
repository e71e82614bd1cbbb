"""Journey 1 (and 2 with --no-javascript): a secretariat agent's morning on the demo data.

Thomas (secretariat, MDS Arras) opens the day view of two agents side by side, creates a new
user and her child, books the child with Alice through « Trouver un RDV », finds the appointment
in the agenda, moves it one hour later, cancels it « Annulé par le service »; then Alice (the
organisation's admin) finds the SMS and e-mails in the « Boîte d'envoi »: the child's messages
go to her mother (notifications.md §3).
"""
from datetime import datetime, timedelta

from selenium.webdriver.common.by import By

from rdv_browser import JourneyFailure, run

DEMO_PASSWORD = "demo-rdv-62"


def open_menu(person, summary_text):
    """A <details> menu or section: opened by its summary, with or without JavaScript."""
    for summary in person.driver.find_elements(By.TAG_NAME, "summary"):
        if summary_text in summary.text:
            details = summary.find_element(By.XPATH, "..")
            if details.get_attribute("open") is None:
                summary.click()
            return
    raise JourneyFailure(f"no « {summary_text} » section on {person.path}")


def press_saving(person, text):
    """Presses `text`; when benign warnings come back, confirms with « Enregistrer quand même »."""
    person.press(text)
    if "Enregistrer quand même" in person.text:
        person.press("Enregistrer quand même")


def journey(person):
    # Thomas signs in and lands on his agenda.
    person.sign_in("thomas-moreau-12@demo.rdv.fr", DEMO_PASSWORD)
    person.expect_text("Agenda de Thomas MOREAU")

    # The day view of Alice and Paul side by side.
    open_menu(person, "Agents affichés côte à côte")
    person.check("Alice MARTIN")
    person.check("Paul DUPONT")
    person.uncheck("Thomas MOREAU")
    person.press("Afficher les agendas")
    person.expect_text("Agenda du lundi 7 décembre 2026")
    headers = [h.text for h in person.driver.find_elements(By.CSS_SELECTOR, "section[aria-label] h2")]
    if not any("Alice MARTIN" in h for h in headers) or not any("Paul DUPONT" in h for h in headers):
        raise JourneyFailure(f"the day view does not show both agents' columns: {headers}")

    # A new user, then her child as a relative.
    person.follow("Usagers")
    person.follow("Créer un usager")
    person.fill("Prénom", "Jeanne")
    person.fill("Nom", "Testeuse")
    person.fill("Téléphone", "06 12 34 56 78")
    person.fill("Adresse e-mail", "jeanne.testeuse@example.fr")
    press_saving(person, "Enregistrer")
    person.expect_text("Jeanne TESTEUSE")
    person.follow("Ajouter un proche")
    person.fill("Prénom", "Léo")
    person.fill("Nom", "Testeuse")
    press_saving(person, "Enregistrer")
    person.expect_text("Léo TESTEUSE")

    # « Prendre RDV » from the child's file: « Trouver un RDV » with the child carried along.
    person.follow("Prendre RDV")
    person.choose_containing("Motif", "Consultation pédiatrique")
    person.press("Afficher les créneaux")
    if not person.driver.find_elements(By.CSS_SELECTOR, "a.rdv-slot"):
        person.follow_containing("prochaine disponibilité")
    slots = [a for a in person.driver.find_elements(By.CSS_SELECTOR, "a.rdv-slot") if "Alice" in a.text]
    if not slots:
        raise JourneyFailure(f"no slot with Alice on {person.path}:\n{person.text[:1500]}")
    starts_at = slots[0].get_attribute("data-starts-at")
    person.navigating(slots[0].click)
    person.snapshot("wizard")

    # The wizard comes filled: motif, the child, Alice, the start. Save.
    person.expect_text("Léo TESTEUSE")
    press_saving(person, "Créer le rendez-vous")
    person.expect_text("Le rendez-vous a été créé.")

    # The agenda shows it at its time.
    # (the opening period's background block starts at the same time: the event is the one
    # naming the motif)
    events = [e for e in person.driver.find_elements(By.XPATH, f"//*[@data-starts-at='{starts_at}']")
              if "Consultation pédiatrique" in e.text]
    if not events:
        raise JourneyFailure(f"no appointment at {starts_at} in the agenda:\n{person.text[:1500]}")
    event = events[0]

    # Move it one hour later.
    person.navigating(event.find_element(By.CSS_SELECTOR, "a").click)
    person.expect_text("Léo TESTEUSE")
    person.follow("Modifier")
    start = datetime.fromisoformat(starts_at)
    later = start + timedelta(hours=1)
    field = person.control("Heure")
    if person.javascript:
        person.driver.execute_script("arguments[0].value = arguments[1]", field, later.strftime("%H:%M"))
    else:
        field.send_keys(later.strftime("%H%M"))
    press_saving(person, "Enregistrer")
    person.expect_text("Le rendez-vous a été modifié.")
    person.expect_text(later.strftime("%Hh%M"))

    # Cancel it for the service.
    person.choose("Statut", "Annulé par le service")
    person.press("Changer le statut")
    person.expect_text("Le statut du rendez-vous a été modifié.")
    person.expect_text("Annulé par le service")

    # Alice, the admin, reads the development outbox: SMS and e-mails to the mother.
    person.sign_out()
    person.sign_in("alice-martin-11@demo.rdv.fr", DEMO_PASSWORD)
    person.visit("/admin/boite_d_envoi")
    person.wait_for_text("jeanne.testeuse@example.fr")
    person.wait_for_text("RDV modifié")
    person.wait_for_text("a été annulé")
    for text in ["+33612345678", "RDV modifié", "a été annulé"]:
        person.expect_text(text)


run(journey)
