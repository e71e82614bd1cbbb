"""Journey (issue 14 quality, RGAA 12.13 / 10.7): the public search from `/` to a slot with the
keyboard only — Tab to reach a control, Enter to follow or send it — on a phone-sized window;
every control reached shows a visible focus indicator."""
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from rdv_browser import JourneyFailure, run

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
    tab_to("a slot", lambda tag, text, ident: tag == "a" and len(text) == 5 and text[2] == "h")
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
    enter("Sélectionnez")


run(journey)
