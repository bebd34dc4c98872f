"""Personal data of complainants (law n° 2022-59 on personal data): what is kept of the address
a complaint came from, and the pseudonyms the rate limits count by.

- An anonymous complaint, or one whose identity is hidden, keeps no IP address: not in its row,
  not in its duplicates', not in the audit trail (`audit_request`).
- The per-address rate limits count `address_pseudonym(ip)`, an HMAC-SHA256 of the address under
  the day's random key (`AddressHashKey`). Keys of past days are deleted as soon as a new day's
  key is made and by the daily job (`erase_expired_address_keys`): a counter's pseudonym can no
  longer be linked to an address once its day is over, and counters themselves expire within
  the hour of their window.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from django.db import IntegrityError, transaction

from guichet.complaints.models import AddressHashKey, Complaint

_day_keys: dict = {}  # in-process memo: {day: secret}


def _today():
    return datetime.now(UTC).date()


def _key_of(day) -> str:
    secret = _day_keys.get(day)
    if secret is not None:
        return secret
    row = AddressHashKey.objects.filter(day=day).first()
    if row is None:
        try:
            with transaction.atomic():
                row = AddressHashKey.objects.create(day=day, secret=secrets.token_hex(32))
        except IntegrityError:  # another process made it first
            row = AddressHashKey.objects.get(day=day)
        # A new day: yesterday's key has served its purpose.
        AddressHashKey.objects.filter(day__lt=day).delete()
    _day_keys.clear()
    _day_keys[day] = row.secret
    return row.secret


def address_pseudonym(ip: str | None) -> str:
    """The day's keyed hash of `ip` ("" for no address): what the rate limits count by."""
    if not ip:
        return ""
    key = _key_of(_today())
    return hmac.new(key.encode(), ip.encode(), hashlib.sha256).hexdigest()[:32]


def erase_expired_address_keys() -> int:
    """Delete the keys of past days (daily job); returns how many were deleted."""
    deleted, _detail = AddressHashKey.objects.filter(day__lt=_today()).delete()
    _day_keys.clear()
    return deleted


def keeps_no_address(
    *, hide_identity: bool, phone: str, email: str, first_name: str, last_name: str
) -> bool:
    """The rule of `Complaint.keeps_no_address`, before the complaint exists."""
    return hide_identity or not (phone or email or first_name or last_name)


def audit_request(complaint: Complaint, request):
    """The request to give `audit.record` for an entry about `complaint`: none when the
    complaint is anonymous or hidden, so that the entry keeps neither the address nor who was
    signed in."""
    return None if complaint.keeps_no_address else request
