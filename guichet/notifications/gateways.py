"""Channels out of Guichet: SMS gateways as adapters behind one interface, and email.

The core never knows which gateway carries a message (RapidPro's rule): `sms_gateway()` returns
the adapter named by `settings.SMS_GATEWAY`, and every adapter answers `send(message, segments)`
with a `SendResult` or raises `GatewayError` (permanent: do not retry) or
`TransientGatewayError` (the sending task retries with back-off).
"""

from __future__ import annotations

import logging
import os
import smtplib
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.module_loading import import_string

from guichet.notifications.gsm import SmsSegments

logger = logging.getLogger("guichet.notifications")


class GatewayError(Exception):
    """The gateway refused the message; sending it again would fail the same way."""


class TransientGatewayError(GatewayError):
    """The gateway could not be reached or is overloaded: try again later."""


@dataclass(frozen=True)
class SendResult:
    gateway_message_id: str = ""
    # True when the adapter knows the message reached the person (no delivery report to wait for).
    delivered: bool = False
    detail: str = ""


class SmsGateway(Protocol):
    name: str

    def send(self, message, segments: SmsSegments) -> SendResult: ...


class ConsoleGateway:
    """Development adapter: the Message row is the outbox, and the SMS is logged to the console."""

    name = "console"
    # At most this long (s) held by SMS_CONSOLE_HOLD_FILE: a forgotten file delays, never blocks.
    HOLD_LIMIT = 120.0

    def send(self, message, segments: SmsSegments) -> SendResult:
        hold = getattr(settings, "SMS_CONSOLE_HOLD_FILE", "")
        if hold:
            waited = 0.0
            while os.path.exists(hold) and waited < self.HOLD_LIMIT:
                time.sleep(0.1)
                waited += 0.1
        lines = [
            f"SMS to {message.recipient} ({segments.encoding}, {segments.count} part(s)):",
            *(f"  [{i}/{segments.count}] {part}" for i, part in enumerate(segments.parts, 1)),
        ]
        logger.info("\n".join(lines))
        return SendResult(
            gateway_message_id=f"console-{message.pk}", delivered=True, detail="console"
        )


# Kannel's sendsms answers with a status code and a text: "0: Accepted for delivery",
# "3: Queued for later delivery" are successes; errors come with a 4xx/5xx HTTP status.
_KANNEL_ACCEPTED = ("0:", "3:")
# Delivery reports wanted: 1 delivered, 2 not delivered, 4 buffered, 8 SMSC submit, 16 SMSC reject.
KANNEL_DLR_MASK = 31


class KannelGateway:
    """Kannel's HTTP `sendsms` interface (Kannel user guide, "Sending SMS messages")."""

    name = "kannel"

    def __init__(self, url: str | None = None, timeout: float = 10.0):
        self.url = url or settings.KANNEL_SENDSMS_URL
        self.timeout = timeout

    def dlr_url(self, message) -> str:
        """Where Kannel reports delivery; %d (the report type) and %A (the SMSC's answer) are
        Kannel escapes it fills in, so they must reach it literally (urlencoding keeps them)."""
        query = urllib.parse.urlencode(
            {"id": message.pk, "token": getattr(settings, "INBOUND_TOKEN", "")}
        )
        site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
        return f"{site}{reverse('notifications:dlr')}?{query}&status=%d&answer=%A"

    def query(self, message, segments: SmsSegments) -> dict[str, str]:
        sender = getattr(settings, "SMS_SENDER", "")
        return {
            "username": settings.KANNEL_USERNAME,
            "password": settings.KANNEL_PASSWORD,
            # No sender: Kannel's sendsms-user default-sender applies.
            **({"from": sender} if sender else {}),
            "to": message.recipient,
            "text": segments.text,
            "charset": "UTF-8",
            # Kannel's coding: 0 = 7-bit GSM, 2 = UCS-2. Kannel does the concatenation itself
            # (sendsms-user: concatenation = true, max-messages ≥ our segment count).
            "coding": str(segments.kannel_coding),
            "dlr-mask": str(KANNEL_DLR_MASK),
            "dlr-url": self.dlr_url(message),
        }

    def send(self, message, segments: SmsSegments) -> SendResult:
        url = f"{self.url}?{urllib.parse.urlencode(self.query(message, segments))}"
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:
                body = response.read(1000).decode("utf-8", "replace").strip()
        except urllib.error.HTTPError as error:
            detail = error.read(1000).decode("utf-8", "replace").strip()
            raise TransientGatewayError(f"Kannel HTTP {error.code}: {detail}") from error
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise TransientGatewayError(f"Kannel unreachable: {error}") from error
        if not body.startswith(_KANNEL_ACCEPTED):
            raise GatewayError(f"Kannel refused the message: {body}")
        # Kannel has no id of its own to give back: ours travels in the dlr-url.
        return SendResult(gateway_message_id=str(message.pk), delivered=False, detail=body)


_GATEWAYS = {"console": ConsoleGateway, "kannel": KannelGateway}


def console_gateway_problem() -> str:
    """ "defaulted" when the console gateway would run with DEBUG off without being chosen,
    "chosen" when GUICHET_SMS_GATEWAY=console was set on purpose with DEBUG off, else ""."""
    if getattr(settings, "SMS_GATEWAY", "console") != "console" or settings.DEBUG:
        return ""
    return "chosen" if getattr(settings, "SMS_GATEWAY_CHOSEN", False) else "defaulted"


def sms_gateway() -> SmsGateway:
    """The adapter named by `settings.SMS_GATEWAY`: "console", "kannel" or a dotted class path.

    With DEBUG off, the console gateway runs only if chosen on purpose (GUICHET_SMS_GATEWAY=console):
    by default it would mark every message delivered while sending none.
    """
    name = getattr(settings, "SMS_GATEWAY", "console")
    if console_gateway_problem() == "defaulted":
        raise ImproperlyConfigured(
            "The console SMS gateway sends nothing: with DEBUG off it must be chosen on purpose "
            "(GUICHET_SMS_GATEWAY=console), or set GUICHET_SMS_GATEWAY=kannel."
        )
    if name in _GATEWAYS:
        return _GATEWAYS[name]()
    try:
        return import_string(name)()
    except ImportError as error:
        raise ImproperlyConfigured(f"Unknown SMS_GATEWAY {name!r}.") from error


def send_email(message) -> SendResult:
    """Send through Django's email backend (SMTP in production, console in development)."""
    email = EmailMessage(subject=message.subject, body=message.body, to=[message.recipient])
    for attachment in message.attachments or ():
        email.attach(attachment["filename"], attachment["content"], attachment["content_type"])
    try:
        email.send(fail_silently=False)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
        raise GatewayError(f"SMTP refused: {error}") from error
    except (smtplib.SMTPException, OSError) as error:
        raise TransientGatewayError(f"SMTP error: {error}") from error
    return SendResult(delivered=False, detail="smtp")
