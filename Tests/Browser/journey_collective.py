"""Journey (issue 12, booking.md §6): Alice creates a 3-seat collective appointment from
« RDV collectifs », adds three participants: the list says « Complet » and the public slots no
longer offer it; agents may still overbook, so a fourth is added (domain.md §10). (A user's own
sign-up, refused when full, comes with the public side.)
"""
import json

from rdv_browser import JourneyFailure, run

DEMO_PASSWORD = "demo-rdv-62"
MOTIF_ID, PLACE_ID = 6, 1  # « Atelier massage bébé » at « MDS Arras Centre »


def public_offer(person):
    """The collective appointments the public slots offer on Tuesday 15 December: {rdv_id: seats}."""
    person.driver.get(
        f"{person.base_url}/api/v1/creneaux?motif_id={MOTIF_ID}&lieu_id={PLACE_ID}&from=2026-12-15&to=2026-12-15")
    answer = json.loads(person.driver.execute_script("return document.body.innerText"))
    return {slot["rdv_id"]: slot["remaining_seats"] for slot in answer["creneaux"]}


def add(person, last_name, full_name):
    person.fill("Ajouter un usager", last_name)
    person.press("Rechercher")
    person.press(f"Ajouter {full_name}")
    person.expect_text("Le participant a été ajouté.")


def journey(person):
    person.sign_in("alice-martin-11@demo.rdv.fr", DEMO_PASSWORD)
    before = public_offer(person)
    person.visit("/")
    person.follow("RDV collectifs")
    person.follow("Créer un RDV collectif")
    person.choose("Motif", "Atelier massage bébé")
    person.fill_date("Jour", "2026-12-15")
    person.fill_time("Heure de début", "10:00")
    person.choose("Lieu", "MDS Arras Centre")
    person.fill("Intitulé", "Atelier du 15")
    person.fill("Nombre maximum de participants", "3")
    person.press("Créer le RDV collectif")
    person.expect_text("Le rendez-vous a été créé.")
    rdv_id = int(person.path.rstrip("/").split("/")[-1])
    page = person.path
    offered = public_offer(person)
    if offered.get(rdv_id) != 3 or {k: v for k, v in offered.items() if k != rdv_id} != before:
        raise JourneyFailure(f"the public slots offer {offered} (before: {before}), expected rdv {rdv_id} with 3 seats")

    person.visit(page)
    person.follow("Modifier")
    add(person, "Mercier", "Élodie MERCIER")
    add(person, "Chevalier", "Antoine CHEVALIER")
    add(person, "Dubois", "Emma DUBOIS")
    person.visit("/admin/organisations/1/rdvs_collectifs?from=2026-12-15")
    row = person.driver.execute_script(
        "return [...document.querySelectorAll('tbody tr')].map(r => r.innerText).find(t => t.includes('Atelier du 15'))")
    if not row or "3/3" not in row or "complet" not in row.lower():  # DSFR badges are upper-cased by CSS
        raise JourneyFailure(f"the list shows {row!r}, expected 3/3 and « Complet »")
    if rdv_id in public_offer(person):
        raise JourneyFailure("the full collective appointment is still offered to the public")

    # Agents may overbook.
    person.visit(page)
    person.follow("Modifier")
    add(person, "Garcia", "Sarah GARCIA")
    person.visit("/admin/organisations/1/rdvs_collectifs?from=2026-12-15")
    row = person.driver.execute_script(
        "return [...document.querySelectorAll('tbody tr')].map(r => r.innerText).find(t => t.includes('Atelier du 15'))")
    if not row or "4/3" not in row:
        raise JourneyFailure(f"after a fourth participant the list shows {row!r}, expected 4/3")


run(journey)
