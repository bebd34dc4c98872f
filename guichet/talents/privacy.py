"""Data protection for the programme (law n° 2022-59 on personal data): retention of the
applications that were not selected, erasure on request, the candidate's access to their data.

Members of a promotion keep what the programme's public record needs (their name on the team
page, their notes); everything else about a candidate can be erased."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet import locks
from guichet.accounts.retention import delete_file_after_commit
from guichet.audit.services import record
from guichet.talents.models import Application, Candidate, Choice
from guichet.talents.services import Actions

ERASED = "—"


def retention_days() -> int:
    """How long an application that was not selected is kept after its promotion's call
    closed (GUICHET_TALENTS_RETENTION_DAYS, two years by default)."""
    return int(getattr(settings, "TALENTS_RETENTION_DAYS", 730))


def erase_candidate(candidate: Candidate, *, actor, reason: str) -> Candidate:
    """Erase a candidate's personal data: files deleted, identity and texts blanked. Refused
    while an application is under examination (the jury's work would lose its object) and for
    members of a promotion, whose public record the programme keeps."""
    with transaction.atomic():
        candidate = locks.rows(Candidate.objects.all()).get(pk=candidate.pk)
        if candidate.memberships.exists():
            raise ValidationError(
                _("Vous êtes membre d'une promotion : écrivez à l'ANSI pour vos données.")
            )
        in_progress = candidate.applications.filter(
            status=Application.Status.SUBMITTED, promotion__call_closes_at__lte=timezone.now()
        ).exclude(choices__outcome__in=Choice.DECIDED)
        if in_progress.exists():
            raise ValidationError(
                _(
                    "Votre candidature est en cours d'examen : l'effacement sera possible après la décision."
                )
            )
        # Deleted once the erasure has committed: a rolled back one keeps the files its row names.
        for stored in (candidate.cv, candidate.diploma):
            delete_file_after_commit(stored)
        candidate.cv = candidate.diploma = ""
        candidate.full_name = ERASED
        candidate.email = f"efface-{candidate.pk}@invalid.example"
        candidate.email_verified_at = None
        candidate.skills = candidate.links = candidate.availability = ""
        candidate.sex = ""
        candidate.birth_year = None
        candidate.erased_at = timezone.now()
        candidate.save()
        Choice.objects.filter(application__candidate=candidate).update(motivation="")
        candidate.applications.filter(status=Application.Status.DRAFT).delete()
        record(Actions.CANDIDATE_ERASED, actor=actor, target=candidate, reason=reason)
    return candidate


def expired_candidates(limit):
    """Candidates none of whose applications was selected, every call of whom closed before
    `limit`, not erased yet."""
    return (
        Candidate.objects.filter(erased_at__isnull=True, memberships__isnull=True)
        .exclude(applications__promotion__call_closes_at__gt=limit)
        .exclude(applications__choices__outcome=Choice.Outcome.SELECTED)
        .filter(applications__isnull=False)
        .distinct()
    )


def erase_expired(limit) -> int:
    """Erase the expired candidates (each audited); returns how many."""
    count = 0
    for candidate in expired_candidates(limit):
        erase_candidate(candidate, actor=None, reason=_("durée de conservation écoulée"))
        count += 1
    return count


def purge_expired(*, now=None) -> int:
    """Erase the candidates none of whose applications was selected, once the retention period
    after the call's closing has passed (`manage.py talents_purge`; the platform's daily job
    `apply_retention` runs the same through talents/personal_data.py)."""
    now = now or timezone.now()
    count = erase_expired(now - timedelta(days=retention_days()))
    if count:
        with transaction.atomic():
            record(Actions.RETENTION_PURGED, data={"erased": count})
    return count


def record_access(candidate: Candidate, *, request=None) -> None:
    with transaction.atomic():
        record(
            Actions.CANDIDATE_DATA_EXPORTED, actor=candidate.user, target=candidate, request=request
        )
