"""Agents' pages of the EIG programme: the administrations' challenge owners, ANSI's programme
team and the jury. Each page checks its role; a reviewer reaches only their own assignments and
an owner only their administration's challenges (404 otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet import exports
from guichet.accounts.models import Organisation, Role
from guichet.accounts.permissions import role_required
from guichet.talents import forms, selection, selectors, services
from guichet.talents.models import (
    Application,
    Challenge,
    Choice,
    Criterion,
    Promotion,
    ReviewAssignment,
)
from guichet.talents.views import copy_errors

owner_required = role_required(Role.CHALLENGE_OWNER)
manager_required = role_required(Role.PROGRAMME_MANAGER)
jury_required = role_required(Role.JURY_MEMBER)

# --- Challenge owners -----------------------------------------------------------------------


def _challenge_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.CHALLENGE_FIELDS}


@owner_required
@require_GET
def owner_home(request):
    return render(
        request,
        "talents/agents/owner_home.html",
        {"challenges": selectors.owned_challenges(request.user)},
    )


@owner_required
@require_http_methods(["GET", "POST"])
def challenge_edit(request, pk=None):
    # The units where the role is held (a ministry, typically), not every unit below them.
    organisations = Organisation.objects.filter(
        memberships__user=request.user, memberships__role__code=Role.CHALLENGE_OWNER
    ).distinct()
    challenge = None
    if pk is not None:
        challenge = get_object_or_404(selectors.owned_challenges(request.user), pk=pk)
    form = forms.ChallengeForm(
        request.POST or None, instance=challenge, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        try:
            if challenge is None:
                challenge = services.draft_challenge(
                    actor=request.user,
                    organisation=form.cleaned_data["organisation"],
                    profiles=form.cleaned_data["profiles"],
                    **_challenge_fields(form),
                )
            else:
                services.update_challenge(
                    challenge,
                    actor=request.user,
                    profiles=form.cleaned_data["profiles"],
                    **_challenge_fields(form),
                )
            if request.POST.get("then") == "submit":
                services.submit_challenge(challenge, actor=request.user)
                messages.success(request, _("Défi soumis à l'ANSI."))
            else:
                messages.success(request, _("Défi enregistré."))
        except ValidationError as error:
            copy_errors(form, error)
        else:
            return redirect("talents:owner_home")
    return render(
        request, "talents/agents/challenge_form.html", {"form": form, "challenge": challenge}
    )


# --- ANSI: the programme team ---------------------------------------------------------------


@manager_required
@require_GET
def manager_home(request):
    return render(
        request,
        "talents/agents/manager_home.html",
        {
            "to_review": Challenge.objects.filter(status=Challenge.Status.SUBMITTED).select_related(
                "organisation"
            ),
            "promotions": Promotion.objects.all(),
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def challenge_review(request, pk):
    challenge = get_object_or_404(Challenge.objects.select_related("organisation"), pk=pk)
    form = forms.ChallengeReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_challenge(
                challenge,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                promotion=form.cleaned_data["promotion"],
            )
        except ValidationError as error:
            copy_errors(form, error)
        else:
            messages.success(request, _("Décision enregistrée."))
            return redirect("talents:manager_home")
    return render(
        request, "talents/agents/challenge_review.html", {"challenge": challenge, "form": form}
    )


@manager_required
@require_GET
def promotion_board(request, pk):
    promotion = get_object_or_404(Promotion, pk=pk)
    challenges = selectors.public_challenges(promotion)
    board = [(challenge, selectors.ranking(challenge)) for challenge in challenges]
    return render(
        request,
        "talents/agents/promotion_board.html",
        {
            "promotion": promotion,
            "board": board,
            "slots_form": forms.SlotsForm(challenges=challenges),
            "decision_form": forms.DecisionForm(),
            "closed": promotion.call_has_closed(),
            "submitted": Application.objects.filter(
                promotion=promotion, status=Application.Status.SUBMITTED
            ).count(),
        },
    )


def _back_to_board(promotion_pk):
    return redirect("talents:promotion_board", pk=promotion_pk)


@manager_required
@require_POST
def assign_reviewers(request, pk):
    promotion = get_object_or_404(Promotion, pk=pk)
    round_ = request.POST.get("round", Criterion.Round.REVIEW)
    try:
        made = selection.assign_reviewers(promotion, actor=request.user, round=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext("%(n)d évaluation attribuée.", "%(n)d évaluations attribuées.", made)
            % {"n": made},
        )
    return _back_to_board(pk)


def _choice_of(promotion_pk, choice_pk) -> Choice:
    return get_object_or_404(
        Choice.objects.select_related("application", "challenge"),
        pk=choice_pk,
        application__promotion_id=promotion_pk,
    )


@manager_required
@require_POST
def shortlist(request, pk, choice_pk):
    try:
        selection.shortlist(_choice_of(pk, choice_pk), actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Candidat·e présélectionné·e et invité·e à choisir un créneau.")
        )
    return _back_to_board(pk)


@manager_required
@require_POST
def decide(request, pk, choice_pk):
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une décision."))
        return _back_to_board(pk)
    outcome = form.cleaned_data["outcome"]
    try:
        selection.decide(
            _choice_of(pk, choice_pk),
            actor=request.user,
            outcome=outcome,
            message=form.message_for(outcome),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Décision enregistrée ; le candidat est prévenu."))
    return _back_to_board(pk)


@manager_required
@require_POST
def create_slots(request, pk):
    promotion = get_object_or_404(Promotion, pk=pk)
    form = forms.SlotsForm(request.POST, challenges=selectors.public_challenges(promotion))
    if form.is_valid():
        try:
            selection.create_slots(
                promotion,
                form.cleaned_data["challenge"],
                actor=request.user,
                first=form.cleaned_data["first"],
                count=form.cleaned_data["count"],
                minutes=form.cleaned_data["minutes"],
                place=form.cleaned_data["place"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Créneaux ajoutés."))
    else:
        messages.error(request, _("Créneaux non créés : vérifiez le formulaire."))
    return _back_to_board(pk)


@manager_required
@require_GET
def application_detail(request, pk):
    """One application in full: profile, ranked choices and motivations, the pieces (served
    through `application_file`), the reviews once sent, the interview. Audited."""
    try:
        application, choices = selectors.application_file(pk, actor=request.user, request=request)
    except Application.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "talents/agents/application.html",
        {"application": application, "candidate": application.candidate, "choices": choices},
    )


def _file_response(candidate, kind, *, actor, request):
    opened = selectors.open_candidate_file(candidate, kind, actor=actor, request=request)
    if opened is None:
        raise Http404
    name = "cv.pdf" if kind == "cv" else "diplome.pdf"
    response = FileResponse(opened, content_type="application/pdf", filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@manager_required
@require_GET
def application_file(request, pk, kind):
    application = get_object_or_404(Application.objects.select_related("candidate"), pk=pk)
    return _file_response(application.candidate, kind, actor=request.user, request=request)


@manager_required
@require_GET
def export_applications(request, pk):
    promotion = get_object_or_404(Promotion, pk=pk)
    rows = selectors.export_rows(promotion, actor=request.user, request=request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = exports.spreadsheet_writer(response)
    for row in [selectors.EXPORT_COLUMNS, *rows]:
        writer.writerow(row)
    response["Content-Disposition"] = f'attachment; filename="eig-{promotion.slug}.csv"'
    return response


# --- Jury -----------------------------------------------------------------------------------


@jury_required
@require_GET
def jury_home(request):
    return render(
        request,
        "talents/agents/jury_home.html",
        {"assignments": selectors.assignments_of(request.user)},
    )


def _own_assignment(request, pk) -> ReviewAssignment:
    assignment = (
        ReviewAssignment.objects.select_related(
            "choice__application__candidate__region",
            "choice__application__promotion",
            "choice__challenge",
        )
        .filter(pk=pk, reviewer=request.user)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


@jury_required
@require_GET
def review_file(request, pk, kind):
    """The candidate's CV or diploma for a reviewer who may see who they are (404 otherwise:
    another reviewer's assignment, a declared conflict, an anonymised first round)."""
    assignment = _own_assignment(request, pk)
    if not selectors.reviewer_may_open_files(assignment):
        raise Http404
    candidate = assignment.choice.application.candidate
    return _file_response(candidate, kind, actor=request.user, request=request)


@jury_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    assignment = _own_assignment(request, pk)
    view = selectors.application_for_reviewer(assignment, request.user, request=request)
    score_form = forms.ScoreForm(
        request.POST if request.POST.get("form") == "scores" else None, criteria=view.criteria
    )
    conflict_form = forms.ConflictForm(
        request.POST if request.POST.get("form") == "conflict" else None
    )
    if request.method == "POST":
        try:
            if request.POST.get("form") == "conflict" and conflict_form.is_valid():
                selection.declare_conflict(
                    assignment, reviewer=request.user, reason=conflict_form.cleaned_data["reason"]
                )
                messages.success(request, _("Conflit déclaré : ce dossier vous est retiré."))
                return redirect("talents:jury_home")
            if request.POST.get("form") == "scores" and score_form.is_valid():
                selection.submit_scores(
                    assignment,
                    reviewer=request.user,
                    scores=score_form.scores(),
                    comment=score_form.cleaned_data["comment"],
                )
                messages.success(request, _("Notes envoyées."))
                return redirect("talents:review", pk=pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(
        request,
        "talents/agents/review.html",
        {
            "view": view,
            "assignment": assignment,
            "score_form": score_form,
            "conflict_form": conflict_form,
        },
    )
