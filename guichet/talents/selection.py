"""The jury's and ANSI's writes: reviewers, conflicts of interest, scores, shortlist, interviews,
decisions. A reviewer sees only what they are assigned, and each view of an application is
audited (`selectors.application_for_reviewer`)."""

from __future__ import annotations

from datetime import UTC, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet import locks
from guichet.accounts import selectors as accounts
from guichet.accounts.models import Organisation, Role, User
from guichet.audit.services import record
from guichet.talents.models import (
    Application,
    Choice,
    Criterion,
    InterviewSlot,
    Member,
    Promotion,
    ReviewAssignment,
    Score,
)
from guichet.talents.services import Actions, _check_manager, _tell_candidate, niamey_time

ANSI_CODE = "ANSI"


def jury_of(organisation: Organisation):
    """Jury members who hold the role in that unit or above it."""
    return (
        User.objects.filter(
            memberships__role__code=Role.JURY_MEMBER,
            memberships__organisation__in=[organisation, *organisation.ancestors()],
        )
        .distinct()
        .order_by("username")
    )


def assign_reviewer(choice: Choice, reviewer, *, actor, round: str) -> ReviewAssignment:
    """Reviewers come from the challenge's administration or from ANSI, and hold the jury role."""
    _check_manager(actor)
    if round not in Criterion.Round.values:
        raise ValidationError(_("Tour inconnu."))
    allowed = {choice.challenge.organisation_id, Organisation.objects.get(code=ANSI_CODE).pk}
    scopes = set(
        accounts.organisations_with_role(reviewer, Role.JURY_MEMBER).values_list("pk", flat=True)
    )
    if not scopes & allowed:
        raise ValidationError(
            _("Un évaluateur vient de l'administration du défi ou de l'ANSI, avec le rôle de jury.")
        )
    with transaction.atomic():
        assignment, created = ReviewAssignment.objects.get_or_create(
            choice=choice, reviewer=reviewer, round=round
        )
        if created:
            record(
                Actions.REVIEWER_ASSIGNED,
                actor=actor,
                target=choice,
                data={"reviewer": reviewer.username, "round": round},
            )
    return assignment


def assign_reviewers(promotion: Promotion, *, actor, round: str = Criterion.Round.REVIEW) -> int:
    """Give every submitted choice of the promotion at least `reviewers_per_choice` active
    reviewers: one from the challenge's administration and the others from ANSI, in turn, so
    the load is shared. Reviewers who declared a conflict on a choice are not asked again."""
    _check_manager(actor)
    ansi_jury = list(jury_of(Organisation.objects.get(code=ANSI_CODE)))
    load: dict[int, int] = {}
    made = 0
    choices = (
        Choice.objects.filter(
            application__promotion=promotion, application__status=Application.Status.SUBMITTED
        )
        .select_related("challenge__organisation")
        .prefetch_related("assignments")
    )
    for choice in choices:
        existing = [a for a in choice.assignments.all() if a.round == round]
        taken = {a.reviewer_id for a in existing}
        active = sum(1 for a in existing if a.active)
        pools = [list(jury_of(choice.challenge.organisation)), ansi_jury]
        for pool in pools + [ansi_jury] * promotion.reviewers_per_choice:
            if active >= promotion.reviewers_per_choice:
                break
            free = [user for user in pool if user.pk not in taken]
            if not free:
                continue
            reviewer = min(free, key=lambda user: (load.get(user.pk, 0), user.username))
            assign_reviewer(choice, reviewer, actor=actor, round=round)
            taken.add(reviewer.pk)
            load[reviewer.pk] = load.get(reviewer.pk, 0) + 1
            active += 1
            made += 1
    return made


def _own_assignment(assignment: ReviewAssignment, reviewer) -> ReviewAssignment:
    assignment = locks.rows(ReviewAssignment.objects.all()).get(pk=assignment.pk)
    if assignment.reviewer_id != reviewer.pk:
        raise PermissionDenied
    return assignment


