"""Journey (booking.md §2.2 steps 7–13, §3.3, §4, §7): a person without account, on a phone,
books a demo slot three days away, moves it, then cancels it, as a person would: the slot,
« Recevoir un code par e-mail », the code read from the e-mail, « Créez votre compte »,
« Confirmer le rendez-vous », « Votre rendez-vous est confirmé. »; the confirmation e-mail's
link opened in another browser after the 3-letter check; « Mes rendez-vous », « Déplacer le
rendez-vous », « Annuler le rendez-vous », « Confirmer l'annulation »; then the help and
information pages. With JavaScript, every page passes axe-core at 1280 and 360 px."""
import datetime

from selenium.webdriver.common.by import By

from rdv_browser import AxeLog, JourneyFailure, Person, axe_check, read_mail, run

EMAIL = "camille.nouvelle@example.fr"


def journey(person):
    javascript = person.javascript
    person.driver.set_window_size(360, 740)
    visited = []

    def step(title):
        person.expect_title_starts(title)
        visited.append(person.path)

    axe = AxeLog(person)
    check_in_place = axe.in_place
    check_now = axe.now

    person.visit("/")
    person.fill("Adresse", "10 rue de la paix arras")
    person.press("Rechercher")
    person.press("Continuer")
    person.follow_containing("PMI (Protection Maternelle Infantile)")
    person.follow_containing("Consultation pédiatrique")
    person.follow_containing("MDS Arras Centre")
    step("Choisissez un créneau")
    # A slot three days away or more, so that it can still be moved (48 h) and cancelled (4 h).
    soon = (datetime.date(2026, 12, 7) + datetime.timedelta(days=3)).isoformat()
    slots = [s for s in person.driver.find_elements(By.CSS_SELECTOR, "a[data-starts-at]")
             if s.get_attribute("data-starts-at")[:10] >= soon]
    if not slots:
        raise JourneyFailure(f"the demo week of MDS Arras Centre offers no slot from {soon}")
    starts_at = slots[0].get_attribute("data-starts-at")
    person.navigating(slots[0].click)
    step("Identifiez-vous")
    person.expect_text("Votre rendez-vous n'est pas encore confirmé.")

    person.follow("Recevoir un code par e-mail")
    step("Recevoir un code par e-mail")
    person.fill("Adresse e-mail", "pas-une-adresse")
    person.press("Recevoir un code")
    person.expect_title_starts("Erreur")
    check_in_place("« Recevoir un code par e-mail » with its error")
    person.fill("Adresse e-mail", EMAIL)
    person.press("Recevoir un code")
    step("Saisissez votre code")
    person.expect_text("Si cette adresse est valide, un code vient d'y être envoyé.")
    code = read_mail(EMAIL, r"Voici votre code de connexion[^0-9]*([0-9]{6})")
    wrong = "000000" if code != "000000" else "111111"
    check_in_place("« Saisissez votre code »")
    person.fill("Code reçu par e-mail", wrong)
    person.press("Se connecter")
    person.expect_title_starts("Erreur")
    person.expect_text("Ce code est incorrect ou a expiré.")
    check_in_place("« Saisissez votre code » with its error")
    person.fill("Code reçu par e-mail", code)
    person.press("Se connecter")
    step("Créez votre compte")
    check_in_place("« Créez votre compte »")
    person.press("Créer mon compte")
    person.expect_title_starts("Erreur")
    person.expect_text("Saisissez votre prénom.")
    check_in_place("« Créez votre compte » with its errors")
    person.fill("Prénom", "Camille")
    person.fill("Nom", "Nouvelle")
    person.press("Créer mon compte")

    step("Confirmation")
    person.expect_text("Votre rendez-vous n'est pas encore confirmé.")
    person.expect_text("Camille NOUVELLE")
    if not person.driver.find_elements(By.CSS_SELECTOR, f"time[datetime='{starts_at}']"):
        raise JourneyFailure(f"the confirmation does not show the chosen start {starts_at}")
    person.press("Confirmer le rendez-vous")
    person.expect_text("Votre rendez-vous est confirmé.")
    step("Consultation pédiatrique")
    person.expect_text("Vous pouvez annuler ce rendez-vous en ligne jusqu'à 4 heures avant")

    # The link of the confirmation e-mail, opened in another browser: the 3-letter check.
    stranger = Person(person.base_url, javascript=javascript, width=360, height=740)
    try:
        stranger.visit(read_mail(EMAIL, r"https?://[^/\s]+(/r/[0-9]+/[A-Za-z0-9]{8})"))
        stranger.expect_title_starts("Vérification")
        stranger.fill("Les 3 premières lettres du nom de famille", "dup")
        stranger.press("Voir le rendez-vous")
        stranger.expect_title_starts("Erreur")
        stranger.expect_text("Ces lettres ne correspondent pas")
        stranger.fill("Les 3 premières lettres du nom de famille", "Nou")
        stranger.press("Voir le rendez-vous")
        stranger.expect_title_starts("Consultation pédiatrique")
        if not stranger.driver.find_elements(By.CSS_SELECTOR, f"time[datetime='{starts_at}']"):
            raise JourneyFailure("the link opens a page without the booked start")
        if javascript:
            problems = axe_check(stranger, stranger.path, 360)
            if problems:
                raise JourneyFailure("axe-core violations:\n" + "\n".join(problems))
    finally:
        stranger.close()

    person.visit("/users/rdvs")
    step("Mes rendez-vous")
    person.follow_containing("Consultation pédiatrique")
    person.follow("Déplacer le rendez-vous")
    step("Déplacer le rendez-vous")
    check_now()
    choices = [s for s in person.driver.find_elements(By.CSS_SELECTOR, "a[data-starts-at]")
               if s.get_attribute("data-starts-at")[:10] >= soon]
    if not choices:
        raise JourneyFailure("no other slot to move to")
    moved_to = choices[-1].get_attribute("data-starts-at")
    person.navigating(choices[-1].click)
    person.press("Déplacer le rendez-vous")
    person.expect_text("Votre rendez-vous a été déplacé.")
    if not person.driver.find_elements(By.CSS_SELECTOR, f"time[datetime='{moved_to}']"):
        raise JourneyFailure(f"the moved appointment does not show its new start {moved_to}")
    person.follow("Annuler le rendez-vous")
    step("Annuler le rendez-vous")
    check_now()
    person.press("Confirmer l'annulation")
    person.expect_text("Votre rendez-vous a été annulé.")
    badges = [b.get_attribute("textContent").strip() for b in person.driver.find_elements(By.CSS_SELECTOR, ".fr-badge")]
    if badges != ["Annulé"]:
        raise JourneyFailure(f"the cancelled appointment's badge should read « Annulé »: {badges}")
    if person.driver.find_elements(By.XPATH, "//a[normalize-space(.)='Annuler le rendez-vous']"):
        raise JourneyFailure("a cancelled appointment still offers « Annuler le rendez-vous »")

    # « Reprendre RDV » of the cancellation e-mail: the search again, from the same motif.
    rebook = read_mail(EMAIL, r"https?://[^/\s]+(/prdv\?tkn=[A-Za-z0-9]{8})")
    person.visit(rebook)
    if "/prdv" in person.path:
        raise JourneyFailure(f"« Reprendre RDV » did not lead to the search: {person.path}")
    visited.append(person.path)
    for path in ["/users/account", "/users/relatives", "/aide", "/aide?q=sms", "/politique-de-confidentialite",
                 "/mentions-legales", "/api-docs", "/r/1/AAAAAAAA"]:
        person.visit(path)
        visited.append(path)
    # axe-core on every page seen, while still signed in (the user's own pages need the session).
    problems = axe.problems
    if javascript:
        for path in dict.fromkeys(visited):
            for width in (1280, 360):
                problems += axe_check(person, path, width)
    person.driver.set_window_size(360, 740)
    person.visit("/users/account")
    person.expect_title_starts("Mon compte")
    person.press("Supprimer mon compte")
    person.expect_text("Votre compte a été supprimé.")
    if javascript:
        for path in ["/users/sign_in", "/users/sign_up", "/users/sign_in/code", "/users/password/new",
                     "/users/password/edit?reset_password_token=expired", "/prendre_rdv_prescripteur"]:
            for width in (1280, 360):
                problems += axe_check(person, path, width)
    if problems:
        raise JourneyFailure("axe-core violations:\n" + "\n".join(problems))


run(journey)
