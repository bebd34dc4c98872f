"""CinetPay (aggregator of mobile money in francophone West Africa: Orange Money, Moov Money,
Airtel Money, Wave, … per country), written against its published API v2:

* Initialisation — https://docs.cinetpay.com/api/1.0-fr/checkout/initialisation :
  ``POST {api}/v2/payment`` (JSON: apikey, site_id, transaction_id, amount, currency,
  description, notify_url, return_url, channels, lang) → ``{"code": "201", "data":
  {"payment_token", "payment_url"}}``.
* Notification — https://docs.cinetpay.com/api/1.0-fr/checkout/notification : a form POST to
  notify_url (cpm_site_id, cpm_trans_id, cpm_trans_date, cpm_amount, cpm_currency, signature,
  payment_method, cel_phone_num, cpm_phone_prefixe, cpm_language, cpm_version,
  cpm_payment_config, cpm_page_action, cpm_custom, cpm_designation, cpm_error_message).
  « The notify_url must be the only mechanism » — and the status is then asked back (check).
* X-TOKEN HMAC — https://docs.cinetpay.com/api/1.0-fr/checkout/hmac : header ``x-token`` =
  HMAC-SHA256 (hex) with the merchant's secret key of the concatenation, in that order, of the
  fields above; compared in constant time.
* Vérification — https://docs.cinetpay.com/api/1.0-fr/checkout/verification :
  ``POST {api}/v2/payment/check`` (JSON: apikey, site_id, transaction_id) →
  ``{"code": "00", "data": {"amount", "currency", "status": "ACCEPTED" | "REFUSED" |
  "WAITING_FOR_CUSTOMER" …, "payment_method", "operator_id", "payment_date"}}``.

Whether a given operator of Niger is served is a matter of the merchant contract (country
enabled on the CinetPay account); the adapter does not depend on it.

Settings: GUICHET_CINETPAY_API_URL (default https://api-checkout.cinetpay.com),
GUICHET_CINETPAY_SITE_ID, GUICHET_CINETPAY_API_KEY, GUICHET_CINETPAY_SECRET_KEY.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from guichet.payments.providers.base import (
    Checked,
    ForgedNotification,
    Notification,
    ProviderError,
    Started,
)

# docs.cinetpay.com …/checkout/hmac: the fields of the token, in this order.
TOKEN_FIELDS = [
    "cpm_site_id",
    "cpm_trans_id",
    "cpm_trans_date",
    "cpm_amount",
    "cpm_currency",
    "signature",
    "payment_method",
    "cel_phone_num",
    "cpm_phone_prefixe",
    "cpm_language",
    "cpm_version",
    "cpm_payment_config",
    "cpm_page_action",
    "cpm_custom",
    "cpm_designation",
    "cpm_error_message",
]

# …/checkout/verification: data.status → ours. Anything else (WAITING_FOR_CUSTOMER,
# WAITING_CUSTOMER_TO_VALIDATE, …) is still pending.
STATUSES = {"ACCEPTED": "paid", "REFUSED": "failed", "CANCELED": "failed", "CANCELLED": "failed"}


def x_token(data: dict, secret_key: str) -> str:
    message = "".join(str(data.get(name, "") or "") for name in TOKEN_FIELDS)
    return hmac.new(secret_key.encode(), message.encode(), hashlib.sha256).hexdigest()


@dataclass
class CinetPayProvider:
    api_url: str
    site_id: str
    api_key: str
    secret_key: str
    timeout: float = 15.0
    code: str = "cinetpay"

    @classmethod
    def from_settings(cls) -> CinetPayProvider:
        config = settings.CINETPAY
        missing = [k for k in ("site_id", "api_key", "secret_key") if not config.get(k)]
        if missing:
            raise ImproperlyConfigured(f"CinetPay: set {', '.join(missing)} (GUICHET_CINETPAY_*)")
        return cls(
            api_url=config["api_url"].rstrip("/"),
            site_id=config["site_id"],
            api_key=config["api_key"],
            secret_key=config["secret_key"],
        )

    def _post(self, path: str, body: dict) -> dict:
        request = urllib.request.Request(
            self.api_url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            # CinetPay answers errors with a JSON body and a 4xx status.
            try:
                return json.loads(exc.read().decode() or "{}")
            except ValueError:
                raise ProviderError(f"CinetPay HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise ProviderError(f"CinetPay unreachable: {exc}") from exc

    def start(self, payment, *, notify_url: str, return_url: str) -> Started:
        answer = self._post(
            "/v2/payment",
            {
                "apikey": self.api_key,
                "site_id": self.site_id,
                "transaction_id": payment.reference,
                "amount": payment.amount,
                "currency": payment.currency,
                "description": payment.description[:255],
                "notify_url": notify_url,
                "return_url": return_url,
                "channels": "MOBILE_MONEY",
                "lang": "fr",
                "customer_phone_number": payment.phone,
            },
        )
        data = answer.get("data") or {}
        if str(answer.get("code")) != "201" or not data.get("payment_url"):
            raise ProviderError(
                f"CinetPay refused the payment: {answer.get('code')} {answer.get('message')}"
            )
        return Started(
            payment_url=data["payment_url"], provider_token=data.get("payment_token", "")
        )

    def verify_notification(self, *, headers: dict, data: dict) -> Notification:
        received = headers.get("X-Token", "") or headers.get("x-token", "")
        expected = x_token(data, self.secret_key)
        if not received or not hmac.compare_digest(received.lower(), expected):
            raise ForgedNotification("x-token does not verify")
        if str(data.get("cpm_site_id", "")) != str(self.site_id):
            raise ForgedNotification("notification for another site")
        return Notification(
            reference=str(data.get("cpm_trans_id", "")),
            key=f"cinetpay:{expected}",
            payload={name: data.get(name, "") for name in TOKEN_FIELDS},
        )

    def check(self, payment) -> Checked:
        answer = self._post(
            "/v2/payment/check",
            {"apikey": self.api_key, "site_id": self.site_id, "transaction_id": payment.reference},
        )
        data = answer.get("data") or {}
        if not data:
            raise ProviderError(f"CinetPay check: {answer.get('code')} {answer.get('message')}")
        amount = data.get("amount")
        return Checked(
            status=STATUSES.get(str(data.get("status", "")).upper(), "pending"),
            amount=int(float(amount)) if amount not in (None, "") else None,
            currency=str(data.get("currency", "")),
            operator_reference=str(data.get("operator_id") or ""),
            method=str(data.get("payment_method") or ""),
        )
