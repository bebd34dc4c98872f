"""HTTP callbacks from the SMS gateway (inbound SMS, delivery reports) and the USSD aggregator.

Machines call these, not browsers: no CSRF token, a shared secret instead (`INBOUND_TOKEN`,
compared in constant time), and plain-text answers.
"""

import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet import query_params
from guichet.notifications import services, ussd
from guichet.notifications.models import Message


def _params(request):
    return request.POST if request.method == "POST" else request.GET


def _token_ok(request) -> bool:
    expected = getattr(settings, "INBOUND_TOKEN", "")
    given = _params(request).get("token") or request.GET.get("token", "")
    # No token configured: refuse everything rather than accept anyone.
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def inbound_sms(request):
    """Kannel's sms-service get-url: ?from=%p&to=%P&text=%a&token=…

    The reply goes out through sendsms (tracked, with delivery report), so the body is empty:
    configure the sms-service with `omit-empty = true`.
    """
    if not _token_ok(request):
        return HttpResponseForbidden("Jeton invalide.")
    params = _params(request)
    sender = params.get("from", "").strip()
    if not sender:
        return HttpResponseBadRequest("Paramètre « from » manquant.")
    services.receive_sms(sender, params.get("to", ""), params.get("text", ""))
    return _text("")


@csrf_exempt
@require_GET
def delivery_report(request):
    """Kannel's dlr-url: ?id=<our message id>&status=%d&answer=%A&token=…"""
    if not _token_ok(request):
        return HttpResponseForbidden("Jeton invalide.")
    message_id = query_params.object_id(request.GET.get("id"))
    code = query_params.bounded_int(request.GET.get("status"), maximum=2**31 - 1)
    if message_id is None or code is None:
        return HttpResponseBadRequest("Paramètres « id » et « status » entiers attendus.")
    get_object_or_404(Message, pk=message_id)
    try:
        services.record_delivery_report(message_id, code, request.GET.get("answer", ""))
    except ValueError as error:
        return HttpResponseBadRequest(str(error))
    return _text("OK")


@csrf_exempt
@require_POST
def ussd_callback(request):
    """The aggregator's USSD callback: sessionId, serviceCode, phoneNumber, text → CON/END."""
    if not _token_ok(request):
        return HttpResponseForbidden("Jeton invalide.")
    session_id = request.POST.get("sessionId", "").strip()
    raw_phone = request.POST.get("phoneNumber", "").strip()
    if not session_id or not raw_phone:
        return HttpResponseBadRequest("Paramètres « sessionId » et « phoneNumber » requis.")
    try:
        phone = services.normalise_phone(raw_phone)
    except ValidationError:
        phone = raw_phone[:32]
    reply = ussd.handle(
        session_id=session_id[:128],
        phone_number=phone,
        service_code=request.POST.get("serviceCode", "")[:32],
        text=request.POST.get("text", ""),
    )
    return _text(ussd.render(reply))
