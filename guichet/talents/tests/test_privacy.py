"""Retention, erasure on request and the candidate's access to their data."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from guichet.audit.models import AuditEntry
from guichet.talents import privacy, selection, services
from guichet.talents.models import Application, Candidate
from guichet.talents.tests.conftest import citizen_client, close_call

pytestmark = pytest.mark.django_db


def test_the_candidate_downloads_everything_held_about_them(
    make_candidate, make_challenge, promotion
):
    challenge = make_challenge()
    candidate = make_candidate()
    services.save_application(candidate, promotion, [(challenge, "Ma motivation.")])
    response = citizen_client(candidate).get("/eig/candidature/mes-donnees/?format=json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["profil"]["nom"] == candidate.full_name
    assert data["profil"]["telephone"] == candidate.user.phone_number
    assert data["candidatures"][0]["choix"][0]["motivation"] == "Ma motivation."
    assert AuditEntry.objects.filter(action="talents.candidate.data_exported").count() == 1


def test_erasure_on_request_blanks_identity_and_deletes_files(
    make_candidate, promotion, django_capture_on_commit_callbacks
):
    candidate = make_candidate()
    cv_name = candidate.cv.name
    storage = candidate.cv.storage
    assert storage.exists(cv_name)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_candidate(candidate, actor=candidate.user, reason="demande")
    candidate.refresh_from_db()
    assert candidate.full_name == privacy.ERASED and not candidate.cv and candidate.erased_at
    assert "@" in candidate.email and candidate.user.phone_number not in candidate.email
    assert not storage.exists(cv_name)


def test_a_rolled_back_erasure_keeps_the_files(
    make_candidate, promotion, django_capture_on_commit_callbacks
):
    candidate = make_candidate()
    cv_name, storage = candidate.cv.name, candidate.cv.storage
    assert storage.exists(cv_name)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            privacy.erase_candidate(candidate, actor=candidate.user, reason="demande")
            raise RuntimeError("a later step of the same transaction failed")
    assert callbacks == []
    candidate.refresh_from_db()
    assert candidate.cv.name == cv_name and candidate.erased_at is None
    assert storage.exists(cv_name)


def test_erasure_waits_while_the_jury_examines_the_application(submitted, agents, promotion):
    _challenge, (application, _other) = submitted()
    close_call(promotion)
    with pytest.raises(ValidationError, match="en cours d'examen"):
        privacy.erase_candidate(application.candidate, actor=None, reason="demande")


def test_applications_not_selected_are_erased_after_the_retention_period(
    submitted, agents, promotion, settings
):
    settings.TALENTS_RETENTION_DAYS = 730
    _challenge, (chosen, rejected) = submitted()
    close_call(promotion)
    selection.decide(chosen.choices.get(), actor=agents["manager"], outcome="selected")
    selection.decide(rejected.choices.get(), actor=agents["manager"], outcome="not_selected")
    assert privacy.purge_expired() == 0
    with time_machine.travel(timezone.now() + timedelta(days=731)):
        assert privacy.purge_expired() == 1
    kept = Candidate.objects.get(pk=chosen.candidate_id)
    erased = Candidate.objects.get(pk=rejected.candidate_id)
    assert kept.erased_at is None and erased.erased_at is not None
    assert Application.objects.get(pk=rejected.pk).choices.get().motivation == ""
    assert AuditEntry.objects.filter(action="talents.retention.purged").count() == 1
