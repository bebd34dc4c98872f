"""The court clerk's desk of bulletin requests: the pending list, one request's instruction
(identification, payment, identity check, rejection, issuing) and the proof's files, each
opening traced.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet import query_params
from guichet.accounts.models import Role
from guichet.accounts.permissions import role_required
from guichet.audit import actions as audit_actions
from guichet.criminal_records import identification, rules, selectors, services, services_requests
from guichet.criminal_records.forms import CompleteIdentityForm, PersonSearchForm
from guichet.criminal_records.models import BulletinRequest

# --- Clerks ---------------------------------------------------------------------------------------


@role_required(Role.COURT_CLERK)
def clerk_home(request):
    pending = (
        selectors.requests_for_clerk(request.user)
        .exclude(status__in=[BulletinRequest.Status.ISSUED, BulletinRequest.Status.REJECTED])
        .order_by("created_at")
    )
    return render(
        request,
        "criminal_records/clerk_home.html",
        {"pending": pending[:100], "search_form": PersonSearchForm()},
    )


def _clerk_action(request, item, action) -> None:
    """One POST of the request desk: the service decides, errors become messages."""
    user = request.user
    if action == "link":
        person = get_object_or_404(
            selectors.persons_for_clerk(user),
            pk=query_params.object_id_or_404(request.POST.get("person")),
        )
        identification.link_person(
            actor=user, bulletin_request=item, person=person, request=request
        )
    elif action == "create_person":
        identification.create_person_from_request(
            actor=user,
            bulletin_request=item,
            reason=request.POST.get("reason", ""),
            request=request,
        )
        messages.success(request, _("Fiche créée (bulletin « Néant ») et rattachée."))
    elif action == "complete_identity":
        form = CompleteIdentityForm(request.POST)
        if not form.is_valid():
            raise ValidationError([str(e) for errors in form.errors.values() for e in errors])
        identification.complete_request_identity(
            actor=user,
            bulletin_request=item,
            reason=form.cleaned_data["reason"],
            request=request,
            **form.facts(),
        )
    elif action == "verify_identity":
        identification.verify_identity(
            actor=user, bulletin_request=item, note=request.POST.get("note", ""), request=request
        )
    elif action == "payment":
        services_requests.confirm_payment(actor=user, bulletin_request=item, request=request)
    elif action == "identity_check":
        services_requests.ask_identity_check(
            actor=user, bulletin_request=item, note=request.POST.get("note", ""), request=request
        )
    elif action == "reject":
        services_requests.reject_request(
            actor=user, bulletin_request=item, note=request.POST.get("note", ""), request=request
        )
    elif action == "issue":
        services_requests.issue_bulletin(actor=user, bulletin_request=item, request=request)
        messages.success(request, _("Bulletin délivré et signé."))
    elif action == "revoke" and getattr(item, "bulletin", None):
        services_requests.revoke_bulletin(
            actor=user,
            bulletin=item.bulletin,
            reason=request.POST.get("reason", ""),
            request=request,
        )
        messages.success(request, _("Extrait révoqué : sa vérification le dit désormais."))
    else:
        messages.error(request, _("Action inconnue."))


@role_required(Role.COURT_CLERK)
@require_http_methods(["GET", "POST"])
def clerk_request(request, reference: str):
    item = get_object_or_404(selectors.requests_for_clerk(request.user), reference=reference)
    if request.method == "POST":
        try:
            _clerk_action(request, item, request.POST.get("action"))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("criminal_records:clerk_request", reference=item.reference)
    result = identification.candidates_for_request(
        item, within=selectors.register_scope_for_clerk(request.user)
    )
    services.record_view(
        actor=request.user,
        target=item,
        reason=_("Instruction de la demande %(ref)s") % {"ref": item.reference},
        request=request,
        action=audit_actions.CriminalRecords.REQUEST_VIEWED,
    )
    preview = None
    if item.person_id:
        preview = rules.bulletin_entries(item.person, item.kind)
    return render(
        request,
        "criminal_records/clerk_request.html",
        {
            "item": item,
            "result": result,
            "candidates": result.candidates,
            "preview": preview,
            "complete_form": CompleteIdentityForm(),
            "proof_on_file": identification.proof_on_file(item),
            "identity_rule": services_requests.IDENTITY_RULE,
        },
    )


@role_required(Role.COURT_CLERK)
def clerk_request_document(request, reference: str, which: str):
    """The identity proof's images, each opening traced."""
    item = get_object_or_404(selectors.requests_for_clerk(request.user), reference=reference)
    files = {
        "acte": item.birth_certificate,
        "piece": item.identity_document,
        "temoin": item.witness_document,
    }
    document = files.get(which)
    if not document:
        raise Http404
    services.record_view(
        actor=request.user,
        target=item,
        reason=_("Vérification de la pièce d'identité"),
        request=request,
        action="criminal_records.request.certificate_viewed",
    )
    return FileResponse(document.open("rb"))


@role_required(Role.COURT_CLERK)
def clerk_request_certificate(request, reference: str):
    item = get_object_or_404(selectors.requests_for_clerk(request.user), reference=reference)
    if not item.birth_certificate:
        raise Http404
    services.record_view(
        actor=request.user,
        target=item,
        reason=_("Vérification de l'acte de naissance"),
        request=request,
        action=audit_actions.CriminalRecords.REQUEST_CERTIFICATE_VIEWED,
    )
    return FileResponse(item.birth_certificate.open("rb"))
