"""Law n° 2022-59 and the archives' rules: a mail's scan is deleted after its retention period
(shorter for confidential mail); the mail's record and register line stay."""

import datetime as dt

import pytest
import time_machine
from django.core.files.storage import default_storage

from guichet.accounts import retention
from guichet.audit.models import AuditEntry
from guichet.correspondence.models import Attachment, Mail
from guichet.correspondence.tests.conftest import upload

pytestmark = pytest.mark.django_db
REGISTERED = dt.datetime(2024, 1, 15, 9, 0, tzinfo=dt.UTC)
KINDS = {"correspondence.scans", "correspondence.confidential_scans"}


@pytest.fixture
def mails(register):
    with time_machine.travel(REGISTERED, tick=False):
        ordinary = register(files=[upload()])
        confidential = register(
            subject="Dossier disciplinaire", confidentiality="confidential", files=[upload()]
        )
    return ordinary, confidential


def _apply(at):
    with time_machine.travel(at, tick=False):
        return retention.apply_retention(only=KINDS)


def test_scans_are_kept_until_their_period_ends(mails, settings):
    settings.MAIL_SCANS_RETENTION_DAYS = 1825
    settings.MAIL_CONFIDENTIAL_SCANS_RETENTION_DAYS = 730
    counts = _apply(REGISTERED + dt.timedelta(days=730) - dt.timedelta(minutes=1))
    assert counts == dict.fromkeys(KINDS, 0)
    assert not Attachment.objects.filter(file_erased_at__isnull=False).exists()


def test_a_confidential_scan_goes_first_then_the_ordinary_one(
    mails, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_SCANS_RETENTION_DAYS = 1825
    settings.MAIL_CONFIDENTIAL_SCANS_RETENTION_DAYS = 730
    ordinary, confidential = mails
    secret_scan = confidential.attachments.get()
    secret_file = secret_scan.file.name
    with django_capture_on_commit_callbacks(execute=True):
        counts = _apply(REGISTERED + dt.timedelta(days=730, minutes=1))
    assert counts == {"correspondence.confidential_scans": 1, "correspondence.scans": 0}
    secret_scan.refresh_from_db()
    assert not secret_scan.file and secret_scan.file_erased_at is not None
    assert secret_scan.sha256 and secret_scan.original_name  # the trace stays
    assert not default_storage.exists(secret_file)
    assert ordinary.attachments.get().file
    counts = _apply(REGISTERED + dt.timedelta(days=1825, minutes=1))
    assert counts == {"correspondence.confidential_scans": 0, "correspondence.scans": 1}
    assert Mail.objects.count() == 2  # the records of the register stay
    entries = AuditEntry.objects.filter(action="correspondence.retention.purged")
    assert sorted(e.data["kind"] for e in entries) == sorted(KINDS)


def test_an_erased_scan_is_not_served_and_the_page_says_why(mails, client, clerk, settings):
    settings.MAIL_SCANS_RETENTION_DAYS = 1
    ordinary, _confidential = mails
    scan = ordinary.attachments.get()
    _apply(REGISTERED + dt.timedelta(days=2))
    client.force_login(clerk)
    assert client.get(f"/courrier/{ordinary.pk}/pieces/{scan.pk}/").status_code == 404
    page = client.get(f"/courrier/{ordinary.pk}/").content.decode()
    assert "numérisation effacée le" in page
