"""Open311 GeoReport v2 at /open311/v2/ (wiki.open311.org/GeoReport_v2), JSON and XML.

Plain Django views rather than DRF: the spec fixes the URLs (format as the extension), the XML
shapes and the error bodies, which DRF's content negotiation and error handler would fight.
The endpoints are documented in docs/complaints.md.

Privacy, beyond the spec: `service_request_id` is a public identifier distinct from the
citizen's tracking reference (which lets its holder reply, confirm or reopen); the listing never
shows who complained, rounds points to ~100 m, and shows the description, the media and the
status notes only to the partner whose API key filed the request.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from guichet.accounts.models import Commune, Region
from guichet.complaints import services
from guichet.complaints.models import Category, Complaint, Open311Partner
from guichet.complaints.open311 import arguments, formats
from guichet.complaints.open311.schema import STATUS_PATTERN
from guichet.throttling import RateLimited, check_rate, client_ip
from guichet.workflow.models import Case

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# GeoReport v2, GET Service Requests: start_date/end_date "may not span more than 90 days", and
# without them the range is the most recent 90 days.
DEFAULT_DAYS = 90
MAX_RESULTS = 1000
CLOSED_STATUSES = (Case.Status.CLOSED, Case.Status.REJECTED)
YES = {"1", "true", "yes", "oui", "on"}


def open311_status(case_status: str) -> str:
    """GeoReport knows two statuses: a complaint is "closed" once closed or rejected."""
    return "closed" if case_status in CLOSED_STATUSES else "open"


def allow(*methods: str):
    """Only `methods`; any other gets a 405 in the Open311 error format (JSON or XML).

    CSRF does not apply: partners authenticate with `api_key`, never with a session cookie.
    """

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in methods:
                fmt = kwargs.get("fmt", "json")
                response = formats.error(
                    fmt, 405, _("Méthode %(method)s non permise.") % {"method": request.method}
                )
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def not_found(request, path: str = ""):
    """Any other URL under /open311/v2/: a 404 in the Open311 format."""
    fmt = "xml" if request.path.endswith(".xml") else "json"
    return formats.error(
        fmt, 404, _("Ressource Open311 inconnue : %(path)s") % {"path": request.path}
    )


# --- Discovery and services -----------------------------------------------------------------


def _changeset() -> str:
    """GeoReport: "sortable field that specifies the last time this document was updated" — the
    W3C datetime of the last change to the services (categories)."""
    latest = Category.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    return formats.w3c(latest or datetime(2026, 1, 1, tzinfo=UTC))


def _jurisdiction_error(request, fmt: str):
    """`jurisdiction_id` is optional for a single-jurisdiction endpoint; when one is configured
    (GUICHET_OPEN311_JURISDICTION) any other value is the spec's 404."""
    expected = getattr(settings, "OPEN311_JURISDICTION", "")
    params = request.POST if request.method == "POST" else request.GET
    given = params.get("jurisdiction_id", "").strip()
    if expected and given and given != expected:
        return formats.error(
            fmt,
            404,
            _("jurisdiction_id inconnu : %(id)s (attendu : %(expected)s).")
            % {"id": given, "expected": expected},
        )
    return None


