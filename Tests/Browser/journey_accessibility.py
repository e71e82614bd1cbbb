"""Every agent page of the workspace passes axe-core (every default rule: WCAG 2 A/AA and best practices, the
checks RGAA automates) with no violation, at desktop and phone widths, and scrolls no sideways at 360 px."""
from selenium.webdriver.common.by import By

from rdv_browser import JourneyFailure, axe_check as check, run

DEMO_PASSWORD = "demo-rdv-62"
PAGES = [
    "/admin/organisations/1/agent_agendas/1",
    "/admin/organisations/1/agent_agendas/1?view=day&agent_ids[]=1&agent_ids[]=4",
    "/admin/organisations/1/agent_agendas/1?view=month",
    "/admin/organisations/1/agent_agendas/1?view=list",
    "/admin/organisations/1/creneaux_search",
    "/admin/organisations/1/creneaux_search?motif_id=1",
    "/admin/organisations/1/rdvs",
    "/admin/organisations/1/rdvs/new",
    "/admin/organisations/1/users",
    "/admin/organisations/1/users/new",
    "/admin/organisations/1/users/1",
    "/agents/account",
    "/agents/preferences",
    "/agents/calendar_sync",
    "/agents/exports",
    "/admin/organisations/1/lieux",
    "/admin/organisations/1/agents/1/plage_ouvertures",
    "/admin/organisations/1/agents/1/plage_ouvertures?view=calendar",
    "/admin/organisations/1/agents/1/plage_ouvertures/new",
    "/admin/organisations/1/plage_ouvertures/1",
    "/admin/organisations/1/plage_ouvertures/1/edit",
    "/admin/organisations/1/agents/1/absences",
    "/admin/organisations/1/agents/1/absences/new",
    "/admin/organisations/1/absences/1",
    "/admin/organisations/1/rdvs_collectifs",
    "/admin/organisations/1/rdvs_collectifs/new",
]

ADMIN_PAGES = [
    "/admin/organisations/1/lieux/new",
    "/admin/organisations/1/lieux/1/edit",
    "/admin/organisations/1/online_booking",
    "/admin/organisations/1/edit",
    "/admin/territories/1",
    "/admin/territories/1/services",
    "/admin/territories/1/organisations",
    "/admin/organisations/1/motifs",
    "/admin/organisations/1/motifs?online=1&deleted=1",
    "/admin/organisations/1/motifs/new",
    "/admin/organisations/1/motifs/1/edit",
    "/admin/organisations/1/agents",
    "/admin/organisations/1/agents/new",
    "/admin/organisations/1/intervenants/new",
    "/admin/organisations/1/agent_roles/1/edit",
    "/admin/territories/1/sectors",
    "/admin/territories/1/zones_import",
    "/admin/territories/1/sectorisation_test?q=10+rue+de+la+paix+arras",
    "/admin/territories/1/sectors/1?zone_q=rue+de+la+paix+arras",
    "/stats",
    "/stats/62",
    "/admin/organisations/1/stats",
    "/admin/organisations/1/agents/1/stats",
    "/admin/territories/1/sms",
    "/admin/territories/1/webhooks",
    "/admin/territories/1/teams",
    "/admin/territories/1/agents",
    "/admin/territories/1/agents/new",
    "/admin/territories/1/agents/5",
    "/admin/territories/1/motifs",
    "/admin/territories/1/motifs/bulk_edit?motif_ids=1&motif_ids=2&field=delays",
    "/admin/territories/1/motif_categories",
]


def journey(person):
    person.sign_in("thomas-moreau-12@demo.rdv.fr", DEMO_PASSWORD)
    # « Vos exports » with a row (its download link and hint are the phone's widest content).
    person.visit("/admin/organisations/1/rdvs")
    person.press("Exporter")
    person.wait_for_text("Télécharger")
    # An appointment page of the demo data.
    person.visit("/admin/organisations/1/rdvs")
    links = person.driver.find_elements(By.CSS_SELECTOR, "main table a[href*='/rdvs/']")
    if not links:
        raise JourneyFailure("« Liste des RDV » lists no appointment of the demo data")
    person.navigating(links[0].click)
    pages = PAGES + [person.path, person.path + "/edit"]
    problems = []
    for path in pages:
        for width in (1280, 360):
            problems += check(person, path, width)
    # « Configuration » is for organisation admins.
    person.driver.set_window_size(1280, 900)
    person.sign_out()
    person.sign_in("alice-martin-11@demo.rdv.fr", DEMO_PASSWORD)
    for path in ADMIN_PAGES:
        for width in (1280, 360):
            problems += check(person, path, width)
    if problems:
        raise JourneyFailure("axe-core violations:\n" + "\n".join(problems))


run(journey)
