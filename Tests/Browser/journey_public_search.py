"""Journey (booking.md §2.2 steps 1–8): a visitor on a phone finds a slot from an address of the
demo territory, as a person would: « Adresse », « Rechercher », the match, « Continuer », the
service, the motif, the nearest place, the first slot; the slot page says the appointment is not
confirmed yet, and « Modifier le lieu » goes back one step. With JavaScript, every step passes
axe-core at 1280 and 360 px and scrolls no sideways; without it, the same steps work."""
from selenium.webdriver.common.by import By

from rdv_browser import JourneyFailure, axe_check, run


def journey(person):
    javascript = "--no-javascript" not in __import__("sys").argv
    person.driver.set_window_size(360, 740)
    visited = []

    def step(title):
        person.expect_title_starts(title)
        visited.append(person.path)

    person.visit("/")
    step("Votre adresse")
    person.fill("Adresse", "10 rue de la paix arras")
    person.press("Rechercher")
    person.expect_text("Choisissez votre adresse")
    step("Votre adresse")
    person.press("Continuer")
    step("Sélectionnez le service")
    person.follow_containing("PMI (Protection Maternelle Infantile)")
    step("Sélectionnez le motif")
    person.follow_containing("Consultation pédiatrique")
    step("Sélectionnez un lieu")
    places = [e.text for e in person.driver.find_elements(By.CSS_SELECTOR, "a.rdv-choice .rdv-choice__label")]
    if not places or places[0] != "MDS Arras Centre":
        raise JourneyFailure(f"the nearest place of an Arras address should come first: {places}")
    person.expect_text("à 70 m")
    person.follow_containing("MDS Arras Centre")
    step("Choisissez un créneau")
    slots = person.driver.find_elements(By.CSS_SELECTOR, "a[data-starts-at]")
    if not slots:
        raise JourneyFailure("the demo week of MDS Arras Centre offers no slot")
    starts_at = slots[0].get_attribute("data-starts-at")
    person.navigating(slots[0].click)
    step("Identifiez-vous")
    person.expect_text("Votre rendez-vous n'est pas encore confirmé.")
    if not person.driver.find_elements(By.CSS_SELECTOR, f"time[datetime='{starts_at}']"):
        raise JourneyFailure(f"the slot page does not show the chosen start {starts_at}")
    person.follow_containing("Choisir un autre créneau")
    step("Choisissez un créneau")
    modify = person.driver.find_elements(By.XPATH, "//a[normalize-space(.)='Modifier le lieu']")
    if not modify:
        raise JourneyFailure("no « Modifier le lieu » link in the recalled choices")
    person.navigating(modify[0].click)
    step("Sélectionnez un lieu")

    person.visit("/accessibilite")
    step("Déclaration d'accessibilité")
    if javascript:
        problems = []
        for path in dict.fromkeys(visited):
            for width in (1280, 360):
                problems += axe_check(person, path, width)
        if problems:
            raise JourneyFailure("axe-core violations:\n" + "\n".join(problems))
    else:
        overflow = person.driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            raise JourneyFailure(f"the place step scrolls sideways by {overflow} px at 360 px")


run(journey)
