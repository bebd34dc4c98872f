"""Project-level pages: the home page and the health check."""

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from guichet import navigation


@require_safe
def home(request):
    return render(
        request,
        "home.html",
        {
            "ussd_code": settings.USSD_SERVICE_CODE,
            "short_code": settings.SMS_SHORT_CODE,
            "tasks": navigation.citizen_tasks(
                short_code=settings.SMS_SHORT_CODE, ussd_code=settings.USSD_SERVICE_CODE
            ),
        },
    )


@require_safe
def follow(request):
    """One place to follow every procedure: a complaint by its reference, the rest by phone."""
    return render(request, "follow.html", {"short_code": settings.SMS_SHORT_CODE})


def _database_state() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means "not healthy"; its text is reported
        return f"error: {error.__class__.__name__}"
    return "ok"


def _broker_state() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
    except Exception as error:
        return f"error: {error.__class__.__name__}"
    return "ok"


@never_cache
@require_safe
def healthz(request):
    database = _database_state()
    broker = _broker_state()
    healthy = database == "ok" and broker in {"ok", "not configured"}
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )
