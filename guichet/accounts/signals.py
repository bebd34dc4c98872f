"""Authentication events into the audit trail (issue 9), for agents and citizens.

Django's and django-axes' signals are the one place every sign-in path goes through (the agents'
page, the admin site, the citizens' phone sign-in), so the entries are written here; the second
factor's events are written by guichet.accounts.second_factor, inside their transactions.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save

from guichet.accounts import audit_actions


def _record(action, **kwargs) -> None:
    from guichet.audit.services import record

    record(action, **kwargs)


def _username_tried(credentials: dict | None) -> str:
    username = (credentials or {}).get(get_user_model().USERNAME_FIELD) or ""
    return str(username)[:150]


def on_logged_in(sender, request, user, **kwargs) -> None:
    if user.is_citizen:
        return  # recorded with the code it spent (services.verify_sign_in_code)
    _record(
        audit_actions.SIGNIN_SUCCEEDED,
        actor=user,
        target=user,
        request=request,
        data={"method": "password", "path": getattr(request, "path", "")[:200]},
    )


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = _username_tried(credentials)
    target = get_user_model().objects.filter(username=username).first() if username else None
    _record(
        audit_actions.SIGNIN_FAILED,
        target=target,
        request=request,
        data={"username": username, "path": getattr(request, "path", "")[:200]},
    )


def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    _record(audit_actions.SIGNED_OUT, actor=user, target=user, request=request)


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    target = get_user_model().objects.filter(username=username).first() if username else None
    _record(
        audit_actions.SIGNIN_LOCKED_OUT,
        target=target,
        request=request,
        data={"username": str(username or "")[:150], "ip_address": ip_address},
    )


def on_user_saved(sender, instance, created, **kwargs) -> None:
    # AbstractBaseUser.set_password() keeps the new raw password in `_password` until the save
    # has run its validators, that is, until just after this signal: a set password is seen here.
    if created or getattr(instance, "_password", None) is None:
        return
    _record(audit_actions.PASSWORD_CHANGED, target=instance, data={})


def connect() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(on_logged_in, dispatch_uid="guichet.audit.logged_in")
    user_login_failed.connect(on_login_failed, dispatch_uid="guichet.audit.login_failed")
    user_logged_out.connect(on_logged_out, dispatch_uid="guichet.audit.logged_out")
    user_locked_out.connect(on_locked_out, dispatch_uid="guichet.audit.locked_out")
    post_save.connect(
        on_user_saved, sender=get_user_model(), dispatch_uid="guichet.audit.password_changed"
    )


def create_cache_table(sender, using="default", **kwargs) -> None:
    """`migrate` creates the database cache's table and the rate counters' table when that cache is
    in use (embedded mode)."""
    from django.conf import settings
    from django.core.management import call_command

    from guichet.throttling import create_rate_table

    if settings.CACHES["default"]["BACKEND"].endswith("db.DatabaseCache"):
        call_command("createcachetable", database=using, verbosity=0)
        create_rate_table(using)
