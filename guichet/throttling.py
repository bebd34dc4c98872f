"""Rate limits shared by every public entry point (sign-in codes, complaints, verification codes),
and the client address they count by.

Counters live in the cache: Redis in production, a database table in the embedded mode, so that
every worker process and every app server counts together (settings.CACHES).
"""

import ipaddress
import time
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _


@dataclass
class RateLimited(Exception):
    scope: str
    retry_after: int

    def __str__(self) -> str:
        minutes = max(1, round(self.retry_after / 60))
        return _("Trop de demandes. Réessayez dans %(minutes)d minute(s).") % {"minutes": minutes}


def _count_hit(cache_key: str, timeout: int) -> int:
    if cache.add(cache_key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=timeout)
        return 1


def check_rate(scope: str, key: str, limit: int, window_seconds: int) -> None:
    """Count one hit of `key` in a fixed window; raise RateLimited past `limit` hits."""
    window = int(time.time()) // window_seconds
    cache_key = f"rate:{scope}:{key}:{window}"
    if _cache_is_database():
        # The database cache increments with a read then a write: one transaction makes the pair
        # atomic on SQLite (IMMEDIATE transactions take the write lock first), so that two worker
        # processes cannot both read the same count.
        with transaction.atomic():
            hits = _count_hit(cache_key, window_seconds + 5)
    else:
        hits = _count_hit(cache_key, window_seconds + 5)  # Redis INCR is atomic
    if hits > limit:
        retry_after = window_seconds - int(time.time()) % window_seconds
        raise RateLimited(scope=scope, retry_after=retry_after)


def _cache_is_database() -> bool:
    from django.conf import settings

    return settings.CACHES["default"]["BACKEND"].endswith("db.DatabaseCache")


# --- Client address ------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item, strict=False) for item in trusted)


def _parse_address(text: str):
    """An address from a header entry ("1.2.3.4", "1.2.3.4:5678", "[2001:db8::1]:443"), or None."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def client_ip(request) -> str | None:
    """The caller's address, as far as it can be trusted.

    It is REMOTE_ADDR, unless REMOTE_ADDR is one of `settings.TRUSTED_PROXIES`: then
    X-Forwarded-For is read from the right, skipping the trusted proxies, and the first address
    that is not one is the client. Addresses to its left were written by the client itself and are
    ignored, so a forged header changes neither rate limits nor the audit trail. An unreadable
    entry stops the walk at the last trusted hop.
    """
    from django.conf import settings

    remote = _parse_address(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return None
    trusted = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))

    def is_trusted(address) -> bool:
        return any(address.version == net.version and address in net for net in trusted)

    if not trusted or not is_trusted(remote):
        return str(remote)
    nearest = remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",") if forwarded else []):
        address = _parse_address(entry)
        if address is None:
            break
        if not is_trusted(address):
            return str(address)
        nearest = address
    return str(nearest)
