"""Public and candidate pages of the EIG programme. Thin: forms check shapes, `services` and
`selection` write, `selectors` read. The agents' pages are in `agent_views.py`."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet import uploads
from guichet.accounts.models import Organisation
from guichet.accounts.permissions import citizen_required, two_factor_satisfied
from guichet.charts import Bar, bar_chart
from guichet.talents import forms, privacy, selection, selectors, services
from guichet.talents.models import Challenge, Choice, InterviewSlot, Promotion


def copy_errors(form, error: ValidationError) -> None:
    """A service's refusal shown on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Public ---------------------------------------------------------------------------------


@require_GET
def programme(request):
    promotion = selectors.current_promotion()
    context = {
        "promotion": promotion,
        "challenges": selectors.public_challenges(promotion)[:6] if promotion else [],
        "call_open": promotion.call_is_open() if promotion else False,
        "is_manager": selectors.is_manager(request.user),
    }
    return render(request, "talents/programme.html", context)


@require_GET
def catalogue(request):
    promotion = selectors.current_promotion()
    organisations = Organisation.objects.filter(
        eig_challenges__status=Challenge.Status.ACCEPTED
    ).distinct()
    form = forms.CatalogueFilter(request.GET or None, organisations=organisations)
    administration = profile = ""
    if form.is_valid():
        if form.cleaned_data["administration"]:
            administration = form.cleaned_data["administration"].code
        if form.cleaned_data["profil"]:
            profile = form.cleaned_data["profil"].code
    challenges = selectors.public_challenges(
        promotion, organisation_code=administration, profile_code=profile
    )
    return render(
        request,
        "talents/catalogue.html",
        {"form": form, "challenges": challenges, "promotion": promotion},
    )


@require_GET
def challenge_detail(request, slug):
    challenge = get_object_or_404(
        selectors.public_challenges(None).select_related("promotion"), slug=slug
    )
    return render(
        request,
        "talents/challenge.html",
        {
            "challenge": challenge,
            "members": challenge.members.all(),
            "notes": selectors.public_notes(challenge),
            "call_open": challenge.promotion.call_is_open(),
            "can_edit_results": services.may_edit_results(challenge, request.user),
        },
    )


@require_GET
def promotion_detail(request, slug):
    promotion = get_object_or_404(Promotion, slug=slug)
    challenges = selectors.public_challenges(promotion).prefetch_related("members")
    return render(
        request,
        "talents/promotion.html",
        {"promotion": promotion, "challenges": challenges},
    )


@require_GET
def statistics(request, slug):
    promotion = get_object_or_404(Promotion, slug=slug)
    stats = selectors.call_statistics(promotion)
    charts = [
        bar_chart(
            _("Candidatures par profil"), [Bar(label, n) for label, n in stats["by_profile"]]
        ),
        bar_chart(_("Candidatures par région"), [Bar(label, n) for label, n in stats["by_region"]]),
        bar_chart(
            _("Candidatures par sexe déclaré"), [Bar(label, n) for label, n in stats["by_sex"]]
        ),
        bar_chart(
            _("Taux de sélection par sexe déclaré"),
            [
                Bar(label, (100 * chosen / total) if total else 0, f"{chosen}/{total}")
                for label, total, chosen in stats["rate_by_sex"]
            ],
        ),
    ]
    return render(
        request,
        "talents/statistics.html",
        {"promotion": promotion, "stats": stats, "charts": charts},
    )


# --- Candidates -----------------------------------------------------------------------------


def _candidate_context(request):
    promotion = selectors.current_promotion()
    candidate = selectors.candidate_of(request.user)
    application = selectors.application_of(candidate, promotion)
    return promotion, candidate, application


@citizen_required
@require_GET
def candidate_home(request):
    promotion, candidate, application = _candidate_context(request)
    if application is not None:
        for choice in application.choices.all():
            if choice.outcome == Choice.Outcome.SHORTLISTED:
                choice.available_slots = list(
                    InterviewSlot.objects.filter(
                        Q(challenge=choice.challenge, choice__isnull=True) | Q(choice=choice),
                        starts_at__gt=timezone.now(),
                    )
                )
    return render(
        request,
        "talents/candidate_home.html",
        {
            "promotion": promotion,
            "candidate": candidate,
            "application": application,
            "member": selectors.membership_of(request.user),
            "call_open": promotion.call_is_open() if promotion else False,
            "deadline": services.niamey_time(promotion.call_closes_at) if promotion else "",
        },
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def candidate_profile(request):
    candidate = selectors.candidate_of(request.user)
    form = forms.CandidateForm(
        request.POST or None,
        request.FILES or None,
        instance=candidate,
        upload_owner=uploads.upload_owner(request),
    )
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in (
                "full_name",
                "email",
                "region",
                "sex",
                "birth_year",
                "skills",
                "links",
                "availability",
            )
        }
        try:
            saved = services.save_candidate(
                request.user,
                profiles=form.cleaned_data["profiles"],
                cv=form.cleaned_data.get("cv"),
                diploma=form.cleaned_data.get("diploma"),
                **data,
            )
        except ValidationError as error:
            copy_errors(form, error)
        else:
            if saved.email_verified:
                messages.success(request, _("Votre profil est enregistré."))
            else:
                messages.success(
                    request,
                    _(
                        "Votre profil est enregistré. Confirmez votre adresse avec le lien envoyé à %(email)s."
                    )
                    % {"email": saved.email},
                )
            return redirect("talents:candidate_home")
    return render(request, "talents/candidate_profile.html", {"form": form, "candidate": candidate})


