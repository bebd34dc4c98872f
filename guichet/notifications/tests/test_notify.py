"""notify(): rendering, storage, sending after commit, and the sending task's states."""

import datetime
import logging

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from guichet.notifications import gateways, services, tasks
from guichet.notifications.models import Message
from guichet.notifications.services import MissingTemplate, notify

pytestmark = pytest.mark.django_db

CONTEXT = {"name": "Aïcha", "number": "2026/17", "when": datetime.date(2026, 1, 15)}


class FailingGateway:
    name = "failing"
    calls = 0

    def send(self, message, segments):
        FailingGateway.calls += 1
        raise gateways.TransientGatewayError("gateway down")


class RefusingGateway:
    name = "refusing"

    def send(self, message, segments):
        raise gateways.GatewayError("unknown subscriber")


def test_notify_stores_the_sms_and_sends_it_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (message,) = notify(phone="90 12 34 56", template="tests/welcome", context=CONTEXT)
    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED
    assert message.channel == Message.Channel.SMS
    assert message.recipient == "+22790123456"
    assert len(callbacks) == 1

    callbacks[0]()
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED  # the console gateway delivers at once
    assert message.attempts == 1
    assert message.gateway == "console"
    assert message.sent_at is not None


def test_console_gateway_logs_the_sms(django_capture_on_commit_callbacks, caplog):
    with caplog.at_level(logging.INFO, logger="guichet.notifications"):
        with django_capture_on_commit_callbacks(execute=True):
            notify(phone="+22790123456", template="tests/welcome", context=CONTEXT)
    # The number is masked in every log (guichet/log_privacy.py, law n° 2022-59); the text stays.
    assert "SMS to [téléphone]" in caplog.text
    assert "90123456" not in caplog.text
    assert "Bonjour Aicha, l'acte no 2026/17 est pret." in caplog.text


def test_nothing_is_stored_or_sent_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(phone="+22790123456", template="tests/welcome", context=CONTEXT)
            raise RuntimeError("the caller's write failed")
    assert callbacks == []
    assert not Message.objects.exists()


def test_sms_is_rendered_as_plain_text_in_gsm7():
    (message,) = notify(phone="+22790123456", template="tests/welcome", context=CONTEXT)
    # No HTML escaping (l'acte, not l&#x27;acte); blank lines squeezed; ï ° ê transliterated.
    assert message.body == "[fr] janvier\nBonjour Aicha, l'acte no 2026/17 est pret."
    assert message.encoding == Message.Encoding.GSM7
    assert message.segments == 1
    assert message.template == "tests/welcome"


def test_message_is_rendered_in_the_language_asked():
    (message,) = notify(
        phone="+22790123456", template="tests/welcome", context=CONTEXT, language="en"
    )
    assert message.body.startswith("[en] January")
    assert message.language == "en"


