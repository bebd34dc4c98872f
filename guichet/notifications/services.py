"""Telling people things (SMS, email) and hearing back from them (inbound SMS, delivery reports).

`notify` is the one function the apps call. It renders the app's templates in the person's
language, stores one `Message` per channel inside the caller's transaction, and hands the
messages to the `send_message` Celery task only once that transaction has committed, so a rolled
back request never texts anyone. The task (in-process in the embedded mode) moves each message
through queued → sending → sent → delivered, or failed.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guichet import after_commit, locks, phones
from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.notifications import gateways
from guichet.notifications.gsm import encode_segments
from guichet.notifications.models import InboundMessage, Message
from guichet.notifications.selectors import language_of
from guichet.throttling import RateLimited, check_rate

logger = logging.getLogger("guichet.notifications")


class MissingTemplate(TemplateDoesNotExist):
    """`notify` was asked for a channel whose template the app does not provide."""


def normalise_phone(raw: str) -> str:
    """Any valid number (a gateway may relay a foreign sender), in E.164; see guichet.phones."""
    return phones.normalise_phone(raw, niger_only=False)


def render_message(template: str, channel: str, context: dict, language: str) -> str:
    """Render `notifications/<template>.<channel>.txt` in `language`, as plain text.

    Autoescaping is off: an SMS or a text email must show "l'acte", not "l&#x27;acte".
    """
    name = f"notifications/{template}.{channel}.txt"
    try:
        compiled = get_template(name)
    except TemplateDoesNotExist as error:
        raise MissingTemplate(
            f"{name} does not exist: the {channel} channel was requested for {template!r}."
        ) from error
    with translation.override(language):
        return compiled.template.render(Context(context or {}, autoescape=False))


def _sms_body(rendered: str) -> str:
    # Template tags leave blank lines and indentation that would cost SMS parts.
    lines = [line.strip() for line in rendered.strip().splitlines()]
    return "\n".join(line for line in lines if line)


def _email_parts(rendered: str) -> tuple[str, str]:
    first, _sep, rest = rendered.strip().partition("\n")
    return first.strip(), rest.strip() + "\n"


def dispatch(message_id: int) -> None:
    """Hand one stored message to the sending task (after commit; see `notify`).

    Without a broker (the embedded mode: tasks eager) the message goes to the process's sending
    thread (guichet/after_commit.py) instead of being sent inside the request that committed it.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER and after_commit.threaded():
        _sender.submit([message_id])
        return
    from guichet.notifications.tasks import send_message

    send_message.delay(message_id)


def _queue(messages: list[Message]) -> None:
    for message in messages:
        # robust: a broker that is down must not break the request that already committed;
        # the message stays queued and `retry_failed_messages` sends it later.
        transaction.on_commit(lambda pk=message.pk: dispatch(pk), robust=True)


