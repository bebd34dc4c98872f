"""Law n° 2022-59: the identity documents of a bulletin n°3 request are deleted once the request
was decided and its retention period passed; the request and the extract's record stay."""

import datetime as dt

import pytest
import time_machine
from django.core.files.storage import default_storage

from guichet.accounts import retention
from guichet.audit.models import AuditEntry
from guichet.criminal_records.models import BulletinRequest
from guichet.criminal_records.tests.test_services import _citizen_request

pytestmark = pytest.mark.django_db
DECIDED = dt.datetime(2025, 6, 2, 11, 0, tzinfo=dt.UTC)
KIND = "criminal_records.identity_documents"


@pytest.fixture
def rejected(citizen, png_upload, niamey_commune):
    item = _citizen_request(citizen, png_upload, birth_commune=niamey_commune)
    BulletinRequest.objects.filter(pk=item.pk).update(
        status=BulletinRequest.Status.REJECTED, decided_at=DECIDED
    )
    item.refresh_from_db()
    return item


def _apply(at):
    with time_machine.travel(at, tick=False):
        return retention.apply_retention(only={KIND})[KIND]


def test_documents_are_kept_until_the_period_after_the_decision_ends(rejected, settings):
    settings.BULLETIN_DOCUMENTS_RETENTION_DAYS = 90
    assert _apply(DECIDED + dt.timedelta(days=90) - dt.timedelta(minutes=1)) == 0
    rejected.refresh_from_db()
    assert rejected.identity_document and rejected.documents_erased_at is None


def test_documents_are_deleted_once_the_period_ended_and_the_request_stays(
    rejected, settings, django_capture_on_commit_callbacks
):
    settings.BULLETIN_DOCUMENTS_RETENTION_DAYS = 90
    stored = rejected.identity_document.name
    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        assert _apply(DECIDED + dt.timedelta(days=90, minutes=1)) == 1
    rejected.refresh_from_db()
    assert not rejected.identity_document and rejected.documents_erased_at is not None
    assert not default_storage.exists(stored)
    assert rejected.last_name == "Issoufou" and rejected.status == "rejected"
    entry = AuditEntry.objects.get(action="criminal_records.retention.purged")
    assert entry.data == entry.data | {"kind": KIND, "erased": 1}
    assert _apply(DECIDED + dt.timedelta(days=91)) == 0  # idempotent


def test_a_request_still_under_examination_keeps_its_documents(citizen, png_upload, niamey_commune):
    item = _citizen_request(citizen, png_upload, birth_commune=niamey_commune)
    assert _apply(dt.datetime.now(dt.UTC) + dt.timedelta(days=3000)) == 0
    item.refresh_from_db()
    assert item.identity_document
