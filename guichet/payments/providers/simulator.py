"""A development provider: the « payment page » is ours, the callback is signed with a key
derived from SECRET_KEY (HMAC-SHA256), exactly as a real provider's would be verified.

Never enabled in production unless `PAYMENT_SIMULATOR_ENABLED` says so (settings)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from guichet.payments.providers.base import Checked, ForgedNotification, Notification, Started

SIGNED_FIELDS = ["reference", "status", "amount", "currency", "operator_reference"]


def _secret() -> bytes:
    return hashlib.sha256(("payments-simulator:" + settings.SECRET_KEY).encode()).digest()


def state_key(reference: str) -> str:
    return f"payments-simulator:{reference}"


def pay(payment, *, status: str = "paid") -> dict:
    """What the simulator page does when the payer confirms: the provider records the outcome
    and sends its signed callback (returned, to be posted to the notification URL)."""
    data = {
        "reference": payment.reference,
        "status": status,
        "amount": payment.amount,
        "currency": payment.currency,
        "operator_reference": f"SIM-{payment.reference[-8:]}",
    }
    cache.set(state_key(payment.reference), data, 7 * 86400)
    return data


def sign(data: dict) -> str:
    message = "|".join(str(data.get(name, "")) for name in SIGNED_FIELDS)
    return hmac.new(_secret(), message.encode(), hashlib.sha256).hexdigest()


class SimulatorProvider:
    code = "simulator"

    def start(self, payment, *, notify_url: str, return_url: str) -> Started:
        return Started(
            payment_url=reverse("payments:simulator", args=[payment.reference]),
            provider_token=payment.reference,
        )

    def verify_notification(self, *, headers: dict, data: dict) -> Notification:
        signature = headers.get("X-Signature", "")
        if not hmac.compare_digest(signature, sign(data)):
            raise ForgedNotification("bad simulator signature")
        return Notification(
            reference=data.get("reference", ""),
            key=f"simulator:{signature}",
            payload={k: data.get(k, "") for k in SIGNED_FIELDS},
        )

    def check(self, payment) -> Checked:
        # The simulator's « provider side »: what the payer chose on the simulator page.
        data = cache.get(state_key(payment.reference))
        if data is None:
            return Checked(status="pending")
        return Checked(
            status=data.get("status", "pending"),
            amount=int(data.get("amount") or 0),
            currency=data.get("currency", ""),
            operator_reference=data.get("operator_reference", ""),
            method="simulator",
        )
