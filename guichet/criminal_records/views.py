"""Pages of the criminal record service. Thin: services decide, selectors read, the audit records."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet import query_params, uploads
from guichet.accounts.models import Role
from guichet.accounts.permissions import citizen_required, role_required
from guichet.audit import actions as audit_actions
from guichet.criminal_records import (
    fees,
    identification,
    legacy,
    matching,
    rules,
    selectors,
    services,
    services_register,
    services_requests,
)
from guichet.criminal_records.forms import (
    AgentRequestForm,
    CardImportForm,
    CitizenRequestForm,
    CompleteIdentityForm,
    ConvictionForm,
    EventForm,
    MergeForm,
    PersonForm,
    PersonSearchForm,
    ReasonForm,
    ScanForm,
    VerifyCodeForm,
    VerifyUploadForm,
)
from guichet.criminal_records.models import (
    BulletinRequest,
    Conviction,
    ConvictionEvent,
    IssuedBulletin,
    LegacyCard,
)
from guichet.criminal_records.verification_codes import candidates as typed_code_candidates
from guichet.payments.providers import ProviderError
from guichet.throttling import RateLimited, check_rate, client_ip

VERIFY_LIMIT_PER_HOUR = 30


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


def _verify_throttle(request) -> str | None:
    try:
        check_rate("casier-verify", client_ip(request) or "?", VERIFY_LIMIT_PER_HOUR, 3600)
    except RateLimited as exc:
        return str(exc)
    return None


@require_http_methods(["GET", "POST"])
def verify(request):
    """Check a code typed in, or an uploaded PDF (its signature, and that we issued it)."""
    code_form = VerifyCodeForm(request.GET or None)
    upload_form = VerifyUploadForm()
    context = {"code_form": code_form, "upload_form": upload_form}
    if request.method == "GET" and code_form.is_valid():
        forms = typed_code_candidates(code_form.cleaned_data["code"])
        if forms:
            return redirect("criminal_records:verify_code", code=forms[0])
        code_form.add_error(
            "code",
            _(
                "Un code de vérification ne contient que des lettres et des chiffres (tirets permis)."
            ),
        )
    if request.method == "POST":
        upload_form = VerifyUploadForm(
            request.POST, request.FILES, upload_owner=uploads.upload_owner(request)
        )
        context["upload_form"] = upload_form
        limited = _verify_throttle(request)
        if limited:
            context["limited"] = limited
            return render(request, "criminal_records/verify.html", context, status=429)
        if upload_form.is_valid():
            import hashlib

            from guichet.signing import verify_pdf

            data = upload_form.cleaned_data["document"].read(services.MAX_UPLOAD_BYTES + 1)
            result = verify_pdf(data)
            bulletin = None
            if result.authentic:
                bulletin = IssuedBulletin.objects.filter(
                    sha256=hashlib.sha256(data).hexdigest()
                ).first()
            context |= {"result": result, "bulletin": bulletin, "checked_upload": True}
    return render(request, "criminal_records/verify.html", context)


def verify_code(request, code: str):
    limited = _verify_throttle(request)
    if limited:
        return render(
            request,
            "criminal_records/verify.html",
            {"limited": limited, "code_form": VerifyCodeForm(), "upload_form": VerifyUploadForm()},
            status=429,
        )
    bulletin = selectors.bulletin_by_code(code)
    return render(
        request,
        "criminal_records/verify_code.html",
        {"bulletin": bulletin, "code": code},
        status=200 if bulletin else 404,
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


@role_required(Role.COURT_CLERK)
def person_search(request):
    form = PersonSearchForm(request.GET or None)
    results = None
    if form.is_valid():
        data = form.cleaned_data
        results = matching.candidates(
            last_name=data["last_name"],
            first_names=data["first_names"] or "",
            birth_year=data["birth_year"],
            within=selectors.register_scope_for_clerk(request.user),
            threshold=0.45,
            limit=30,
        )
        services.record_view(
            actor=request.user,
            target=None,
            reason=data["motif"],
            request=request,
            action=audit_actions.CriminalRecords.PERSON_SEARCHED,
        )
    return render(
        request,
        "criminal_records/person_search.html",
        {"form": form, "results": results, "motif": request.GET.get("motif", "")},
    )


@role_required(Role.COURT_CLERK)
@require_http_methods(["GET", "POST"])
def person_create(request):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services_register.create_person(
                actor=request.user,
                request=request,
                **{name: form.cleaned_data[name] for name in services_register.PERSON_FIELDS},
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages[0] if hasattr(exc, "messages") else str(exc))
        else:
            url = reverse("criminal_records:person_detail", args=[person.pk])
            return redirect(url + "?" + urlencode({"motif": _("Création de la fiche")}))
    return render(request, "criminal_records/person_form.html", {"form": form})


def _person_for_clerk(request, pk):
    return get_object_or_404(selectors.persons_for_clerk(request.user), pk=pk)


@role_required(Role.COURT_CLERK)
def person_detail(request, pk: int):
    person = _person_for_clerk(request, pk)
    reason_form = ReasonForm(request.GET or None)
    if not reason_form.is_valid():
        return render(
            request, "criminal_records/reason.html", {"form": reason_form, "person": person}
        )
    motif = reason_form.cleaned_data["motif"]
    services.record_view(actor=request.user, target=person, reason=motif, request=request)
    on = timezone.localdate()
    if request.GET.get("date"):
        try:
            on = dt.date.fromisoformat(request.GET["date"])
        except ValueError:
            messages.error(request, _("Date invalide : utilisez AAAA-MM-JJ."))
    convictions = person.convictions.select_related("court").prefetch_related(
        "offences",
        "penalties",
        Prefetch("events", queryset=ConvictionEvent.objects.order_by("date")),
    )
    bulletins = {kind: rules.bulletin_entries(person, kind, on=on) for kind in (1, 2, 3)}
    return render(
        request,
        "criminal_records/person_detail.html",
        {
            "person": person,
            "convictions": convictions,
            "bulletins": bulletins,
            "on": on,
            "motif": motif,
            "event_form": EventForm(),
            "merge_form": MergeForm(initial={"motif": motif}),
        },
    )


def _back_to_person(person, motif):
    url = reverse("criminal_records:person_detail", args=[person.pk])
    return redirect(url + "?" + urlencode({"motif": motif or _("Mise à jour de la fiche")}))


@role_required(Role.COURT_CLERK)
@require_http_methods(["GET", "POST"])
def conviction_create(request, pk: int):
    person = _person_for_clerk(request, pk)
    form = ConvictionForm(
        request.POST or None, request.FILES or None, upload_owner=uploads.upload_owner(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_register.record_conviction(
                actor=request.user,
                person=person,
                court=data["court"],
                decision_date=data["decision_date"],
                decision_number=data["decision_number"],
                offence_date=data["offence_date"],
                kind=data["kind"],
                is_final=data["is_final"],
                offences=list(data["offences"]),
                penalties=form.penalties(),
                b3_mention_ordered=data["b3_mention_ordered"],
                card_scan=data["card_scan"],
                request=request,
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Condamnation inscrite."))
            return _back_to_person(person, _("Inscription d'une condamnation"))
    return render(
        request, "criminal_records/conviction_form.html", {"form": form, "person": person}
    )


@role_required(Role.COURT_CLERK)
@require_http_methods(["POST"])
def event_create(request, pk: int):
    conviction = get_object_or_404(
        Conviction.objects.filter(person__in=selectors.persons_for_clerk(request.user)), pk=pk
    )
    form = EventForm(request.POST)
    if form.is_valid():
        try:
            services_register.add_event(
                actor=request.user,
                conviction=conviction,
                kind=form.cleaned_data["kind"],
                date=form.cleaned_data["date"],
                reference=form.cleaned_data["reference"],
                note=form.cleaned_data["note"],
                corrections=form.corrections(),
                request=request,
            )
            messages.success(request, _("Événement enregistré."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return _back_to_person(conviction.person, request.POST.get("motif"))


@role_required(Role.COURT_CLERK)
@require_http_methods(["POST"])
def person_merge(request, pk: int):
    keep = _person_for_clerk(request, pk)
    form = MergeForm(request.POST)
    if form.is_valid():
        duplicate = _person_for_clerk(request, form.cleaned_data["duplicate"])
        try:
            services_register.merge_persons(
                actor=request.user,
                keep=keep,
                duplicate=duplicate,
                reason=form.cleaned_data["motif"],
                request=request,
            )
            messages.success(request, _("Fiches fusionnées."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    else:
        messages.error(request, _("Indiquez le numéro de la fiche en double et le motif."))
    return _back_to_person(keep, request.POST.get("motif"))


@role_required(Role.COURT_CLERK)
@require_http_methods(["GET", "POST"])
def cards(request):
    courts = services.clerk_courts(request.user)
    form = CardImportForm(
        request.POST or None,
        request.FILES or None,
        courts=courts,
        upload_owner=uploads.upload_owner(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["file"].read().decode("utf-8-sig")
            counts = legacy.import_cards(
                actor=request.user, court=form.cleaned_data["court"], csv_text=text, request=request
            )
        except UnicodeDecodeError:
            form.add_error("file", _("Le fichier doit être encodé en UTF-8."))
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(
                request,
                _("%(keyed)d fiches saisies : %(agreed)d concordantes, %(different)d à résoudre.")
                % counts,
            )
            return redirect("criminal_records:cards")
    listing = LegacyCard.objects.filter(court__in=courts).exclude(status=LegacyCard.Status.RESOLVED)
    return render(
        request,
        "criminal_records/cards.html",
        {
            "form": form,
            "cards": listing.select_related("court")[:200],
            "columns": legacy.CARD_COLUMNS,
        },
    )


@role_required(Role.COURT_CLERK)
@require_http_methods(["GET", "POST"])
def card_detail(request, pk: int):
    card = get_object_or_404(
        LegacyCard.objects.filter(court__in=services.clerk_courts(request.user)), pk=pk
    )
    differences = legacy.card_differences(card)
    scan_form = ScanForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "scan":
                scan_form = ScanForm(
                    request.POST, request.FILES, upload_owner=uploads.upload_owner(request)
                )
                if scan_form.is_valid():
                    legacy.attach_card_scan(
                        actor=request.user,
                        card=card,
                        upload=scan_form.cleaned_data["scan"],
                        request=request,
                    )
                    messages.success(request, _("Scan joint."))
                    return redirect("criminal_records:card_detail", pk=card.pk)
            else:
                values = {
                    c: request.POST[f"value_{c}"]
                    for c in differences
                    if f"value_{c}" in request.POST
                }
                legacy.resolve_card(actor=request.user, card=card, values=values, request=request)
                messages.success(request, _("Fiche intégrée au casier."))
                return redirect("criminal_records:cards")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    return render(
        request,
        "criminal_records/card_detail.html",
        {
            "card": card,
            "differences": differences,
            "keyings": list(card.keyings.select_related("clerk")),
            "scan_form": scan_form,
        },
    )


# --- Penalties to qualify (issue 10: « autre mesure » the migration could not read) -------------


@role_required(Role.COURT_CLERK)
@require_http_methods(["GET", "POST"])
def penalties_to_qualify(request):
    from guichet.criminal_records.forms import QualifyPenaltyForm
    from guichet.criminal_records.services_penalties import qualify_penalty

    penalties = selectors.penalties_to_qualify().filter(
        conviction__person__in=selectors.persons_for_clerk(request.user)
    )
    form = QualifyPenaltyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        penalty = get_object_or_404(penalties, pk=data["penalty"])
        try:
            qualify_penalty(
                actor=request.user,
                penalty=penalty,
                spec={k: data.get(k) for k in ("kind", "subkind", "years", "months", "days")},
                reason=data["reason"],
                request=request,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Peine qualifiée."))
            return redirect("criminal_records:penalties_to_qualify")
    items = [
        (penalty, QualifyPenaltyForm(initial={"penalty": penalty.pk}))
        for penalty in penalties[:200]
    ]
    return render(
        request,
        "criminal_records/penalties_to_qualify.html",
        {"items": items, "count": penalties.count(), "form": form},
        status=400 if request.method == "POST" else 200,
    )
