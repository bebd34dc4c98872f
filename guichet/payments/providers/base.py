"""The interface every payment provider implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class ProviderError(Exception):
    """The provider could not be reached or refused the request (network, credentials, …)."""


class ForgedNotification(Exception):
    """A callback whose signature does not verify: it is recorded and ignored."""


@dataclass
class Started:
    payment_url: str  # where the payer confirms (provider's page, or the USSD push prompt)
    provider_token: str = ""


@dataclass
class Notification:
    """A verified callback: which payment it is about. Its content is never trusted for the
    status: the status is always asked back from the provider (`check`)."""

    reference: str
    key: str  # unique per distinct signed callback: a replay has the same key
    payload: dict


@dataclass
class Checked:
    status: str  # one of models.Payment.Status values, or "pending"
    amount: int | None = None
    currency: str = ""
    operator_reference: str = ""
    method: str = ""


class PaymentProvider(Protocol):
    code: str

    def start(self, payment, *, notify_url: str, return_url: str) -> Started:
        """Open the payment at the provider; return where the payer goes to confirm."""

    def verify_notification(self, *, headers: dict, data: dict) -> Notification:
        """Check the callback's signature; raise ForgedNotification when it does not verify."""

    def check(self, payment) -> Checked:
        """Ask the provider what became of the payment (source of truth)."""
