"""The retention registry (law n° 2022-59): the platform's own kinds (sign-in codes, SMS), the
table of docs/privacy.md, the daily schedule and the embedded mode's in-process run."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache import cache

from guichet import periodic
from guichet.accounts import retention, services
from guichet.accounts.models import SignInCode
from guichet.accounts.personal_data import masked_address, masked_codes
from guichet.audit.models import AuditEntry
from guichet.notifications.models import InboundMessage, Message

pytestmark = pytest.mark.django_db
PHONE = "+22790123456"
SENT = dt.datetime(2025, 9, 1, 8, 0, tzinfo=dt.UTC)
DOC = Path(__file__).resolve().parents[3] / "docs" / "privacy.md"


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.SMS_GATEWAY = "console"
    cache.clear()
    yield
    cache.clear()


def _apply(at, *codes):
    with time_machine.travel(at, tick=False):
        return retention.apply_retention(only=set(codes))


@pytest.fixture
def signed_in_once():
    with time_machine.travel(SENT, tick=False):
        services.request_sign_in_code(PHONE, ip_address="198.51.100.7")
    return Message.objects.get(recipient=PHONE)


def test_every_app_registers_its_kinds():
    assert {kind.code for kind in retention.kinds()} == {
        "accounts.sign_in_codes",
        "complaints.address_keys",
        "complaints.personal_data",
        "correspondence.confidential_scans",
        "correspondence.scans",
        "criminal_records.identity_documents",
        "notifications.messages",
        "notifications.sign_in_sms",
        "talents.candidates",
    }


def test_the_documented_table_names_every_kind_its_variable_and_its_default():
    rows = {
        line.split("|")[1].strip().strip("`"): line
        for line in DOC.read_text().splitlines()
        if line.startswith("| `")
    }
    assert set(rows) == {kind.code for kind in retention.kinds()}
    for kind in retention.kinds():
        assert f"`{kind.environment_variable}`" in rows[kind.code]
        assert f"| {kind.days} day" in rows[kind.code], kind.code


def test_a_kind_whose_setting_does_not_exist_is_refused():
    with pytest.raises(ValueError, match="NO_SUCH_RETENTION_DAYS"):
        retention.register(
            retention.RetentionKind(
                code="x.y",
                label="",
                setting="NO_SUCH_RETENTION_DAYS",
                reason="",
                purge=None,
                audit_action="accounts.retention.purged",
            )
        )


def test_the_job_is_scheduled_daily_and_its_task_exists():
    from guichet.celery import app

    app.loader.import_default_modules()
    entry = django_settings.CELERY_BEAT_SCHEDULE["data-retention"]
    assert entry["schedule"] == 86400
    assert entry["task"] in app.tasks


def test_the_sign_in_sms_loses_its_code_after_a_day(signed_in_once):
    assert _apply(SENT + dt.timedelta(hours=23), "notifications.sign_in_sms") == {
        "notifications.sign_in_sms": 0
    }
    signed_in_once.refresh_from_db()
    assert any(c.isdigit() for c in signed_in_once.body)
    _apply(SENT + dt.timedelta(days=1, minutes=1), "notifications.sign_in_sms")
    signed_in_once.refresh_from_db()
    assert signed_in_once.body == "" and signed_in_once.recipient == PHONE
    assert signed_in_once.status  # the sending itself stays


def test_an_erased_sms_never_sent_is_not_sent_again_empty(signed_in_once):
    from guichet.notifications.services import requeue

    Message.objects.filter(pk=signed_in_once.pk).update(status=Message.Status.QUEUED)
    _apply(SENT + dt.timedelta(days=1, minutes=1), "notifications.sign_in_sms")
    with time_machine.travel(SENT + dt.timedelta(days=1, minutes=2)):
        assert requeue() == []
    signed_in_once.refresh_from_db()
    assert signed_in_once.status == Message.Status.FAILED and not signed_in_once.retryable


def test_sign_in_requests_are_deleted_after_their_period(signed_in_once, settings):
    settings.SIGN_IN_CODES_RETENTION_DAYS = 30
    _apply(SENT + dt.timedelta(days=30) - dt.timedelta(minutes=1), "accounts.sign_in_codes")
    assert SignInCode.objects.filter(phone_number=PHONE).exists()
    counts = _apply(SENT + dt.timedelta(days=30, minutes=1), "accounts.sign_in_codes")
    assert counts == {"accounts.sign_in_codes": 1}
    assert not SignInCode.objects.exists()
    entry = AuditEntry.objects.get(action="accounts.retention.purged")
    assert entry.data["kind"] == "accounts.sign_in_codes" and entry.data["erased"] == 1


def test_messages_lose_text_and_recipient_after_their_period(signed_in_once, settings):
    settings.MESSAGES_RETENTION_DAYS = 180
    with time_machine.travel(SENT, tick=False):
        inbound = InboundMessage.objects.create(sender=PHONE, text="PLAINTE taxi 1234")
    kind = "notifications.messages"
    assert _apply(SENT + dt.timedelta(days=179), kind) == {kind: 0}
    assert _apply(SENT + dt.timedelta(days=181), kind) == {kind: 2}
    signed_in_once.refresh_from_db()
    inbound.refresh_from_db()
    assert signed_in_once.recipient == "+227••••••56" and signed_in_once.body == ""
    assert signed_in_once.template == "accounts/sign_in_code"  # statistics keep the template
    assert inbound.sender == "+227••••••56" and inbound.text == ""
    assert _apply(SENT + dt.timedelta(days=182), kind) == {kind: 0}  # idempotent


def test_masks():
    assert masked_address("+22790123456") == "+227••••••56"
    assert masked_address("moussa@example.ne") == "•••@example.ne"
    assert masked_codes("Votre code Guichet : 482913 (valable 10 minutes).") == (
        "Votre code Guichet : •••••• (valable 10 minutes)."
    )


def test_the_embedded_mode_runs_the_job_once_a_day_at_the_end_of_a_request(
    client, settings, signed_in_once, monkeypatch
):
    # The beat entry `data-retention`, run in-process by guichet/periodic.py.
    settings.PERIODIC_JOBS_IN_PROCESS = True
    monkeypatch.setattr(periodic, "_next_look", 0.0)
    with time_machine.travel(SENT + dt.timedelta(days=2)):
        client.get("/")
        signed_in_once.refresh_from_db()
        assert signed_in_once.body == ""  # the sign-in SMS's period (1 day) had passed
        assert AuditEntry.objects.filter(action="notifications.retention.purged").count() == 1
        InboundMessage.objects.create(sender=PHONE, text="CASIER")
        Message.objects.filter(pk=signed_in_once.pk).update(body="Votre code : 123456")
        monkeypatch.setattr(periodic, "_next_look", 0.0)
        client.get("/")  # the same day: not again
    signed_in_once.refresh_from_db()
    assert signed_in_once.body == "Votre code : 123456"


def test_without_the_setting_no_request_runs_the_job(client, settings, signed_in_once):
    settings.PERIODIC_JOBS_IN_PROCESS = False
    with time_machine.travel(SENT + dt.timedelta(days=2)):
        client.get("/")
    signed_in_once.refresh_from_db()
    assert signed_in_once.body != ""
