"""Sign-in pages: citizens by phone and SMS code, agents by password and (where required) TOTP."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts import selectors, services
from guichet.accounts.forms import AgentAuthenticationForm, CodeForm, PhoneForm, TokenForm
from guichet.accounts.permissions import two_factor_satisfied
from guichet.throttling import RateLimited, client_ip

SESSION_PHONE = "sign_in_phone"
SESSION_NEXT = "sign_in_next"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


def citizen_login(request):
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone = services.request_sign_in_code(
                form.cleaned_data["phone"], ip_address=client_ip(request), language=get_language()
            )
        except RateLimited as limited:
            form.add_error(None, str(limited))
        else:
            request.session[SESSION_PHONE] = phone
            request.session[SESSION_NEXT] = _safe_next(request, request.POST.get("next"))
            return redirect("accounts:citizen_verify")
    return render(
        request,
        "accounts/citizen_login.html",
        {"form": form, "next": request.GET.get("next", request.POST.get("next", ""))},
    )


def citizen_verify(request):
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("accounts:citizen_login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.verify_sign_in_code(
                phone,
                form.cleaned_data["code"],
                ip_address=client_ip(request),
                language=get_language(),
            )
        except (services.InvalidCode, RateLimited) as error:
            form.add_error("code", getattr(error, "message", str(error)))
        else:
            next_url = request.session.pop(SESSION_NEXT, "/")
            request.session.pop(SESSION_PHONE, None)
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, _("Vous êtes connecté."))
            return redirect(next_url)
    return render(request, "accounts/citizen_verify.html", {"form": form, "phone": phone})


class AgentLoginView(LoginView):
    template_name = "accounts/agent_login.html"
    authentication_form = AgentAuthenticationForm
    redirect_authenticated_user = False

    def form_valid(self, form):
        response = super().form_valid(form)
        if two_factor_satisfied(self.request):
            return response
        next_url = self.get_success_url()
        self.request.session[SESSION_NEXT] = next_url
        user = form.get_user()
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return redirect("accounts:agent_otp")
        return redirect("accounts:totp_setup")


agent_login = AgentLoginView.as_view()


@login_required
def agent_otp(request):
    """Second step for roles that require two-factor sign-in."""
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    if not devices.exists():
        return redirect("accounts:totp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        device = next((d for d in devices if d.verify_token(token)), None)
        if device is None:
            form.add_error("token", _("Code incorrect ou expiré."))
        else:
            otp_login(request, device)
            return redirect(_safe_next(request, request.session.pop(SESSION_NEXT, None)))
    elif request.method == "GET" and request.GET.get("next"):
        request.session[SESSION_NEXT] = _safe_next(request, request.GET["next"])
    return render(request, "accounts/agent_otp.html", {"form": form})


@login_required
def totp_setup(request):
    """Enrol an authenticator application: scan the QR code, then confirm with a first code."""
    if not request.user.is_agent:
        return redirect("home")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="TOTP", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Double authentification activée."))
            return redirect(_safe_next(request, request.session.pop(SESSION_NEXT, None)))
        form.add_error("token", _("Code incorrect. Vérifiez l'heure de votre téléphone."))
    return render(
        request,
        "accounts/totp_setup.html",
        {"form": form, "qr_svg": _qr_data_uri(device.config_url), "secret": _b32(device)},
    )


def _qr_data_uri(text: str) -> str:
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=4)


def _b32(device) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


@require_POST
def logout_view(request):
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required(login_url="accounts:citizen_login")
def profile(request):
    return render(
        request,
        "accounts/profile.html",
        {
            "roles": selectors.roles_of(request.user),
            "memberships": request.user.memberships.select_related("organisation", "role"),
        },
    )
