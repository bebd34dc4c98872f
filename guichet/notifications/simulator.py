"""A phone in the browser, for development and demonstrations (DEBUG only).

It drives the same services as the gateway callbacks (`services.receive_sms`, `ussd.handle`),
so what works here works from a handset through Kannel or the USSD aggregator.
"""

import uuid

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from guichet.notifications import services, ussd
from guichet.notifications.forms import SimulatedSmsForm, SimulatedUssdForm
from guichet.notifications.models import InboundMessage, Message

DEFAULT_PHONE = "+22790123456"
_KEY = "notifications_simulator"


def _conversation(phone: str) -> list[dict]:
    """The last SMS exchanged with `phone`, both ways, oldest first."""
    inbound = [
        {"at": m.received_at, "incoming": True, "text": m.text}
        for m in InboundMessage.objects.filter(sender=phone).order_by("-received_at")[:15]
    ]
    outbound = [
        {"at": m.created_at, "incoming": False, "text": m.body, "status": m.get_status_display()}
        for m in Message.objects.filter(Q(recipient=phone), channel=Message.Channel.SMS).order_by(
            "-created_at"
        )[:15]
    ]
    return sorted(inbound + outbound, key=lambda item: item["at"])[-20:]


def simulator(request):
    if not settings.DEBUG:
        raise Http404
    state = request.session.get(_KEY, {})
    phone = state.get("phone", DEFAULT_PHONE)
    sms_form = SimulatedSmsForm(initial={"phone": phone})
    ussd_form = SimulatedUssdForm(initial={"phone": phone})
    if request.method == "POST" and request.POST.get("action") == "sms":
        sms_form = SimulatedSmsForm(request.POST)
        if sms_form.is_valid():
            phone = sms_form.cleaned_data["phone"]
            services.receive_sms(phone, settings.SMS_SHORT_CODE, sms_form.cleaned_data["text"])
            request.session[_KEY] = {**state, "phone": phone}
            return redirect(reverse("notifications:simulator") + "#sms")
    elif request.method == "POST" and request.POST.get("action") in ("ussd", "dial"):
        ussd_form = SimulatedUssdForm(request.POST)
        if ussd_form.is_valid():
            phone = ussd_form.cleaned_data["phone"]
            dial = request.POST["action"] == "dial" or state.get("ussd_end", True)
            answers = (
                [] if dial else [*state.get("ussd_answers", []), ussd_form.cleaned_data["answer"]]
            )
            session_id = uuid.uuid4().hex if dial else state["ussd_session"]
            reply = ussd.handle(
                session_id=session_id,
                phone_number=phone,
                service_code=settings.USSD_SERVICE_CODE,
                text="*".join(answers),
            )
            request.session[_KEY] = {
                **state,
                "phone": phone,
                "ussd_session": session_id,
                "ussd_answers": answers,
                "ussd_screen": reply.text,
                "ussd_end": reply.end,
            }
            return redirect(reverse("notifications:simulator") + "#ussd")
    return render(
        request,
        "notifications/simulator.html",
        {
            "sms_form": sms_form,
            "ussd_form": ussd_form,
            "phone": phone,
            "conversation": _conversation(phone),
            "ussd_screen": state.get("ussd_screen", ""),
            "ussd_end": state.get("ussd_end", True),
            "service_code": settings.USSD_SERVICE_CODE,
        },
    )