@allow("GET", "HEAD")
def discovery(request, fmt: str):
    base = request.build_absolute_uri("/open311/v2/")
    changeset = _changeset()
    payload = {
        "changeset": changeset,
        "contact": settings.OPEN311_CONTACT,
        "key_service": settings.OPEN311_KEY_SERVICE,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return formats.respond(fmt, payload, root="discovery", item=None)


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": True,
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


@allow("GET", "HEAD")
def service_list(request, fmt: str):
    if error := _jurisdiction_error(request, fmt):
        return error
    categories = Category.objects.filter(is_active=True)
    return formats.respond(fmt, [_service(c) for c in categories], root="services", item="service")


def _attributes() -> list[dict]:
    regions = list(Region.objects.order_by("name").values_list("code", "name"))
    return [
        {
            "variable": True,
            "code": "region",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _("Code ISO 3166-2 de la région"),
            "order": 1,
            "description": _("Région où le problème a eu lieu"),
            "values": [{"key": code, "name": name} for code, name in regions],
        },
        {
            "variable": True,
            "code": "hide_identity",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "",
            "order": 2,
            "description": _("Masquer l'identité du plaignant aux agents"),
            "values": [{"key": "true", "name": _("Oui")}, {"key": "false", "name": _("Non")}],
        },
    ]


@allow("GET", "HEAD")
def service_definition(request, code: str, fmt: str):
    if error := _jurisdiction_error(request, fmt):
        return error
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        return formats.error(fmt, 404, _("Service inconnu : %(code)s") % {"code": code})
    payload = {"service_code": category.code, "attributes": _attributes()}
    return formats.respond(fmt, payload, root="service_definition", item=None)


# --- Requests -------------------------------------------------------------------------------


def _partner(request) -> Open311Partner | None:
    params = request.POST if request.method == "POST" else request.GET
    return services.partner_for_key(params.get("api_key", "").strip())


def _request_payload(complaint: Complaint, partner: Open311Partner | None) -> dict:
    case = complaint.case
    own = partner is not None and complaint.partner_id == partner.pk
    lat = lon = None
    if complaint.latitude is not None:
        precision = 6 if own else 3
        lat = float(round(complaint.latitude, precision))
        lon = float(round(complaint.longitude, precision))
    place = [p.name for p in (complaint.commune, complaint.region) if p is not None]
    notes = case.get_status_display()
    if own and case.closing_reason:
        notes = f"{notes} : {case.closing_reason}"
    return {
        "service_request_id": complaint.public_id,
        "status": open311_status(case.status),
        "status_notes": str(notes),
        "service_name": complaint.category.name,
        "service_code": complaint.category.code,
        "description": complaint.description if own else None,
        "agency_responsible": complaint.category.organisation.name,
        "service_notice": _service_notice(complaint),
        "requested_datetime": formats.w3c(complaint.created_at),
        "updated_datetime": formats.w3c(case.updated_at),
        "expected_datetime": formats.w3c(case.due_at),
        "address": (complaint.address if own else "") or ", ".join(place),
        "address_id": complaint.commune.code if complaint.commune_id else None,
        "zipcode": None,
        "lat": lat,
        "long": lon,
        "media_url": (complaint.media_url or None) if own else None,
    }


def _service_notice(complaint: Complaint) -> str:
    notice = _("Réponse attendue sous %(days)s jours ouvrables.") % {
        "days": complaint.category.response_days
    }
    # GeoReport v2: service_notice says what to expect; expected_datetime may still move.
    if complaint.case.is_open and complaint.case.deadline_notice:
        notice += " " + complaint.case.deadline_notice
    return notice


def _requests_queryset():
    return Complaint.objects.select_related(
        "case", "category", "category__organisation", "region", "commune"
    )


def _parse_date(fmt: str, name: str, raw: str):
    moment = parse_datetime(raw.strip().replace(" ", "+"))
    if moment is None:
        raise _BadRequest(
            _("%(name)s doit être une date W3C, ex. 2026-11-05T08:15:30+01:00.") % {"name": name}
        )
    if timezone.is_naive(moment):
        raise _BadRequest(_("%(name)s doit indiquer son fuseau (Z ou +01:00).") % {"name": name})
    # In UTC: PostgreSQL refuses offsets beyond ±15:59, which the W3C syntax allows (-19:31).
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise _BadRequest(
            _("%(name)s doit être une date W3C, ex. 2026-11-05T08:15:30+01:00.") % {"name": name}
        ) from None


class _BadRequest(Exception):
    pass


def _search(request, fmt: str):
    partner = _partner(request)
    params = request.GET
    complaints = _requests_queryset()
    ids = [value.strip() for value in params.get("service_request_id", "").split(",") if value]
    # Malformed filters are refused even beside service_request_id, which overrides them: a
    # request is valid or not by itself (what its OpenAPI document says), whatever it asks for.
    try:
        start = end = None
        if params.get("start_date"):
            start = _parse_date(fmt, "start_date", params["start_date"])
        if params.get("end_date"):
            end = _parse_date(fmt, "end_date", params["end_date"])
    except _BadRequest as bad:
        return formats.error(fmt, 400, str(bad))
    raw_status = params.get("status", "")
    if not re.fullmatch(STATUS_PATTERN, raw_status):
        return formats.error(fmt, 400, _("status vaut open ou closed."))
    if ids:
        # GeoReport: service_request_id overrides every other filter.
        complaints = complaints.filter(public_id__in=ids[:MAX_RESULTS])
    else:
        if start and end and end < start:
            return formats.error(fmt, 400, _("end_date précède start_date."))
        span = timedelta(days=DEFAULT_DAYS)
        # The limit binds start_date "when provided with end_date"; start_date alone reads up to
        # now (as FixMyStreet's update fetches expect), end_date alone the 90 days before it.
        if start and end and end - start > span:
            return formats.error(
                fmt,
                400,
                _("start_date et end_date ne peuvent couvrir plus de %(days)s jours.")
                % {"days": DEFAULT_DAYS},
            )
        if start is None:
            start = (end or timezone.now()) - span
        complaints = complaints.filter(created_at__gte=start)
        if end is not None:
            complaints = complaints.filter(created_at__lte=end)
        codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
        if codes:
            complaints = complaints.filter(category__code__in=codes)
        statuses = {s.strip() for s in raw_status.split(",") if s.strip()}
        if statuses == {"open"}:
            complaints = complaints.exclude(case__status__in=CLOSED_STATUSES)
        elif statuses == {"closed"}:
            complaints = complaints.filter(case__status__in=CLOSED_STATUSES)
    rows = complaints.order_by("-created_at")[:MAX_RESULTS]
    payload = [_request_payload(c, partner) for c in rows]
    return formats.respond(fmt, payload, root="service_requests", item="request")


def _truthy(value: str) -> bool:
    return (value or "").strip().lower() in YES


def _rate_limited(fmt: str, limited: RateLimited):
    response = formats.error(fmt, 429, str(limited))
    response["Retry-After"] = str(limited.retry_after)
    return response


def _create(request, fmt: str):
    params = request.POST
    key = params.get("api_key", "").strip()
    # GeoReport v2, POST Service Request: "403 - API key was not provided or invalid".
    if not key:
        return formats.error(
            fmt, 403, _("api_key manquante : demandez une clé à l'administrateur.")
        )
    partner = services.partner_for_key(key)
    if partner is None:
        return formats.error(fmt, 403, _("api_key invalide ou révoquée."))
    # Every call counts against the partner's limit: a valid filing with the phone's limit (one
    # statement, in file_complaint), a refused one here (`refused`).
    partner_limit = ("complaints.open311", str(partner.pk), partner.requests_per_minute, 60)

    def refused(status: int, *messages: str):
        try:
            check_rate(*partner_limit)
        except RateLimited as limited:
            return _rate_limited(fmt, limited)
        return formats.error(fmt, status, *messages)

    given = arguments.read(params)
    if given.errors:
        return refused(400, *given.errors)
    code = given["service_code"]
    category = services.open_category(code)
    if category is None:
        # GeoReport v2: "404 - service_code or jurisdiction_id provided were not found".
        return refused(404, _("service_code inconnu : %(code)s") % {"code": code})
    # What the arguments name and the reference data lacks is not found either: the document
    # cannot list the communes an administrator adds (accounts.reference).
    commune = region = None
    if address_id := given["address_id"]:
        commune = Commune.objects.filter(code=address_id).select_related("region").first()
        if commune is None:
            return refused(404, _("address_id inconnu : donnez le code d'une commune."))
    if region_code := given["attribute[region]"]:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            return refused(404, _("attribute[region] inconnu : %(code)s") % {"code": region_code})
    latitude = longitude = None
    if given["lat"]:
        # The patterns of `arguments` admit only decimals in range: float() reads them all.
        latitude, longitude = float(given["lat"]), float(given["long"] or given["lon"])
    media_url = given["media_url"]
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            return refused(400, _("media_url n'est pas une adresse http(s) valide."))

    attributes = {
        name[len("attribute[") : -1]: given[name]
        for name in arguments.ARGUMENTS
        if name.startswith("attribute[") and given[name]
    }
    try:
        filed = services.file_complaint(
            category=category,
            description=given["description"],
            channel=Complaint.Channel.OPEN311,
            region=region if region else (commune.region if commune else None),
            commune=commune,
            latitude=latitude,
            longitude=longitude,
            address=given["address_string"],
            media_url=media_url,
            phone=given["phone"],
            email=given["email"],
            first_name=given["first_name"],
            last_name=given["last_name"],
            hide_identity=_truthy(attributes.get("hide_identity", "")),
            partner=partner,
            attributes=attributes,
            ip=client_ip(request),
            limit_ip=False,  # a partner's server speaks for many citizens; its key is limited
            rate_limits=(partner_limit,),
            request=request,
        )
    except RateLimited as limited:
        return _rate_limited(fmt, limited)
    except ValidationError as invalid:
        return refused(400, *invalid.messages)
    complaint = filed.complaint
    notice = _service_notice(complaint)
    if filed.duplicate:
        notice = _("Plainte identique déjà reçue aujourd'hui : rattachée à la première.")
    payload = [
        {
            "service_request_id": complaint.public_id,
            "token": complaint.open311_token,
            "service_notice": notice,
            "account_id": given["account_id"] or None,
        }
    ]
    return formats.respond(
        fmt,
        payload,
        root="service_requests",
        item="request",
        status=200 if filed.duplicate else 201,
    )


@allow("GET", "HEAD", "POST")
def requests(request, fmt: str):
    if error := _jurisdiction_error(request, fmt):
        return error
    if request.method == "POST":
        return _create(request, fmt)
    return _search(request, fmt)


@allow("GET", "HEAD")
def request_detail(request, request_id: str, fmt: str):
    if error := _jurisdiction_error(request, fmt):
        return error
    complaint = _requests_queryset().filter(public_id=request_id).first()
    if complaint is None:
        return formats.error(fmt, 404, _("Demande inconnue : %(id)s") % {"id": request_id})
    return formats.respond(
        fmt,
        [_request_payload(complaint, _partner(request))],
        root="service_requests",
        item="request",
    )


@allow("GET", "HEAD")
def token_detail(request, token: str, fmt: str):
    complaint = Complaint.objects.filter(open311_token=token).only("public_id").first()
    if complaint is None:
        return formats.error(fmt, 404, _("Jeton inconnu : %(token)s") % {"token": token})
    return formats.respond(
        fmt,
        [{"service_request_id": complaint.public_id, "token": token}],
        root="service_requests",
        item="request",
    )
