"""Web pages: the citizen's (file, follow with the reference, statistics) and the handlers'.

Thin: forms check the shape, `services` does the writing, `selectors` the reading.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet import charts, exports, uploads
from guichet.accounts.models import Role, User
from guichet.accounts.permissions import role_required
from guichet.complaints import forms, privacy, selectors, services
from guichet.complaints.models import Complaint
from guichet.throttling import RateLimited, check_rate, client_ip
from guichet.workflow import services as workflow
from guichet.workflow.models import Case

LOOKUP_FAILURES_PER_HOUR = 20


def _copy_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _too_many(request, limited: RateLimited, template="complaints/limited.html"):
    response = render(request, template, {"message": str(limited)}, status=429)
    response["Retry-After"] = str(limited.retry_after)
    return response


# --- Citizens -------------------------------------------------------------------------------


def _home(request, lookup_form, status=200):
    context = {
        "lookup": lookup_form,
        "short_code": getattr(settings, "SMS_SHORT_CODE", ""),
        "ussd_code": getattr(settings, "USSD_SERVICE_CODE", ""),
        "is_handler": selectors.is_handler(request.user),
    }
    return render(request, "complaints/home.html", context, status=status)


@require_GET
def home(request):
    return _home(request, forms.LookupForm())


@require_http_methods(["GET", "POST"])
def file_complaint(request):
    form = forms.ComplaintForm(
        request.POST or None, request.FILES or None, upload_owner=uploads.upload_owner(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = services.file_complaint(
                category=data["category"],
                description=data["description"],
                channel=Complaint.Channel.WEB,
                region=data["region"],
                commune=data["commune"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                address=data["address"],
                photo=data["photo"],
                phone=data["phone"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                hide_identity=data["hide_identity"],
                language=get_language() or "fr",
                ip=client_ip(request),
                request=request,
            )
        except RateLimited as limited:
            return _too_many(request, limited)
        except ValidationError as invalid:
            _copy_errors(form, invalid)
        else:
            complaint = filed.complaint
            if filed.duplicate:
                messages.info(
                    request,
                    _("Cette plainte avait déjà été reçue aujourd'hui ; voici son suivi."),
                )
            else:
                request.session["complaints_just_filed"] = complaint.reference
            return redirect("complaints:follow", reference=complaint.reference)
    return render(request, "complaints/file.html", {"form": form})


@require_GET
def lookup(request):
    form = forms.LookupForm(request.GET or None)
    if form.is_valid():
        complaint = selectors.by_reference(form.cleaned_data["reference"])
        if complaint is not None:
            return redirect("complaints:follow", reference=complaint.reference)
        try:
            _check_lookup_failure(request)
        except RateLimited as limited:
            return _too_many(request, limited)
        form.add_error("reference", _("Aucune plainte ne porte cette référence. Vérifiez-la."))
    return _home(request, form, status=404 if form.errors else 200)


def _check_lookup_failure(request) -> None:
    """Count a wrong reference against the caller's address (its pseudonym of the day, never the
    address itself): guessing stays impractical."""
    pseudonym = privacy.address_pseudonym(client_ip(request))
    check_rate("complaints.lookup.fail", pseudonym, LOOKUP_FAILURES_PER_HOUR, 3600)


def _by_reference(view):
    """Resolve the reference of the URL; 404 when unknown, 429 past the failures' limit."""

    @wraps(view)
    def wrapped(request, reference: str):
        complaint = selectors.by_reference(reference)
        if complaint is None:
            try:
                _check_lookup_failure(request)
            except RateLimited as limited:
                return _too_many(request, limited)
            raise Http404(_("Aucune plainte ne porte cette référence."))
        return view(request, complaint)

    return wrapped


