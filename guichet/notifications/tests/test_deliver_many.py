"""deliver_many: the embedded mode's sending thread sends every message handed over since its
last run, each once, with the outcome `deliver` gives one message."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet import after_commit
from guichet.notifications import gateways, services
from guichet.notifications.models import Message
from guichet.notifications.services import notify

pytestmark = pytest.mark.django_db(transaction=True)

CONTEXT = {"name": "Aïcha", "number": "2026/17", "when": "15/01/2026"}


class PickyGateway:
    """Refuses one number for good, is down for another, sends the rest."""

    name = "picky"

    def send(self, message, segments):
        if message.recipient == "+22790000002":
            raise gateways.GatewayError("unknown subscriber")
        if message.recipient == "+22790000003":
            raise gateways.TransientGatewayError("gateway down")
        return gateways.SendResult(gateway_message_id=f"picky-{message.pk}", delivered=True)


def test_many_messages_are_sent_with_the_outcome_deliver_gives_each(settings):
    settings.SMS_GATEWAY = f"{__name__}.PickyGateway"
    settings.AFTER_COMMIT_IN_THREAD = False
    ids = []
    for n in range(1, 5):
        message = Message.objects.create(
            channel=Message.Channel.SMS,
            recipient=f"+2279000000{n}",
            template="tests/welcome",
            body=f"Bonjour {n}",
        )
        ids.append(message.pk)
    statuses = services.deliver_many(ids)
    rows = {m.recipient: m for m in Message.objects.filter(pk__in=ids)}
    assert statuses == {m.pk: m.status for m in rows.values()}
    sent = rows["+22790000001"]
    assert sent.status == Message.Status.DELIVERED and sent.attempts == 1
    assert sent.gateway == "picky" and sent.gateway_message_id == f"picky-{sent.pk}"
    assert sent.sent_at is not None and sent.delivered_at is not None
    refused = rows["+22790000002"]
    assert (refused.status, refused.retryable) == (Message.Status.FAILED, False)
    down = rows["+22790000003"]
    # The thread's attempt is final, as the eager task's: failed, retryable by the periodic job.
    assert (down.status, down.retryable, down.last_error) == (
        Message.Status.FAILED,
        True,
        "gateway down",
    )
    assert rows["+22790000004"].status == Message.Status.DELIVERED
    # A message already sent is not sent again.
    services.deliver_many([sent.pk])
    assert Message.objects.get(pk=sent.pk).attempts == 1


@pytest.mark.postgres
def test_on_postgresql_one_claim_and_one_update_send_them_all():
    ids = [
        Message.objects.create(
            channel=Message.Channel.SMS, recipient=f"+2279000001{n}", body=f"Bonjour {n}"
        ).pk
        for n in range(5)
    ]
    with CaptureQueriesContext(connection) as queries:
        services.deliver_many(ids)
    statements = [q["sql"] for q in queries.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]
    assert len(statements) == 2, statements
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.DELIVERED}


def test_notices_go_to_the_sending_thread_after_commit(settings):
    settings.AFTER_COMMIT_IN_THREAD = True
    try:
        (message,) = notify(phone="+22790000009", template="tests/welcome", context=CONTEXT)
        assert after_commit.drain_all(timeout=30)
        message.refresh_from_db()
        assert message.status == Message.Status.DELIVERED and message.attempts == 1
    finally:
        assert after_commit.stop_all(timeout=30)


def test_a_sent_message_is_stored_as_sent_when_sqlite_is_locked_a_moment(settings, monkeypatch):
    """The outcome of a message already claimed and sent is written again after a lock error
    (the other after-commit thread's write), not left « sending » by a retry of the whole run."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's path: claim and outcome are two writes around the send")
    from django.db import OperationalError
    from django.db.models import QuerySet

    settings.SMS_GATEWAY = "console"
    settings.AFTER_COMMIT_IN_THREAD = False
    monkeypatch.setattr(after_commit, "LOCKED_RETRY_PAUSES", (0.0, 0.0))
    message = Message.objects.create(
        channel=Message.Channel.SMS,
        recipient="+22790000001",
        template="tests/welcome",
        body="Bonjour",
    )
    update = QuerySet.update
    refusals = []

    def locked_once(queryset, **fields):
        if fields.get("status") == Message.Status.DELIVERED and not refusals:
            refusals.append(fields)
            raise OperationalError("database table is locked: notifications_message")
        return update(queryset, **fields)

    monkeypatch.setattr(QuerySet, "update", locked_once)
    assert services.deliver_many([message.pk]) == {message.pk: Message.Status.DELIVERED}
    message.refresh_from_db()
    assert refusals and message.status == Message.Status.DELIVERED and message.attempts == 1
