"""Agents' pages of the courrier, under /courrier/. Thin: forms in, services and selectors out."""

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet import query_params, uploads
from guichet.accounts.models import Organisation
from guichet.accounts.permissions import two_factor_satisfied
from guichet.audit import actions as audit_actions
from guichet.correspondence import chrono, forms, selectors, services
from guichet.correspondence import contacts as directory
from guichet.correspondence.models import Contact, Mail
from guichet.workflow import services as workflow
from guichet.workflow.selectors import dashboard as case_dashboard

PAGE_SIZE = 25


def mail_access_required(view):
    """Mail clerks, heads of service and agents to whom mail was routed; others get 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
        if not selectors.has_mail_access(request.user):
            raise PermissionDenied
        if not two_factor_satisfied(request):
            return redirect_to_login(request.get_full_path(), reverse("accounts:agent_otp"))
        return view(request, *args, **kwargs)

    return wrapped


def _mail(request, pk) -> Mail:
    """The mail if the user may see it; 404 otherwise (its existence is not revealed)."""
    return get_object_or_404(
        selectors.mails_visible_to(request.user).select_related(
            "case", "case__organisation", "case__assigned_to", "correspondent", "registered_in"
        ),
        pk=pk,
    )


def _reason_key(mail: Mail) -> str:
    return f"courrier-consultation-{mail.pk}"


def _confidential_gate(request, mail: Mail, then: str | None = None):
    """Confidential mail: ask the reason on first view, then audit every view with it. Once the
    reason is given, go to `then` (the mail's page by default)."""
    if not mail.is_confidential:
        return None
    reason = request.session.get(_reason_key(mail))
    if reason:
        services.record_confidential_view(mail, actor=request.user, reason=reason, request=request)
        return None
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and "reason" in request.POST and form.is_valid():
        reason = form.cleaned_data["reason"].strip()
        services.record_confidential_view(mail, actor=request.user, reason=reason, request=request)
        request.session[_reason_key(mail)] = reason
        return redirect(then or reverse("correspondence:detail", kwargs={"pk": mail.pk}))
    return render(request, "correspondence/reason.html", {"mail": mail, "form": form}, status=200)


@mail_access_required
def home(request):
    form = forms.SearchForm(request.GET or None, user=request.user)
    # A search: the readonly alias (a replica when one is configured).
    mails = selectors.mails_visible_to(request.user).using("readonly")
    if form.is_valid():
        mails = selectors.search(mails, **form.cleaned_data)
    mails = mails.select_related("case", "case__organisation", "correspondent", "other_unit")
    page = Paginator(mails.order_by("-registered_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "correspondence/home.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "now": timezone.now(),
            "can_register": selectors.can_register(request.user),
        },
    )


@mail_access_required
def register(request):
    if not selectors.can_register(request.user):
        raise PermissionDenied
    initial = {"received_on": timezone.localdate(), "priority": "normal"}
    reply_to = None
    if request.GET.get("reponse_a"):
        reply_to = _mail(request, query_params.object_id_or_404(request.GET["reponse_a"]))
        # Answering a confidential mail shows its subject: the same reason and audit entry as
        # opening it (the reason form posts back here, then the form is shown prefilled).
        gate = _confidential_gate(request, reply_to, then=request.get_full_path())
        if gate is not None:
            return gate
        initial.update(
            direction=Mail.Direction.OUTGOING,
            in_reply_to=reply_to.pk,
            subject=_("Réponse : %(subject)s") % {"subject": reply_to.subject},
            correspondent_name=reply_to.correspondent.name if reply_to.correspondent else "",
            received_on=None,
        )
    form = forms.RegisterMailForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial=initial,
        upload_owner=uploads.upload_owner(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mail = services.register_mail(
                actor=request.user,
                unit=data["unit"],
                direction=data["direction"],
                subject=data["subject"],
                correspondent_name=data["correspondent_name"],
                correspondent_organisation=data["correspondent_organisation"],
                other_unit=data["other_unit"],
                mail_type=data["mail_type"],
                letter_date=data["letter_date"],
                letter_reference=data["letter_reference"],
                received_on=data["received_on"],
                priority=data["priority"],
                confidentiality=data["confidentiality"],
                keywords=data["keywords"],
                summary=data["summary"],
                in_reply_to=data["in_reply_to"],
                due_days=data["due_days"],
                files=[data["scan"]] if data["scan"] else [],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Courrier enregistré sous le n° %(ref)s.") % {"ref": mail.reference}
            )
            if mail.is_confidential:
                if not selectors.mails_visible_to(request.user).filter(pk=mail.pk).exists():
                    # The office registers a sealed letter; its heads route it (and see it).
                    messages.info(
                        request,
                        _(
                            "Ce courrier est confidentiel : il est transmis au chef de service, "
                            "qui l'imputera."
                        ),
                    )
                    return redirect("correspondence:home")
                request.session[_reason_key(mail)] = _("Enregistrement du courrier")
            return redirect("correspondence:detail", pk=mail.pk)
    contacts = (
        Contact.objects.filter(directory__in=selectors.directories_of(request.user))
        .only("name")
        .order_by("-created_at")[:300]
    )
    return render(
        request,
        "correspondence/register.html",
        {"form": form, "contacts": contacts, "reply_to": reply_to},
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@mail_access_required
def detail(request, pk):
    mail = _mail(request, pk)
    gate = _confidential_gate(request, mail)
    if gate is not None:
        return gate
    user = request.user
    case = mail.case
    events = selectors.history(mail)
    return render(
        request,
        "correspondence/detail.html",
        {
            "mail": mail,
            "case": case,
            "events": events,
            "assignments": case.assignments.select_related("to_organisation", "to_user", "by"),
            "attachments": mail.attachments.all(),
            "replies": mail.replies.select_related("case"),
            "visa_steps": mail.visa_steps.select_related("approver"),
            "current_step": services.current_visa_step(mail),
            "can_route": selectors.can_route(user, mail),
            "can_handle": selectors.can_handle(user, mail),
            "actions": _available_actions(user, mail),
            "text_form": forms.TextForm(),
            "visa_form": forms.VisaDecisionForm(),
            "overdue": case.is_overdue(),
        },
    )


ACTIONS = {
    "start": _("Prendre en charge"),
    "note": _("Ajouter une note interne"),
    "close": _("Classer (clore)"),
    "reject": _("Rejeter"),
    "reopen": _("Rouvrir"),
}


def _available_actions(user, mail: Mail) -> list[tuple[str, str]]:
    if not selectors.can_handle(user, mail):
        return []
    allowed = []
    for action, label in ACTIONS.items():
        if action == "note" or workflow.can(mail.case, action):
            allowed.append((action, label))
    return allowed


@mail_access_required
@require_POST
def act(request, pk, action):
    mail = _mail(request, pk)
    if action not in ACTIONS:
        raise Http404
    if not selectors.can_handle(request.user, mail):
        raise PermissionDenied
    form = forms.TextForm(request.POST)
    form.is_valid()
    text = form.cleaned_data.get("text", "")
    try:
        if action == "start":
            workflow.start(mail.case, actor=request.user)
        elif action == "note":
            workflow.add_note(mail.case, actor=request.user, text=text)
        elif action == "close":
            services.close_mail(mail, actor=request.user, reason=text)
        elif action == "reject":
            workflow.reject(mail.case, actor=request.user, reason=text)
        elif action == "reopen":
            workflow.reopen(mail.case, actor=request.user, text=text)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("C'est fait."))
    return redirect("correspondence:detail", pk=mail.pk)


@mail_access_required
def impute(request, pk):
    mail = _mail(request, pk)
    if not selectors.can_route(request.user, mail):
        raise PermissionDenied
    form = forms.ImputeForm(request.POST or None, mail=mail)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.impute(
                mail,
                actor=request.user,
                organisation=data["organisation"],
                agent=data["agent"],
                instructions=data["instructions"],
                copies=list(data["copies"]),
                due_days=data["due_days"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Courrier imputé."))
            for unit, head, routed in selectors.route_copies(data["copies"], mail.is_confidential):
                if routed:
                    messages.warning(
                        request,
                        _(
                            "Personne ne lit le courrier de %(unit)s : la copie pour information "
                            "a été adressée à son chef de service, %(head)s."
                        )
                        % {"unit": unit.short_name or unit.name, "head": head},
                    )
            return redirect("correspondence:detail", pk=mail.pk)
    return render(request, "correspondence/impute.html", {"mail": mail, "form": form})


@mail_access_required
def attach(request, pk):
    mail = _mail(request, pk)
    if not selectors.can_handle(request.user, mail):
        raise PermissionDenied
    form = forms.AttachmentForm(
        request.POST or None, request.FILES or None, upload_owner=uploads.upload_owner(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_attachment(mail, actor=request.user, upload=form.cleaned_data["scan"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Pièce jointe ajoutée."))
            return redirect("correspondence:detail", pk=mail.pk)
    return render(request, "correspondence/attach.html", {"mail": mail, "form": form})


@mail_access_required
def attachment(request, pk, attachment_pk):
    mail = _mail(request, pk)
    if mail.is_confidential:
        reason = request.session.get(_reason_key(mail))
        if not reason:
            return redirect("correspondence:detail", pk=mail.pk)
        services.record_confidential_view(mail, actor=request.user, reason=reason, request=request)
    # A scan whose retention period ended has no file any more (personal_data.py).
    item = get_object_or_404(mail.attachments.filter(file_erased_at__isnull=True), pk=attachment_pk)
    response = FileResponse(
        item.file.open("rb"), content_type=item.content_type, filename=item.original_name
    )
    response["Cache-Control"] = "private, no-store"
    return response


@mail_access_required
def visa(request, pk):
    """Start the visa circuit (the drafter), or decide on it (the current approver)."""
    mail = _mail(request, pk)
    step = services.current_visa_step(mail)
    if step is not None and step.approver_id == request.user.pk:
        form = forms.VisaDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            decision = form.cleaned_data["decision"]
            comment = form.cleaned_data["comment"]
            try:
                if decision == "approve":
                    services.approve_visa(mail, actor=request.user, comment=comment)
                elif decision == "annotate":
                    services.annotate_visa(mail, actor=request.user, text=comment)
                else:
                    services.send_back_visa(mail, actor=request.user, reason=comment)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Décision enregistrée."))
                return redirect("correspondence:detail", pk=mail.pk)
        return render(
            request, "correspondence/visa_decide.html", {"mail": mail, "form": form, "step": step}
        )
    if not selectors.can_handle(request.user, mail):
        raise PermissionDenied
    if mail.visa == Mail.Visa.SENT_BACK and request.method == "POST" and "resubmit" in request.POST:
        services.resubmit_visa(mail, actor=request.user)
        messages.success(request, _("Projet renvoyé dans le circuit de visa."))
        return redirect("correspondence:detail", pk=mail.pk)
    form = forms.VisaCircuitForm(request.POST or None, mail=mail)
    if request.method == "POST" and form.is_valid():
        try:
            services.start_visa_circuit(mail, actor=request.user, approvers=form.approvers())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Projet envoyé au visa."))
            return redirect("correspondence:detail", pk=mail.pk)
    return render(request, "correspondence/visa_start.html", {"mail": mail, "form": form})


@mail_access_required
@require_POST
def dispatch(request, pk):
    mail = _mail(request, pk)
    if not selectors.can_handle(request.user, mail):
        raise PermissionDenied
    try:
        services.dispatch(mail, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Courrier expédié."))
    return redirect("correspondence:detail", pk=mail.pk)


@mail_access_required
def dashboard(request):
    """Figures per unit the user works in, and the units directly below."""
    today = timezone.localdate()
    period = (today - dt.timedelta(days=30), today)
    units = Organisation.objects.filter(
        memberships__user=request.user, memberships__role__code__in=selectors.CLERK_ROLES
    ).distinct()
    rows = []
    for unit in units:
        rows.append((unit, case_dashboard(unit, "mail", period)))
        for child in unit.children.filter(is_active=True):
            rows.append((child, case_dashboard(child, "mail", period)))
    return render(request, "correspondence/dashboard.html", {"rows": rows, "period": period})


@mail_access_required
def register_export(request):
    if not selectors.can_register(request.user):
        raise PermissionDenied
    form = forms.RegisterExportForm(request.GET or None, user=request.user)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        entries = selectors.register_entries(
            data["register"], data["start"], data["end"], data["direction"]
        )
        rows = chrono.register_rows(entries, request.user)
        name = f"registre-{data['register'].code}-{data['start']}-{data['end']}"
        from guichet.audit.services import record

        record(
            audit_actions.Correspondence.REGISTER_EXPORTED,
            actor=request.user,
            organisation=data["register"],
            request=request,
            data={"start": str(data["start"]), "end": str(data["end"]), "rows": len(rows)},
        )
        if data["format"] == "csv":
            response = HttpResponse(
                chrono.register_csv(rows), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        response = HttpResponse(
            chrono.register_pdf(
                rows,
                data["register"],
                data["start"],
                data["end"],
                directions=[data["direction"]] if data["direction"] else None,
            ),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    return render(request, "correspondence/register_export.html", {"form": form})


@mail_access_required
def contacts(request):
    if not selectors.can_register(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    visible = selectors.contacts_visible_to(request.user)
    items = visible.order_by("folded_name", "pk")
    if query:
        items = items.filter(name__icontains=query)
    if request.GET.get("doublons"):
        items = items.filter(possible_duplicate_of__isnull=False)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "correspondence/contacts.html",
        {
            "page": page,
            "q": query,
            "duplicates": visible.filter(possible_duplicate_of__isnull=False).count(),
        },
    )


@mail_access_required
def contact_new(request):
    if not selectors.can_register(request.user):
        raise PermissionDenied
    form = forms.ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        contact = directory.create_contact(actor=request.user, **data)
        if contact.possible_duplicate_of:
            messages.warning(
                request,
                _(
                    "Correspondant ajouté, mais il ressemble à « %(other)s » : vérifiez et fusionnez."
                )
                % {"other": contact.possible_duplicate_of},
            )
        else:
            messages.success(request, _("Correspondant ajouté."))
        return redirect("correspondence:contacts")
    return render(request, "correspondence/contact_form.html", {"form": form})


@mail_access_required
@require_POST
def contact_resolve(request, pk):
    """Merge a flagged contact into the one it duplicates, or dismiss the flag."""
    if not selectors.can_register(request.user):
        raise PermissionDenied
    contact = get_object_or_404(
        selectors.contacts_visible_to(request.user), pk=pk, possible_duplicate_of__isnull=False
    )
    if request.POST.get("decision") == "merge":
        directory.merge_contacts(
            actor=request.user, keep=contact.possible_duplicate_of, duplicate=contact
        )
        messages.success(request, _("Correspondants fusionnés."))
    else:
        directory.dismiss_duplicate(actor=request.user, contact=contact)
        messages.success(request, _("Ce ne sont pas des doublons : signalement retiré."))
    return redirect("correspondence:contacts")