@require_GET
@_by_reference
def follow(request, complaint: Complaint):
    just_filed = request.session.pop("complaints_just_filed", None) == complaint.reference
    status = complaint.case.status
    return render(
        request,
        "complaints/follow.html",
        {
            "complaint": complaint,
            "case": complaint.case,
            "history": selectors.public_history(complaint),
            "just_filed": just_filed,
            "can_reply": workflow.can(complaint.case, "requester_reply"),
            "can_confirm": status == Case.Status.ANSWERED,
            "can_reopen": status
            in (Case.Status.ANSWERED, Case.Status.CLOSED, Case.Status.REJECTED),
            "can_rate": status == Case.Status.CLOSED and complaint.rating is None,
            "reply_form": forms.ReplyForm(),
            "reopen_form": forms.ReopenForm(),
            "rating_form": forms.RatingForm(),
        },
    )


def _citizen_action(request, complaint: Complaint, form_class, act):
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("complaints:follow", reference=complaint.reference)
    try:
        done = act(complaint, form.cleaned_data if form else {})
    except ValidationError as invalid:
        for message in invalid.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("complaints:follow", reference=complaint.reference)


@require_POST
@_by_reference
def citizen_reply(request, complaint: Complaint):
    def act(complaint, data):
        services.citizen_reply(complaint, data["text"], request=request)
        return _("Votre message a été ajouté à la plainte.")

    return _citizen_action(request, complaint, forms.ReplyForm, act)


@require_POST
@_by_reference
def citizen_confirm(request, complaint: Complaint):
    def act(complaint, data):
        services.citizen_confirm(complaint, request=request)
        return _("Merci : la plainte est close. Vous pouvez noter la réponse.")

    return _citizen_action(request, complaint, None, act)


@require_POST
@_by_reference
def citizen_reopen(request, complaint: Complaint):
    def act(complaint, data):
        services.citizen_reopen(complaint, data["reason"], request=request)
        return _("La plainte est rouverte : les agents vont la reprendre.")

    return _citizen_action(request, complaint, forms.ReopenForm, act)


@require_POST
@_by_reference
def citizen_rate(request, complaint: Complaint):
    def act(complaint, data):
        services.rate_answer(complaint, data["rating"], data["comment"], request=request)
        return _("Merci pour votre note.")

    return _citizen_action(request, complaint, forms.RatingForm, act)


@require_GET
def statistics(request):
    figures = selectors.public_statistics()
    chart = charts.bar_chart
    context = {
        "figures": figures,
        "by_category_svg": chart(
            _("Plaintes par catégorie"), [charts.Bar(k, v) for k, v in figures.by_category]
        ),
        "by_region_svg": chart(
            _("Plaintes par région"),
            [charts.Bar(k, v) for k, v in figures.by_region],
            colour="#0a58a8",
        ),
        "by_status_svg": chart(
            _("Plaintes par statut"),
            [charts.Bar(k, v) for k, v in figures.by_status],
            colour="#c25400",
        ),
        "median_svg": chart(
            _("Délai médian de réponse par catégorie (jours)"),
            [
                charts.Bar(k, round(v, 1), _("%(days)s j") % {"days": f"{v:.1f}".replace(".", ",")})
                for k, v in figures.median_by_category
            ],
            colour="#555f6b",
        ),
    }
    return render(request, "complaints/statistics.html", context)


# --- Handlers -------------------------------------------------------------------------------

handlers_only = role_required(Role.COMPLAINTS_HANDLER, Role.HEAD_OF_SERVICE)


@handlers_only
@require_GET
def agent_list(request):
    form = forms.HandlerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    complaints = selectors.handler_list(
        request.user,
        status=filters.get("status", ""),
        category=filters.get("category", ""),
        overdue=filters.get("overdue", False),
        q=filters.get("q", ""),
    )
    page = Paginator(complaints, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "complaints/agents/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()},
    )


