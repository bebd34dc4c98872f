"""Every write about complaints: filing (web, SMS, USSD, Open311), the citizen's follow-up with
the reference, the handlers' steps, Open311 keys. One transaction each, with its audit entry.

Status changes are the workflow core's (`guichet.workflow.services`): this module checks what
is specific to complaints (who may act, what the citizen may do with a reference) and then calls
it. The complainant hears of every change of status by SMS/email through the case listener
registered in `notifications_on_status_change` (called by the workflow after commit).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet import locks, uploads
from guichet.accounts.models import Commune, Region
from guichet.audit import actions as audit_actions
from guichet.audit.services import gathered_entries, record
from guichet.complaints import privacy, references
from guichet.complaints.models import (
    Category,
    Complaint,
    DuplicateSubmission,
    Open311Partner,
    fingerprint,
    photo_path,
)
from guichet.notifications.services import normalise_phone, notify
from guichet.process_memo import Memo
from guichet.throttling import check_rates
from guichet.workflow import services as workflow
from guichet.workflow.calendar import working_day_deadline
from guichet.workflow.models import Case, CaseEvent

logger = logging.getLogger("guichet.complaints")

CASE_KIND = "complaint"
DUPLICATE_WINDOW = timedelta(days=1)
# Draws of the random identifiers before a clash with an existing complaint is an error (one
# clash in ~1e8 filings with a million complaints stored: references.py).
IDENTIFIER_ATTEMPTS = 3
MAX_DESCRIPTION = 4000
MIN_DESCRIPTION = 10
MAX_PHOTO_BYTES = 5 * 1024 * 1024
# Abuse limits, overridable in settings (a national campaign may need more).
PHONE_LIMIT = getattr(settings, "COMPLAINTS_PER_PHONE_PER_HOUR", 5)
IP_LIMIT = getattr(settings, "COMPLAINTS_PER_IP_PER_HOUR", 30)
# A complaint answered or closed may be reopened for this long.
REOPEN_WINDOW = timedelta(days=getattr(settings, "COMPLAINTS_REOPEN_DAYS", 30))


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    duplicate: bool  # True: the submission was linked to an earlier identical complaint


def photo_type(upload: UploadedFile) -> tuple[str, str]:
    """(content type, extension) read from the file's content; ValidationError otherwise."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("La photo est trop lourde (%(size)s Mo au plus).")
            % {"size": MAX_PHOTO_BYTES // 2**20}
        )
    kind = uploads.accepted_kind(
        upload,
        {uploads.JPEG, uploads.PNG, uploads.WEBP},
        _("Le fichier joint n'est pas une photo JPEG, PNG ou WebP. Choisissez une photo."),
    )
    return kind.mime, kind.extension


def _clean_contact(phone: str, email: str) -> tuple[str, str]:
    errors = {}
    phone = (phone or "").strip()
    email = (email or "").strip()
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValidationError:
            errors["phone"] = _("Numéro de téléphone invalide. Exemple : 90 12 34 56.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Adresse de courriel invalide.")
    if errors:
        raise ValidationError(errors)
    return phone, email


def _clean_place(region, commune, latitude, longitude) -> tuple:
    if commune is not None and region is None:
        region = commune.region
    if commune is not None and commune.region_id != region.pk:
        raise ValidationError({"commune": _("Cette commune n'est pas dans la région choisie.")})
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": _("Donnez la latitude et la longitude ensemble.")})
    if latitude is not None:
        # Niger and a margin around it: a point elsewhere is a typing error.
        if not (11.0 <= float(latitude) <= 24.5 and -0.5 <= float(longitude) <= 16.5):
            raise ValidationError({"latitude": _("Ce point n'est pas au Niger.")})
        latitude, longitude = round(float(latitude), 6), round(float(longitude), 6)
    return region, commune, latitude, longitude


