"""Citizens' and handlers' pages: the web life cycle, hidden identity, permissions, statistics."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.complaints.models import Complaint
from guichet.complaints.tests.test_services import PNG
from guichet.workflow import services as workflow
from guichet.workflow.models import Case

pytestmark = pytest.mark.django_db


def form_data(categories, niamey, **extra):
    data = {
        "category": categories["sante-accueil"].pk,
        "description": "Le CSI de Lazaret était fermé à 10 h un mardi.",
        "region": niamey.pk,
    }
    data.update(extra)
    return data


def test_the_home_page_offers_filing_following_and_statistics(client, categories):
    page = client.get("/plaintes/").content.decode()
    for url in ("/plaintes/deposer/", "/plaintes/suivi/", "/plaintes/statistiques/"):
        assert url in page
    assert "PLAINTE" in page and "*353#" in page


def test_a_citizen_files_without_an_account_and_sees_the_reference(client, categories, niamey):
    response = client.post(
        "/plaintes/deposer/",
        form_data(
            categories,
            niamey,
            phone="90 12 34 56",
            photo=SimpleUploadedFile("p.png", PNG, "image/png"),
        ),
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/plaintes/suivi/{complaint.reference}/"
    page = client.get(response["Location"]).content.decode()
    assert "Votre plainte est enregistrée" in page
    assert complaint.display_reference in page
    assert complaint.photo
    # The notice is shown once; coming back later shows the follow page only.
    assert "Votre plainte est enregistrée" not in client.get(response["Location"]).content.decode()


def test_the_form_shows_french_errors_and_writes_nothing(client, categories):
    response = client.post("/plaintes/deposer/", {"description": "court"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Corrigez les champs signalés" in page
    assert "au moins la région" in page
    assert Complaint.objects.count() == 0


def test_a_renamed_executable_photo_is_refused_in_the_form(client, categories, niamey):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" * 50, "image/jpeg")
    response = client.post("/plaintes/deposer/", form_data(categories, niamey, photo=fake))
    assert "pas une photo JPEG" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_filing_past_the_ip_limit_is_a_429(client, categories, niamey, settings):
    from guichet.complaints import services

    for n in range(services.IP_LIMIT):
        client.post(
            "/plaintes/deposer/",
            form_data(categories, niamey, description=f"Numéro {n} : porte fermée."),
        )
    response = client.post("/plaintes/deposer/", form_data(categories, niamey))
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()


def test_the_lookup_form_redirects_to_the_complaint(client, file):
    complaint = file()
    response = client.get("/plaintes/suivi/", {"reference": complaint.display_reference.lower()})
    assert response["Location"] == f"/plaintes/suivi/{complaint.reference}/"


def test_a_wrong_reference_is_a_404_and_guessing_is_limited(client, file):
    file()
    response = client.get("/plaintes/suivi/", {"reference": "AAAAA-AAAAA"})
    assert response.status_code == 404
    assert "Aucune plainte ne porte cette référence" in response.content.decode()
    for _ in range(25):
        response = client.get("/plaintes/suivi/AAAAABBBBB/")
    assert response.status_code == 429


def test_the_web_life_cycle_with_the_reference(client, file, handler):
    complaint = file(phone="+22790123456")
    url = f"/plaintes/suivi/{complaint.reference}/"
    client.post(url + "message/", {"text": "C'était vers 10 h."})
    workflow.add_note(complaint.case, actor=handler, text="Le major est en congé.")
    workflow.answer(complaint.case, actor=handler, public_text="Le CSI ouvre désormais à 8 h.")
    page = client.get(url).content.decode()
    assert "C&#x27;était vers 10 h." in page
    assert "Le CSI ouvre désormais à 8 h." in page
    assert "Le major est en congé" not in page  # internal notes stay internal
    assert "agent.plaintes" not in page
    client.post(url + "rouvrir/", {"reason": "Fermé encore ce matin."})
    complaint.case.refresh_from_db()
    assert complaint.case.status == Case.Status.IN_PROGRESS
    workflow.answer(complaint.case, actor=handler, public_text="Le chef de centre est remplacé.")
    client.post(url + "confirmer/")
    complaint.case.refresh_from_db()
    assert complaint.case.status == Case.Status.CLOSED
    response = client.post(url + "noter/", {"rating": "5", "comment": "Merci."}, follow=True)
    assert "Merci pour votre note" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.rating == 5


def test_a_citizen_action_refused_says_why(client, file):
    complaint = file()
    response = client.post(f"/plaintes/suivi/{complaint.reference}/confirmer/", follow=True)
    assert "Seule une plainte qui a reçu une réponse" in response.content.decode()


def test_statistics_are_svg_charts_rendered_on_the_server(client, file, categories, handler):
    file()
    answered = file(category=categories["transport-taxis"], description="Le taxi a doublé le prix.")
    workflow.answer(answered.case, actor=handler, public_text="Le chauffeur est sanctionné.")
    response = client.get("/plaintes/statistiques/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<svg") == 4
    assert "Accueil dans un centre de santé" in page and "Niamey" in page
    assert "<script" not in page and "style=" not in page


# --- Handlers -------------------------------------------------------------------------------


@pytest.fixture
def other_org_handler(make_agent):
    return make_agent("agent.transport", "complaints_handler", "MT-DTT")


def login(client, user):
    client.force_login(user)
    return client


def test_a_handler_sees_their_unit_s_complaints_only(client, file, categories, handler):
    mine = file()
    theirs = file(category=categories["transport-taxis"], description="Le bus est en retard.")
    page = login(client, handler).get("/plaintes/agents/").content.decode()
    assert mine.display_reference in page
    assert theirs.display_reference not in page
    assert client.get(f"/plaintes/agents/{theirs.pk}/").status_code == 404


def test_the_handler_list_runs_a_bounded_number_of_queries(
    client, file, handler, django_assert_max_num_queries
):
    for n in range(5):
        file(description=f"Porte fermée, jour {n}.")
    login(client, handler)
    with django_assert_max_num_queries(12):
        client.get("/plaintes/agents/")


def test_a_handler_follows_the_workflow_with_internal_notes(client, file, handler):
    complaint = file()
    login(client, handler)
    base = f"/plaintes/agents/{complaint.pk}/"
    client.post(base + "assign/", {"agent": handler.pk, "instructions": "Voir le CSI."})
    client.post(base + "start/")
    client.post(base + "note/", {"text": "Appelé le major."})
    client.post(base + "answer/", {"text": "Le CSI ouvre à 8 h."})
    complaint.case.refresh_from_db()
    assert complaint.case.status == Case.Status.ANSWERED
    assert complaint.case.assigned_to == handler
    page = client.get(base).content.decode()
    assert "Appelé le major." in page and "interne" in page


def test_rejecting_needs_a_reason(client, file, handler):
    complaint = file()
    login(client, handler)
    response = client.post(f"/plaintes/agents/{complaint.pk}/reject/", {"text": ""}, follow=True)
    assert "motif" in response.content.decode().lower()
    complaint.case.refresh_from_db()
    assert complaint.case.status == Case.Status.RECEIVED
    client.post(f"/plaintes/agents/{complaint.pk}/reject/", {"text": "Pas de notre ressort."})
    complaint.case.refresh_from_db()
    assert complaint.case.status == Case.Status.REJECTED


def test_a_hidden_identity_is_hidden_from_handlers_on_pages_and_exports(client, file, handler):
    hidden = file(
        phone="+22790123456",
        email="moussa@example.ne",
        first_name="Moussa",
        last_name="Abdou",
        hide_identity=True,
    )
    shown = file(
        phone="+22796000000", first_name="Aïcha", description="La salle d'attente est sale."
    )
    login(client, handler)
    page = client.get(f"/plaintes/agents/{hidden.pk}/").content.decode()
    for secret in ("Moussa", "Abdou", "90123456", "moussa@example.ne"):
        assert secret not in page
    assert "Identité masquée" in page
    assert "Aïcha" in client.get(f"/plaintes/agents/{shown.pk}/").content.decode()
    export = client.get("/plaintes/agents/export.csv")
    text = export.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3
    assert "Moussa" not in text and "+22790123456" not in text and "moussa@example.ne" not in text
    assert "Aïcha" in text


def test_a_head_of_service_sees_the_subtree(client, file, head, categories):
    complaint = file()
    login(client, head)
    assert client.get(f"/plaintes/agents/{complaint.pk}/").status_code == 200


# Permission matrix: every agents' URL × anonymous, citizen, other roles, other organisation.
AGENT_URLS = [
    ("get", "/plaintes/agents/"),
    ("get", "/plaintes/agents/export.csv"),
    ("get", "/plaintes/agents/{pk}/"),
    ("post", "/plaintes/agents/{pk}/start/"),
    ("post", "/plaintes/agents/{pk}/note/"),
]


@pytest.mark.parametrize(("method", "url"), AGENT_URLS)
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("mail_clerk", 403),
        ("court_clerk", 403),
        ("other_org", "404-on-object"),
        ("handler", "ok"),
    ],
)
def test_permission_matrix(client, file, make_agent, citizen, handler, method, url, who, expected):
    complaint = file()
    users = {
        "citizen": lambda: citizen,
        "mail_clerk": lambda: make_agent("courrier", "mail_clerk", "MSP-BC"),
        "court_clerk": lambda: make_agent("greffier", "court_clerk", "TGI-NIAMEY"),
        "other_org": lambda: make_agent("agent.mt", "complaints_handler", "MT-DTT"),
        "handler": lambda: handler,
    }
    if who != "anonymous":
        client.force_login(users[who]())
    path = url.format(pk=complaint.pk)
    response = getattr(client, method)(path, {"text": "Note."} if method == "post" else None)
    if expected == 302:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:agent_login"))
    elif expected == "404-on-object":
        assert response.status_code == (404 if "{pk}" in url else 200)
    elif expected == "ok":
        assert response.status_code in (200, 302)
        if method == "post":
            assert "/plaintes/agents/" in response["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    "url", ["/plaintes/", "/plaintes/deposer/", "/plaintes/statistiques/", "/plaintes/suivi/"]
)
def test_public_pages_are_open_to_everyone(client, categories, url):
    assert client.get(url).status_code == 200


def test_handlers_find_their_space_from_the_complaints_home(client, categories, handler):
    assert "/plaintes/agents/" not in client.get("/plaintes/").content.decode()
    client.force_login(handler)
    assert "/plaintes/agents/" in client.get("/plaintes/").content.decode()


def test_the_public_history_shows_the_assignment_but_not_its_instructions(client, file, handler):
    complaint = file()
    workflow.assign(
        complaint.case,
        actor=handler,
        organisation=complaint.case.organisation,
        agent=handler,
        instructions="Voir le major, il est connu pour ça.",
    )
    page = client.get(f"/plaintes/suivi/{complaint.reference}/").content.decode()
    assert "Confiée à un agent" in page
    assert "il est connu pour ça" not in page
    assert "agent.plaintes" not in page


@pytest.mark.parametrize("path", ["/plaintes/", "/plaintes/deposer/", "/plaintes/statistiques/"])
def test_citizen_pages_are_light_for_slow_networks(client, categories, path):
    """The platform's budget for a citizen page: 60 KiB compressed, with its stylesheets."""
    import gzip
    import re

    html = client.get(path).content
    total = len(gzip.compress(html))
    for asset in set(re.findall(rb'href="(/static/[^"]+)"', html)):
        response = client.get(asset.decode())
        content = b"".join(response.streaming_content) if response.streaming else response.content
        total += len(gzip.compress(content))
    assert total <= 60 * 1024, f"{path} weighs {total} bytes compressed"
