"""The home page speaks in the tasks citizens come for; agents' tools stand apart."""

import pytest
from django.apps import apps
from django.urls import reverse

from guichet.navigation import CitizenTask

pytestmark = pytest.mark.django_db

TASKS = [
    "Porter plainte",
    "Suivre ma démarche",
    "Obtenir mon extrait de casier judiciaire (bulletin n°3)",
    "Horaires et trajets des bus",
    "Lire le Journal officiel",
    "Candidater au programme EIG",
]


def test_the_home_page_lists_the_citizens_tasks_with_what_they_cost_and_how_by_sms(client):
    page = client.get("/").content.decode()
    positions = [page.index(title) for title in TASKS]
    assert positions == sorted(positions)
    assert "1 150 F" in page and "6 500 F" in page  # the bulletin n°3's fiscal stamps
    assert "PLAINTE et votre message au 3535" in page and "*353#" in page
    assert "BUS départ &gt; arrivée au 3535" in page


def test_the_mail_office_is_an_agents_tool_not_a_citizens_service(client, make_agent):
    page = client.get("/").content.decode()
    assert reverse("correspondence:home") not in page
    assert reverse("accounts:agent_login") in page
    agent = make_agent("courrier.sgg", "mail_clerk", "SGG-BC")
    client.force_login(agent)
    page = client.get("/").content.decode()
    assert reverse("correspondence:home") in page and "#espace-agents" in page


def test_every_task_points_to_a_page_that_exists(client):
    for config in apps.get_app_configs():
        for task in getattr(config, "citizen_tasks", []):
            assert isinstance(task, CitizenTask)
            response = client.get(reverse(task.url_name))
            assert response.status_code in (200, 302), task.url_name


def test_follow_my_procedure_offers_the_complaint_reference_and_the_phone_sign_in(client, citizen):
    page = client.get("/suivre/").content.decode()
    assert reverse("complaints:lookup") in page and reverse("accounts:citizen_login") in page
    client.force_login(citizen)
    page = client.get("/suivre/").content.decode()
    assert reverse("criminal_records:my_requests") in page
    assert reverse("talents:candidate_home") in page