def test_email_first_line_is_the_subject_and_the_rest_the_body(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (message,) = notify(email="aicha@example.ne", template="tests/welcome", context=CONTEXT)
    assert message.subject == "Acte 2026/17 prêt [fr]"
    assert message.body == "Bonjour Aïcha,\n\nVotre acte n° 2026/17 est prêt (janvier).\n"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Acte 2026/17 prêt [fr]"
    assert mail.outbox[0].to == ["aicha@example.ne"]
    assert mail.outbox[0].body == message.body
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_both_channels_give_one_message_each():
    messages = notify(
        phone="+22790123456", email="a@example.ne", template="tests/welcome", context=CONTEXT
    )
    assert [m.channel for m in messages] == ["sms", "email"]


def test_a_requested_channel_without_template_is_an_error_and_stores_nothing():
    with pytest.raises(MissingTemplate, match=r"tests/sms_only\.email\.txt"):
        notify(phone="+22790123456", email="a@example.ne", template="tests/sms_only", context={})
    assert not Message.objects.exists()


def test_an_invalid_phone_number_is_refused():
    with pytest.raises(ValidationError):
        notify(phone="12", template="tests/sms_only", context={"code": 1})


@pytest.mark.parametrize("raw", ["+22790123456", "22790123456", "0022790123456", "90 12 34 56"])
def test_phone_numbers_are_normalised_to_e164(raw):
    assert services.normalise_phone(raw) == "+22790123456"


def test_a_number_normalised_before_is_refused_or_accepted_the_same_way_again():
    # guichet.phones keeps valid numbers per process; a refusal is never kept.
    for _ in range(2):
        assert services.normalise_phone("90 12 34 56") == "+22790123456"
        with pytest.raises(ValidationError):
            services.normalise_phone("12")
    from guichet import phones

    with pytest.raises(ValidationError):
        phones.normalise_phone("+33612345678")  # valid, but not in Niger
    assert phones.normalise_phone("+33612345678", niger_only=False) == "+33612345678"
    with pytest.raises(ValidationError):
        phones.normalise_phone("+33612345678")


def test_a_long_sms_is_counted_in_parts():
    (message,) = notify(
        phone="+22790123456", template="tests/sms_only", context={"code": "x" * 200}
    )
    assert message.segments == 2


def test_related_object_is_kept(citizen):
    (message,) = notify(
        phone="+22790123456", template="tests/sms_only", context={"code": 1}, related=citizen
    )
    assert message.related == citizen


def test_a_failing_gateway_in_eager_mode_marks_the_message_failed_without_raising(
    settings, django_capture_on_commit_callbacks
):
    settings.SMS_GATEWAY = f"{__name__}.FailingGateway"
    with django_capture_on_commit_callbacks(execute=True):
        (message,) = notify(phone="+22790123456", template="tests/sms_only", context={"code": 1})
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.last_error == "gateway down"
    assert message.attempts == 1


def test_a_transient_error_before_the_last_attempt_requeues_and_raises_for_celery(settings):
    settings.SMS_GATEWAY = f"{__name__}.FailingGateway"
    (message,) = notify(phone="+22790123456", template="tests/sms_only", context={"code": 1})
    with pytest.raises(gateways.TransientGatewayError):
        services.deliver(message.pk, final_attempt=False)
    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED
    assert message.last_error == "gateway down"


def test_a_permanent_refusal_fails_at_once(settings):
    settings.SMS_GATEWAY = f"{__name__}.RefusingGateway"
    (message,) = notify(phone="+22790123456", template="tests/sms_only", context={"code": 1})
    assert services.deliver(message.pk, final_attempt=False) == Message.Status.FAILED
    message.refresh_from_db()
    assert message.last_error == "unknown subscriber"


def test_the_task_retries_transient_errors_with_exponential_backoff():
    task = tasks.send_message
    assert gateways.TransientGatewayError in task.autoretry_for
    assert task.retry_backoff
    assert task.max_retries == 5


def test_a_message_already_sent_is_not_sent_again(settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (message,) = notify(phone="+22790123456", template="tests/sms_only", context={"code": 1})
    settings.SMS_GATEWAY = f"{__name__}.FailingGateway"
    FailingGateway.calls = 0
    tasks.send_message.delay(message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.attempts == 1
    assert FailingGateway.calls == 0


def test_retry_failed_messages_sends_failed_and_stale_messages_again(
    settings, django_capture_on_commit_callbacks
):
    settings.SMS_GATEWAY = f"{__name__}.FailingGateway"
    with django_capture_on_commit_callbacks(execute=True):
        (failed,) = notify(phone="+22790123456", template="tests/sms_only", context={"code": 1})
    (stuck,) = notify(phone="+22790123456", template="tests/sms_only", context={"code": 2})
    (fresh,) = notify(phone="+22790123456", template="tests/sms_only", context={"code": 3})
    Message.objects.filter(pk=stuck.pk).update(
        status=Message.Status.SENDING, created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    settings.SMS_GATEWAY = "console"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retry_failed_messages")
    statuses = dict(Message.objects.values_list("pk", "status"))
    assert statuses[failed.pk] == Message.Status.DELIVERED
    assert statuses[stuck.pk] == Message.Status.DELIVERED
    assert statuses[fresh.pk] == Message.Status.QUEUED  # recent: its task may still be coming


def test_retry_failed_messages_leaves_refused_and_exhausted_messages_alone(
    settings, django_capture_on_commit_callbacks
):
    settings.SMS_GATEWAY = f"{__name__}.RefusingGateway"
    with django_capture_on_commit_callbacks(execute=True):
        notify(phone="+22790123456", template="tests/sms_only", context={"code": 1})
    settings.SMS_GATEWAY = f"{__name__}.FailingGateway"
    with django_capture_on_commit_callbacks(execute=True):
        (exhausted,) = notify(phone="+22790123456", template="tests/sms_only", context={"code": 2})
    Message.objects.filter(pk=exhausted.pk).update(attempts=services.MAX_AUTOMATIC_ATTEMPTS)
    settings.SMS_GATEWAY = "console"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retry_failed_messages")
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.FAILED}


def test_an_sms_template_rendering_nothing_is_an_error():
    with pytest.raises(ValueError, match="empty SMS"):
        notify(phone="+22790123456", template="tests/empty", context={"show": False})


def test_an_administrator_resending_failed_messages_is_audited(
    settings, django_capture_on_commit_callbacks, make_agent
):
    from guichet.audit.models import AuditEntry

    admin = make_agent("admin.sms", "platform_admin", "SGG")
    settings.SMS_GATEWAY = f"{__name__}.RefusingGateway"
    with django_capture_on_commit_callbacks(execute=True):
        (failed,) = notify(phone="+22790123456", template="tests/sms_only", context={"code": 1})
    (queued,) = notify(phone="+22790123456", template="tests/sms_only", context={"code": 2})
    settings.SMS_GATEWAY = "console"
    with django_capture_on_commit_callbacks(execute=True):
        ids = services.resend_failed([failed.pk, queued.pk], actor=admin)
    assert ids == [failed.pk]
    failed.refresh_from_db()
    assert failed.status == Message.Status.DELIVERED
    entry = AuditEntry.objects.get(action="notifications.messages.resent")
    assert entry.actor == admin
    assert entry.data == {"ids": [failed.pk]}


class BrokenGateway:
    name = "broken"

    def send(self, message, segments):
        raise KeyError("bug")


def test_an_unexpected_error_marks_the_message_failed_not_stuck_sending(settings):
    settings.SMS_GATEWAY = f"{__name__}.BrokenGateway"
    (message,) = notify(phone="+22790123456", template="tests/sms_only", context={"code": 1})
    with pytest.raises(KeyError):
        services.deliver(message.pk, final_attempt=True)
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.last_error == "KeyError: 'bug'"
    assert message.retryable


@pytest.mark.postgres
def test_the_claim_is_one_statement_that_returns_the_row_and_skips_the_disk_wait():
    """The claim of `deliver` on PostgreSQL (issue 9, throughput): one UPDATE … RETURNING that also
    turns synchronous_commit off for its transaction, instead of SET LOCAL, UPDATE and SELECT."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    message = Message.objects.create(
        channel=Message.Channel.SMS, recipient="+22790123456", body="Bonjour"
    )
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            claimed = services._claim(message.pk)
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "off"
        assert services._claim(message.pk) is None  # already claimed: never sent twice
    assert len(queries.captured_queries) == 1
    assert (claimed.pk, claimed.status, claimed.attempts) == (message.pk, "sending", 1)
    assert claimed.recipient == "+22790123456" and claimed.body == "Bonjour"
