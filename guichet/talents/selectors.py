"""Reads of the EIG programme: the public catalogue, the candidate's file, the jury's view (one
assignment at a time, anonymised in the first round when the promotion says so, every view
audited), the ranking per challenge and the statistics of the call."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from guichet.accounts import selectors as accounts
from guichet.accounts.models import Role
from guichet.audit.services import record
from guichet.data_translations import translated_names
from guichet.talents.models import (
    Application,
    Candidate,
    Challenge,
    Choice,
    Criterion,
    Member,
    Profile,
    ProgressNote,
    Promotion,
    ReviewAssignment,
)
from guichet.talents.services import Actions

# Spreads above this share of the scale are shown to ANSI as a disagreement to discuss.
SPREAD_ALERT = Decimal("0.25")


def current_promotion() -> Promotion | None:
    """The promotion whose call is open, else the next one to open, else the latest."""
    now = timezone.now()
    promotions = Promotion.objects.all()
    return (
        promotions.filter(call_opens_at__lte=now, call_closes_at__gt=now).first()
        or promotions.filter(call_opens_at__gt=now).order_by("call_opens_at").first()
        or promotions.order_by("-call_opens_at").first()
    )


def public_challenges(
    promotion: Promotion | None, *, organisation_code: str = "", profile_code: str = ""
) -> QuerySet[Challenge]:
    challenges = Challenge.objects.filter(status=Challenge.Status.ACCEPTED)
    if promotion is not None:
        challenges = challenges.filter(promotion=promotion)
    if organisation_code:
        challenges = challenges.filter(organisation__code=organisation_code)
    if profile_code:
        challenges = challenges.filter(profiles__code=profile_code)
    return (
        challenges.select_related("organisation", "promotion")
        .prefetch_related("profiles")
        .distinct()
    )


def public_notes(challenge: Challenge) -> QuerySet[ProgressNote]:
    return challenge.notes.filter(public=True).select_related("author")


def candidate_of(user) -> Candidate | None:
    if not user.is_authenticated:
        return None
    return Candidate.objects.filter(user=user, erased_at__isnull=True).first()


def application_of(candidate: Candidate | None, promotion: Promotion | None) -> Application | None:
    if candidate is None or promotion is None:
        return None
    return (
        Application.objects.filter(candidate=candidate, promotion=promotion)
        .prefetch_related(
            Prefetch(
                "choices",
                queryset=Choice.objects.select_related("challenge", "slot").order_by("rank"),
            )
        )
        .first()
    )


def membership_of(user) -> Member | None:
    if not user.is_authenticated:
        return None
    return Member.objects.filter(candidate__user=user).select_related("challenge").first()


# --- Jury -----------------------------------------------------------------------------------


def assignments_of(reviewer) -> QuerySet[ReviewAssignment]:
    return ReviewAssignment.objects.filter(reviewer=reviewer).select_related(
        "choice__challenge", "choice__application__promotion"
    )


def is_anonymised(assignment: ReviewAssignment) -> bool:
    """The first round hides who the candidate is when the promotion says so."""
    promotion = assignment.choice.application.promotion
    return promotion.anonymised_first_round and assignment.round == Criterion.Round.REVIEW


@dataclass
class ReviewerView:
    """What a reviewer may read of one application."""

    assignment: ReviewAssignment
    anonymised: bool
    reference: str
    motivation: str
    profiles: list[str]
    skills: str
    availability: str
    region: str
    name: str = ""
    sex: str = ""
    birth_year: int | None = None
    links: list[str] = field(default_factory=list)
    has_cv: bool = False
    has_diploma: bool = False
    criteria: list[Criterion] = field(default_factory=list)
    others_scores: list[ReviewAssignment] = field(default_factory=list)


def application_for_reviewer(assignment: ReviewAssignment, reviewer, *, request=None):
    """The reviewer's own assignment only (None otherwise), audited as a view of personal data.
    In an anonymised first round, no name, sex, age, links or CV (which would tell them).
    Other reviewers' scores appear only once this reviewer has sent theirs."""
    if assignment.reviewer_id != reviewer.pk:
        return None
    choice = assignment.choice
    application = choice.application
    candidate = application.candidate
    promotion = application.promotion
    anonymised = is_anonymised(assignment)
    with transaction.atomic():
        record(
            Actions.APPLICATION_VIEWED,
            actor=reviewer,
            target=choice,
            request=request,
            reason="évaluation par le jury",
            sensitive_read=True,
            data={"round": assignment.round, "anonymised": anonymised},
        )
    view = ReviewerView(
        assignment=assignment,
        anonymised=anonymised,
        reference=f"EIG-{application.pk:05d}-{choice.rank}",
        motivation=choice.motivation,
        profiles=[p.name for p in candidate.profiles.all()],
        skills=candidate.skills,
        availability=candidate.availability,
        region=candidate.region.name,
        criteria=list(promotion.criteria.filter(round=assignment.round)),
    )
    if not anonymised:
        view.name = candidate.full_name
        view.sex = candidate.get_sex_display() if candidate.sex else ""
        view.birth_year = candidate.birth_year
        view.links = candidate.link_list()
        view.has_cv = bool(candidate.cv)
        view.has_diploma = bool(candidate.diploma)
    if assignment.submitted_at:
        view.others_scores = list(
            choice.assignments.filter(round=assignment.round, submitted_at__isnull=False)
            .exclude(pk=assignment.pk)
            .prefetch_related("scores__criterion")
        )
    return view


