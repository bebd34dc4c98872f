"""The court clerk's pages of the register: searching and creating persons, a person's record
(each consultation traced with its reason), convictions, their events, merges, the paper cards
keyed twice, and the penalties still to qualify.
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet import uploads
from guichet.accounts.models import Role
from guichet.accounts.permissions import role_required
from guichet.audit import actions as audit_actions
from guichet.criminal_records import legacy, matching, rules, selectors, services, services_register
from guichet.criminal_records.forms import (
    CardImportForm,
    ConvictionForm,
    EventForm,
    MergeForm,
    PersonForm,
    PersonSearchForm,
    ReasonForm,
    RecourseForm,
    ScanForm,
)
from guichet.criminal_records.models import Conviction, ConvictionEvent, LegacyCard


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
                kind=data["kind"] or Conviction.Kind.CONTRADICTORY,
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
@require_http_methods(["GET", "POST"])
def recourse_create(request, pk: int):
    """A decision on appel, opposition or pourvoi, with the sentence it pronounces."""
    conviction = get_object_or_404(
        Conviction.objects.filter(person__in=selectors.persons_for_clerk(request.user)), pk=pk
    )
    in_force = rules.b3_mention_ordered_on(conviction, timezone.localdate())
    form = RecourseForm(request.POST or None, initial={"b3_mention_ordered": in_force})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_register.record_recourse_decision(
                actor=request.user,
                conviction=conviction,
                date=data["date"],
                reference=data["reference"],
                is_final=data["is_final"],
                penalties=form.penalties(),
                kind=data["kind"] or Conviction.Kind.CONTRADICTORY,
                b3_mention_ordered=data["b3_mention_ordered"],
                note=data["note"],
                request=request,
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Décision sur recours enregistrée."))
            return _back_to_person(conviction.person, _("Décision sur recours"))
    return render(
        request,
        "criminal_records/recourse_form.html",
        {"form": form, "conviction": conviction},
    )


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
