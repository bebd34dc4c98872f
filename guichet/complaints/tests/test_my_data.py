"""« Mes données » (law n° 2022-59): a citizen signed in by phone sees and downloads the complaints
filed with that number, and asks for their erasure where the law allows."""

import json

import pytest
from django.test import Client

from guichet.accounts.models import ErasureRequest, User
from guichet.audit.models import AuditEntry
from guichet.complaints.models import Complaint
from guichet.workflow.models import Case, CaseEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(citizen):
    client = Client()
    client.force_login(citizen)
    return client


@pytest.fixture
def complaints(file):
    mine_closed = file(
        phone="90 12 34 56",
        first_name="Moussa",
        last_name="Issa",
        description="On m'a demandé 5000 F pour un certificat de résidence à la mairie.",
    )
    Case.objects.filter(pk=mine_closed.case_id).update(status=Case.Status.CLOSED)
    CaseEvent.objects.create(
        case=mine_closed.case,
        kind=CaseEvent.Kind.PUBLIC_REPLY,
        text="Le chef de service a rappelé la gratuité du certificat.",
    )
    mine_open = file(
        phone="90 12 34 56", description="Taxi refusant le tarif officiel au rond-point."
    )
    someone_else = file(
        phone="96 11 22 33", last_name="Abdou", description="Un autre plaignant, une autre affaire."
    )
    return mine_closed, mine_open, someone_else


def test_the_page_shows_my_complaints_their_status_and_replies_only(me, complaints):
    page = me.get("/mes-donnees/").content.decode()
    assert "certificat de résidence" in page and "rappelé la gratuité" in page
    assert "Taxi refusant" in page and "Clos" in page
    assert "Abdou" not in page and "autre affaire" not in page
    assert AuditEntry.objects.filter(action="accounts.personal_data.viewed").count() == 1


def test_the_download_is_json_with_one_section_per_app(me, complaints):
    response = me.get("/mes-donnees/?format=json")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    sections = {section["section"]: section for section in data["sections"]}
    assert {"accounts", "complaints", "criminal_records", "correspondence", "talents"} <= set(
        sections
    )
    texts = json.dumps(sections["complaints"], ensure_ascii=False)
    assert "certificat de résidence" in texts and "Abdou" not in texts
    assert len(sections["complaints"]["elements"]) == 2
    assert AuditEntry.objects.filter(action="accounts.personal_data.exported").count() == 1


def test_erasure_erases_an_ended_complaint_and_keeps_an_ongoing_one_with_its_reason(
    me, complaints, citizen
):
    mine_closed, mine_open, someone_else = complaints
    response = me.post("/mes-donnees/effacement/", {"confirm": "on"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Votre identité a été effacée de 1 plainte terminée." in page
    assert "1 plainte en cours" in page and "besoin de vous joindre" in page
    mine_closed.refresh_from_db()
    mine_open.refresh_from_db()
    someone_else.refresh_from_db()
    assert mine_closed.phone == "" and mine_closed.last_name == ""
    assert mine_closed.personal_data_erased_at is not None
    assert mine_open.phone == "+22790123456"
    assert someone_else.last_name == "Abdou"
    request = ErasureRequest.objects.get()
    assert request.user == citizen and request.phone_number == "+22790123456"
    assert any("1 plainte en cours" in what for what, _why in request.kept)
    entry = AuditEntry.objects.get(action="accounts.erasure.requested")
    assert entry.object_id == str(request.pk)


def test_erasure_without_the_confirmation_is_a_form_error_and_erases_nothing(me, complaints):
    response = me.post("/mes-donnees/effacement/", {})
    assert response.status_code == 400
    assert "Cochez la case" in response.content.decode()
    assert not ErasureRequest.objects.exists()
    assert not Complaint.objects.filter(personal_data_erased_at__isnull=False).exists()


def test_an_agent_or_a_visitor_is_sent_to_the_citizen_sign_in(client, complaints):
    assert client.get("/mes-donnees/")["Location"].startswith("/connexion/")
    agent = User.objects.create(username="agent.x", kind=User.Kind.AGENT)
    client.force_login(agent)
    assert client.get("/mes-donnees/?format=json")["Location"].startswith("/connexion/")
