"""Journey 3: a basic agent (social service) cannot open the agenda of a colleague of another
service (PMI) in the same organisation: 404 « Vous n'avez pas accès à cette page. »
(permissions.md §2)."""
from rdv_browser import JourneyFailure, run

DEMO_PASSWORD = "demo-rdv-62"


def journey(person):
    person.sign_in("paul-dupont-14@demo.rdv.fr", DEMO_PASSWORD)
    # Paul lands on his own agenda.
    person.follow("Agenda")
    own = person.path
    if "/agent_agendas/4" not in own:
        raise JourneyFailure(f"Paul's agenda link leads to {own}")
    # Alice (agent 1, PMI) is in the same organisation but another service.
    person.visit("/admin/organisations/1/agent_agendas/1")
    person.expect_text("Vous n'avez pas accès à cette page.")
    person.expect_no_text("Alice")


run(journey)
