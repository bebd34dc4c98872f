"""Rate limits shared by every public entry point (sign-in codes, complaints, verification codes).

Counters live in the cache: Redis in production, so that all app servers count together.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _


@dataclass
class RateLimited(Exception):
    scope: str
    retry_after: int

    def __str__(self) -> str:
        minutes = max(1, round(self.retry_after / 60))
        return _("Trop de demandes. Réessayez dans %(minutes)d minute(s).") % {"minutes": minutes}


def check_rate(scope: str, key: str, limit: int, window_seconds: int) -> None:
    """Count one hit of `key` in a fixed window; raise RateLimited past `limit` hits."""
    window = int(time.time()) // window_seconds
    cache_key = f"rate:{scope}:{key}:{window}"
    if cache.add(cache_key, 1, timeout=window_seconds + 5):
        hits = 1
    else:
        try:
            hits = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.add(cache_key, 1, timeout=window_seconds + 5)
            hits = 1
    if hits > limit:
        retry_after = window_seconds - int(time.time()) % window_seconds
        raise RateLimited(scope=scope, retry_after=retry_after)


def client_ip(request) -> str | None:
    """The caller's address; behind a trusted proxy (GUICHET_BEHIND_PROXY), the first forwarded one."""
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")
