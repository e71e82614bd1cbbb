"""Journey (issue 14 quality, RGAA 12.13 / 10.7): from `/` to a booked appointment, then its
cancellation, with the keyboard only — Tab and Shift+Tab to reach a control, Enter to follow or
send it, typing into fields — on a phone-sized window: the search, a slot of another day, the
sign-in by e-mail code, « Créez votre compte », « Confirmer le rendez-vous », « Annuler le
rendez-vous », « Confirmer l'annulation ». Every control reached shows a visible focus indicator."""
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from selenium.webdriver.common.by import By

from rdv_browser import JourneyFailure, read_mail, run

EMAIL = "clavier@example.fr"

# The focused element: its tag, text, and whether a focus indicator is drawn (DSFR draws an
# outline; a box shadow counts too).
FOCUSED = """
const e = document.activeElement; const s = getComputedStyle(e);
const visible = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
return [e.tagName.toLowerCase(), (e.innerText || e.value || e.getAttribute('aria-label') || '').trim(),
        e.id || '', visible];
"""


def journey(person):
    person.driver.set_window_size(360, 740)
    keys = ActionChains(person.driver)

    def tab_to(description, matches, limit=120):
        for _ in range(limit):
            keys.send_keys(Keys.TAB).perform()
            tag, text, ident, visible = person.driver.execute_script(FOCUSED)
            if matches(tag, text, ident):
                if not visible:
                    raise JourneyFailure(f"{description}: focused on {person.path} without a visible focus indicator")
                return
        raise JourneyFailure(f"{description} is not reachable with Tab on {person.path}")

    def enter(expected_title):
        person.navigating(lambda: keys.send_keys(Keys.ENTER).perform())
        person.expect_title_starts(expected_title)

    person.visit("/")
    tab_to("the « Adresse » field", lambda tag, text, ident: ident == "address")
    keys.send_keys("10 rue de la paix arras").perform()
    enter("Votre adresse")
    person.expect_text("Choisissez votre adresse")
    tab_to("« Continuer »", lambda tag, text, ident: tag == "button" and text == "Continuer")
    enter("Sélectionnez le service")
    tab_to("the PMI service", lambda tag, text, ident: tag == "a" and text.startswith("PMI"))
    enter("Sélectionnez le motif")
    tab_to("« Consultation pédiatrique »", lambda tag, text, ident: tag == "a" and text.startswith("Consultation pédiatrique"))
    enter("Sélectionnez un lieu")
    tab_to("« MDS Arras Centre »", lambda tag, text, ident: tag == "a" and text.startswith("MDS Arras Centre"))
    enter("Choisissez un créneau")
    today = person.driver.find_element(By.CSS_SELECTOR, "a[data-starts-at]").get_attribute("data-starts-at")[:10]

    def later_slot(tag, text, ident):
        starts = person.driver.execute_script("return document.activeElement.getAttribute('data-starts-at')") or ""
        return tag == "a" and starts[:10] > today

    tab_to("a slot of another day than the first", later_slot, limit=250)
    enter("Identifiez-vous")
    person.expect_text("Votre rendez-vous n'est pas encore confirmé.")
    # Back with Shift+Tab: « Modifier le lieu » comes before the summary.
    for _ in range(60):
        keys.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        tag, text, ident, visible = person.driver.execute_script(FOCUSED)
        if tag == "a" and text.startswith("Modifier"):
            if not visible:
                raise JourneyFailure("« Modifier » is focused without a visible focus indicator")
            break
    else:
        raise JourneyFailure("no « Modifier » link reachable with Shift+Tab on the slot page")

    tab_to("« Recevoir un code par e-mail »", lambda tag, text, ident: tag == "a" and text == "Recevoir un code par e-mail")
    enter("Recevoir un code par e-mail")
    tab_to("the « Adresse e-mail » field", lambda tag, text, ident: ident == "email")
    keys.send_keys(EMAIL).perform()
    enter("Saisissez votre code")
    tab_to("the « Code reçu par e-mail » field", lambda tag, text, ident: ident == "code")
    keys.send_keys(read_mail(EMAIL, r"Voici votre code de connexion[^0-9]*([0-9]{6})")).perform()
    enter("Créez votre compte")
    tab_to("the « Prénom » field", lambda tag, text, ident: ident == "first_name")
    keys.send_keys("Camille").perform()
    tab_to("the « Nom » field", lambda tag, text, ident: ident == "last_name")
    keys.send_keys("Clavier").perform()
    enter("Confirmation")
    tab_to("« Confirmer le rendez-vous »", lambda tag, text, ident: tag == "button" and text == "Confirmer le rendez-vous")
    enter("Consultation pédiatrique")
    person.expect_text("Votre rendez-vous est confirmé.")
    tab_to("« Annuler le rendez-vous »", lambda tag, text, ident: tag == "a" and text == "Annuler le rendez-vous")
    enter("Annuler le rendez-vous")
    tab_to("« Confirmer l'annulation »", lambda tag, text, ident: tag == "button" and text == "Confirmer l'annulation")
    enter("Consultation pédiatrique")
    person.expect_text("Votre rendez-vous a été annulé.")

run(journey)