def check_limits(*, phone: str = "", ip: str | None = None, also: tuple = ()) -> None:
    """Count one filing against the phone and the address, and the caller's other limits `also`
    ((scope, key, limit, window_seconds), e.g. an Open311 partner's), all in one statement;
    raises RateLimited past any limit.

    The address is counted under its pseudonym of the day, never in clear (privacy.py)."""
    limits = list(also)
    if phone:
        limits.append(("complaints.phone", phone, PHONE_LIMIT, 3600))
    if ip:
        limits.append(("complaints.ip", privacy.address_pseudonym(ip), IP_LIMIT, 3600))
    if limits:
        check_rates(limits)


# The namespace of the fingerprints' key locks (guichet.locks.key).
FINGERPRINT_LOCKS = 311


def _lock_fingerprint(value: str) -> None:
    """Two identical submissions at the same moment must not both become complaints."""
    locks.key(FINGERPRINT_LOCKS, value)


def _identifier_taken(reference: str, public_id: str, token: str) -> bool:
    """After an IntegrityError: was it one of the random identifiers (then draw them again)?"""
    return Complaint.objects.filter(
        Q(reference=reference) | Q(public_id=public_id) | Q(open311_token=token)
    ).exists()


def file_complaint(
    *,
    category: Category,
    description: str,
    channel: str,
    region: Region | None = None,
    commune: Commune | None = None,
    latitude=None,
    longitude=None,
    address: str = "",
    photo: UploadedFile | None = None,
    media_url: str = "",
    phone: str = "",
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    hide_identity: bool = False,
    language: str = "fr",
    partner: Open311Partner | None = None,
    attributes: dict | None = None,
    ip: str | None = None,
    limit_ip: bool = True,
    notify_receipt: bool = True,
    rate_limits: tuple = (),
    request=None,
) -> Filed:
    """File one complaint (or link it to the identical one sent within a day) and open its case.

    Raises ValidationError (French messages, by field) for bad input and RateLimited past the
    limits per phone and per IP; nothing is written in either case. The complainant gets the
    reference by SMS/email after commit (unless `notify_receipt` is off: an SMS complaint gets
    it in the reply to their message). `rate_limits` are counted with the phone's and the
    address's (`check_limits`), once the input is valid.
    """
    description = (description or "").strip()
    if len(description) < MIN_DESCRIPTION:
        raise ValidationError(
            {"description": _("Décrivez le problème en quelques mots (10 caractères au moins).")}
        )
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError(
            {"description": _("La description est trop longue (4000 caractères au plus).")}
        )
    if not category.is_active:
        raise ValidationError({"category": _("Cette catégorie n'est plus ouverte.")})
    phone, email = _clean_contact(phone, email)
    region, commune, latitude, longitude = _clean_place(region, commune, latitude, longitude)
    content_type = extension = ""
    if photo:
        try:
            content_type, extension = photo_type(photo)
            # Law n° 2022-59: no EXIF/GPS/XMP reaches the handlers, hidden identity or not; a PDF
            # would lose its author too where the identity is hidden (only images pass photo_type
            # today, so this guards the day complaints accept documents).
            photo = uploads.without_identifying_metadata(photo, hidden_identity=hide_identity)
        except ValidationError as invalid:
            raise ValidationError({"photo": invalid.messages}) from invalid
    check_limits(phone=phone, ip=ip if limit_ip else None, also=rate_limits)
    if privacy.keeps_no_address(
        hide_identity=hide_identity,
        phone=phone,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    ):
        # Law n° 2022-59: anonymous means anonymous, and a hidden identity stays hidden. Neither
        # the row nor the audit entry keeps the address (or who was signed in).
        ip = request = None

    print_ = fingerprint(description, phone)
    # Everything that needs no lock is prepared before the transaction, so that it holds the
    # fingerprint's lock for as little as possible (the audit trail takes no lock in it).
    now = timezone.now()
    due_at = working_day_deadline(now, category.response_days)
    stored_photo = ""
    if photo:
        # Uploaded before the transaction (object storage may be slow); a rolled back filing
        # leaves an orphan file, never a complaint pointing at a missing one.
        storage = Complaint._meta.get_field("photo").storage
        stored_photo = storage.save(photo_path(None, f"photo.{extension}"), photo)
    # The identifiers are random (references.py): no query checks them beforehand; the unique
    # indexes do, and the rare clash is drawn again in a new transaction.
    for attempt in range(IDENTIFIER_ATTEMPTS):
        reference = references.new_reference()
        public_id = references.new_token(12)
        token = references.new_token()
        try:
            with transaction.atomic():
                if phone:
                    _lock_fingerprint(print_)
                    # Only the id, locked: compiling and reading the whole row cost a filing more
                    # CPU than any other statement, for the rare submission that is a duplicate.
                    first_id = (
                        locks.rows(
                            Complaint.objects.filter(
                                fingerprint=print_,
                                created_at__gte=timezone.now() - DUPLICATE_WINDOW,
                            ).order_by("created_at")
                        )
                        .values_list("pk", flat=True)
                        .first()
                    )
                    if first_id is not None:
                        first = Complaint.objects.select_related("category__organisation").get(
                            pk=first_id
                        )
                        DuplicateSubmission.objects.create(
                            complaint=first, channel=channel, submitted_ip=ip
                        )
                        first.duplicate_count += 1
                        first.save(update_fields=["duplicate_count"])
                        record(
                            audit_actions.Complaints.DUPLICATE_LINKED,
                            target=first,
                            organisation=first.category.organisation,
                            request=request,
                            data={"channel": channel},
                        )
                        return Filed(first, duplicate=True)

                # The case's opening and the filing: two audit entries, one INSERT.
                with gathered_entries():
                    case = workflow.open_case(
                        kind=CASE_KIND, organisation=category.organisation, due_at=due_at
                    )
                    complaint = Complaint(
                        case=case,
                        reference=reference,
                        public_id=public_id,
                        open311_token=token,
                        category=category,
                        description=description,
                        region=region,
                        commune=commune,
                        latitude=latitude,
                        longitude=longitude,
                        address=address.strip()[:255],
                        media_url=media_url,
                        phone=phone,
                        email=email,
                        first_name=first_name.strip()[:100],
                        last_name=last_name.strip()[:100],
                        hide_identity=hide_identity,
                        language=language or "fr",
                        channel=channel,
                        partner=partner,
                        attributes=attributes or {},
                        fingerprint=print_,
                        created_at=now,
                        submitted_ip=ip,
                    )
                    if stored_photo:
                        complaint.photo.name = stored_photo
                        complaint.photo_type = content_type
                    complaint.save()
                    record(
                        audit_actions.Complaints.COMPLAINT_FILED,
                        target=complaint,
                        organisation=category.organisation,
                        request=request,
                        data={
                            "channel": channel,
                            "category": category.code,
                            "anonymous": complaint.is_anonymous,
                        },
                    )
                if notify_receipt and (phone or email):
                    notify(
                        phone=phone or None,
                        email=email or None,
                        template="complaints/received",
                        context=_notice_context(complaint),
                        language=complaint.language,
                        related=complaint,
                    )
            return Filed(complaint, duplicate=False)
        except IntegrityError:
            if attempt + 1 == IDENTIFIER_ATTEMPTS or not _identifier_taken(
                reference, public_id, token
            ):
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


