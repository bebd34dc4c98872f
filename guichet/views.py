"""Project-level pages: the home page and the health check."""

from django.conf import settings
from django.db import connections
from django.http import (
    HttpResponse,
    HttpResponseForbidden,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from guichet import monitoring, navigation
from guichet.throttling import client_ip


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


def _worker_state() -> dict:
    """The Celery worker's last heartbeat (beat → worker → cache). Informative: a stopped worker
    delays SMS but the app servers still answer, so it does not fail the health check."""
    if not settings.REDIS_URL:
        return {"state": "not configured"}
    try:
        age = monitoring.worker_heartbeat_age()
    except Exception as error:
        return {"state": f"error: {error.__class__.__name__}"}
    if age is None:
        return {"state": "not seen"}
    stale = age > settings.WORKER_HEARTBEAT_STALE_SECONDS
    return {"state": "stale" if stale else "ok", "heartbeat_age_seconds": round(age, 1)}


def _audit_state() -> dict:
    try:
        age = monitoring.audit_checkpoint_age()
    except Exception as error:
        return {"state": f"error: {error.__class__.__name__}"}
    if age is None:
        return {"state": "no checkpoint yet"}
    return {"state": "ok", "last_checkpoint_age_seconds": round(age, 1)}


@never_cache
@require_safe
def healthz(request):
    database = _database_state()
    broker = _broker_state()
    healthy = database == "ok" and broker in {"ok", "not configured"}
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "database": database,
            "broker": broker,
            "worker": _worker_state(),
            "audit": _audit_state() if database == "ok" else {"state": "unknown"},
        },
        status=200 if healthy else 503,
    )


@never_cache
@require_safe
def metrics(request):
    """Prometheus' scrape (guichet.monitoring): a bearer token or an allowed address."""
    if not monitoring.may_read_metrics(request, client_ip(request)):
        return HttpResponseForbidden(
            _("Métriques réservées à la supervision (jeton ou adresse autorisée)."),
            content_type="text/plain; charset=utf-8",
        )
    body, content_type = monitoring.exposition()
    return HttpResponse(body, content_type=content_type)


# --- Favicon and API indexes (platform) -------------------------------------------------------
@cache_control(public=True, max_age=30 * 24 * 3600)
@require_safe
def favicon(request):
    """Browsers that ignore <link rel="icon"> ask for /favicon.ico: send them, once a month, to
    the 300-byte SVG instead of a 404 page."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def _index(request, title: str, entries: list[tuple[str, str]]) -> JsonResponse:
    origin = request.build_absolute_uri("/").rstrip("/")
    return JsonResponse(
        {
            "name": title,
            "documentation": request.build_absolute_uri(reverse("api-docs")),
            "schema": request.build_absolute_uri(reverse("api-schema")),
            "endpoints": [
                {"url": origin + url, "description": description} for url, description in entries
            ],
        },
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


@require_safe
def transit_api_index(request):
    """GET /api/transit/: the transit API's entry points (instead of a 404)."""
    departures = reverse("transit:api-departures", args=["STOP"]).replace("STOP", "{stop_id}")
    return _index(
        request,
        "Guichet — API transport",
        [
            (
                reverse("transit:api-plan"),
                "Itinéraire : ?feed=&from=&to=&depart= (ou arrive=), max_transfers, max_walk_m, "
                "wheelchair",
            ),
            (departures, "Prochains départs d'un arrêt : ?feed=&at=&limit="),
        ],
    )


@require_safe
def open311_index(request):
    """GET /open311/v2/: the GeoReport v2 entry points (discovery first, as the standard says)."""
    return _index(
        request,
        "Guichet — Open311 GeoReport v2",
        [
            (
                reverse("complaints:open311_discovery", args=["json"]),
                "Découverte (GeoReport v2 discovery)",
            ),
            (
                reverse("complaints:open311_services", args=["json"]),
                "Liste des services (catégories)",
            ),
            (
                reverse("complaints:open311_requests", args=["json"]),
                "Demandes : lecture (GET), dépôt (POST)",
            ),
            (reverse("complaints:open311_openapi"), "Schéma OpenAPI de l'interface Open311"),
        ],
    )
