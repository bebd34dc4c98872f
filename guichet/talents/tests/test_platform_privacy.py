"""The EIG programme in the platform's retention job and « Mes données » (talents/personal_data.py)."""

import html
import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from guichet.accounts import retention
from guichet.audit.models import AuditEntry
from guichet.talents import selection
from guichet.talents.models import Candidate
from guichet.talents.tests.conftest import citizen_client, close_call

pytestmark = pytest.mark.django_db


def test_the_daily_job_erases_applications_not_selected_once(
    submitted, agents, promotion, settings
):
    settings.TALENTS_RETENTION_DAYS = 730
    _challenge, (chosen, rejected) = submitted()
    close_call(promotion)
    selection.decide(chosen.choices.get(), actor=agents["manager"], outcome="selected")
    selection.decide(rejected.choices.get(), actor=agents["manager"], outcome="not_selected")
    only = {"talents.candidates"}
    assert retention.apply_retention(only=only) == {"talents.candidates": 0}
    with time_machine.travel(timezone.now() + timedelta(days=731)):
        assert retention.apply_retention(only=only, dry_run=True) == {"talents.candidates": 1}
        assert retention.apply_retention(only=only) == {"talents.candidates": 1}
        assert retention.apply_retention(only=only) == {"talents.candidates": 0}
    assert Candidate.objects.get(pk=rejected.candidate_id).erased_at is not None
    assert Candidate.objects.get(pk=chosen.candidate_id).erased_at is None
    entry = AuditEntry.objects.get(action="talents.retention.purged")
    assert entry.data["kind"] == "talents.candidates" and entry.data["erased"] == 1


def test_my_data_includes_the_application_and_erasure_waits_for_the_jury(submitted, promotion):
    _challenge, (application, _other) = submitted()
    close_call(promotion)
    client = citizen_client(application.candidate)
    data = json.loads(client.get("/mes-donnees/?format=json").content)
    section = next(s for s in data["sections"] if s["section"] == "talents")
    assert "Je connais bien les greffes." in json.dumps(section, ensure_ascii=False)
    page = html.unescape(
        client.post("/mes-donnees/effacement/", {"confirm": "on"}).content.decode()
    )
    assert "en cours d'examen" in page
    assert Candidate.objects.get(pk=application.candidate_id).erased_at is None
