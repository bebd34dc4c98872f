"""Payment providers behind one interface (as notifications.gateways does for SMS): the core
never knows which operator or aggregator collected the money.

`get_provider(code)` returns the adapter configured in `settings.PAYMENT_PROVIDERS`;
`settings.PAYMENT_PROVIDER` names the one used for new payments ("simulator" in development).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from guichet.payments.providers.base import (
    Checked,
    ForgedNotification,
    Notification,
    PaymentProvider,
    ProviderError,
    Started,
)


def get_provider(code: str | None = None) -> PaymentProvider:
    code = code or settings.PAYMENT_PROVIDER
    if code == "simulator":
        from guichet.payments.providers.simulator import SimulatorProvider

        return SimulatorProvider()
    if code == "cinetpay":
        from guichet.payments.providers.cinetpay import CinetPayProvider

        return CinetPayProvider.from_settings()
    raise ImproperlyConfigured(f"Unknown payment provider {code!r}")


__all__ = [
    "Checked",
    "ForgedNotification",
    "Notification",
    "PaymentProvider",
    "ProviderError",
    "Started",
    "get_provider",
]
