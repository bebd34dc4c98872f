"""Pages of the criminal record service: its home page, and the requests of citizens (their own
bulletin n°3) and of judges and administrations (n°1, n°2), with the requester's pages.

Thin: services decide, selectors read, the audit records. The court clerk's pages are in
views_clerk_requests.py and views_clerk_register.py; the public check of an extract in
views_verification.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet import uploads
from guichet.accounts.models import Role
from guichet.accounts.permissions import citizen_required, role_required
from guichet.audit import actions as audit_actions
from guichet.criminal_records import fees, rules, selectors, services, services_requests
from guichet.criminal_records.forms import AgentRequestForm, CitizenRequestForm
from guichet.payments.providers import ProviderError


def _errors(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


# --- Public ---------------------------------------------------------------------------------------


def home(request):
    return render(
        request,
        "criminal_records/home.html",
        {"fees": services.DEFAULT_FEES, "fees_abroad": services.DEFAULT_FEES_ABROAD},
    )


# --- Citizens and requesting agents ---------------------------------------------------------------


@citizen_required
@require_http_methods(["GET", "POST"])
def request_b3(request):
    form = CitizenRequestForm(
        request.POST or None, request.FILES or None, upload_owner=uploads.upload_owner(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services_requests.submit_citizen_request(
                user=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(
                request,
                _("Demande %(ref)s enregistrée. Vous serez prévenu(e) par SMS.")
                % {"ref": created.reference},
            )
            return redirect("criminal_records:my_request", reference=created.reference)
    return render(
        request,
        "criminal_records/request_b3.html",
        {
            "form": form,
            "identity_rule": services_requests.IDENTITY_RULE,
            "fees": services.DEFAULT_FEES,
            "fees_abroad": services.DEFAULT_FEES_ABROAD,
        },
    )


def _agent_request(request, kind: int, template_title: str):
    form = AgentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services_requests.submit_agent_request(
                user=request.user, kind=kind, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(
                request, _("Demande %(ref)s transmise au greffe.") % {"ref": created.reference}
            )
            return redirect("criminal_records:my_request", reference=created.reference)
    return render(
        request,
        "criminal_records/request_agent.html",
        {"form": form, "kind": kind, "title": template_title},
    )


@role_required(Role.JUDGE)
@require_http_methods(["GET", "POST"])
def request_b1(request):
    return _agent_request(request, rules.B1, _("Demander un bulletin n°1"))


@role_required(Role.ADMINISTRATION)
@require_http_methods(["GET", "POST"])
def request_b2(request):
    return _agent_request(request, rules.B2, _("Demander un bulletin n°2"))


def _signed_in(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path(), reverse("accounts:citizen_login"))
        if not request.user.is_citizen:
            # Agents reach their requests only with their role and two-factor sign-in.
            return role_required(Role.JUDGE, Role.ADMINISTRATION, Role.COURT_CLERK)(view)(
                request, *args, **kwargs
            )
        return view(request, *args, **kwargs)

    return wrapped


@_signed_in
def my_requests(request):
    consultations = selectors.consultations_of(request.user) if request.user.is_citizen else []
    return render(
        request,
        "criminal_records/my_requests.html",
        {"requests": selectors.requests_of(request.user), "consultations": consultations},
    )


@_signed_in
def my_request(request, reference: str):
    bulletin_request = get_object_or_404(selectors.requests_of(request.user), reference=reference)
    return render(
        request,
        "criminal_records/my_request.html",
        {"item": bulletin_request, "payment": fees.payment_of(bulletin_request)},
    )


@citizen_required
@require_http_methods(["POST"])
def pay_request(request, reference: str):
    """Pay the fee of one's own request by mobile money: off to the provider's page."""
    bulletin_request = get_object_or_404(selectors.requests_of(request.user), reference=reference)
    try:
        payment = fees.start_online_payment(user=request.user, bulletin_request=bulletin_request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("criminal_records:my_request", reference=reference)
    except ProviderError:
        messages.error(
            request,
            _("Le service de paiement mobile ne répond pas : réessayez dans quelques minutes."),
        )
        return redirect("criminal_records:my_request", reference=reference)
    return redirect(payment.payment_url)


@_signed_in
def bulletin_pdf(request, code: str):
    bulletin = selectors.bulletin_by_code(code)
    if bulletin is None or not selectors.may_download(request.user, bulletin):
        raise Http404
    services.record_view(
        actor=request.user,
        target=bulletin,
        reason=bulletin.request.reason if bulletin.request else _("Téléchargement"),
        request=request,
        action=audit_actions.CriminalRecords.BULLETIN_DOWNLOADED,
    )
    return FileResponse(
        bulletin.pdf.open("rb"),
        as_attachment=True,
        filename=f"casier-judiciaire-B{bulletin.kind}-{bulletin.issued_on:%Y%m%d}.pdf",
        content_type="application/pdf",
    )
