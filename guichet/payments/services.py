"""Every change of a payment: started, confirmed by a verified callback, reconciled, refunded.

A callback is believed only when its signature verifies, and even then its content is not: the
status, amount and currency are asked back from the provider (`check`). A callback received
twice is recognised by its key and changes nothing. Services that charge a fee register what
happens when it is paid (`on_paid`), inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet import locks
from guichet.audit.services import record
from guichet.payments import audit_actions
from guichet.payments.models import Payment, PaymentNotification
from guichet.payments.providers import ForgedNotification, ProviderError, get_provider

_PAID_HANDLERS: dict[str, Callable[[Payment], None]] = {}


def on_paid(purpose: str):
    """Register `handler(payment)`, called in the transaction that marks a payment paid."""

    def register(handler):
        _PAID_HANDLERS[purpose] = handler
        return handler

    return register


def start_payment(
    *,
    purpose: str,
    subject: str,
    amount: int,
    description: str,
    notify_url: str,
    return_url: str,
    phone: str = "",
    provider_code: str | None = None,
    actor=None,
) -> Payment:
    """Open (or reopen) the payment of one thing; the payer then goes to `payment.payment_url`.
    Asking twice for the same thing reuses the pending payment instead of charging twice."""
    provider = get_provider(provider_code)
    existing = (
        Payment.objects.filter(purpose=purpose, subject=subject, provider=provider.code)
        .exclude(status=Payment.Status.FAILED)
        .first()
    )
    if existing and (existing.status != Payment.Status.PENDING or existing.payment_url):
        return existing
    payment = existing or Payment(
        provider=provider.code,
        purpose=purpose,
        subject=subject,
        amount=amount,
        description=description,
        phone=phone,
        return_url=return_url,
    )
    payment.save()
    started = provider.start(payment, notify_url=notify_url, return_url=return_url)  # may raise
    payment.payment_url = started.payment_url
    payment.provider_token = started.provider_token
    payment.save(update_fields=["payment_url", "provider_token"])
    record(
        audit_actions.STARTED,
        actor=actor,
        target=payment,
        data={"purpose": purpose, "subject": subject, "amount": amount, "provider": provider.code},
    )
    return payment


def _apply(payment: Payment, checked) -> str:
    """Bring the payment to what the provider says; returns the notification's outcome."""
    outcome = PaymentNotification.Outcome
    if checked.status == Payment.Status.PAID:
        if checked.amount != payment.amount or (checked.currency or "") != payment.currency:
            record(
                audit_actions.MISMATCH,
                target=payment,
                data={
                    "expected": [payment.amount, payment.currency],
                    "provider": [checked.amount, checked.currency],
                },
            )
            return outcome.MISMATCH
        if payment.status == Payment.Status.PAID:
            return outcome.NO_CHANGE
        payment.status = Payment.Status.PAID
        payment.paid_at = timezone.now()
        payment.operator_reference = checked.operator_reference[:100]
        payment.method = checked.method[:40]
        payment.save(update_fields=["status", "paid_at", "operator_reference", "method"])
        record(
            audit_actions.PAID,
            target=payment,
            data={"amount": payment.amount, "operator_reference": payment.operator_reference},
        )
        handler = _PAID_HANDLERS.get(payment.purpose)
        if handler:
            handler(payment)
        return outcome.APPLIED
    if checked.status == Payment.Status.FAILED and payment.status == Payment.Status.PENDING:
        payment.status = Payment.Status.FAILED
        payment.save(update_fields=["status"])
        record(audit_actions.FAILED, target=payment)
        return outcome.APPLIED
    return outcome.NO_CHANGE


@dataclass
class Handled:
    notification: PaymentNotification
    duplicate: bool = False

    @property
    def forged(self) -> bool:
        return self.notification.outcome == PaymentNotification.Outcome.FORGED


