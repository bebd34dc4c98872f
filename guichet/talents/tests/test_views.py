"""Every page of the programme against every role: who may see it, who is refused (403), who is
sent to sign in, and whose object is not found (404). A new URL without a row here fails."""

import pytest
from django.test import Client
from django.urls import reverse

from guichet.notifications.models import Message
from guichet.talents import selection
from guichet.talents.models import Choice, Member, ReviewAssignment
from guichet.talents.tests.conftest import agent_client, citizen_client, close_call

pytestmark = pytest.mark.django_db

OK, LOGIN, FORBIDDEN, NOT_FOUND = 200, "login", 403, 404
ROLES = ["anonymous", "citizen", "owner_mj", "owner_sgg", "manager", "jury_ansi", "other_agent"]


# url name → (kwargs builder, expected GET outcome per role)
PUBLIC = {r: OK for r in ROLES}
CITIZEN_ONLY = {**{r: LOGIN for r in ROLES}, "citizen": OK}


def _agent_page(allowed: set[str]):
    table = {r: FORBIDDEN for r in ROLES}
    table["anonymous"] = LOGIN
    for role in allowed:
        table[role] = OK
    return table


MATRIX = {
    "programme": PUBLIC,
    "catalogue": PUBLIC,
    "challenge": PUBLIC,
    "promotion": PUBLIC,
    "statistics": PUBLIC,
    "candidate_home": CITIZEN_ONLY,
    "candidate_profile": CITIZEN_ONLY,
    "candidate_choices": CITIZEN_ONLY,
    "my_data": CITIZEN_ONLY,
    "verify_email": {r: 400 for r in ROLES},  # a bad token, whoever opens it
    "interview_calendar": {**{r: LOGIN for r in ROLES}, "citizen": NOT_FOUND},
    "team": {**{r: LOGIN for r in ROLES}, "citizen": FORBIDDEN},
    "challenge_results": {
        **{r: FORBIDDEN for r in ROLES},
        "anonymous": LOGIN,
        "owner_mj": OK,  # the Justice challenge's administration
        "manager": OK,
    },
    "owner_home": _agent_page({"owner_mj", "owner_sgg"}),
    "challenge_new": _agent_page({"owner_mj", "owner_sgg"}),
    "challenge_edit": {**_agent_page({"owner_mj"}), "owner_sgg": NOT_FOUND},
    "manager_home": _agent_page({"manager"}),
    "challenge_review": _agent_page({"manager"}),
    "promotion_board": _agent_page({"manager"}),
    "export": _agent_page({"manager"}),
    "jury_home": _agent_page({"jury_ansi"}),
    "review": {**_agent_page(set()), "jury_ansi": NOT_FOUND},
    "review_cv": {**_agent_page(set()), "jury_ansi": NOT_FOUND},
    "review_diploma": {**_agent_page(set()), "jury_ansi": NOT_FOUND},
    "application": _agent_page({"manager"}),
    "application_cv": _agent_page({"manager"}),
    "application_diploma": {**_agent_page(set()), "manager": NOT_FOUND},  # none was sent
}
# POST-only endpoints: GET is refused (405) once the role check passes.
POST_ONLY = {
    "resend_verification": CITIZEN_ONLY,
    "submit": CITIZEN_ONLY,
    "withdraw": CITIZEN_ONLY,
    "book_slot": CITIZEN_ONLY,
    "assign_reviewers": _agent_page({"manager"}),
    "create_slots": _agent_page({"manager"}),
    "shortlist": _agent_page({"manager"}),
    "decide": _agent_page({"manager"}),
}
# The public read-only API: every role gets the same answer (test_api.py, and its rows in
# tests/security/permissions_matrix.py).
API = {"api_promotions", "api_challenges", "api_teams"}


def test_every_url_of_the_app_has_a_row_in_the_matrix():
    from guichet.talents import urls

    declared = {pattern.name for pattern in urls.urlpatterns}
    expected = set(MATRIX) | set(POST_ONLY) | API
    assert declared == expected, declared ^ expected


