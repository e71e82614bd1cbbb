"""A person at a browser: finds controls by their label or visible text (contracts.md §5).

Used by the journeys of Tests/Browser, run from Tests/AppTests/BrowserJourneyTests.swift against
a real `rdv serve`. Every helper fails with a message naming what a person would have looked for.
"""
import os
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait


class JourneyFailure(Exception):
    pass


def xpath_literal(text):
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    parts = text.split("'")
    return "concat(" + ", \"'\", ".join(f"'{p}'" for p in parts) + ")"


def is_stale(element):
    """The page `element` came from has been replaced. Chromium answers a node of a replaced
    document either as stale or with « Node with given id does not belong to the document »
    (an unknown error), depending on when it is asked: both mean the navigation happened."""
    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise


class Person:
    def __init__(self, base_url, javascript=True, width=1280, height=900, shots=None):
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("RDV_CHROMIUM", "/usr/bin/chromium")
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--lang=fr-FR"]:
            options.add_argument(argument)
        if not javascript:
            options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
        self.driver = webdriver.Chrome(
            service=Service(os.environ.get("RDV_CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
        self.driver.set_window_size(width, height)
        self.base_url = base_url.rstrip("/")
        self.javascript = javascript
        self.shots = shots
        self.step = 0

    def close(self):
        self.driver.quit()

    # Navigation
    def visit(self, path):
        self.driver.get(self.base_url + path)
        self.snapshot("visit")

    def navigating(self, click):
        """Clicks something that loads a page, and waits until the new page has replaced the old
        one (a click returns before the navigation ends; reading the page then races it)."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        click()
        WebDriverWait(self.driver, 15).until(lambda _: is_stale(old))
        WebDriverWait(self.driver, 15).until(lambda d: d.find_elements(By.TAG_NAME, "footer"))
        # Done parsing and loading: nodes read now belong to the document a person sees.
        WebDriverWait(self.driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")

    @property
    def path(self):
        url = self.driver.current_url
        return url[len(self.base_url):] if url.startswith(self.base_url) else url

    @property
    def text(self):
        # One call in the current document: a node handle found first and read after could
        # belong to the document the browser has just replaced.
        return self.driver.execute_script("return document.body.innerText")

    def title(self):
        return self.driver.title

    def snapshot(self, name):
        if self.shots:
            self.step += 1
            self.driver.save_screenshot(os.path.join(self.shots, f"{self.step:02d}-{name}.png"))

    # Finding things as a person would
    def control(self, label, scope=None):
        """The form control whose <label> reads `label` (or whose aria-label is `label`)."""
        root = scope or self.driver
        literal = xpath_literal(label)
        for lab in root.find_elements(By.XPATH, f".//label[normalize-space(.)={literal}]"
                                      f" | .//label[normalize-space(text())={literal}]"):
            target = lab.get_attribute("for")
            if target:
                found = self.driver.find_elements(By.ID, target)
                if found:
                    return found[0]
            inner = lab.find_elements(By.XPATH, ".//input|.//select|.//textarea")
            if inner:
                return inner[0]
        found = root.find_elements(By.XPATH, f".//*[@aria-label={literal}]")
        if found:
            return found[0]
        raise JourneyFailure(f"no field labelled « {label} » on {self.path}")

    def fill(self, label, value, scope=None):
        field = self.control(label, scope)
        field.clear()
        field.send_keys(value)

    def fill_date(self, label, iso_date, scope=None):
        """A date field, set directly like `fill_time`: typed digits are read in the browser's
        locale order (day-month or month-day), which headless Chromium does not promise."""
        field = self.control(label, scope)
        if field.get_attribute("type") == "date":
            self.driver.execute_script("arguments[0].value = arguments[1]", field, iso_date)
        else:
            field.clear()
            field.send_keys(iso_date)

    def fill_time(self, label, hhmm, scope=None):
        """A time field, set directly: typing into it depends on the browser's locale (headless
        Chromium leaves it empty for « 0900 »). WebDriver's script runs even when the page's
        JavaScript is off, so the page itself is still used without it."""
        field = self.control(label, scope)
        self.driver.execute_script("arguments[0].value = arguments[1]", field, hhmm)

    def choose(self, label, option, scope=None):
        field = self.control(label, scope)
        if field.tag_name != "select":
            raise JourneyFailure(f"« {label} » is not a list on {self.path}")
        Select(field).select_by_visible_text(option)

    def choose_containing(self, label, fragment, scope=None):
        field = self.control(label, scope)
        for candidate in Select(field).options:
            if fragment in candidate.text:
                Select(field).select_by_visible_text(candidate.text)
                return
        raise JourneyFailure(f"no option containing « {fragment} » in « {label} » on {self.path}")

    def toggle(self, box):
        """A person clicks the label: DSFR draws the box on the label and hides the input."""
        labels = self.driver.find_elements(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']")
        (labels[0] if labels else box).click()

    def check(self, label, scope=None):
        box = self.control(label, scope)
        if not box.is_selected():
            self.toggle(box)

    def uncheck(self, label, scope=None):
        box = self.control(label, scope)
        if box.is_selected():
            self.toggle(box)

    def press(self, text, scope=None):
        """A button (or submit input) by its visible text."""
        root = scope or self.driver
        literal = xpath_literal(text)
        found = root.find_elements(
            By.XPATH, f".//button[normalize-space(.)={literal}] | .//input[@type='submit' and @value={literal}]")
        if not found:
            raise JourneyFailure(f"no button « {text} » on {self.path}")
        self.navigating(found[0].click)
        self.snapshot(text)

    def follow(self, text, scope=None):
        """A link by its visible text."""
        root = scope or self.driver
        literal = xpath_literal(text)
        found = root.find_elements(By.XPATH, f".//a[normalize-space(.)={literal}]")
        if not found:
            raise JourneyFailure(f"no link « {text} » on {self.path}")
        self.navigating(found[0].click)
        self.snapshot(text)

    def follow_containing(self, text, scope=None):
        root = scope or self.driver
        found = root.find_elements(By.XPATH, f".//a[contains(normalize-space(.), {xpath_literal(text)})]")
        if not found:
            raise JourneyFailure(f"no link containing « {text} » on {self.path}")
        self.navigating(found[0].click)
        self.snapshot(text)

    def element_at(self, iso_instant, tag="a"):
        """The slot or event carrying this machine-readable start (contracts.md §5)."""
        literal = xpath_literal(iso_instant)
        found = self.driver.find_elements(By.XPATH, f"//{tag}[@data-starts-at={literal}]") or \
            self.driver.find_elements(By.XPATH, f"//time[@datetime={literal}]/ancestor::{tag}[1]")
        if not found:
            raise JourneyFailure(f"nothing starting at {iso_instant} on {self.path}")
        return found[0]

    def expect_text(self, text):
        if text not in self.text:
            raise JourneyFailure(f"« {text} » is not on {self.path}; the page says:\n{self.text[:1500]}")

    def expect_no_text(self, text):
        if text in self.text:
            raise JourneyFailure(f"« {text} » should not be on {self.path}")

    def expect_title_starts(self, prefix):
        if not self.title().startswith(prefix):
            raise JourneyFailure(f"title « {self.title()} » does not start with « {prefix} » on {self.path}")

    def sign_in(self, email, password):
        self.visit("/agents/sign_in")
        self.fill("Adresse e-mail", email)
        self.fill("Mot de passe", password)
        self.press("Se connecter")

    def sign_out(self):
        """« Se déconnecter » is in the name menu, a <details> (opens without JavaScript too)."""
        for summary in self.driver.find_elements(By.CSS_SELECTOR, "header details > summary"):
            details = summary.find_element(By.XPATH, "..")
            if details.find_elements(By.XPATH, ".//button[normalize-space(.)='Se déconnecter']"):
                if details.get_attribute("open") is None:
                    summary.click()
        self.press("Se déconnecter")

    def wait_for_text(self, text, seconds=20, reload=True):
        """Work done by the server's scheduler (notifications) shows up within `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            if text in self.text:
                return
            if time.monotonic() > deadline:
                raise JourneyFailure(f"« {text} » never appeared on {self.path}; the page says:\n{self.text[:2000]}")
            time.sleep(0.5)
            if reload:
                self.driver.refresh()


def read_mail(recipient, pattern, seconds=20):
    """The first match of `pattern` (its group 1) in the newest e-mail to `recipient` that has one:
    the person opens their mailbox. The development provider keeps the e-mails in the database of
    the server under test (`RDV_JOURNEY_DATABASE`); the scheduler sends them within seconds."""
    import re
    import sqlite3

    database = os.environ["RDV_JOURNEY_DATABASE"]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
            rows = db.execute(
                "SELECT body FROM dev_outbox_messages WHERE recipient = ? ORDER BY id DESC", (recipient,)).fetchall()
        for (body,) in rows:
            match = re.search(pattern, body)
            if match:
                return match.group(1)
        time.sleep(0.3)
    raise JourneyFailure(f"no e-mail to {recipient} matching {pattern!r} within {seconds} s")


def axe_check(person, path, width, visit=True):
    """axe-core's violations on `path` at `width` px (every default rule), and any sideways scroll at
    phone width, as lines of a failure report; empty when the page passes. `visit=False` checks the
    page as it is (the answer to a form, which a GET cannot show again)."""
    from axe_selenium_python import Axe

    person.driver.set_window_size(width, 900)
    if visit:
        person.visit(path)
    person.driver.set_script_timeout(300)
    started = time.monotonic()
    axe = Axe(person.driver)
    axe.inject()
    # Every rule axe-core runs by default (WCAG 2 A/AA and best practices). The axe-core that
    # axe-selenium-python ships (3.1) has no rule tagged wcag21*, and asking for an empty tag
    # never returns.
    results = axe.run()
    problems = [f"{v['id']} ({len(v['nodes'])}): {v['help']} — {v['nodes'][0]['target']}" for v in results["violations"]]
    print(f"{path} @ {width} px: {len(results['violations'])} violations, "
          f"{person.driver.execute_script('return document.getElementsByTagName(`*`).length')} elements, "
          f"{time.monotonic() - started:.1f} s", flush=True)
    overflow = person.driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if width <= 360 and overflow > 0:
        problems.append(f"the page scrolls sideways by {overflow} px")
    return [f"{path} @ {width} px: {p}" for p in problems]



class AxeLog:
    """axe-core over a journey, on a phone-sized window: each check runs at 1280 and 360 px (with
    JavaScript only: axe-core is a script), puts the window back to 360×740, and keeps the
    problems for the journey's end, so one run reports them all."""

    def __init__(self, person):
        self.person = person
        self.problems = []

    def in_place(self, name):
        """The page as it is: the answer to a form, which a GET cannot show again."""
        if self.person.javascript:
            for width in (1280, 360):
                self.problems.extend(axe_check(self.person, name, width, visit=False))
            self.person.driver.set_window_size(360, 740)

    def now(self):
        """This page in its current state (it changes later in the journey), visited again."""
        if self.person.javascript:
            here = self.person.path
            for width in (1280, 360):
                self.problems.extend(axe_check(self.person, here, width))
            self.person.driver.set_window_size(360, 740)
            self.person.visit(here)

    def raise_if_any(self):
        if self.problems:
            raise JourneyFailure("axe-core violations:\n" + "\n".join(self.problems))


def run(journey):
    """`python <journey>.py BASE_URL [--no-javascript] [--shots DIR]`: exit 0 when the journey passes."""
    base_url = sys.argv[1]
    javascript = "--no-javascript" not in sys.argv
    shots = None
    if "--shots" in sys.argv:
        shots = sys.argv[sys.argv.index("--shots") + 1]
        os.makedirs(shots, exist_ok=True)
    person = Person(base_url, javascript=javascript, shots=shots)
    try:
        journey(person)
    except (JourneyFailure, WebDriverException) as failure:
        person.snapshot("failure")
        print(f"JOURNEY FAILED at {person.path}: {failure}", file=sys.stderr)
        sys.exit(1)
    finally:
        person.close()
    print("journey passed")