@dataclass
class RankedChoice:
    choice: Choice
    score: Decimal | None  # weighted mean over reviewers, 0–100
    spread: Decimal | None  # highest minus lowest reviewer total, 0–100
    reviews: int
    pending: int
    conflicts: int

    @property
    def disputed(self) -> bool:
        return self.spread is not None and self.spread >= SPREAD_ALERT * 100


def _weighted_total(assignment: ReviewAssignment, criteria: list[Criterion]) -> Decimal:
    """A reviewer's score on the 0–100 scale: Σ weight × value/max ÷ Σ weight."""
    values = {score.criterion_id: score.value for score in assignment.scores.all()}
    weights = sum((c.weight for c in criteria), Decimal(0))
    total = sum(
        (c.weight * Decimal(values.get(c.pk, 0)) / c.max_score for c in criteria), Decimal(0)
    )
    return (total / weights * 100).quantize(Decimal("0.1")) if weights else Decimal(0)


def ranking(challenge: Challenge, round: str = Criterion.Round.REVIEW) -> list[RankedChoice]:
    """The choices of one challenge, best first; unscored ones last."""
    promotion = challenge.promotion
    criteria = list(promotion.criteria.filter(round=round)) if promotion else []
    choices = (
        Choice.objects.filter(
            challenge=challenge,
            application__status__in=[Application.Status.SUBMITTED, Application.Status.CLOSED],
        )
        .select_related("application__candidate")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=ReviewAssignment.objects.filter(round=round).prefetch_related("scores"),
            )
        )
    )
    ranked = []
    for choice in choices:
        assignments = list(choice.assignments.all())
        totals = [_weighted_total(a, criteria) for a in assignments if a.active and a.submitted_at]
        ranked.append(
            RankedChoice(
                choice=choice,
                score=(sum(totals) / len(totals)).quantize(Decimal("0.1")) if totals else None,
                spread=(max(totals) - min(totals)) if len(totals) >= 2 else None,
                reviews=len(totals),
                pending=sum(1 for a in assignments if a.active and not a.submitted_at),
                conflicts=sum(1 for a in assignments if not a.active),
            )
        )
    ranked.sort(key=lambda r: (r.score is None, -(r.score or 0), r.choice.rank))
    return ranked


def is_manager(user) -> bool:
    return user.is_authenticated and accounts.has_role(user, Role.PROGRAMME_MANAGER)


def owned_challenges(user) -> QuerySet[Challenge]:
    return Challenge.objects.filter(
        organisation__in=accounts.organisations_with_role(user, Role.CHALLENGE_OWNER)
    ).select_related("organisation", "promotion")


# --- Statistics and exports -----------------------------------------------------------------


def call_statistics(promotion: Promotion) -> dict:
    """Submitted applications per profile, region and sex, and selection rates."""
    submitted = Application.objects.filter(
        promotion=promotion,
        status__in=[Application.Status.SUBMITTED, Application.Status.CLOSED],
    )
    candidates = Candidate.objects.filter(applications__in=submitted)
    by_profile = (
        candidates.values("profiles__name").annotate(n=Count("pk", distinct=True)).order_by("-n")
    )
    by_region = candidates.values("region__name").annotate(n=Count("pk")).order_by("-n")
    by_sex = candidates.values("sex").annotate(n=Count("pk")).order_by("-n")
    selected = submitted.filter(choices__outcome=Choice.Outcome.SELECTED).distinct()
    sex_labels = dict(Candidate.Sex.choices)
    profile_names = translated_names(Profile, "name")

    def rate(queryset_filter: Q) -> tuple[int, int]:
        pool = submitted.filter(queryset_filter)
        return pool.count(), pool.filter(pk__in=selected).count()

    return {
        "submitted": submitted.count(),
        "withdrawn": Application.objects.filter(
            promotion=promotion, status=Application.Status.WITHDRAWN
        ).count(),
        "selected": selected.count(),
        "by_profile": [
            (profile_names.get(row["profiles__name"], row["profiles__name"]) or "—", row["n"])
            for row in by_profile
        ],
        "by_region": [(row["region__name"], row["n"]) for row in by_region],
        "by_sex": [(str(sex_labels.get(row["sex"], row["sex"])), row["n"]) for row in by_sex],
        "rate_by_sex": [
            (str(label), *rate(Q(candidate__sex=code))) for code, label in Candidate.Sex.choices
        ],
    }


EXPORT_COLUMNS = [
    "reference",
    "nom",
    "courriel",
    "telephone",
    "region",
    "sexe",
    "profils",
    "defi",
    "rang",
    "statut",
    "resultat",
    "envoyee_le",
]


