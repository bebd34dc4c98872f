"""Every write of the EIG programme's challenges, candidates and applications (the jury's and
ANSI's decisions are in `selection.py`). One transaction each, with its audit entry; messages go
out after the commit (`notify`).

Deadlines are instants (`Promotion.call_closes_at`, stored in UTC) compared with `timezone.now()`:
to the minute, whatever the server's clock zone; messages show them in Niamey time.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from guichet import locks
from guichet.accounts import selectors as accounts
from guichet.accounts.models import Role
from guichet.audit import actions as audit_registry
from guichet.audit.services import record
from guichet.dates import date_in_words
from guichet.notifications.services import notify
from guichet.talents.models import (
    Application,
    Candidate,
    Challenge,
    Choice,
    Member,
    ProgressNote,
    Promotion,
)
from guichet.uploads import PDF, accepted_kind

CV_MAX_BYTES = 5 * 1024 * 1024
EMAIL_LINK_MAX_AGE = 3 * 24 * 3600
_EMAIL_SALT = "guichet.talents.email"


@audit_registry.actions
class Actions:
    """The audit actions of the programme (registered with the audit trail's registry)."""

    CHALLENGE_DRAFTED = "talents.challenge.drafted"
    CHALLENGE_UPDATED = "talents.challenge.updated"
    CHALLENGE_SUBMITTED = "talents.challenge.submitted"
    CHALLENGE_REVIEWED = "talents.challenge.reviewed"
    PROMOTION_SAVED = "talents.promotion.saved"
    CANDIDATE_SAVED = "talents.candidate.saved"
    CANDIDATE_EMAIL_VERIFIED = "talents.candidate.email_verified"
    CANDIDATE_ERASED = "talents.candidate.erased"
    CANDIDATE_DATA_EXPORTED = "talents.candidate.data_exported"
    APPLICATION_SAVED = "talents.application.saved"
    APPLICATION_SUBMITTED = "talents.application.submitted"
    APPLICATION_WITHDRAWN = "talents.application.withdrawn"
    APPLICATION_VIEWED = "talents.application.viewed"
    APPLICATION_FILE_OPENED = "talents.application.file_opened"
    APPLICATIONS_EXPORTED = "talents.applications.exported"
    REVIEWER_ASSIGNED = "talents.reviewer.assigned"
    CONFLICT_DECLARED = "talents.reviewer.conflict_declared"
    SCORES_SUBMITTED = "talents.reviewer.scores_submitted"
    SHORTLISTED = "talents.choice.shortlisted"
    SLOT_CREATED = "talents.interview.slot_created"
    SLOT_BOOKED = "talents.interview.slot_booked"
    DECIDED = "talents.choice.decided"
    NOTE_POSTED = "talents.team.note_posted"
    RESULTS_UPDATED = "talents.challenge.results_updated"
    RETENTION_PURGED = "talents.retention.purged"

    ALL = frozenset(
        value for name, value in vars().items() if name.isupper() and isinstance(value, str)
    )


def niamey_time(moment) -> str:
    """An instant as Niamey reads it, the date in words: « 15 janvier 2027 à 23:59 »."""
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return _("%(date)s à %(time)s") % {
        "date": date_in_words(local.date()),
        "time": local.strftime("%H:%M"),
    }


# --- Challenges -----------------------------------------------------------------------------

CHALLENGE_FIELDS = (
    "title",
    "problem",
    "who_suffers",
    "data_and_systems",
    "expected_impact",
    "mentor_name",
    "mentor_title",
    "location",
)


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "defi"
    slug, n = base, 2
    while Challenge.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_owner(actor, organisation) -> None:
    if (
        not accounts.organisations_with_role(actor, Role.CHALLENGE_OWNER)
        .filter(pk=organisation.pk)
        .exists()
    ):
        raise PermissionDenied


def draft_challenge(*, actor, organisation, profiles, **fields) -> Challenge:
    _check_owner(actor, organisation)
    with transaction.atomic():
        challenge = Challenge(organisation=organisation, owner=actor, **fields)
        challenge.slug = _unique_slug(challenge.title)
        challenge.full_clean(exclude=["slug", "promotion"])
        challenge.save()
        challenge.profiles.set(profiles)
        record(Actions.CHALLENGE_DRAFTED, actor=actor, organisation=organisation, target=challenge)
    return challenge


def update_challenge(challenge: Challenge, *, actor, profiles, **fields) -> Challenge:
    with transaction.atomic():
        challenge = locks.rows(Challenge.objects.all()).get(pk=challenge.pk)
        _check_owner(actor, challenge.organisation)
        if not challenge.editable_by_owner:
            raise ValidationError(_("Ce défi a été soumis à l'ANSI : il n'est plus modifiable."))
        for name in CHALLENGE_FIELDS:
            if name in fields:
                setattr(challenge, name, fields[name])
        challenge.full_clean(exclude=["slug", "promotion"])
        challenge.save()
        challenge.profiles.set(profiles)
        record(
            Actions.CHALLENGE_UPDATED,
            actor=actor,
            organisation=challenge.organisation,
            target=challenge,
        )
    return challenge


def submit_challenge(challenge: Challenge, *, actor) -> Challenge:
    with transaction.atomic():
        challenge = locks.rows(Challenge.objects.all()).get(pk=challenge.pk)
        _check_owner(actor, challenge.organisation)
        if not challenge.editable_by_owner:
            raise ValidationError(_("Ce défi a déjà été soumis."))
        if not challenge.profiles.exists():
            raise ValidationError(_("Indiquez au moins un profil recherché."))
        challenge.status = Challenge.Status.SUBMITTED
        challenge.save(update_fields=["status", "updated_at"])
        record(
            Actions.CHALLENGE_SUBMITTED,
            actor=actor,
            organisation=challenge.organisation,
            target=challenge,
        )
    return challenge


REVIEW_DECISIONS = {
    "accept": Challenge.Status.ACCEPTED,
    "request_changes": Challenge.Status.CHANGES_REQUESTED,
    "decline": Challenge.Status.DECLINED,
}


def _check_manager(actor) -> None:
    if not accounts.has_role(actor, Role.PROGRAMME_MANAGER):
        raise PermissionDenied


def review_challenge(
    challenge: Challenge, *, actor, decision: str, reason: str, promotion: Promotion | None = None
) -> Challenge:
    """ANSI accepts a submitted challenge into a promotion, asks for changes, or declines it —
    the last two always with a reason the administration reads."""
    _check_manager(actor)
    if decision not in REVIEW_DECISIONS:
        raise ValidationError(_("Décision inconnue."))
    reason = (reason or "").strip()
    if decision != "accept" and not reason:
        raise ValidationError(_("Donnez la raison de cette décision à l'administration."))
    with transaction.atomic():
        challenge = locks.rows(Challenge.objects.all()).get(pk=challenge.pk)
        if challenge.status != Challenge.Status.SUBMITTED:
            raise ValidationError(_("Seul un défi soumis peut être examiné."))
        if decision == "accept":
            if promotion is None:
                raise ValidationError(_("Choisissez la promotion qui accueille ce défi."))
            if promotion.call_has_closed():
                raise ValidationError(_("L'appel de cette promotion est clos."))
            challenge.promotion = promotion
        challenge.status = REVIEW_DECISIONS[decision]
        challenge.review_note = reason
        challenge.save(update_fields=["status", "review_note", "promotion", "updated_at"])
        record(
            Actions.CHALLENGE_REVIEWED,
            actor=actor,
            organisation=challenge.organisation,
            target=challenge,
            reason=reason,
            data={"decision": decision},
        )
    return challenge


def save_promotion(*, actor, promotion: Promotion) -> Promotion:
    _check_manager(actor)
    promotion.full_clean()
    with transaction.atomic():
        promotion.save()
        record(Actions.PROMOTION_SAVED, actor=actor, target=promotion)
    return promotion


# --- Candidates -----------------------------------------------------------------------------


def check_pdf(upload, label: str) -> None:
    """A PDF of at most 5 MB, judged by its content."""
    if upload.size > CV_MAX_BYTES:
        raise ValidationError(
            _("%(label)s dépasse 5 Mo : envoyez un fichier plus léger.") % {"label": label}
        )
    accepted_kind(upload, {PDF}, _("%(label)s doit être un fichier PDF.") % {"label": label})


def save_candidate(user, *, profiles, cv=None, diploma=None, **fields) -> Candidate:
    """Create or update the signed-in citizen's profile. A new or changed e-mail address must be
    verified again: a link is sent to it."""
    if not user.is_citizen:
        raise PermissionDenied
    if cv is not None:
        check_pdf(cv, _("Le CV"))
    if diploma is not None:
        check_pdf(diploma, _("Le diplôme"))
    with transaction.atomic():
        candidate = locks.rows(Candidate.objects.filter(user=user)).first()
        old_email = candidate.email if candidate else None
        candidate = candidate or Candidate(user=user)
        for name, value in fields.items():
            setattr(candidate, name, value)
        if cv is not None:
            candidate.cv = cv
        if diploma is not None:
            candidate.diploma = diploma
        if candidate.email != old_email:
            candidate.email_verified_at = None
        candidate.full_clean(exclude=["user", "cv", "diploma"])
        if len(candidate.link_list()) > 3:
            raise ValidationError({"links": _("Trois liens au plus.")})
        candidate.save()
        candidate.profiles.set(profiles)
        record(Actions.CANDIDATE_SAVED, actor=user, target=candidate)
        if candidate.email_verified_at is None:
            send_email_verification(candidate)
    return candidate


def email_token(candidate: Candidate) -> str:
    return signing.dumps({"c": candidate.pk, "e": candidate.email}, salt=_EMAIL_SALT)


def send_email_verification(candidate: Candidate) -> None:
    link = settings.SITE_URL + reverse("talents:verify_email", args=[email_token(candidate)])
    notify(
        email=candidate.email,
        template="talents/verify_email",
        context={"name": candidate.full_name, "link": link},
        language=candidate.user.preferred_language,
        related=candidate,
    )


def verify_email(token: str) -> Candidate:
    try:
        data = signing.loads(token, salt=_EMAIL_SALT, max_age=EMAIL_LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(_("Ce lien a expiré : demandez-en un nouveau.")) from error
    except signing.BadSignature as error:
        raise ValidationError(_("Ce lien n'est pas valide.")) from error
    with transaction.atomic():
        candidate = locks.rows(Candidate.objects.filter(pk=data.get("c"))).first()
        if candidate is None or candidate.email != data.get("e"):
            raise ValidationError(_("Ce lien ne correspond plus à votre adresse."))
        if candidate.email_verified_at is None:
            candidate.email_verified_at = timezone.now()
            candidate.save(update_fields=["email_verified_at"])
            record(Actions.CANDIDATE_EMAIL_VERIFIED, actor=candidate.user, target=candidate)
    return candidate


# --- Applications ---------------------------------------------------------------------------


def _check_call_open(promotion: Promotion) -> None:
    now = timezone.now()
    if now < promotion.call_opens_at:
        raise ValidationError(
            _("L'appel à candidatures ouvre le %(when)s (heure de Niamey).")
            % {"when": niamey_time(promotion.call_opens_at)}
        )
    if promotion.call_has_closed(now):
        raise ValidationError(
            _(
                "L'appel à candidatures est clos depuis le %(when)s (heure de Niamey) : "
                "la candidature ne peut plus être modifiée."
            )
            % {"when": niamey_time(promotion.call_closes_at)}
        )


def save_application(
    candidate: Candidate, promotion: Promotion, choices: list[tuple[Challenge, str]]
) -> Application:
    """The ranked choices (challenge, motivation), saved as a draft — or, on a submitted
    application, replacing its choices until the deadline."""
    _check_call_open(promotion)
    if len(choices) > promotion.max_choices:
        raise ValidationError(_("Choisissez au plus %(n)d défis.") % {"n": promotion.max_choices})
    seen = set()
    for challenge, motivation in choices:
        if challenge.promotion_id != promotion.pk or challenge.status != Challenge.Status.ACCEPTED:
            raise ValidationError(_("Ce défi ne fait pas partie de la promotion."))
        if challenge.pk in seen:
            raise ValidationError(_("Un même défi ne peut être choisi deux fois."))
        seen.add(challenge.pk)
        if len(motivation) > promotion.motivation_max_chars:
            raise ValidationError(
                _("La motivation pour « %(title)s » dépasse %(n)d caractères.")
                % {"title": challenge.title, "n": promotion.motivation_max_chars}
            )
    with transaction.atomic():
        application, _created = locks.rows(Application.objects.all()).get_or_create(
            candidate=candidate, promotion=promotion
        )
        if application.status == Application.Status.WITHDRAWN:
            raise ValidationError(_("Vous avez retiré cette candidature."))
        application.choices.all().delete()
        Choice.objects.bulk_create(
            Choice(application=application, challenge=challenge, rank=rank, motivation=text)
            for rank, (challenge, text) in enumerate(choices, start=1)
        )
        application.save(update_fields=["updated_at"])
        record(Actions.APPLICATION_SAVED, actor=candidate.user, target=application)
    return application


def _tell_candidate(candidate: Candidate, template: str, context: dict, **extra) -> None:
    notify(
        phone=candidate.user.phone_number,
        email=candidate.email if candidate.email_verified else None,
        template=template,
        context={"name": candidate.full_name, **context},
        language=candidate.user.preferred_language,
        related=candidate,
        **extra,
    )


def submit_application(application: Application) -> Application:
    with transaction.atomic():
        application = (
            locks.rows(Application.objects.select_related("candidate", "promotion"))
        ).get(pk=application.pk)
        promotion, candidate = application.promotion, application.candidate
        _check_call_open(promotion)
        if application.status != Application.Status.DRAFT:
            raise ValidationError(_("Cette candidature a déjà été envoyée."))
        missing = []
        if not candidate.email_verified:
            missing.append(_("confirmez votre adresse électronique (lien reçu par courriel)"))
        if not candidate.cv:
            missing.append(_("joignez votre CV en PDF"))
        if not application.choices.exists():
            missing.append(_("choisissez au moins un défi"))
        if any(not choice.motivation.strip() for choice in application.choices.all()):
            missing.append(_("écrivez une motivation pour chaque défi choisi"))
        if missing:
            raise ValidationError(_("Avant d'envoyer : %(list)s.") % {"list": " ; ".join(missing)})
        application.status = Application.Status.SUBMITTED
        application.submitted_at = timezone.now()
        application.save(update_fields=["status", "submitted_at", "updated_at"])
        record(Actions.APPLICATION_SUBMITTED, actor=candidate.user, target=application)
        _tell_candidate(
            candidate,
            "talents/application_submitted",
            {
                "promotion": promotion.name,
                "deadline": niamey_time(promotion.call_closes_at),
                "count": application.choices.count(),
            },
        )
    return application


def withdraw_application(application: Application) -> Application:
    with transaction.atomic():
        application = (
            locks.rows(Application.objects.select_related("candidate", "promotion"))
        ).get(pk=application.pk)
        _check_call_open(application.promotion)
        if application.status == Application.Status.WITHDRAWN:
            raise ValidationError(_("Cette candidature est déjà retirée."))
        application.status = Application.Status.WITHDRAWN
        application.withdrawn_at = timezone.now()
        application.save(update_fields=["status", "withdrawn_at", "updated_at"])
        record(Actions.APPLICATION_WITHDRAWN, actor=application.candidate.user, target=application)
        _tell_candidate(
            application.candidate,
            "talents/application_withdrawn",
            {"promotion": application.promotion.name},
        )
    return application


# --- The promotion at work ------------------------------------------------------------------


def post_note(member: Member, *, user, body: str, public: bool, final_report: bool) -> ProgressNote:
    if member.candidate.user_id != user.pk:
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Écrivez votre note."))
    if len(body) > 4000:
        raise ValidationError(_("Une note compte 4 000 caractères au plus."))
    with transaction.atomic():
        note = ProgressNote.objects.create(
            challenge=member.challenge,
            author=member,
            body=body,
            public=public or final_report,
            final_report=final_report,
        )
        record(Actions.NOTE_POSTED, actor=user, target=note, data={"final": final_report})
    return note


RESULTS_MAX = 8000


def may_edit_results(challenge: Challenge, user) -> bool:
    """The challenge's team, its administration's challenge owners and ANSI write its results."""
    if not user.is_authenticated:
        return False
    if accounts.has_role(user, Role.PROGRAMME_MANAGER):
        return True
    owners = accounts.organisations_with_role(user, Role.CHALLENGE_OWNER)
    if owners.filter(pk=challenge.organisation_id).exists():
        return True
    return challenge.members.filter(candidate__user=user).exists()


def update_results(challenge: Challenge, *, actor, results: str) -> Challenge:
    """The results shown on the challenge's and the promotion's public pages — audited."""
    if not may_edit_results(challenge, actor):
        raise PermissionDenied
    if challenge.status != Challenge.Status.ACCEPTED:
        raise ValidationError(_("Seul un défi retenu a des résultats à publier."))
    results = (results or "").strip()
    if len(results) > RESULTS_MAX:
        raise ValidationError({"results": _("Les résultats comptent 8 000 caractères au plus.")})
    with transaction.atomic():
        challenge = locks.rows(Challenge.objects.all()).get(pk=challenge.pk)
        before = challenge.results
        challenge.results = results
        challenge.save(update_fields=["results", "updated_at"])
        record(
            Actions.RESULTS_UPDATED,
            actor=actor,
            target=challenge,
            organisation=challenge.organisation,
            data={"before_chars": len(before), "after_chars": len(results)},
        )
    return challenge
