"""Journey (admin.md §8): Alice filters « Liste des RDV » on her own appointments, asks for a CSV
export; « Vos exports » shows it « En préparation » until the scheduler of `rdv serve` has written
it, then « Télécharger » gives the file under its name, with the list's rows and French columns.
Works without JavaScript (the form is a plain POST)."""
from selenium.webdriver.common.by import By

from rdv_browser import JourneyFailure, run

DEMO_PASSWORD = "demo-rdv-62"


def journey(person):
    person.sign_in("alice-martin-11@demo.rdv.fr", DEMO_PASSWORD)
    person.follow("Liste des RDV")
    person.choose("Agent", "Alice MARTIN")
    person.press("Filtrer")
    count = person.driver.find_element(By.CSS_SELECTOR, "main p[role=status]").text
    rows = int(count.split()[0])
    if rows == 0:
        raise JourneyFailure("Alice has no appointment in the demo data")
    person.check("CSV")
    person.press("Exporter")
    if person.path != "/agents/exports":
        raise JourneyFailure(f"« Exporter » led to {person.path}")
    person.expect_text("L'export est en préparation")
    name = "export-rdv-2026-12-07-org-000001.csv"
    person.expect_text(name)
    person.wait_for_text("Télécharger")
    link = person.driver.find_element(By.XPATH, "//a[starts-with(normalize-space(.), 'Télécharger')]")
    # The file as the browser receives it (a download is not readable from the page otherwise).
    answer = person.driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        fetch(arguments[0]).then(async r => done({status: r.status, disposition: r.headers.get('Content-Disposition'),
            text: await r.text()})).catch(e => done({status: 0, text: String(e)}));""",
        link.get_attribute("href")) if person.javascript else None
    if answer is not None:
        if answer["status"] != 200 or answer["disposition"] != f'attachment; filename="{name}"':
            raise JourneyFailure(f"the download answered {answer['status']} {answer.get('disposition')}")
        lines = [line for line in answer["text"].split("\r\n") if line]
        if not lines[0].startswith("année;date prise rdv;heure prise rdv;origine;date rdv;heure rdv;service;motif"):
            raise JourneyFailure(f"unexpected header: {lines[0][:200]}")
        if len(lines) != rows + 1:
            raise JourneyFailure(f"{len(lines) - 1} rows exported, the list shows {rows}")
        if any("Alice MARTIN" not in line for line in lines[1:]):
            raise JourneyFailure("a row of someone else's appointment was exported")


run(journey)