def notify(
    *,
    phone: str | None = None,
    email: str | None = None,
    template: str,
    context: dict,
    language: str = "fr",
    related: models.Model | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> list[Message]:
    """Tell a person something by SMS (`phone`) and/or email (`email`); returns the stored rows.

    Renders `notifications/<template>.sms.txt` and `notifications/<template>.email.txt` (first
    line: the subject) in `language`. A requested channel without its template raises
    `MissingTemplate`; an invalid phone number raises `ValidationError`. Messages go out after
    the surrounding transaction commits. `attachments` — (filename, text content, MIME type) —
    go with the email only (an ICS invitation, for instance).
    """
    language = language or settings.LANGUAGE_CODE
    related_fields = {}
    if related is not None:
        related_fields = {
            "related_type": ContentType.objects.get_for_model(related),
            "related_id": str(related.pk),
        }
    # Render everything before writing anything: a missing template leaves no half-sent notice.
    pending: list[Message] = []
    if phone:
        body = _sms_body(render_message(template, "sms", context, language))
        if not body:
            raise ValueError(f"notifications/{template}.sms.txt rendered an empty SMS.")
        segments = encode_segments(body)
        pending.append(
            Message(
                channel=Message.Channel.SMS,
                recipient=normalise_phone(phone),
                template=template,
                language=language,
                body=segments.text,
                encoding=segments.encoding,
                segments=segments.count,
                **related_fields,
            )
        )
    if email:
        subject, body = _email_parts(render_message(template, "email", context, language))
        pending.append(
            Message(
                channel=Message.Channel.EMAIL,
                recipient=email.strip(),
                template=template,
                language=language,
                subject=subject[:255],
                body=body,
                attachments=[
                    {"filename": name, "content": content, "content_type": mime}
                    for name, content, mime in attachments or ()
                ],
                **related_fields,
            )
        )
    # No savepoint: an error rolls back the caller's transaction whole.
    with transaction.atomic(savepoint=False):
        for message in pending:
            message.save()
        _queue(pending)
    return pending


def send_sms_text(phone: str, text: str, *, language: str = "fr") -> Message:
    """An SMS whose text is already written (a reply to an inbound SMS), through `notify`."""
    return notify(
        phone=phone,
        template="notifications/reply",
        context={"text": text},
        language=language,
    )[0]


# --- Sending (called by the task) -----------------------------------------------------------


def _claim(message_id: int) -> Message | None:
    """Move a queued message to "sending" and count the attempt, atomically.

    Only a queued message can be claimed, so a task delivered twice (acks_late, a retry racing
    the `retry_failed_messages` command) never sends the same message twice: inside `deliver`'s
    transaction on PostgreSQL, the second claimer waits on the row and then finds it sent.

    On PostgreSQL the claim is one round trip (`_claim_many`).
    """
    if connection.vendor == "postgresql":
        claimed = _claim_many([message_id])
        return claimed[0] if claimed else None
    claimed = Message.objects.filter(pk=message_id, status=Message.Status.QUEUED).update(
        status=Message.Status.SENDING, attempts=models.F("attempts") + 1
    )
    if not claimed:
        return None
    return Message.objects.get(pk=message_id)


def _claim_many(message_ids: list[int]) -> list[Message]:
    """PostgreSQL: claim every queued message among `message_ids` in one round trip, in id order.

    The UPDATE returns the rows, and it turns off the wait for the disk at the commit of the
    surrounding transaction (see `deliver`). A row claimed means the set_config was evaluated: the
    UPDATE joins its one-row relation.
    """
    columns = ", ".join(f'm."{field.column}"' for field in Message._meta.concrete_fields)
    claimed = list(
        Message.objects.raw(
            f"UPDATE {Message._meta.db_table} AS m "  # noqa: S608 - names from the model
            "SET status = %s, attempts = m.attempts + 1 "
            "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS s "
            f"WHERE m.id = ANY(%s) AND m.status = %s RETURNING {columns}",
            [Message.Status.SENDING, list(message_ids), Message.Status.QUEUED],
        )
    )
    return sorted(claimed, key=lambda message: message.pk)


def deliver(message_id: int, *, final_attempt: bool) -> str:
    """Send one message through its channel and store the outcome; returns the new status.

    On a transient gateway error the message goes back to "queued" and the error is raised again
    for the task to retry, unless this was the final attempt: then it is marked "failed" (as it
    is at once for a permanent refusal) and nothing is raised.

    On PostgreSQL the claim and the outcome are one transaction, whose commit does not wait for
    the disk: a worker or database that dies in between leaves the message "queued", and
    `retry_failed_messages` sends it again (at least once beats never, as for a worker killed
    mid-send). On SQLite, where a transaction holds the whole database's write lock, the claim
    and the outcome are two short writes around the send.
    """
    if connection.vendor != "postgresql":
        status, error = _deliver(message_id, final_attempt=final_attempt)
    else:
        # The claim turns synchronous_commit off for this transaction (`_claim_many`).
        with transaction.atomic():
            status, error = _deliver(message_id, final_attempt=final_attempt)
    if error is not None:
        raise error
    return status


def deliver_many(message_ids: list[int]) -> dict[int, str]:
    """Send many messages, each once and as a final attempt (the embedded mode's sending thread);
    returns id → new status.

    The same outcome as `deliver(id, final_attempt=True)` for each, errors logged, not raised. On
    PostgreSQL in one transaction: one claim for them all, the sends, one UPDATE for every message
    sent (failures are stored one by one, as `deliver` does); elsewhere `deliver` each.
    """
    statuses: dict[int, str] = {}
    if connection.vendor != "postgresql":
        for message_id in message_ids:
            statuses[message_id], error = _deliver(message_id, final_attempt=True)
            if error is not None:
                logger.error("Message %s not sent: %r", message_id, error)
        return statuses
    with transaction.atomic():
        sent = []
        for message in _claim_many(message_ids):
            status, outcome, error = _send_claimed(message, final_attempt=True)
            statuses[message.pk] = status
            if error is not None:
                logger.error("Message %s not sent: %r", message.pk, error)
            if status in (Message.Status.SENT, Message.Status.DELIVERED):
                sent.append((message.pk, status, outcome))
            else:
                Message.objects.filter(pk=message.pk).update(status=status, **outcome)
        _store_sent(sent)
    for message_id in message_ids:
        if message_id not in statuses:
            logger.info("Message %s not sent again (no longer queued)", message_id)
    return statuses


def _store_sent(rows: list[tuple[int, str, dict]]) -> None:
    """PostgreSQL: the outcome of every message sent, in one UPDATE (values as parameters)."""
    if not rows:
        return
    values = ", ".join(
        ["(%s::bigint, %s, %s::timestamptz, %s::timestamptz, %s, %s, %s)"] * len(rows)
    )
    parameters = []
    for pk, status, outcome in rows:
        parameters += [
            pk,
            status,
            outcome["sent_at"],
            outcome["delivered_at"],
            outcome["gateway"],
            outcome["gateway_message_id"],
            outcome["gateway_status"],
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Message._meta.db_table} AS m SET status = v.status, "  # noqa: S608
            "sent_at = v.sent_at, delivered_at = v.delivered_at, gateway = v.gateway, "
            "gateway_message_id = v.gateway_message_id, gateway_status = v.gateway_status, "
            "last_error = '', retryable = false "
            "FROM (VALUES " + values + ") AS v(id, status, sent_at, delivered_at, gateway, "
            "gateway_message_id, gateway_status) WHERE m.id = v.id",
            parameters,
        )