@pytest.fixture
def world(make_candidate, make_challenge, agents, make_agent, promotion):
    challenge = make_challenge()
    pending = make_challenge("À examiner", owner="owner_mj", accept=False)
    candidate = make_candidate(phone="+22796000009", name="Moussa Issa")
    other = make_candidate(phone="+22796000010", name="Rabi Ali")
    from guichet.talents import services

    application = services.submit_application(
        services.save_application(other, promotion, [(challenge, "Motivation.")])
    )
    close_call(promotion)
    selection.assign_reviewers(promotion, actor=agents["manager"])
    foreign_assignment = ReviewAssignment.objects.exclude(reviewer=agents["jury_ansi"]).first()
    clients = {
        "anonymous": Client(),
        "citizen": citizen_client(candidate),
        "other_agent": agent_client(make_agent("msp.clerk", "mail_clerk", "MSP-BC")),
        **{role: agent_client(agents[role]) for role in ("owner_mj", "owner_sgg", "manager")},
        "jury_ansi": agent_client(agents["jury_ansi"]),
    }
    choice = Choice.objects.get(application=application)
    kwargs = {
        "challenge": {"slug": challenge.slug},
        "challenge_results": {"slug": challenge.slug},
        "promotion": {"slug": promotion.slug},
        "statistics": {"slug": promotion.slug},
        "verify_email": {"token": "not-a-token"},
        "interview_calendar": {"choice_pk": choice.pk},
        "book_slot": {"choice_pk": choice.pk},
        "challenge_edit": {"pk": pending.pk},
        "challenge_review": {"pk": pending.pk},
        "promotion_board": {"pk": promotion.pk},
        "export": {"pk": promotion.pk},
        "assign_reviewers": {"pk": promotion.pk},
        "create_slots": {"pk": promotion.pk},
        "shortlist": {"pk": promotion.pk, "choice_pk": choice.pk},
        "decide": {"pk": promotion.pk, "choice_pk": choice.pk},
        "review": {"pk": foreign_assignment.pk},
        "review_cv": {"pk": foreign_assignment.pk},
        "review_diploma": {"pk": foreign_assignment.pk},
        "application": {"pk": application.pk},
        "application_cv": {"pk": application.pk},
        "application_diploma": {"pk": application.pk},
    }
    return clients, kwargs


def _outcome(response):
    if response.status_code == 302 and "connexion" in response["Location"]:
        return LOGIN
    return response.status_code


def test_get_pages_per_role(world):
    clients, kwargs = world
    wrong = {}
    for name, expected in MATRIX.items():
        url = reverse(f"talents:{name}", kwargs=kwargs.get(name, {}))
        got = {role: _outcome(clients[role].get(url)) for role in ROLES}
        if got != expected:
            wrong[name] = {role: got[role] for role in ROLES if got[role] != expected[role]}
    assert wrong == {}


def test_post_only_endpoints_refuse_get_and_check_roles(world):
    clients, kwargs = world
    wrong = {}
    for name, table in POST_ONLY.items():
        url = reverse(f"talents:{name}", kwargs=kwargs.get(name, {}))
        expected = {role: (405 if outcome == OK else outcome) for role, outcome in table.items()}
        got = {role: _outcome(clients[role].get(url)) for role in ROLES}
        if got != expected:
            wrong[name] = {role: got[role] for role in ROLES if got[role] != expected[role]}
    assert wrong == {}


def test_a_reviewer_cannot_open_an_assignment_of_someone_else(world, agents):
    clients, kwargs = world
    own = ReviewAssignment.objects.filter(reviewer=agents["jury_ansi"]).first()
    assert clients["jury_ansi"].get(f"/eig/agents/jury/{own.pk}/").status_code == 200
    foreign = kwargs["review"]["pk"]
    assert clients["jury_ansi"].get(f"/eig/agents/jury/{foreign}/").status_code == 404


def test_the_export_is_csv_with_formulas_neutralised(world, agents):
    clients, _kwargs = world
    from guichet.talents.models import Candidate

    Candidate.objects.filter(full_name="Rabi Ali").update(full_name='=HYPERLINK("x")')
    promotion_pk = Choice.objects.first().application.promotion_id
    response = clients["manager"].get(f"/eig/agents/programme/promotions/{promotion_pk}/export.csv")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


def test_the_candidate_journey_through_the_pages(make_challenge, promotion, client, db):
    from guichet.accounts.models import User
    from guichet.talents import services
    from guichet.talents.tests.conftest import pdf_upload

    challenge = make_challenge()
    user = User.objects.create(username="+22796000111", phone_number="+22796000111", kind="citizen")
    client.force_login(user)
    page = client.get("/eig/candidature/")
    assert "Remplir mon profil" in page.content.decode()
    response = client.post(
        "/eig/candidature/profil/",
        {
            "full_name": "Hawa Souley",
            "email": "hawa@example.ne",
            "region": 8,
            "sex": "F",
            "birth_year": "1998",
            "profiles": [challenge.profiles.first().pk],
            "skills": "Python",
            "links": "",
            "availability": "Janvier",
            "cv": pdf_upload(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    candidate = user.eig_candidate
    mail = Message.objects.get(recipient="hawa@example.ne")
    link = mail.body.split("http://", 1)[1].split()[0]
    assert client.get("/" + link.split("/", 1)[1]).status_code == 200
    response = client.post(
        "/eig/candidature/defis/",
        {
            "challenge_1": challenge.pk,
            "motivation_1": "J'ai travaillé dans un greffe.",
            "then": "submit",
        },
    )
    assert response.status_code == 302
    assert candidate.applications.get().status == "submitted"
    assert "Envoyée" in client.get("/eig/candidature/").content.decode()
    assert Member.objects.count() == 0
    assert (
        services.niamey_time(promotion.call_closes_at)
        in client.get("/eig/candidature/").content.decode()
    )
