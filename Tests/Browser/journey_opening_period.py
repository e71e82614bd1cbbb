"""Journey (issue 12): Alice creates a weekly opening period from her agenda, cancels one
occurrence from the period's page, moves another from the agenda (the period's title there opens
that occurrence's form), and `/api/v1/creneaux` for that motif and place shows exactly the
expected slots: her Wednesday evening slots on the 9th, none on the 16th, those of the 23rd an
hour later, none on the 30th (her « Congés » of the demo data). Nothing else of the demo data
opens after 17:00 there.
"""
import json
from datetime import datetime

from rdv_browser import JourneyFailure, run

DEMO_PASSWORD = "demo-rdv-62"
MOTIF_ID, PLACE_ID, ALICE_ID = 1, 1, 1  # « Consultation pédiatrique » (30 min) at « MDS Arras Centre »


def press_saving(person, text):
    person.press(text)
    if "Enregistrer quand même" in person.text:
        person.press("Enregistrer quand même")


def evening_slots(person):
    """Alice's slots starting at 17:00 or later, by day: {"2026-12-09": ["17:00", …], …}."""
    person.driver.get(
        f"{person.base_url}/api/v1/creneaux?motif_id={MOTIF_ID}&lieu_id={PLACE_ID}&from=2026-12-09&to=2026-12-30&mode=agent")
    answer = json.loads(person.driver.execute_script("return document.body.innerText"))
    slots = {}
    for slot in answer["creneaux"]:
        start = datetime.fromisoformat(slot["starts_at"])
        if slot.get("agent_id") == ALICE_ID and start.hour >= 17:
            slots.setdefault(start.date().isoformat(), []).append(start.strftime("%H:%M"))
    return slots


def journey(person):
    person.sign_in("alice-martin-11@demo.rdv.fr", DEMO_PASSWORD)
    person.expect_text("Agenda de Alice MARTIN")
    before = evening_slots(person)
    if before:
        raise JourneyFailure(f"the demo data already opens Wednesday evenings: {before}")

    person.visit("/")
    person.follow("Plages d'ouverture")
    person.expect_text("Plages d'ouverture de Alice MARTIN")
    person.follow("Créer une plage d'ouverture")
    person.fill("Titre", "Renfort du mercredi soir")
    person.fill_date("Premier jour", "2026-12-09")
    person.fill_time("Heure de début", "17:00")
    person.fill_time("Heure de fin", "18:00")
    person.choose("Lieu", "MDS Arras Centre")
    person.check("Consultation pédiatrique")
    person.check("Chaque semaine")
    person.check("Mercredi")
    person.fill_date("Jusqu'au", "2026-12-30")
    press_saving(person, "Enregistrer")
    person.expect_text("La plage d'ouverture a été créée.")
    person.expect_text("toutes les semaines, le mercredi, jusqu'au mercredi 30 décembre 2026")

    person.press("Annuler cette occurrence du Mercredi 16 décembre 2026")
    person.expect_text("L'occurrence a été annulée.")
    person.visit(f"/admin/organisations/1/agent_agendas/{ALICE_ID}?date=2026-12-23&view=week")
    person.follow_containing("Renfort du mercredi soir")
    person.expect_text("Modifier l'occurrence du mercredi 23 décembre 2026 de « Renfort du mercredi soir »")
    person.fill_time("Heure de début", "18:00")
    person.fill_time("Heure de fin", "19:00")
    person.press("Enregistrer")
    person.expect_text("L'occurrence a été modifiée.")

    after = evening_slots(person)
    # The 30th falls in Alice's « Congés » of the demo data (27–31 December): an absence blocks it.
    expected = {"2026-12-09": ["17:00", "17:30"], "2026-12-23": ["18:00", "18:30"]}
    if after != expected:
        raise JourneyFailure(f"/api/v1/creneaux shows {after}, expected {expected}")


run(journey)
