"""The shared ground of every write to the criminal record: which court keeps a person's record,
who may write to it, which scanned files are accepted, and the consultations that are traced.

Permission checks live here too (not only in the views), so that no caller can forget them:
clerks write only the records of persons born in their court's area; bulletins go only to those
the law names (rules.RECIPIENTS). The writes themselves are split by topic, one transaction each,
with their audit entry: services_register.py (persons, convictions and their events),
services_requests.py (bulletin requests, their desk and the issued bulletin),
identification.py (matching a request to a record), services_penalties.py and
services_parameters.py.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from guichet import uploads
from guichet.accounts.models import Commune, Organisation, Role
from guichet.accounts.selectors import organisations_with_role
from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.criminal_records.models import CourtOffice, Person

ABROAD_COURT_DEFAULT = "CA-NIAMEY"
DEFAULT_FEES = (1000, 150)  # demarches.gouv.ne: fiscal stamps for an extract
DEFAULT_FEES_ABROAD = (5000, 1500)
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


# --- Courts ---------------------------------------------------------------------------------------


def abroad_court() -> Organisation:
    code = getattr(settings, "CRIMINAL_RECORDS_ABROAD_COURT", ABROAD_COURT_DEFAULT)
    return Organisation.objects.get(code=code)


def competent_court(*, birth_commune: Commune | None) -> Organisation:
    """The TGI of the region of birth; the Cour d'appel de Niamey for those born abroad."""
    if birth_commune is None:
        return abroad_court()
    court = (
        Organisation.objects.filter(
            kind=Organisation.Kind.COURT,
            court_level=Organisation.CourtLevel.TGI,
            region_id=birth_commune.region_id,
            is_active=True,
        )
        .order_by("code")
        .first()
    )
    if court is None:
        raise ValidationError(
            _("Aucun tribunal de grande instance n'est enregistré pour la région %(region)s.")
            % {"region": birth_commune.region.name}
        )
    return court


def person_court(person: Person) -> Organisation:
    return competent_court(birth_commune=person.birth_commune)


def fee_for(court: Organisation) -> tuple[int, int]:
    office = CourtOffice.objects.filter(court=court).first()
    if office:
        return office.stamp_amount, office.extra_amount
    return DEFAULT_FEES_ABROAD if court.code == abroad_court().code else DEFAULT_FEES


def clerk_courts(user):
    return organisations_with_role(user, Role.COURT_CLERK).filter(kind=Organisation.Kind.COURT)


def ensure_clerk_of(user, court: Organisation) -> None:
    if not clerk_courts(user).filter(pk=court.pk).exists():
        raise PermissionDenied(_("Seul le greffe compétent peut écrire dans ce casier."))


def ensure_can_write(user, person: Person) -> None:
    ensure_clerk_of(user, person_court(person))


# --- Files ----------------------------------------------------------------------------------------


def checked_scan(upload) -> ContentFile | None:
    """A PDF, JPEG or PNG under 5 MB, judged by its content, not its name; renamed safely."""
    if not upload:
        return None
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Le fichier dépasse 5 Mo."))
    kind = uploads.accepted_kind(
        upload,
        {uploads.PDF, uploads.JPEG, uploads.PNG},
        _("Seuls les fichiers PDF, JPEG ou PNG sont acceptés."),
    )
    extension = kind.extension
    upload = uploads.without_image_metadata(upload)  # law n° 2022-59: no EXIF/GPS kept
    data = upload.read()
    digest = hashlib.sha256(data).hexdigest()[:16]
    return ContentFile(data, name=f"{digest}.{extension}")


# --- Reads that must be traced ---------------------------------------------------------------------


def record_view(
    *, actor, target, reason: str, request=None, action=audit_actions.CriminalRecords.PERSON_VIEWED
):
    """Every consultation of the register is in the audit trail with its reason, and with the
    court of the clerk who consulted (shown to the person as « consulté par le greffe (…) »)."""
    if not (reason or "").strip():
        raise ValidationError(_("Indiquez le motif de la consultation."))
    organisation = None
    if actor is not None and getattr(actor, "is_authenticated", False):
        organisation = clerk_courts(actor).order_by("code").first()
    return record(
        action,
        actor=actor,
        organisation=organisation,
        target=target,
        reason=reason,
        request=request,
        sensitive_read=True,
    )
