"""A challenge's results, written through pages by its team, its administration and ANSI —
audited, shown on the public challenge and promotion pages, refused to everyone else."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from guichet.audit.models import AuditEntry
from guichet.talents import services
from guichet.talents.models import Member
from guichet.talents.tests.conftest import agent_client, citizen_client

pytestmark = pytest.mark.django_db


def test_the_owner_writes_the_results_shown_on_the_public_pages(make_challenge, agents, promotion):
    challenge = make_challenge()
    client = agent_client(agents["owner_mj"])
    url = reverse("talents:challenge_results", kwargs={"slug": challenge.slug})
    response = client.post(url, {"results": "12 000 extraits délivrés en ligne."})
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.results == "12 000 extraits délivrés en ligne."
    entry = AuditEntry.objects.get(action="talents.challenge.results_updated")
    assert entry.actor_id == agents["owner_mj"].pk
    public = client.get(reverse("talents:promotion", kwargs={"slug": promotion.slug}))
    assert "12 000 extraits délivrés en ligne." in public.content.decode()


def test_ansi_writes_the_results(make_challenge, agents):
    challenge = make_challenge()
    client = agent_client(agents["manager"])
    url = reverse("talents:challenge_results", kwargs={"slug": challenge.slug})
    assert client.post(url, {"results": "Bilan."}).status_code == 302
    challenge.refresh_from_db()
    assert challenge.results == "Bilan."


def test_another_administration_and_a_citizen_are_refused(make_challenge, agents, make_candidate):
    challenge = make_challenge()
    url = reverse("talents:challenge_results", kwargs={"slug": challenge.slug})
    assert agent_client(agents["owner_sgg"]).post(url, {"results": "x"}).status_code == 403
    outsider = make_candidate(phone="+22796000077", name="Non membre")
    assert citizen_client(outsider).post(url, {"results": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.update_results(challenge, actor=agents["jury_ansi"], results="x")
    challenge.refresh_from_db()
    assert challenge.results == ""


def test_a_team_member_writes_the_results(make_challenge, make_candidate, promotion, db):
    challenge = make_challenge()
    candidate = make_candidate()
    application = services.submit_application(
        services.save_application(candidate, promotion, [(challenge, "Motivation.")])
    )
    Member.objects.create(
        promotion=promotion,
        challenge=challenge,
        candidate=candidate,
        choice=application.choices.get(),
        public_name="Aminatou H.",
    )
    url = reverse("talents:challenge_results", kwargs={"slug": challenge.slug})
    assert citizen_client(candidate).post(url, {"results": "Livré."}).status_code == 302
    challenge.refresh_from_db()
    assert challenge.results == "Livré."


def test_results_longer_than_the_limit_are_refused_with_a_message(make_challenge, agents):
    challenge = make_challenge()
    with pytest.raises(ValidationError) as error:
        services.update_results(challenge, actor=agents["manager"], results="x" * 8001)
    assert "8 000" in str(error.value)