def export_rows(promotion: Promotion, *, actor, request=None):
    """The applications as rows for ANSI's spreadsheet — personal data: audited."""
    with transaction.atomic():
        record(
            Actions.APPLICATIONS_EXPORTED,
            actor=actor,
            target=promotion,
            request=request,
            reason="export pour l'ANSI",
            sensitive_read=True,
        )
    choices = (
        Choice.objects.filter(application__promotion=promotion)
        .select_related(
            "application__candidate__user", "application__candidate__region", "challenge"
        )
        .prefetch_related("application__candidate__profiles")
        .order_by("challenge__title", "application_id", "rank")
    )
    for choice in choices:
        application, candidate = choice.application, choice.application.candidate
        yield [
            f"EIG-{application.pk:05d}-{choice.rank}",
            candidate.full_name,
            candidate.email,
            candidate.user.phone_number or "",
            candidate.region.name,
            candidate.sex,
            ", ".join(p.name for p in candidate.profiles.all()),
            choice.challenge.title,
            choice.rank,
            application.get_status_display(),
            choice.get_outcome_display(),
            application.submitted_at.isoformat() if application.submitted_at else "",
        ]


def personal_data(candidate: Candidate) -> dict:
    """Everything the programme holds about the candidate (right of access)."""
    applications = candidate.applications.prefetch_related("choices__challenge")
    return {
        "profil": {
            "nom": candidate.full_name,
            "courriel": candidate.email,
            "courriel_verifie": candidate.email_verified,
            "telephone": candidate.user.phone_number,
            "region": candidate.region.name,
            "sexe": candidate.sex,
            "annee_de_naissance": candidate.birth_year,
            "profils": [p.name for p in candidate.profiles.all()],
            "competences": candidate.skills,
            "liens": candidate.link_list(),
            "disponibilite": candidate.availability,
            "cv": candidate.cv.name if candidate.cv else None,
            "diplome": candidate.diploma.name if candidate.diploma else None,
            "cree_le": candidate.created_at.isoformat(),
        },
        "candidatures": [
            {
                "promotion": application.promotion.name,
                "statut": application.get_status_display(),
                "envoyee_le": application.submitted_at.isoformat()
                if application.submitted_at
                else None,
                "choix": [
                    {
                        "rang": choice.rank,
                        "defi": choice.challenge.title,
                        "motivation": choice.motivation,
                        "resultat": choice.get_outcome_display(),
                    }
                    for choice in application.choices.all()
                ],
            }
            for application in applications
        ],
    }


# --- ANSI: one application in full ------------------------------------------------------------


@dataclass
class ReviewedChoice:
    """One choice of the application with the reviews whose scores are sent (others: pending)."""

    choice: Choice
    submitted: list[ReviewAssignment]
    pending: int
    conflicts: list[ReviewAssignment]


def _audit_read(action, actor, target, request, reason, *, data=None) -> None:
    """A read of personal data, committed to the audit trail before the data is shown."""
    with transaction.atomic():
        record(
            action,
            actor=actor,
            target=target,
            request=request,
            reason=reason,
            sensitive_read=True,
            data=data,
        )


def application_file(application_pk: int, *, actor, request=None) -> tuple[Application, list]:
    """Everything about one application for ANSI's programme team — a read of personal data,
    audited. Reviews appear with their scores only once the reviewer has sent them; a
    declared conflict shows who withdrew and why. Raises Application.DoesNotExist."""
    application = (
        Application.objects.select_related("candidate__region", "candidate__user", "promotion")
        .prefetch_related("candidate__profiles")
        .get(pk=application_pk)
    )
    choices = (
        Choice.objects.filter(application=application)
        .select_related("challenge__organisation", "slot")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=ReviewAssignment.objects.select_related("reviewer").prefetch_related(
                    "scores__criterion"
                ),
            )
        )
        .order_by("rank")
    )
    _audit_read(
        Actions.APPLICATION_VIEWED,
        actor,
        application,
        request,
        "dossier complet consulté par l'ANSI",
    )
    reviewed = []
    for choice in choices:
        assignments = list(choice.assignments.all())
        reviewed.append(
            ReviewedChoice(
                choice=choice,
                submitted=[a for a in assignments if a.active and a.submitted_at],
                pending=sum(1 for a in assignments if a.active and not a.submitted_at),
                conflicts=[a for a in assignments if not a.active],
            )
        )
    return application, reviewed


def reviewer_may_open_files(assignment: ReviewAssignment) -> bool:
    """A reviewer sees the CV only where they see the name: an active assignment outside an
    anonymised first round."""
    return assignment.active and not is_anonymised(assignment)


def open_candidate_file(candidate: Candidate, kind: str, *, actor, request=None):
    """The candidate's CV or diploma, opened for reading — audited. None when there is none."""
    stored = {"cv": candidate.cv, "diploma": candidate.diploma}[kind]
    if not stored or candidate.erased_at:
        return None
    _audit_read(
        Actions.APPLICATION_FILE_OPENED,
        actor,
        candidate,
        request,
        "pièce du dossier ouverte",
        data={"file": kind},
    )
    return stored.open("rb")