def _deliver(message_id: int, *, final_attempt: bool) -> tuple[str, Exception | None]:
    """(new status, error to raise once the outcome is stored); see `deliver`."""
    message = _claim(message_id)
    if message is None:
        current = Message.objects.filter(pk=message_id).values_list("status", flat=True).first()
        logger.info("Message %s not sent again (status %s)", message_id, current)
        return current or "missing", None
    status, outcome, error = _send_claimed(message, final_attempt=final_attempt)
    # Claimed and sent: the outcome is written again if SQLite is locked a moment by the other
    # after-commit thread (the sequencer), rather than the whole run being tried again, which
    # would find the message claimed and leave it « sending » although it went out.
    after_commit.when_unlocked(
        lambda: Message.objects.filter(pk=message_id).update(status=status, **outcome)
    )
    return status, error


def _send_claimed(message: Message, *, final_attempt: bool) -> tuple[str, dict, Exception | None]:
    """Send a claimed message: (new status, fields to store with it, error to raise after)."""
    try:
        if message.channel == Message.Channel.SMS:
            gateway = gateways.sms_gateway()
            result = gateway.send(message, encode_segments(message.body))
            gateway_name = gateway.name
        else:
            result = gateways.send_email(message)
            gateway_name = "email"
    except gateways.TransientGatewayError as error:
        status = Message.Status.FAILED if final_attempt else Message.Status.QUEUED
        logger.warning("Message %s: %s (attempt %s)", message.pk, error, message.attempts)
        outcome = {"last_error": str(error)[:2000], "retryable": True}
        return status, outcome, (None if final_attempt else error)
    except gateways.GatewayError as error:
        logger.error("Message %s refused: %s", message.pk, error)
        return Message.Status.FAILED, {"last_error": str(error)[:2000], "retryable": False}, None
    except Exception as error:
        # A bug or a misconfiguration: keep the message visible as failed (not stuck in
        # "sending"), retryable once fixed, and let the error reach the logs.
        outcome = {"last_error": f"{type(error).__name__}: {error}"[:2000], "retryable": True}
        return Message.Status.FAILED, outcome, error
    now = timezone.now()
    status = Message.Status.DELIVERED if result.delivered else Message.Status.SENT
    outcome = {
        "sent_at": now,
        "delivered_at": now if result.delivered else None,
        "gateway": gateway_name,
        "gateway_message_id": result.gateway_message_id[:128],
        "gateway_status": result.detail[:255],
        "last_error": "",
        "retryable": False,
    }
    return status, outcome, None


