"""Journey (booking.md §8): a person books a slot more than 7 days away and, on the appointment's
page, asks « Être prévenu si un créneau se libère plus tôt », sees that they are on the list,
then leaves it. With JavaScript each state passes axe-core at 1280 and 360 px."""
from selenium.webdriver.common.by import By

from rdv_browser import AxeLog, JourneyFailure, read_mail, run

EMAIL = "alix.attente@example.fr"


def journey(person):
    person.driver.set_window_size(360, 740)
    axe = AxeLog(person)
    check_now = axe.now

    person.visit("/")
    person.fill("Adresse", "10 rue de la paix arras")
    person.press("Rechercher")
    person.press("Continuer")
    person.follow_containing("PMI (Protection Maternelle Infantile)")
    person.follow_containing("Consultation pédiatrique")
    person.follow_containing("MDS Arras Centre")
    person.follow("Semaine suivante")
    person.follow("Semaine suivante")
    # Monday 21 December or later: more than 7 days after the clock's 7 December.
    slots = [s for s in person.driver.find_elements(By.CSS_SELECTOR, "a[data-starts-at]")
             if s.get_attribute("data-starts-at")[:10] >= "2026-12-21"]
    if not slots:
        raise JourneyFailure("no slot from 21 December in the demo week")
    person.navigating(slots[0].click)
    person.follow("Recevoir un code par e-mail")
    person.fill("Adresse e-mail", EMAIL)
    person.press("Recevoir un code")
    person.fill("Code reçu par e-mail", read_mail(EMAIL, r"Voici votre code de connexion[^0-9]*([0-9]{6})"))
    person.press("Se connecter")
    person.fill("Prénom", "Alix")
    person.fill("Nom", "Attente")
    person.press("Créer mon compte")
    person.press("Confirmer le rendez-vous")
    person.expect_text("Votre rendez-vous est confirmé.")
    check_now()

    person.press("Être prévenu si un créneau se libère plus tôt")
    person.expect_text("C'est noté : vous serez prévenu par SMS et par e-mail si un créneau se libère plus tôt.")
    person.expect_text("Vous êtes sur la liste d'attente")
    check_now()
    person.press("Ne plus être prévenu")
    person.expect_text("Vous ne serez plus prévenu des créneaux plus tôt.")
    person.expect_text("Un créneau plus tôt vous arrangerait ?")

    axe.raise_if_any()


if __name__ == "__main__":
    run(journey)
