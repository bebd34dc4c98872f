"""ANSI's page for one application in full, and the CV served only through a permission check:
every read audited, reviewers limited to their own non-anonymised assignments."""

import pytest
from django.urls import reverse

from guichet.audit.models import AuditEntry
from guichet.talents import selection
from guichet.talents.models import Application, Choice, Criterion, ReviewAssignment
from guichet.talents.tests.conftest import PDF, agent_client, close_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(submitted, agents, promotion):
    _challenge, applications = submitted()
    close_call(promotion)
    selection.assign_reviewers(promotion, actor=agents["manager"])
    application = applications[0]
    choice = Choice.objects.get(application=application)
    first, second = choice.assignments.order_by("pk")
    criteria = promotion.criteria.filter(round=Criterion.Round.REVIEW)
    selection.submit_scores(
        first, reviewer=first.reviewer, scores={c.pk: 4 for c in criteria}, comment="Solide."
    )
    return application, first, second


def test_the_manager_reads_the_whole_application_and_the_view_is_audited(reviewed, agents):
    application, _first, _second = reviewed
    client = agent_client(agents["manager"])
    before = AuditEntry.objects.filter(action="talents.application.viewed").count()
    page = client.get(reverse("talents:application", kwargs={"pk": application.pk}))
    body = page.content.decode()
    assert page.status_code == 200
    assert application.candidate.full_name in body
    assert application.candidate.email in body
    assert "Je connais bien les greffes." in body  # the motivation
    assert "Solide." in body and "4/5" in body  # the sent review with its scores
    assert "1 évaluation en attente" in body  # the other one: nothing shown of it
    assert reverse("talents:application_cv", kwargs={"pk": application.pk}) in body
    entry = AuditEntry.objects.filter(action="talents.application.viewed").latest("pk")
    assert AuditEntry.objects.filter(action="talents.application.viewed").count() == before + 1
    assert entry.actor_id == agents["manager"].pk


def test_the_cv_is_served_to_the_manager_and_audited(reviewed, agents):
    application, _first, _second = reviewed
    client = agent_client(agents["manager"])
    response = client.get(reverse("talents:application_cv", kwargs={"pk": application.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert AuditEntry.objects.filter(
        action="talents.application.file_opened", actor_id=agents["manager"].pk
    ).exists()
    # No diploma was sent: nothing to serve.
    missing = client.get(reverse("talents:application_diploma", kwargs={"pk": application.pk}))
    assert missing.status_code == 404


def test_no_one_but_the_manager_opens_the_application_page(reviewed, agents):
    application, _first, _second = reviewed
    for role in ("jury_ansi", "jury_mj", "owner_mj"):
        client = agent_client(agents[role])
        for name in ("application", "application_cv"):
            url = reverse(f"talents:{name}", kwargs={"pk": application.pk})
            assert client.get(url).status_code == 403, (role, name)


def test_a_reviewer_gets_no_cv_in_the_anonymised_first_round(reviewed, promotion):
    _application, first, _second = reviewed
    assert promotion.anonymised_first_round
    client = agent_client(first.reviewer)
    page = client.get(reverse("talents:review", kwargs={"pk": first.pk})).content.decode()
    assert reverse("talents:review_cv", kwargs={"pk": first.pk}) not in page
    assert client.get(reverse("talents:review_cv", kwargs={"pk": first.pk})).status_code == 404


def test_a_reviewer_opens_the_cv_of_their_own_named_round_only(reviewed, promotion, agents):
    _application, first, _second = reviewed
    promotion.anonymised_first_round = False
    promotion.save()
    client = agent_client(first.reviewer)
    url = reverse("talents:review_cv", kwargs={"pk": first.pk})
    assert url in client.get(reverse("talents:review", kwargs={"pk": first.pk})).content.decode()
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(
        action="talents.application.file_opened", actor_id=first.reviewer_id
    ).exists()
    # Another reviewer's assignment is not found.
    foreign = ReviewAssignment.objects.exclude(reviewer=first.reviewer).first()
    assert client.get(reverse("talents:review_cv", kwargs={"pk": foreign.pk})).status_code == 404


def test_a_declared_conflict_closes_the_cv_to_the_reviewer(reviewed, promotion):
    _application, _first, second = reviewed
    promotion.anonymised_first_round = False
    promotion.save()
    selection.declare_conflict(second, reviewer=second.reviewer, reason="Mon cousin.")
    client = agent_client(second.reviewer)
    assert client.get(reverse("talents:review_cv", kwargs={"pk": second.pk})).status_code == 404


def test_an_unknown_application_is_not_found(agents, db):
    client = agent_client(agents["manager"])
    missing = (Application.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    assert client.get(reverse("talents:application", kwargs={"pk": missing})).status_code == 404