def _notice_context(complaint: Complaint) -> dict:
    return {
        "reference": complaint.display_reference,
        # The notice is written in the complainant's language (Complaint.language).
        "category": complaint.category.translated("name", complaint.language),
        "status": complaint.case.get_status_display(),
        "status_code": complaint.case.status,
        "url": f"{settings.SITE_URL}/plaintes/suivi/{complaint.reference}/",
        "due": complaint.case.due_at,
        "due_notice": complaint.case.deadline_notice,
    }


# --- Status notices (called by the workflow after each committed change) --------------------


def notify_status_change(case: Case, event: CaseEvent) -> None:
    """Text/email the complainant the new status of their complaint (identity hidden or not).

    Registered with the workflow core for complaint cases; called after commit for every event,
    so only real changes of status are told (not notes, copies, reassignments, the opening).
    """
    if event.kind == CaseEvent.Kind.CREATED or not event.to_status:
        return
    if event.from_status == event.to_status:
        return
    complaint = Complaint.objects.select_related("category", "case").filter(case=case).first()
    if complaint is None or not (complaint.phone or complaint.email):
        return
    context = _notice_context(complaint)
    context["text"] = event.text if not event.is_internal else ""
    notify(
        phone=complaint.phone or None,
        email=complaint.email or None,
        template="complaints/status_changed",
        context=context,
        language=complaint.language,
        related=complaint,
    )