@handlers_only
@require_GET
def agent_export(request):
    """CSV of the handler's complaints; hidden identities stay hidden here too."""
    form = forms.HandlerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    complaints = selectors.handler_list(
        request.user,
        status=filters.get("status", ""),
        category=filters.get("category", ""),
        overdue=filters.get("overdue", False),
        q=filters.get("q", ""),
    ).using("readonly")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="plaintes.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 only with its BOM
    writer = exports.spreadsheet_writer(response)
    writer.writerow(
        [
            _("Référence"),
            _("Déposée le"),
            _("Catégorie"),
            _("Région"),
            _("Commune"),
            _("Statut"),
            _("Échéance"),
            _("Remarque sur l'échéance"),
            _("Canal"),
            _("Plaignant"),
            _("Téléphone"),
            _("Courriel"),
            _("Description"),
        ]
    )
    hidden = _("Identité masquée")
    for complaint in complaints.iterator(chunk_size=500):
        case = complaint.case
        writer.writerow(
            [
                complaint.display_reference,
                timezone.localtime(complaint.created_at).strftime("%Y-%m-%d %H:%M"),
                complaint.category.name,
                complaint.region.name if complaint.region_id else "",
                complaint.commune.name if complaint.commune_id else "",
                case.get_status_display(),
                timezone.localtime(case.due_at).strftime("%Y-%m-%d") if case.due_at else "",
                case.deadline_notice,
                complaint.get_channel_display(),
                hidden if complaint.hide_identity else complaint.complainant_name,
                hidden if complaint.hide_identity else complaint.phone,
                hidden if complaint.hide_identity else complaint.email,
                complaint.description,
            ]
        )
    return response


def _visible_or_404(request, pk: int) -> Complaint:
    return get_object_or_404(
        selectors.complaints_visible_to(request.user).select_related(
            "case", "case__assigned_to", "category", "region", "commune"
        ),
        pk=pk,
    )


def _agents_for(case: Case):
    units = case.organisation.subtree()
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation__in=units,
            memberships__role__code__in=selectors.HANDLER_ROLES,
        )
        .distinct()
        .order_by("last_name", "username")
    )


@handlers_only
@require_GET
def agent_detail(request, pk: int):
    complaint = _visible_or_404(request, pk)
    case = complaint.case
    events = case.events.select_related("actor").order_by("at", "pk")
    return render(
        request,
        "complaints/agents/detail.html",
        {
            "complaint": complaint,
            "case": case,
            "events": events,
            "assign_form": forms.AssignForm(agents=_agents_for(case)),
            "text_form": forms.TextForm(),
            "can": {action: workflow.can(case, action) for action in workflow.TRANSITIONS},
            "overdue": case.is_overdue(),
        },
    )


@handlers_only
@require_GET
def agent_photo(request, pk: int):
    complaint = _visible_or_404(request, pk)
    if not complaint.photo:
        raise Http404
    return FileResponse(complaint.photo.open("rb"), content_type=complaint.photo_type)


AGENT_ACTIONS = {
    "assign": gettext_lazy("La plainte est imputée."),
    "start": gettext_lazy("La plainte est prise en charge."),
    "note": gettext_lazy("Note interne ajoutée."),
    "answer": gettext_lazy("La réponse est envoyée au plaignant."),
    "close": gettext_lazy("La plainte est close."),
    "reject": gettext_lazy("La plainte est rejetée."),
    "reopen": gettext_lazy("La plainte est rouverte."),
}


@handlers_only
@require_POST
def agent_action(request, pk: int, action: str):
    if action not in AGENT_ACTIONS:
        raise Http404
    complaint = _visible_or_404(request, pk)
    case = complaint.case
    user = request.user
    text = request.POST.get("text", "")
    try:
        if action == "assign":
            form = forms.AssignForm(request.POST, agents=_agents_for(case))
            if not form.is_valid():
                raise ValidationError(_("Choisissez un agent de l'unité."))
            workflow.assign(
                case,
                actor=user,
                organisation=case.organisation,
                agent=form.cleaned_data["agent"],
                instructions=form.cleaned_data["instructions"],
            )
        elif action == "start":
            workflow.start(case, actor=user)
        elif action == "note":
            workflow.add_note(case, actor=user, text=text, internal=True)
        elif action == "answer":
            workflow.answer(case, actor=user, public_text=text)
        elif action == "close":
            workflow.close(case, actor=user, reason=text)
        elif action == "reject":
            workflow.reject(case, actor=user, reason=text)
        elif action == "reopen":
            workflow.reopen(case, actor=user, text=text)
    except ValidationError as invalid:
        for message in invalid.messages:
            messages.error(request, message)
    else:
        messages.success(request, AGENT_ACTIONS[action])
    return redirect(reverse("complaints:agent_detail", args=[complaint.pk]))
