"""Rate limits shared by every public entry point (sign-in codes, complaints, verification codes),
and the client address they count by.

Counters live in Redis in production (the cache) and in a table of their own in the embedded mode,
so that every worker process and every app server counts together (settings.CACHES).
"""

import hashlib
import ipaddress
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache
from django.utils.translation import ngettext


@dataclass
class RateLimited(Exception):
    scope: str
    retry_after: int

    def __str__(self) -> str:
        minutes = max(1, round(self.retry_after / 60))
        return ngettext(
            "Trop de demandes. Réessayez dans %(minutes)d minute.",
            "Trop de demandes. Réessayez dans %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}


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
    check_rates([(scope, key, limit, window_seconds)])


def check_rates(limits: Iterable[tuple[str, str, int, int]]) -> None:
    """`check_rate` for several (scope, key, limit, window_seconds) at once: every key is counted,
    then the first one past its limit raises RateLimited. In the database (the embedded mode) the
    counts are one statement, whatever their number."""
    now = int(time.time())
    counted = []
    for scope, key, limit, window_seconds in limits:
        window = now // window_seconds
        counted.append((f"rate:{scope}:{key}:{window}", scope, limit, window_seconds, window))
    if _cache_is_database():
        hits = _count_hits_in_table(
            [
                (cache_key, (window + 1) * seconds + 5)
                for cache_key, _s, _l, seconds, window in counted
            ]
        )
    else:
        # Redis INCR is atomic
        hits = {
            cache_key: _count_hit(cache_key, seconds + 5)
            for cache_key, _s, _l, seconds, _w in counted
        }
    for cache_key, scope, limit, window_seconds, _window in counted:
        if hits[cache_key] > limit:
            retry_after = window_seconds - now % window_seconds
            raise RateLimited(scope=scope, retry_after=retry_after)


def _cache_is_database() -> bool:
    from django.conf import settings

    return settings.CACHES["default"]["BACKEND"].endswith("db.DatabaseCache")


# --- Counters in the database (the embedded mode: no Redis) ------------------------------------
# Django's database cache needs six to eight statements and its own transaction for one
# increment (a cull count, a read, a write, savepoints), on every filing and every sign-in code.
# Counters get their own table instead, incremented by one atomic upsert (PostgreSQL and
# SQLite >= 3.35): one round trip, and on PostgreSQL a commit that does not wait for the disk
# (a crash can only forget a few hits of the current window). `migrate` creates the table.

RATE_TABLE = "guichet_rate_counter"
# One increment in this many also deletes the counters of windows that have ended.
_PURGE_EVERY = 500


def create_rate_table(using: str = "default") -> None:
    """Create the counters' table if it is missing (called after `migrate`; idempotent)."""
    from django.db import connections

    with connections[using].cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {RATE_TABLE} ("
            "counter_key varchar(255) NOT NULL PRIMARY KEY, "
            "hits integer NOT NULL, "
            "expires bigint NOT NULL)"
        )
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {RATE_TABLE}_expires ON {RATE_TABLE} (expires)")


def _stored_key(cache_key: str) -> str:
    # A key longer than the column (a 10,000-character username) is counted under its digest.
    if len(cache_key) > 255:
        return "sha256:" + hashlib.sha256(cache_key.encode()).hexdigest()
    return cache_key


def _count_hits_in_table(counters: list[tuple[str, int]]) -> dict[str, int]:
    """cache key → hits after counting one more, for (cache key, expires) pairs: one upsert."""
    from django.db import connection

    stored = {_stored_key(cache_key): cache_key for cache_key, _expires in counters}
    if len(stored) != len(counters):
        raise ValueError("The same counter twice in one statement.")
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Its own transaction (autocommit): commit it without waiting for the disk. Inside a
        # caller's transaction the setting would apply to the caller's commit: not there.
        rows = ", ".join(["(%s, %s::bigint)"] * len(counters))
        source = (
            f"SELECT v.k, 1, v.e FROM (VALUES {rows}) AS v(k, e), "  # noqa: S608 - placeholders
            "(SELECT set_config('synchronous_commit', 'off', true)) AS s"
        )
    else:
        source = "VALUES " + ", ".join(["(%s, 1, %s)"] * len(counters))
    statement = (
        f"INSERT INTO {RATE_TABLE} AS c (counter_key, hits, expires) {source} "
        "ON CONFLICT (counter_key) DO UPDATE SET hits = c.hits + 1 RETURNING counter_key, hits"
    )
    parameters = [
        value for cache_key, expires in counters for value in (_stored_key(cache_key), expires)
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement, parameters)
        found = {stored[key]: hits for key, hits in cursor.fetchall()}
        if secrets.randbelow(_PURGE_EVERY) == 0:
            cursor.execute(
                f"DELETE FROM {RATE_TABLE} WHERE expires < %s",  # noqa: S608
                [int(time.time())],
            )
    return found


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
