"""Sign-in pages (citizens by phone and SMS code, agents by password and TOTP) and the citizen's
« Mes données »."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.accounts import data_access, second_factor, selectors, services
from guichet.accounts.forms import (
    AgentAuthenticationForm,
    CodeForm,
    EnrolmentTokenForm,
    ErasureRequestForm,
    PhoneForm,
    TokenForm,
)
from guichet.accounts.permissions import citizen_required, two_factor_satisfied
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
    """The one password step for agents, on the agents' page and on the admin site alike: the
    second factor follows where the role requires it, and always for the admin site. django-axes
    counts the failures and locks out (guichet.accounts.lockout)."""

    template_name = "accounts/agent_login.html"
    authentication_form = AgentAuthenticationForm
    redirect_authenticated_user = False
    # The admin site asks for the second factor of every staff member, whatever their roles.
    always_second_factor = False

    def get_default_redirect_url(self):
        """Without a `next`, an agent lands on the workspace of their role (the mail desk for a
        mail clerk, the greffe for a court clerk…), not on the citizens' home page."""
        if not self.always_second_factor:
            workspace = selectors.workspace_url(self.request.user)
            if workspace:
                return workspace
        return super().get_default_redirect_url()

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.always_second_factor:
            if second_factor.session_verified(self.request):
                return response
        elif two_factor_satisfied(self.request):
            return response
        self.request.session[SESSION_NEXT] = self.get_success_url()
        if second_factor.has_factor(form.get_user()):
            return redirect("accounts:agent_otp")
        return redirect("accounts:totp_setup")


agent_login = AgentLoginView.as_view()


@login_required
def agent_otp(request):
    """Second step: a code of the authenticator application, or one of the recovery codes."""
    if not second_factor.has_factor(request.user):
        return redirect("accounts:totp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.verify_second_factor(request, form.cleaned_data["token"]):
            return redirect(_safe_next(request, request.session.pop(SESSION_NEXT, None)))
        form.add_error("token", _("Code incorrect ou expiré."))
    elif request.method == "GET" and request.GET.get("next"):
        request.session[SESSION_NEXT] = _safe_next(request, request.GET["next"])
    return render(request, "accounts/agent_otp.html", {"form": form})


@login_required
def totp_setup(request):
    """Enrol an authenticator application: scan the QR code, then confirm with a first code.

    Replacing the authenticator of an account that has one needs the current factor first.
    """
    if not request.user.is_agent:
        return redirect("home")
    if not second_factor.may_enrol(request):
        messages.info(
            request,
            _(
                "Pour changer d'application d'authentification, saisissez d'abord un code de "
                "l'application actuelle ou un code de secours."
            ),
        )
        request.session[SESSION_NEXT] = reverse("accounts:totp_setup")
        return redirect("accounts:agent_otp")
    device = second_factor.pending_device(request)
    form = EnrolmentTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.confirm_enrolment(request, device, form.cleaned_data["token"])
        if codes is not None:
            messages.success(request, _("Double authentification activée."))
            next_url = _safe_next(request, request.session.pop(SESSION_NEXT, None))
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next_url": next_url},
            )
        form.add_error("token", _("Code incorrect. Vérifiez l'heure de votre téléphone."))
    return render(
        request,
        "accounts/totp_setup.html",
        {
            "form": form,
            "qr_svg": _qr_data_uri(device.config_url),
            "secret": second_factor.secret_for_display(device),
        },
    )


@login_required
@require_POST
def recovery_codes_renew(request):
    """New recovery codes, for a session verified with a factor (the old codes stop working)."""
    if not request.user.is_agent or not second_factor.session_verified(request):
        request.session[SESSION_NEXT] = reverse("accounts:profile")
        return redirect("accounts:agent_otp")
    codes = second_factor.regenerate_recovery_codes(request)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next_url": reverse("accounts:profile")},
    )


def _qr_data_uri(text: str) -> str:
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=4)


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


# --- « Mes données »: the right of access and the right to erasure (law n° 2022-59) ---------------
# The sections come from each app through guichet/accounts/data_access.py; these views only show
# them, download them and pass the erasure request on.


def _data_sections(user):
    return [
        {
            "code": section.code,
            "title": section.title,
            "entries": [
                {
                    "title": entry.title,
                    "fields": [(label, data_access.shown(value)) for label, value in entry.fields],
                }
                for entry in entries
            ],
        }
        for section, entries in data_access.collect(user)
    ]


@citizen_required
@require_GET
def my_data(request):
    if request.GET.get("format") == "json":
        collected = data_access.collect(request.user)
        data_access.record_access(request.user, request=request, exported=True)
        response = HttpResponse(
            json.dumps(data_access.as_json(request.user, collected), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
        response["Cache-Control"] = "private, no-store"
        return response
    sections = _data_sections(request.user)
    data_access.record_access(request.user, request=request)
    response = render(
        request,
        "accounts/my_data.html",
        {"sections": sections, "form": ErasureRequestForm()},
    )
    response["Cache-Control"] = "private, no-store"
    return response


@citizen_required
@require_http_methods(["GET", "POST"])
def erasure(request):
    form = ErasureRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        outcome = data_access.request_erasure(request.user, request=request)
        return render(request, "accounts/erasure_done.html", {"outcome": outcome})
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/erasure.html", {"form": form}, status=status)