@require_GET
def verify_email(request, token):
    try:
        services.verify_email(token)
    except ValidationError as error:
        return render(
            request, "talents/email_verified.html", {"error": " ".join(error.messages)}, status=400
        )
    return render(request, "talents/email_verified.html", {"error": ""})


@citizen_required
@require_POST
def resend_verification(request):
    candidate = selectors.candidate_of(request.user)
    if candidate is None:
        return redirect("talents:candidate_profile")
    if not candidate.email_verified:
        services.send_email_verification(candidate)
        messages.success(
            request, _("Un nouveau lien a été envoyé à %(email)s.") % {"email": candidate.email}
        )
    return redirect("talents:candidate_home")


@citizen_required
@require_http_methods(["GET", "POST"])
def candidate_choices(request):
    promotion, candidate, application = _candidate_context(request)
    if candidate is None:
        messages.info(request, _("Remplissez d'abord votre profil."))
        return redirect("talents:candidate_profile")
    if promotion is None:
        raise Http404
    challenges = selectors.public_challenges(promotion)
    form = forms.ApplicationForm(
        request.POST or None, promotion=promotion, challenges=challenges, application=application
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.save_application(candidate, promotion, form.choices())
            if request.POST.get("then") == "submit":
                services.submit_application(application)
                messages.success(
                    request,
                    _(
                        "Votre candidature est envoyée. Vous pouvez la modifier ou la retirer jusqu'au %(when)s (heure de Niamey)."
                    )
                    % {"when": services.niamey_time(promotion.call_closes_at)},
                )
            else:
                messages.success(request, _("Brouillon enregistré."))
        except ValidationError as error:
            copy_errors(form, error)
        else:
            return redirect("talents:candidate_home")
    return render(
        request,
        "talents/candidate_choices.html",
        {
            "form": form,
            "promotion": promotion,
            "application": application,
            "deadline": services.niamey_time(promotion.call_closes_at),
            "ranks": [
                (form[f"challenge_{rank}"], form[f"motivation_{rank}"])
                for rank in range(1, promotion.max_choices + 1)
            ],
        },
    )


def _act_on_application(request, action, done: str):
    _promotion, _candidate, application = _candidate_context(request)
    if application is None:
        raise Http404
    try:
        action(application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("talents:candidate_home")


@citizen_required
@require_POST
def submit_application(request):
    return _act_on_application(
        request, services.submit_application, _("Votre candidature est envoyée.")
    )


@citizen_required
@require_POST
def withdraw_application(request):
    return _act_on_application(
        request, services.withdraw_application, _("Votre candidature est retirée.")
    )


@citizen_required
@require_POST
def book_slot(request, choice_pk):
    choice = get_object_or_404(Choice, pk=choice_pk, application__candidate__user=request.user)
    slot_id = request.POST.get("slot", "")
    slot = None
    if slot_id.isdigit() and len(slot_id) <= 12:
        slot = InterviewSlot.objects.filter(pk=int(slot_id)).first()
    if slot is None:
        messages.error(request, _("Choisissez un créneau."))
        return redirect("talents:candidate_home")
    try:
        selection.book_slot(choice, slot, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Entretien confirmé le %(when)s. Une invitation vous est envoyée.")
            % {"when": services.niamey_time(slot.starts_at)},
        )
    return redirect("talents:candidate_home")


@citizen_required
@require_GET
def interview_calendar(request, choice_pk):
    slot = get_object_or_404(
        InterviewSlot, choice__pk=choice_pk, choice__application__candidate__user=request.user
    )
    response = HttpResponse(
        selection.interview_ics(slot), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="entretien-eig.ics"'
    return response


@citizen_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    candidate = selectors.candidate_of(request.user)
    if candidate is None:
        return render(request, "talents/my_data.html", {"candidate": None, "form": None})
    if request.GET.get("format") == "json":
        privacy.record_access(candidate, request=request)
        response = HttpResponse(
            json.dumps(selectors.personal_data(candidate), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="mes-donnees-eig.json"'
        return response
    form = forms.ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.erase_candidate(
                candidate, actor=request.user, reason=_("demande de la personne")
            )
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("Vos données de candidature sont effacées."))
            return redirect("talents:programme")
    return render(request, "talents/my_data.html", {"candidate": candidate, "form": form})


@require_http_methods(["GET", "POST"])
def challenge_results(request, slug):
    """The results of an accepted challenge, written by its team, its administration's
    challenge owners or ANSI (agents with their second factor)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    challenge = get_object_or_404(selectors.public_challenges(None), slug=slug)
    if not services.may_edit_results(challenge, request.user):
        raise PermissionDenied
    if not request.user.is_citizen and not two_factor_satisfied(request):
        return redirect_to_login(request.get_full_path(), reverse("accounts:agent_otp"))
    form = forms.ResultsForm(request.POST or None, initial={"results": challenge.results})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_results(
                challenge, actor=request.user, results=form.cleaned_data["results"]
            )
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("Résultats enregistrés."))
            return redirect("talents:challenge", slug=challenge.slug)
    return render(request, "talents/results_form.html", {"challenge": challenge, "form": form})


@citizen_required
@require_http_methods(["GET", "POST"])
def team(request):
    member = selectors.membership_of(request.user)
    if member is None:
        raise PermissionDenied
    form = forms.NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_note(member, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("Note publiée."))
            return redirect("talents:team")
    return render(
        request,
        "talents/team.html",
        {"member": member, "form": form, "notes": member.challenge.notes.select_related("author")},
    )