# The embedded mode's sending thread: every message handed over since its last run, sent together.
_sender = after_commit.Coalescing(
    "notifications-sender", deliver_many, delay=settings.AFTER_COMMIT_DELAY
)


# Attempts after which `requeue` leaves a failed message alone (the admin can still resend it).
MAX_AUTOMATIC_ATTEMPTS = 8


def requeue(
    *, failed_since: timedelta = timedelta(days=2), stale_after: timedelta = timedelta(minutes=15)
) -> list[int]:
    """Send again the messages that failed for a reason time may cure, and those stuck.

    Only transient failures (gateway unreachable) are retried, up to MAX_AUTOMATIC_ATTEMPTS: a
    refusal by the gateway or a "not delivered" report would fail again. A message stays
    "queued" when the broker was down at commit time, and "sending" when a worker died mid-send
    (it may then reach the person twice: at least once beats never); both are picked up once
    older than `stale_after`.
    """
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            locks.rows(
                Message.objects.filter(
                    models.Q(
                        status=Message.Status.FAILED,
                        retryable=True,
                        attempts__lt=MAX_AUTOMATIC_ATTEMPTS,
                        created_at__gte=now - failed_since,
                    )
                    | models.Q(
                        status__in=[Message.Status.QUEUED, Message.Status.SENDING],
                        created_at__lt=now - stale_after,
                    )
                )
            ).values_list("pk", flat=True)
        )
        Message.objects.filter(pk__in=ids).update(status=Message.Status.QUEUED)
        for pk in ids:
            transaction.on_commit(lambda pk=pk: dispatch(pk), robust=True)
    return ids


@transaction.atomic
def resend_failed(message_ids, *, actor=None, request=None) -> list[int]:
    """Queue again the failed messages among `message_ids` (the admin's "send again")."""
    ids = list(
        locks.rows(
            Message.objects.filter(pk__in=list(message_ids), status=Message.Status.FAILED)
        ).values_list("pk", flat=True)
    )
    Message.objects.filter(pk__in=ids).update(status=Message.Status.QUEUED)
    if ids:
        record(
            audit_actions.Notifications.MESSAGES_RESENT,
            actor=actor,
            request=request,
            data={"ids": ids},
        )
    for pk in ids:
        transaction.on_commit(lambda pk=pk: dispatch(pk), robust=True)
    return ids


# --- Delivery reports -----------------------------------------------------------------------

# Kannel's %d in the dlr-url (user guide, "Delivery reports").
DLR_DELIVERED = 1
DLR_UNDELIVERED = 2
DLR_BUFFERED = 4
DLR_SMSC_SUBMIT = 8
DLR_SMSC_REJECT = 16
DLR_CODES = {DLR_DELIVERED, DLR_UNDELIVERED, DLR_BUFFERED, DLR_SMSC_SUBMIT, DLR_SMSC_REJECT}


