"""Password sign-in lockout, with django-axes (settings: AXES_*, SIGNIN_*).

Failures are counted in the database (every worker and app server counts together) per account
and per client address. The account limit is the lower one (settings.SIGNIN_FAILURE_LIMIT); the
client limit (SIGNIN_CLIENT_FAILURE_LIMIT) is higher, since an office of agents may share one
address, yet stops one client from trying passwords on many accounts. Both last
SIGNIN_LOCKOUT_MINUTES after the last failure; `manage.py unlock_sign_in` lifts them.
"""

import math

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


class SignInLockoutHandler(AxesDatabaseHandler):
    """Axes compares one failure count with one limit: the count given here is the account's
    failures, or the client's scaled to the account limit, whichever is nearer its own limit."""

    def get_failures(self, request, credentials=None) -> int:
        by_account, by_client = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        account_limit = settings.SIGNIN_FAILURE_LIMIT
        client_limit = max(settings.SIGNIN_CLIENT_FAILURE_LIMIT, 1)
        # floor(c × a / b) ≥ a  ⇔  c ≥ b: the client reaches the limit exactly at its own limit.
        scaled = math.floor(by_client * account_limit / client_limit)
        return max(by_account, scaled)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in clears that account's failures, not those its address made on
        other accounts: one's own valid password must not reset the client's count."""
        from axes.helpers import get_client_username
        from axes.models import AccessAttempt

        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _deleted = AccessAttempt.objects.filter(username=username).delete()
        return count


def lockout_response(request, original_response=None, credentials=None, *args, **kwargs):
    """The page shown instead of the sign-in form while locked out (HTTP 429), in French."""
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": settings.SIGNIN_LOCKOUT_MINUTES},
        status=429,
    )


def attempted_username(request, credentials) -> str:
    """The username an attempt is counted under (AXES_USERNAME_CALLABLE), cut to the longest one an
    account can have: a 10,000-character "username" must be refused as wrong, not overflow the
    attempts table (a 500 on PostgreSQL, found by the crawler)."""
    from guichet.accounts.models import User

    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username", "")
    return str(value or "")[: User._meta.get_field("username").max_length]