def declare_conflict(assignment: ReviewAssignment, *, reviewer, reason: str) -> ReviewAssignment:
    """A declared conflict of interest removes the reviewer from that application for good."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Décrivez le conflit d'intérêts (lien familial, professionnel…)."))
    with transaction.atomic():
        assignment = _own_assignment(assignment, reviewer)
        if assignment.submitted_at:
            raise ValidationError(_("Vos notes sont déjà envoyées : signalez le conflit à l'ANSI."))
        assignment.conflict_declared_at = timezone.now()
        assignment.conflict_reason = reason
        assignment.save(update_fields=["conflict_declared_at", "conflict_reason"])
        assignment.scores.all().delete()
        record(Actions.CONFLICT_DECLARED, actor=reviewer, target=assignment.choice, reason=reason)
    return assignment


def submit_scores(
    assignment: ReviewAssignment, *, reviewer, scores: dict[int, int], comment: str = ""
) -> ReviewAssignment:
    """One score per criterion of the round, each within its scale; sent once, then final."""
    with transaction.atomic():
        assignment = _own_assignment(assignment, reviewer)
        if not assignment.active:
            raise ValidationError(_("Vous avez déclaré un conflit d'intérêts pour ce dossier."))
        if assignment.submitted_at:
            raise ValidationError(_("Vos notes sont déjà envoyées."))
        promotion = assignment.choice.application.promotion
        criteria = list(promotion.criteria.filter(round=assignment.round))
        if not criteria:
            raise ValidationError(_("La grille de ce tour n'est pas encore définie."))
        for criterion in criteria:
            value = scores.get(criterion.pk)
            if value is None or not 0 <= value <= criterion.max_score:
                raise ValidationError(
                    _("Notez « %(label)s » de 0 à %(max)d.")
                    % {"label": criterion.label, "max": criterion.max_score}
                )
        Score.objects.bulk_create(
            Score(assignment=assignment, criterion=criterion, value=scores[criterion.pk])
            for criterion in criteria
        )
        assignment.submitted_at = timezone.now()
        assignment.comment = (comment or "").strip()[:2000]
        assignment.save(update_fields=["submitted_at", "comment"])
        record(Actions.SCORES_SUBMITTED, actor=reviewer, target=assignment.choice)
    return assignment


def _check_closed(promotion: Promotion) -> None:
    if not promotion.call_has_closed():
        raise ValidationError(
            _("La sélection commence après la clôture de l'appel, le %(when)s (heure de Niamey).")
            % {"when": niamey_time(promotion.call_closes_at)}
        )


def shortlist(choice: Choice, *, actor) -> Choice:
    _check_manager(actor)
    with transaction.atomic():
        choice = locks.rows(Choice.objects.select_related("application")).get(pk=choice.pk)
        _check_closed(choice.application.promotion)
        if choice.application.status != Application.Status.SUBMITTED:
            raise ValidationError(_("Cette candidature n'est pas en lice."))
        if choice.outcome != Choice.Outcome.PENDING:
            raise ValidationError(_("Ce dossier n'est plus en attente d'examen."))
        choice.outcome = Choice.Outcome.SHORTLISTED
        choice.save(update_fields=["outcome"])
        record(Actions.SHORTLISTED, actor=actor, target=choice)
        link = settings.SITE_URL + reverse("talents:candidate_home")
        _tell_candidate(
            choice.application.candidate,
            "talents/interview_invitation",
            {"challenge": choice.challenge.title, "link": link},
        )
    return choice


def create_slots(
    promotion: Promotion, challenge, *, actor, first, count: int, minutes: int, place: str
) -> list[InterviewSlot]:
    _check_manager(actor)
    if not 1 <= count <= 40:
        raise ValidationError(_("Entre 1 et 40 créneaux à la fois."))
    day = timezone.localtime(first).date()
    if not promotion.interviews_from <= day <= promotion.interviews_until:
        raise ValidationError(_("Les entretiens ont lieu pendant la période prévue au calendrier."))
    with transaction.atomic():
        slots = [
            InterviewSlot.objects.create(
                promotion=promotion,
                challenge=challenge,
                starts_at=first + timedelta(minutes=minutes * index),
                minutes=minutes,
                place=place,
            )
            for index in range(count)
        ]
        record(Actions.SLOT_CREATED, actor=actor, target=challenge, data={"count": count})
    return slots


def interview_ics(slot: InterviewSlot) -> str:
    """An iCalendar (RFC 5545) event for the slot, in UTC."""

    def stamp(moment):
        return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    def text(value: str) -> str:
        return (
            value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
        )

    end = slot.starts_at + timedelta(minutes=slot.minutes)
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Guichet//Programme EIG//FR",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:eig-interview-{slot.pk}@{host}",
        f"DTSTAMP:{stamp(timezone.now())}",
        f"DTSTART:{stamp(slot.starts_at)}",
        f"DTEND:{stamp(end)}",
        "SUMMARY:" + text(_("Entretien EIG — %(title)s") % {"title": slot.challenge.title}),
        "LOCATION:" + text(slot.place),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


def book_slot(choice: Choice, slot: InterviewSlot, *, user) -> InterviewSlot:
    """The candidate picks a free slot of their challenge (or moves to another one)."""
    with transaction.atomic():
        choice = locks.rows(
            Choice.objects.select_related("application__candidate__user", "challenge")
        ).get(pk=choice.pk)
        if choice.application.candidate.user_id != user.pk:
            raise PermissionDenied
        if choice.outcome != Choice.Outcome.SHORTLISTED:
            raise ValidationError(_("Aucun entretien n'est prévu pour ce défi."))
        slot = locks.rows(InterviewSlot.objects.all()).get(pk=slot.pk)
        if slot.challenge_id != choice.challenge_id:
            raise ValidationError(_("Ce créneau est pour un autre défi."))
        if slot.choice_id not in (None, choice.pk):
            raise ValidationError(_("Ce créneau vient d'être pris : choisissez-en un autre."))
        if slot.starts_at <= timezone.now():
            raise ValidationError(_("Ce créneau est passé."))
        InterviewSlot.objects.filter(choice=choice).exclude(pk=slot.pk).update(choice=None)
        slot.choice = choice
        slot.save(update_fields=["choice"])
        record(Actions.SLOT_BOOKED, actor=user, target=choice, data={"slot": slot.pk})
        _tell_candidate(
            choice.application.candidate,
            "talents/interview_booked",
            {
                "challenge": choice.challenge.title,
                "when": niamey_time(slot.starts_at),
                "place": slot.place,
            },
            attachments=[("entretien-eig.ics", interview_ics(slot), "text/calendar")],
        )
    return slot


DECISION_TEMPLATES = {
    Choice.Outcome.SELECTED: "talents/decision_selected",
    Choice.Outcome.WAITING_LIST: "talents/decision_waiting_list",
    Choice.Outcome.NOT_SELECTED: "talents/decision_not_selected",
}


def decide(choice: Choice, *, actor, outcome: str, message: str = "") -> Choice:
    """Selected, waiting list or not selected. A candidate joins one team at most: selecting
    them for a challenge closes their other choices (not selected, with the same message)."""
    _check_manager(actor)
    if outcome not in DECISION_TEMPLATES:
        raise ValidationError(_("Décision inconnue."))
    with transaction.atomic():
        application = locks.rows(Application.objects.all()).get(pk=choice.application_id)
        choice = locks.rows(
            Choice.objects.select_related(
                "challenge", "application__candidate__user", "application__promotion"
            )
        ).get(pk=choice.pk)
        _check_closed(application.promotion)
        if application.status not in {Application.Status.SUBMITTED, Application.Status.CLOSED}:
            raise ValidationError(_("Cette candidature n'est pas en lice."))
        if choice.outcome in Choice.DECIDED:
            raise ValidationError(_("La décision sur ce dossier est déjà rendue."))
        if (
            outcome == Choice.Outcome.SELECTED
            and Member.objects.filter(
                promotion=application.promotion, candidate=application.candidate
            ).exists()
        ):
            raise ValidationError(_("Ce candidat est déjà retenu pour un autre défi."))
        _close(choice, outcome, message, actor)
        if outcome == Choice.Outcome.SELECTED:
            Member.objects.create(
                promotion=application.promotion,
                challenge=choice.challenge,
                candidate=application.candidate,
                choice=choice,
                public_name=application.candidate.full_name,
            )
            for other in application.choices.exclude(pk=choice.pk).exclude(
                outcome__in=Choice.DECIDED
            ):
                _close(other, Choice.Outcome.NOT_SELECTED, message, actor, tell=False)
        if not application.choices.exclude(outcome__in=Choice.DECIDED).exists():
            application.status = Application.Status.CLOSED
            application.save(update_fields=["status", "updated_at"])
    return choice


def _close(choice: Choice, outcome: str, message: str, actor, *, tell: bool = True) -> None:
    choice.outcome = outcome
    choice.decided_at = timezone.now()
    choice.decision_message = (message or "").strip()[:2000]
    choice.save(update_fields=["outcome", "decided_at", "decision_message"])
    record(Actions.DECIDED, actor=actor, target=choice, data={"outcome": outcome})
    if tell:
        _tell_candidate(
            choice.application.candidate,
            DECISION_TEMPLATES[outcome],
            {
                "challenge": choice.challenge.title,
                "promotion": choice.application.promotion.name,
                "message": choice.decision_message,
                "link": settings.SITE_URL + reverse("talents:candidate_home"),
            },
        )
