"""The provider's callback (public, signature-checked) and the development simulator's page."""

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from guichet.payments import services
from guichet.payments.models import Payment
from guichet.payments.providers import simulator

PROVIDERS = {"cinetpay", "simulator"}


@csrf_exempt  # called by the provider's servers; authenticated by its signature instead
@require_http_methods(["GET", "POST"])
def notify(request, provider: str):
    if provider not in PROVIDERS:
        raise Http404
    if request.method == "GET":
        return HttpResponse("OK")  # CinetPay pings the URL to check it is up
    handled = services.handle_notification(
        provider_code=provider, headers=request.headers, data=request.POST.dict()
    )
    if handled.forged:
        return HttpResponseForbidden("invalid signature")
    return HttpResponse("OK")


@require_http_methods(["GET", "POST"])
def simulator_page(request, reference: str):
    """Plays the provider's payment page in development: pay or refuse, then the provider's
    signed callback is delivered to our notification handler, as over HTTP."""
    if not settings.PAYMENT_SIMULATOR_ENABLED:
        raise Http404
    payment = get_object_or_404(Payment, reference=reference, provider="simulator")
    if request.method == "POST":
        status = "paid" if request.POST.get("outcome") == "paid" else "failed"
        data = simulator.pay(payment, status=status)
        services.handle_notification(
            provider_code="simulator",
            headers={"X-Signature": simulator.sign(data)},
            data={k: str(v) for k, v in data.items()},
        )
        return redirect(payment.return_url or "/")
    return render(request, "payments/simulator.html", {"payment": payment})