def describe_case(case: Case) -> dict:
    """How the workflow's reminders and escalations name a complaint to the agents."""
    complaint = Complaint.objects.select_related("category").filter(case=case).first()
    if complaint is None:
        return {}
    return {
        "reference": complaint.display_reference,
        "subject": _("Plainte — %(category)s") % {"category": complaint.category.name},
        "url": f"/plaintes/agents/{complaint.pk}/",
    }


# --- The citizen, with the reference --------------------------------------------------------


def _locked(complaint: Complaint) -> Complaint:
    return locks.rows(Complaint.objects.select_related("case", "category")).get(pk=complaint.pk)


def citizen_reply(complaint: Complaint, text: str, *, request=None) -> None:
    """The complainant adds information; the handlers see it in the case history."""
    text = (text or "").strip()
    if len(text) < 2:
        raise ValidationError({"text": _("Écrivez votre message.")})
    if len(text) > MAX_DESCRIPTION:
        raise ValidationError({"text": _("Le message est trop long (4000 caractères au plus).")})
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.case.status in (Case.Status.CLOSED, Case.Status.REJECTED):
            raise ValidationError(
                _("Cette plainte est close : rouvrez-la pour ajouter un message.")
            )
        workflow.record_requester_reply(complaint.case, text=text)
        record(
            audit_actions.Complaints.CITIZEN_REPLIED,
            target=complaint,
            organisation=complaint.category.organisation,
            request=privacy.audit_request(complaint, request),
        )


def citizen_confirm(complaint: Complaint, *, request=None) -> None:
    """The complainant accepts the answer: the complaint is closed."""
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.case.status != Case.Status.ANSWERED:
            raise ValidationError(_("Seule une plainte qui a reçu une réponse peut être close."))
        workflow.record_event(complaint.case, kind=CaseEvent.Kind.CONFIRMED)
        workflow.close(complaint.case, actor=None)
        record(
            audit_actions.Complaints.CITIZEN_CONFIRMED,
            target=complaint,
            organisation=complaint.category.organisation,
            request=privacy.audit_request(complaint, request),
        )


