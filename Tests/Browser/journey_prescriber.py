"""Journey (booking.md §5.1): an external prescriber, on a phone, books a motif open to prescribers
for a beneficiary from `/prendre_rdv_prescripteur`: the address, the service, the motif, the
organisation, a slot; « Vos coordonnées de prescripteur » (a wrong e-mail first), « Le
bénéficiaire » (a landline first: refused), « Confirmer le rendez-vous »; « Le rendez-vous de
<bénéficiaire> est confirmé. », the prescriber's confirmation e-mail and the beneficiary's SMS.
A second booking skips the prescriber's details, kept for the next one. With JavaScript every
page state passes axe-core at 1280 and 360 px."""
import os
import sqlite3

from selenium.webdriver.common.by import By

from rdv_browser import AxeLog, JourneyFailure, read_mail, run

PRESCRIBER = "claire.relais@association.example.fr"
# The beneficiary's mobile: SMS go to its E.164 form.
MOBILE = "06 11 22 33 44"
MOBILE_E164 = "+33611223344"


def journey(person):
    person.driver.set_window_size(360, 740)
    axe = AxeLog(person)
    check_in_place = axe.in_place
    check_now = axe.now

    def find_slot():
        person.visit("/prendre_rdv_prescripteur")
        person.expect_title_starts("Votre adresse")
        person.expect_text("Prescripteur : prendre rendez-vous pour un bénéficiaire")
        check_now()
        person.fill("Adresse", "10 rue de la paix arras")
        person.press("Rechercher")
        person.press("Continuer")
        check_now()
        person.follow_containing("Service social")
        # Open to prescribers, not to the public: the visitors' search never shows it.
        person.follow_containing("Accompagnement budget")
        person.follow_containing("MDS Arras")
        person.expect_title_starts("Choisissez un créneau")
        check_now()
        slots = person.driver.find_elements(By.CSS_SELECTOR, "a[data-starts-at]")
        if len(slots) < 2:
            raise JourneyFailure("the demo week of « Accompagnement budget » offers fewer than 2 slots")
        return slots

    slots = find_slot()
    person.navigating(slots[0].click)
    person.expect_title_starts("Vos coordonnées de prescripteur")
    check_now()
    person.fill("Prénom", "Claire")
    person.fill("Nom", "Relais")
    person.fill("Adresse e-mail", "claire.relais")
    person.fill("Numéro de téléphone", "03 21 00 00 00")
    person.press("Continuer")
    person.expect_title_starts("Erreur")
    person.expect_text("Saisissez une adresse e-mail valide")
    if person.control("Prénom").get_attribute("value") != "Claire":
        raise JourneyFailure("the prescriber's first name was not kept after the error")
    check_in_place("« Vos coordonnées de prescripteur » with its error")
    person.fill("Adresse e-mail", PRESCRIBER)
    person.press("Continuer")

    person.expect_title_starts("Le bénéficiaire")
    person.expect_text("Claire Relais")
    check_now()
    person.fill("Prénom du bénéficiaire", "Louis")
    person.fill("Nom du bénéficiaire", "Bénéficiaire")
    person.fill("Téléphone mobile du bénéficiaire (facultatif)", "03 21 11 22 33")
    person.press("Confirmer le rendez-vous")
    person.expect_title_starts("Erreur")
    person.expect_text("Saisissez un numéro de mobile")
    check_in_place("« Le bénéficiaire » with a landline")
    person.fill("Téléphone mobile du bénéficiaire (facultatif)", MOBILE)
    person.press("Confirmer le rendez-vous")

    person.expect_title_starts("Rendez-vous confirmé")
    person.expect_text("Le rendez-vous de Louis Bénéficiaire est confirmé.")
    person.expect_text("Pour modifier ou annuler ce rendez-vous, contactez le service")
    check_now()
    # notifications.md §8: the recap names the beneficiary (last name in capitals) and the service's phone.
    read_mail(PRESCRIBER, r"Le rendez-vous de Louis BÉNÉFICIAIRE est confirmé\.\s+(Date : .*)")
    read_mail(PRESCRIBER, r"(Pour modifier ou annuler ce rendez-vous, contactez le service\.\nTéléphone du service : 03 21 10 00 00)")
    read_mail(MOBILE_E164, r"(RDV Social .*\.\nRDV téléphonique)")

    # The next booking: the prescriber's details are kept, the same beneficiary is found again.
    slots = find_slot()
    person.navigating(slots[1].click)
    person.expect_title_starts("Le bénéficiaire")
    person.expect_text("claire.relais@association.example.fr")
    person.fill("Prénom du bénéficiaire", "louis")
    person.fill("Nom du bénéficiaire", "BÉNÉFICIAIRE")
    person.fill("Téléphone mobile du bénéficiaire (facultatif)", "0611223344")
    person.press("Confirmer le rendez-vous")
    person.expect_text("est confirmé.")

    database = os.environ.get("RDV_JOURNEY_DATABASE")
    if database:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
            users = db.execute(
                "SELECT count(*), min(created_through) FROM users WHERE phone_number_formatted = ?",
                (MOBILE_E164,)).fetchone()
            booked = db.execute(
                """SELECT count(*) FROM appointments a JOIN participations p ON p.appointment_id = a.id
                   JOIN users u ON u.id = p.user_id
                   WHERE u.phone_number_formatted = ? AND a.created_by_type = 'Prescripteur'
                     AND a.created_by_id IN (SELECT id FROM prescribers WHERE email = ?)""",
                (MOBILE_E164, PRESCRIBER)).fetchone()[0]
        if users != (1, "prescripteur"):
            raise JourneyFailure(f"expected one beneficiary created through prescripteur, found {users}")
        if booked != 2:
            raise JourneyFailure(f"expected 2 appointments by the prescriber, found {booked}")

    axe.raise_if_any()


if __name__ == "__main__":
    run(journey)