def handle_notification(*, provider_code: str, headers: dict, data: dict) -> Handled:
    """A provider's callback: verified, deduplicated, confirmed with the provider, applied."""
    provider = get_provider(provider_code)
    try:
        note = provider.verify_notification(headers=headers, data=data)
    except ForgedNotification as exc:
        digest = hashlib.sha256(
            json.dumps([data, dict(headers)], sort_keys=True, default=str).encode()
        ).hexdigest()
        notification, _ = PaymentNotification.objects.get_or_create(
            key=f"forged:{digest}",
            defaults={
                "provider": provider.code,
                "outcome": PaymentNotification.Outcome.FORGED,
                "payload": {k: str(v)[:200] for k, v in data.items()},
            },
        )
        record(audit_actions.NOTIFICATION_FORGED, target=notification, data={"why": str(exc)})
        return Handled(notification)
    try:
        with transaction.atomic():
            seen = PaymentNotification.objects.filter(key=note.key).first()
            if seen is not None:
                return Handled(seen, duplicate=True)
            payment = locks.rows(
                Payment.objects.filter(reference=note.reference, provider=provider.code)
            ).first()
            if payment is None:
                outcome = PaymentNotification.Outcome.UNKNOWN
            else:
                outcome = _apply(payment, provider.check(payment))
            notification = PaymentNotification.objects.create(
                provider=provider.code,
                key=note.key,
                payment=payment,
                outcome=outcome,
                payload=note.payload,
            )
            return Handled(notification)
    except IntegrityError:
        # The same callback, received at the same moment by another worker: it won.
        return Handled(PaymentNotification.objects.get(key=note.key), duplicate=True)


@transaction.atomic
def refund(*, actor, payment: Payment, reason: str) -> Payment:
    """Record that the provider refunded the payer (back office of the provider)."""
    payment = locks.rows(Payment.objects.all()).get(pk=payment.pk)
    if payment.status != Payment.Status.PAID:
        raise ValueError("only a paid payment can be refunded")
    payment.status = Payment.Status.REFUNDED
    payment.refunded_at = timezone.now()
    payment.save(update_fields=["status", "refunded_at"])
    record(audit_actions.REFUNDED, actor=actor, target=payment, reason=reason)
    return payment


# --- Daily reconciliation --------------------------------------------------------------------------


@dataclass
class Report:
    day: dt.date
    rows: dict = field(default_factory=dict)  # status → (count, amount)
    unreachable: int = 0
    settled: int = 0

    def line(self, status: str) -> tuple[int, int]:
        return self.rows.get(status, (0, 0))

    @property
    def paid(self):
        return self.line(Payment.Status.PAID)

    @property
    def unpaid(self):
        pending, failed = self.line(Payment.Status.PENDING), self.line(Payment.Status.FAILED)
        return (pending[0] + failed[0], pending[1] + failed[1])

    @property
    def refunded(self):
        return self.line(Payment.Status.REFUNDED)

    def as_dict(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "paid": list(self.paid),
            "unpaid": list(self.unpaid),
            "refunded": list(self.refunded),
            "settled_by_check": self.settled,
            "provider_unreachable": self.unreachable,
        }


def reconcile(day: dt.date, *, ask_providers: bool = True) -> Report:
    """The day's report of paid / unpaid / refunded payments (by creation date). Pending
    payments of that day or before are first asked back from their provider, so a callback that
    never arrived is caught up; the report is written to the audit trail."""
    report = Report(day=day)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = start + dt.timedelta(days=1)
    if ask_providers:
        pending = Payment.objects.filter(status=Payment.Status.PENDING, created_at__lt=end)
        for payment in pending.iterator():
            try:
                checked = get_provider(payment.provider).check(payment)
            except ProviderError:
                report.unreachable += 1
                continue
            with transaction.atomic():
                locked = locks.rows(Payment.objects.all()).get(pk=payment.pk)
                if _apply(locked, checked) == PaymentNotification.Outcome.APPLIED:
                    report.settled += 1
    from django.db.models import Count, Sum

    rows = (
        Payment.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("status")
        .annotate(n=Count("pk"), total=Sum("amount"))
    )
    report.rows = {row["status"]: (row["n"], row["total"] or 0) for row in rows}
    record(audit_actions.RECONCILED, data=report.as_dict())
    return report