def citizen_reopen(complaint: Complaint, reason: str, *, request=None) -> None:
    """The complainant is not satisfied: the complaint goes back to the handlers."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Dites pourquoi la réponse ne vous satisfait pas.")})
    with transaction.atomic():
        complaint = _locked(complaint)
        case = complaint.case
        if case.status not in (Case.Status.ANSWERED, Case.Status.CLOSED, Case.Status.REJECTED):
            raise ValidationError(_("Cette plainte est encore en cours de traitement."))
        ended = case.closed_at or case.answered_at or case.updated_at
        if ended < timezone.now() - REOPEN_WINDOW:
            raise ValidationError(
                _(
                    "Cette plainte est close depuis plus de %(days)s jours : déposez-en une nouvelle."
                )
                % {"days": REOPEN_WINDOW.days}
            )
        workflow.reopen(case, actor=None, text=reason)
        complaint.rating = None
        complaint.rating_comment = ""
        complaint.rated_at = None
        complaint.save(update_fields=["rating", "rating_comment", "rated_at"])
        record(
            audit_actions.Complaints.CITIZEN_REOPENED,
            target=complaint,
            organisation=complaint.category.organisation,
            request=privacy.audit_request(complaint, request),
            reason=reason,
        )


def rate_answer(complaint: Complaint, rating: int, comment: str = "", *, request=None) -> None:
    """A mark from 1 to 5 once the complaint is closed; given once (reopening clears it)."""
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choisissez une note de 1 à 5.")})
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.case.status != Case.Status.CLOSED:
            raise ValidationError(_("Vous pourrez noter la réponse quand la plainte sera close."))
        if complaint.rating is not None:
            raise ValidationError(_("Vous avez déjà noté cette réponse."))
        complaint.rating = rating
        complaint.rating_comment = (comment or "").strip()[:2000]
        complaint.rated_at = timezone.now()
        complaint.save(update_fields=["rating", "rating_comment", "rated_at"])
        workflow.record_event(complaint.case, kind=CaseEvent.Kind.RATED, data={"rating": rating})
        record(
            audit_actions.Complaints.RATED,
            target=complaint,
            organisation=complaint.category.organisation,
            request=privacy.audit_request(complaint, request),
            data={"rating": rating},
        )


# --- Handlers -------------------------------------------------------------------------------


def ensure_can_handle(user, complaint: Complaint) -> None:
    from guichet.complaints.selectors import complaints_visible_to

    if not complaints_visible_to(user).filter(pk=complaint.pk).exists():
        raise PermissionDenied


# --- Open311 partners -----------------------------------------------------------------------


def issue_open311_key(
    name: str, *, contact_email: str = "", actor=None, key: str | None = None
) -> tuple[Open311Partner, str]:
    """A new partner and its API key (returned once, never stored in clear)."""
    key = key or f"o311_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        partner = Open311Partner.objects.create(
            name=name,
            contact_email=contact_email,
            key_prefix=key[:8],
            key_hash=Open311Partner.hash_key(key),
        )
        record(audit_actions.Complaints.OPEN311_KEY_ISSUED, actor=actor, target=partner)
    return partner, key


def revoke_open311_key(partner: Open311Partner, *, actor=None) -> None:
    with transaction.atomic():
        partner.is_active = False
        partner.revoked_at = timezone.now()
        partner.save(update_fields=["is_active", "revoked_at"])
        record(audit_actions.Complaints.OPEN311_KEY_REVOKED, actor=actor, target=partner)


# Every Open311 call reads its partner by key. Each process keeps a known key's row for a few
# seconds: a key revoked (or a limit changed) in another process is refused (applied) within
# PARTNER_MEMO_SECONDS, at once in the process that saved the row (apps.py connects
# `forget_partner` to its post_save). Unknown keys are never kept.
PARTNER_MEMO_SECONDS = 5
_partner_memo = Memo(PARTNER_MEMO_SECONDS)


def forget_partner(instance: Open311Partner, **_signal) -> None:
    _partner_memo.forget(instance.key_hash)


def partner_for_key(key: str) -> Open311Partner | None:
    if not key:
        return None
    digest = Open311Partner.hash_key(key)
    return _partner_memo.get(
        digest, lambda: Open311Partner.objects.filter(key_hash=digest, is_active=True).first()
    )


# Every Open311 filing reads its category by code, the same few rows all day: kept per process
# as the partners are (a category closed or changed in another process is seen within
# CATEGORY_MEMO_SECONDS; at once in the process that saved it: apps.py connects
# `forget_categories`). Unknown or closed codes are never kept.
CATEGORY_MEMO_SECONDS = 5
_category_memo = Memo(CATEGORY_MEMO_SECONDS)


def forget_categories(**_signal) -> None:
    _category_memo.forget()


def open_category(code: str) -> Category | None:
    """The open category of `code`, with its organisation, or None."""
    return _category_memo.get(
        code,
        lambda: (
            Category.objects.filter(code=code, is_active=True)
            .select_related("organisation")
            .first()
        ),
    )