@transaction.atomic
def record_delivery_report(message_id: int, code: int, answer: str = "") -> Message:
    """Apply one delivery report to its message. Reports may arrive out of order (a late
    "submitted to SMSC" after "delivered"), so a delivered message is never moved back, and
    keeps the report that said it was delivered."""
    if code not in DLR_CODES:
        raise ValueError(f"Unknown delivery report type {code}")
    message = locks.rows(Message.objects.all()).get(pk=message_id)
    if message.status == Message.Status.DELIVERED:
        return message
    now = timezone.now()
    message.gateway_status = (f"{code}: {answer}" if answer else str(code))[:255]
    if code == DLR_DELIVERED:
        message.status = Message.Status.DELIVERED
        message.delivered_at = now
    elif code in (DLR_UNDELIVERED, DLR_SMSC_REJECT):
        message.status = Message.Status.FAILED
        message.last_error = message.gateway_status
        message.retryable = False
    else:
        message.status = Message.Status.SENT
    message.sent_at = message.sent_at or now
    message.save(
        update_fields=[
            "status",
            "gateway_status",
            "delivered_at",
            "sent_at",
            "last_error",
            "retryable",
        ]
    )
    return message


# --- Inbound SMS ----------------------------------------------------------------------------


def help_text() -> str:
    from guichet.notifications.channels import sms_commands

    keywords = ", ".join(
        command.keyword for command in sms_commands(translation.get_language() or "")
    )
    if not keywords:
        return _("Guichet : aucun service n'est disponible par SMS pour le moment.")
    return _(
        "Guichet : mot-clé inconnu. Envoyez l'un de ces mots suivi de votre demande : %(keywords)s."
    ) % {"keywords": keywords}


def receive_sms(sender: str, recipient: str, text: str) -> InboundMessage:
    """Store an inbound SMS, run the command its first word names, and text the reply back.

    The command runs in a savepoint: if it fails, its writes are undone, the person is told
    that something went wrong, and the error is kept on the inbound row.
    """
    from guichet.notifications.channels import find_sms_command, split_keyword

    try:
        phone = normalise_phone(sender)
    except ValidationError:
        phone = sender.strip()
    keyword, rest = split_keyword(text)
    keyword = keyword[:40]
    command = find_sms_command(keyword) if keyword else None
    language = (command and command.language) or language_of(phone)
    with transaction.atomic():
        inbound = InboundMessage.objects.create(
            sender=phone, recipient=(recipient or "")[:32], text=text or "", keyword=keyword
        )
    try:
        # An automated sender answering our replies would otherwise loop (and cost) forever.
        check_rate("sms-inbound", phone, getattr(settings, "SMS_INBOUND_PER_HOUR", 30), 3600)
    except RateLimited:
        logger.warning("Inbound SMS from %s over the hourly limit: stored, not answered", phone)
        inbound.error = "rate limited"
        inbound.save(update_fields=["error"])
        return inbound
    error = ""
    with translation.override(language):
        if command is None:
            reply = help_text()
        else:
            try:
                with transaction.atomic():
                    reply = command.handler(phone, rest)
            except Exception as exc:
                logger.exception("SMS command %s failed for %s", keyword, phone)
                error = f"{type(exc).__name__}: {exc}"
                reply = _("Désolé, votre demande n'a pas pu être traitée. Réessayez plus tard.")
        reply = str(reply or "").strip()
    with transaction.atomic():
        message = None
        if reply:
            try:
                message = send_sms_text(phone, reply, language=language)
            except ValidationError:
                logger.warning("No reply sent to the invalid number %r", sender)
        inbound.handled = command is not None and not error
        inbound.error = error
        inbound.reply = message
        inbound.save(update_fields=["handled", "error", "reply"])
    return inbound
