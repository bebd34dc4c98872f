"""Law n° 2022-59: a closed complaint loses its complainant's personal data once its retention
period has passed (manage.py apply_retention), and what the statistics need survives."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from guichet.accounts import retention
from guichet.audit.models import AuditEntry
from guichet.audit.selectors import verify_log
from guichet.audit.services import sequence_pending
from guichet.complaints import selectors
from guichet.complaints.models import Complaint
from guichet.workflow.models import Case

pytestmark = pytest.mark.django_db
CLOSED_AT = dt.datetime(2025, 3, 1, 10, 0, tzinfo=dt.UTC)


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def closed(file):
    """A complaint with every kind of personal data, filed, answered and closed on CLOSED_AT."""
    with time_machine.travel(CLOSED_AT - dt.timedelta(days=3), tick=False):
        complaint = file(
            phone="90 12 34 56",
            email="moussa@example.ne",
            first_name="Moussa",
            last_name="Issa",
            address="Quartier Lazaret, près de la mosquée",
            latitude="13.5137",
            longitude="2.1098",
            photo=SimpleUploadedFile("photo.png", _png(), "image/png"),
        )
    Case.objects.filter(pk=complaint.case_id).update(
        status=Case.Status.CLOSED,
        answered_at=CLOSED_AT - dt.timedelta(days=1),
        closed_at=CLOSED_AT,
    )
    complaint.refresh_from_db()
    return complaint


def _apply(at, **options):
    with time_machine.travel(at, tick=False):
        return retention.apply_retention(only={"complaints.personal_data"}, **options)


def test_a_closed_complaint_is_kept_until_its_period_ends(closed, settings):
    settings.COMPLAINTS_PERSONAL_DATA_RETENTION_DAYS = 365
    deadline = CLOSED_AT + dt.timedelta(days=365)
    assert _apply(deadline - dt.timedelta(minutes=1)) == {"complaints.personal_data": 0}
    closed.refresh_from_db()
    assert closed.phone == "+22790123456" and closed.last_name == "Issa"
    assert closed.personal_data_erased_at is None


def test_a_closed_complaint_loses_its_personal_data_once_its_period_ended(
    closed, settings, django_capture_on_commit_callbacks
):
    settings.COMPLAINTS_PERSONAL_DATA_RETENTION_DAYS = 365
    photo = closed.photo.name
    assert default_storage.exists(photo)
    with django_capture_on_commit_callbacks(execute=True):
        counts = _apply(CLOSED_AT + dt.timedelta(days=365, minutes=1))
    assert counts == {"complaints.personal_data": 1}
    closed.refresh_from_db()
    assert (closed.phone, closed.email, closed.first_name, closed.last_name) == ("", "", "", "")
    assert closed.address == "" and closed.latitude is None and closed.longitude is None
    assert not closed.photo and closed.fingerprint == ""
    assert closed.personal_data_erased_at is not None
    assert not default_storage.exists(photo)  # deleted once the purge committed
    # The Médiateur's record stays: the text, the category, the region, the dates.
    assert closed.description.startswith("Personne à l'accueil")
    assert closed.region.code == "NE-8" and closed.case.closed_at == CLOSED_AT


def test_an_ongoing_complaint_is_never_anonymised(file, settings):
    settings.COMPLAINTS_PERSONAL_DATA_RETENTION_DAYS = 1
    with time_machine.travel(CLOSED_AT, tick=False):
        complaint = file(phone="90 12 34 56")
    assert _apply(CLOSED_AT + dt.timedelta(days=3000)) == {"complaints.personal_data": 0}
    complaint.refresh_from_db()
    assert complaint.phone == "+22790123456"


def test_statistics_survive_anonymisation(closed, file, settings):
    with time_machine.travel(CLOSED_AT, tick=False):
        file(phone="96 00 00 01", description="Médicaments vendus hors du circuit officiel ici.")
    later = CLOSED_AT + dt.timedelta(days=400)
    with time_machine.travel(later, tick=False):
        before = selectors.public_statistics(days=800)
    _apply(later)
    with time_machine.travel(later, tick=False):
        after = selectors.public_statistics(days=800)
    assert Complaint.objects.filter(personal_data_erased_at__isnull=False).count() == 1
    assert after.by_category == before.by_category and after.total == 2
    assert after.by_region == before.by_region and after.by_status == before.by_status
    assert after.median_days_to_answer == before.median_days_to_answer is not None


def test_one_audit_entry_per_kind_with_the_count_and_the_chain_still_verifies(closed):
    _apply(CLOSED_AT + dt.timedelta(days=400))
    entry = AuditEntry.objects.get(action="complaints.retention.purged")
    assert entry.data["kind"] == "complaints.personal_data" and entry.data["erased"] == 1
    assert entry.data["retention_days"] == 365
    sequence_pending()
    assert verify_log().intact


def test_running_it_twice_erases_nothing_more(closed):
    at = CLOSED_AT + dt.timedelta(days=400)
    assert _apply(at)["complaints.personal_data"] == 1
    assert _apply(at)["complaints.personal_data"] == 0
    assert AuditEntry.objects.filter(action="complaints.retention.purged").count() == 1


def test_the_dry_run_counts_and_changes_nothing(closed, capsys):
    with time_machine.travel(CLOSED_AT + dt.timedelta(days=400), tick=False):
        call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "complaints.personal_data: 1 à effacer" in out
    closed.refresh_from_db()
    assert closed.phone and closed.personal_data_erased_at is None
    assert not AuditEntry.objects.filter(action__endswith=".retention.purged").exists()


def test_an_answered_complaint_left_so_ends_its_treatment_at_the_answer(file, settings):
    with time_machine.travel(CLOSED_AT, tick=False):
        complaint = file(phone="90 12 34 56")
    Case.objects.filter(pk=complaint.case_id).update(
        status=Case.Status.ANSWERED, answered_at=timezone.now()
    )
    assert _apply(timezone.now() + dt.timedelta(days=366))["complaints.personal_data"] == 1
