"""Every write to the criminal record: one transaction each, with its audit entry.

Permission checks live here too (not only in the views), so that no caller can forget them:
clerks write only the records of persons born in their court's area; bulletins go only to those
the law names (rules.RECIPIENTS).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet import locks, uploads
from guichet.accounts.models import Commune, Organisation, Role
from guichet.accounts.selectors import organisations_with_role
from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.criminal_records import rules
from guichet.criminal_records.models import (
    BulletinRequest,
    Conviction,
    ConvictionEvent,
    CourtOffice,
    IdentityProof,
    IssuedBulletin,
    Offence,
    Penalty,
    Person,
)

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


# --- The register ---------------------------------------------------------------------------------

PERSON_FIELDS = [
    "last_name",
    "first_names",
    "other_spellings",
    "sex",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_year_margin",
    "birth_commune",
    "birth_place",
    "birth_country",
    "father_name",
    "mother_name",
    "nationality",
    "id_documents",
]


def _snapshot(instance, fields) -> dict:
    out = {}
    for name in fields:
        value = getattr(instance, name)
        out[name] = value.pk if hasattr(value, "pk") else value
    return out


@transaction.atomic
def create_person(*, actor, request=None, **data) -> Person:
    person = Person(created_by=actor, **{k: v for k, v in data.items() if k in PERSON_FIELDS})
    person.full_clean()
    ensure_can_write(actor, person)
    person.save()
    record(
        audit_actions.CriminalRecords.PERSON_CREATED,
        actor=actor,
        organisation=person_court(person),
        target=person,
        request=request,
        data=_snapshot(person, PERSON_FIELDS),
    )
    return person


@transaction.atomic
def correct_person(*, actor, person: Person, reason: str, request=None, **changes) -> Person:
    """Correct identity details; the audit entry keeps the values before and after."""
    if not reason.strip():
        raise ValidationError(_("Indiquez le motif de la rectification."))
    person = locks.rows(Person.objects.all()).get(pk=person.pk)
    ensure_can_write(actor, person)
    before = _snapshot(person, PERSON_FIELDS)
    for name, value in changes.items():
        if name in PERSON_FIELDS:
            setattr(person, name, value)
    person.full_clean()
    ensure_can_write(actor, person)  # a new birthplace must still be this court's
    person.save()
    after = _snapshot(person, PERSON_FIELDS)
    record(
        audit_actions.CriminalRecords.PERSON_CORRECTED,
        actor=actor,
        organisation=person_court(person),
        target=person,
        reason=reason,
        request=request,
        data={
            "before": {k: v for k, v in before.items() if before[k] != after[k]},
            "after": {k: v for k, v in after.items() if before[k] != after[k]},
        },
    )
    return person


@transaction.atomic
def merge_persons(*, actor, keep: Person, duplicate: Person, reason: str, request=None) -> Person:
    """Two records of one person: the duplicate's convictions move to `keep`, which remembers the
    duplicate's spellings; the duplicate stays, pointing to `keep` (never deleted)."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choisissez deux fiches différentes."))
    if not reason.strip():
        raise ValidationError(_("Indiquez le motif de la fusion."))
    # Both rows in one statement, in primary-key order: two clerks merging the pair in opposite
    # directions at once must not each hold one row and wait for the other.
    pair = locks.rows(Person.objects.filter(pk__in=[keep.pk, duplicate.pk])).in_bulk()
    keep, duplicate = pair[keep.pk], pair[duplicate.pk]
    if keep.merged_into_id or duplicate.merged_into_id:
        raise ValidationError(_("Une de ces fiches a déjà été fusionnée."))
    ensure_can_write(actor, keep)
    ensure_can_write(actor, duplicate)
    moved = list(duplicate.convictions.values_list("pk", flat=True))
    duplicate.convictions.update(person=keep)
    duplicate.requests.update(person=keep)
    spellings = {s.strip() for s in keep.other_spellings.splitlines() if s.strip()}
    spellings |= {s.strip() for s in duplicate.other_spellings.splitlines() if s.strip()}
    spellings.add(f"{duplicate.last_name} {duplicate.first_names}")
    spellings.discard(f"{keep.last_name} {keep.first_names}")
    keep.other_spellings = "\n".join(sorted(spellings))
    keep.save(update_fields=["other_spellings"])
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into"])
    record(
        audit_actions.CriminalRecords.PERSON_MERGED,
        actor=actor,
        organisation=person_court(keep),
        target=keep,
        reason=reason,
        request=request,
        data={"duplicate": duplicate.pk, "convictions_moved": moved},
    )
    return keep


@transaction.atomic
def record_conviction(
    *,
    actor,
    person: Person,
    court: Organisation,
    decision_date: dt.date,
    kind: str,
    is_final: bool,
    offences: list[Offence],
    penalties: list[dict],
    decision_number: str = "",
    offence_date: dt.date | None = None,
    b3_mention_ordered: bool = False,
    card_scan=None,
    request=None,
) -> Conviction:
    ensure_can_write(actor, person)
    if person.merged_into_id:
        raise ValidationError(_("Cette fiche a été fusionnée : inscrivez sur la fiche conservée."))
    if court.kind != Organisation.Kind.COURT:
        raise ValidationError(_("La décision doit émaner d'une juridiction."))
    if decision_date > timezone.localdate():
        raise ValidationError(_("La date de la décision ne peut être dans le futur."))
    if not offences:
        raise ValidationError(_("Indiquez au moins une infraction."))
    if not penalties:
        raise ValidationError(_("Indiquez au moins une peine."))
    conviction = Conviction(
        person=person,
        court=court,
        decision_date=decision_date,
        decision_number=decision_number,
        offence_date=offence_date,
        kind=kind,
        is_final=is_final,
        b3_mention_ordered=b3_mention_ordered,
        created_by=actor,
    )
    scan = checked_scan(card_scan)
    if scan:
        conviction.card_scan.save(scan.name, scan, save=False)
    conviction.full_clean(exclude=["offences"])
    conviction.save()
    conviction.offences.set(offences)
    for spec in penalties:
        penalty = Penalty(conviction=conviction, **spec)
        penalty.full_clean()
        penalty.save()
    record(
        audit_actions.CriminalRecords.CONVICTION_RECORDED,
        actor=actor,
        organisation=person_court(person),
        target=conviction,
        request=request,
        data={
            "person": person.pk,
            "offences": [o.code for o in offences],
            "penalties": [str(Penalty(**spec)) for spec in penalties],
        },
    )
    return conviction


CORRECTABLE_CONVICTION_FIELDS = [
    "decision_date",
    "decision_number",
    "offence_date",
    "kind",
    "is_final",
]


@transaction.atomic
def add_event(
    *,
    actor,
    conviction: Conviction,
    kind: str,
    date: dt.date,
    reference: str = "",
    note: str = "",
    corrections: dict | None = None,
    commuted_to: str = "",
    request=None,
) -> ConvictionEvent:
    """Record what happened to a conviction. A correction changes fields, keeping both values."""
    conviction = locks.rows(Conviction.objects.all()).get(pk=conviction.pk)
    ensure_can_write(actor, conviction.person)
    if kind not in ConvictionEvent.Kind.values:
        raise ValidationError(_("Événement inconnu."))
    if date > timezone.localdate():
        raise ValidationError(_("La date d'effet ne peut être dans le futur."))
    if date < conviction.decision_date:
        raise ValidationError(_("La date d'effet précède la décision."))
    needs_reference = {
        ConvictionEvent.Kind.CORRECTION,
        ConvictionEvent.Kind.REMOVAL,
        ConvictionEvent.Kind.REHABILITATION_JUDICIAL,
        ConvictionEvent.Kind.AMNESTY,
        ConvictionEvent.Kind.PARDON,
        ConvictionEvent.Kind.COMMUTATION,
    }
    if kind in needs_reference and not reference.strip():
        raise ValidationError(_("Citez la décision ou le texte (référence)."))
    commuted_to = (commuted_to or "").strip()
    if kind == ConvictionEvent.Kind.COMMUTATION and not commuted_to:
        raise ValidationError(_("Indiquez la peine substituée par la commutation."))
    if kind != ConvictionEvent.Kind.COMMUTATION:
        commuted_to = ""
    data = {"kind": kind, "date": date.isoformat(), "reference": reference}
    if commuted_to:
        data["commuted_to"] = commuted_to
    if kind == ConvictionEvent.Kind.CORRECTION:
        corrections = {
            k: v for k, v in (corrections or {}).items() if k in CORRECTABLE_CONVICTION_FIELDS
        }
        if not corrections:
            raise ValidationError(_("Indiquez ce que la décision rectifie."))
        before = _snapshot(conviction, corrections)
        for name, value in corrections.items():
            setattr(conviction, name, value)
        conviction.full_clean(exclude=["offences"])
        conviction.save()
        data |= {"before": before, "after": _snapshot(conviction, corrections)}
    event = ConvictionEvent(
        conviction=conviction,
        kind=kind,
        date=date,
        reference=reference,
        commuted_to=commuted_to,
        note=note,
        created_by=actor,
    )
    event.full_clean()
    event.save()
    record(
        audit_actions.CriminalRecords.CONVICTION_EVENT,
        actor=actor,
        organisation=person_court(conviction.person),
        target=conviction,
        reason=reference,
        request=request,
        data=data,
    )
    return event


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


# --- Requests -------------------------------------------------------------------------------------


def _birth_parts(birth_date: dt.date | None, birth_year: int | None) -> dict:
    if birth_date:
        return {"birth_date": birth_date, "birth_year": birth_date.year}
    if not birth_year:
        raise ValidationError(_("Indiquez au moins l'année de naissance."))
    return {"birth_date": None, "birth_year": birth_year}


IDENTITY_RULE = gettext_lazy(
    "Pièce d'identité : une photo ou un scan de votre carte nationale d'identité, ou de votre "
    "passeport ; à défaut, de votre acte de naissance accompagné de la pièce d'identité d'un "
    "témoin qui vous connaît. Le greffe la compare à l'identité déclarée avant de délivrer."
)


def _identity_proof(kind, identity_document, witness_document, birth_certificate) -> dict:
    """The files that prove the identity, checked by content (IDENTITY_RULE)."""
    files = {}
    if kind in (IdentityProof.NATIONAL_ID, IdentityProof.PASSPORT):
        files["identity_document"] = checked_scan(identity_document)
        if files["identity_document"] is None:
            raise ValidationError(_("Joignez une photo ou un scan de la pièce d'identité."))
    elif kind == IdentityProof.BIRTH_CERTIFICATE_AND_WITNESS:
        files["birth_certificate"] = checked_scan(birth_certificate)
        files["witness_document"] = checked_scan(witness_document)
        if files["birth_certificate"] is None or files["witness_document"] is None:
            raise ValidationError(
                _("Joignez l'acte de naissance et la pièce d'identité du témoin.")
            )
    else:
        raise ValidationError(str(IDENTITY_RULE))
    return files


@transaction.atomic
def submit_citizen_request(
    *,
    user,
    last_name: str,
    first_names: str,
    sex: str,
    birth_date: dt.date | None,
    birth_year: int | None,
    birth_commune: Commune | None,
    birth_country: str,
    father_name: str,
    mother_name: str,
    payment_method: str,
    payment_reference: str = "",
    identity_proof_kind: str = "",
    identity_document=None,
    witness_document=None,
    birth_certificate=None,
    birth_year_margin: int = 0,
    request=None,
) -> BulletinRequest:
    """A citizen asks for their own bulletin n°3 (CPP Niger art. 706-719: never for another).

    Paid by mobile money (online, after this: payments.services), by fiscal stamp (its number
    here, checked by the clerk) or at the court's counter."""
    if not getattr(user, "is_citizen", False):
        raise PermissionDenied(_("Le bulletin n°3 n'est délivré qu'à la personne elle-même."))
    if birth_commune is None and not birth_country.strip():
        raise ValidationError(
            _("Indiquez la commune de naissance, ou le pays si vous êtes né(e) hors du Niger.")
        )
    if sex not in Person.Sex.values:
        raise ValidationError(_("Indiquez le sexe."))
    if payment_method not in BulletinRequest.PaymentMethod.values:
        raise ValidationError(_("Choisissez un mode de paiement."))
    if payment_method == BulletinRequest.PaymentMethod.FISCAL_STAMP and not (
        payment_reference.strip()
    ):
        raise ValidationError(_("Indiquez le numéro du timbre fiscal."))
    files = _identity_proof(
        identity_proof_kind, identity_document, witness_document, birth_certificate
    )
    court = competent_court(birth_commune=birth_commune)
    stamp, extra = fee_for(court)
    bulletin_request = BulletinRequest(
        kind=rules.B3,
        court=court,
        requester=user,
        reason=_("Demande personnelle"),
        last_name=last_name.strip(),
        first_names=first_names.strip(),
        sex=sex,
        birth_commune=birth_commune,
        birth_country="" if birth_commune else birth_country.strip(),
        father_name=father_name.strip(),
        mother_name=mother_name.strip(),
        phone=user.phone_number or "",
        fee_amount=stamp + extra,
        payment_method=payment_method,
        payment_reference=payment_reference.strip(),
        identity_proof_kind=identity_proof_kind,
        birth_year_margin=birth_year_margin or 0,
        **_birth_parts(birth_date, birth_year),
    )
    for name, scan in files.items():
        getattr(bulletin_request, name).save(scan.name, scan, save=False)
    bulletin_request.full_clean()
    bulletin_request.save()
    record(
        audit_actions.CriminalRecords.REQUEST_SUBMITTED,
        actor=user,
        organisation=court,
        target=bulletin_request,
        reason=bulletin_request.reason,
        request=request,
        data={"kind": 3, "fee": bulletin_request.fee_amount},
    )
    _notify(bulletin_request, "request_received")
    return bulletin_request


@transaction.atomic
def submit_agent_request(
    *,
    user,
    kind: int,
    reason: str,
    last_name: str,
    first_names: str,
    sex: str,
    birth_date: dt.date | None,
    birth_year: int | None,
    birth_commune: Commune | None,
    birth_country: str,
    father_name: str = "",
    mother_name: str = "",
    birth_year_margin: int = 0,
    request=None,
) -> BulletinRequest:
    """A judge asks for bulletin n°1, an administration for n°2, always stating why."""
    role = rules.RECIPIENTS.get(kind)
    if role not in (Role.JUDGE, Role.ADMINISTRATION):
        raise PermissionDenied(_("Ce bulletin ne peut être demandé par un agent."))
    units = organisations_with_role(user, role)
    if not units.exists():
        raise PermissionDenied(_("Votre rôle ne permet pas de demander ce bulletin."))
    if not reason.strip():
        raise ValidationError(_("Indiquez le motif de la demande."))
    if birth_commune is None and not birth_country.strip():
        raise ValidationError(_("Indiquez la commune ou le pays de naissance."))
    court = competent_court(birth_commune=birth_commune)
    bulletin_request = BulletinRequest(
        kind=kind,
        court=court,
        requester=user,
        requester_organisation=units.order_by("path").first(),
        reason=reason.strip(),
        last_name=last_name.strip(),
        first_names=first_names.strip(),
        sex=sex,
        birth_commune=birth_commune,
        birth_country="" if birth_commune else birth_country.strip(),
        father_name=father_name.strip(),
        mother_name=mother_name.strip(),
        payment_checked=True,  # public authorities pay no fee
        birth_year_margin=birth_year_margin or 0,
        **_birth_parts(birth_date, birth_year),
    )
    bulletin_request.full_clean()
    bulletin_request.save()
    record(
        audit_actions.CriminalRecords.REQUEST_SUBMITTED,
        actor=user,
        organisation=bulletin_request.requester_organisation,
        target=bulletin_request,
        reason=bulletin_request.reason,
        request=request,
        data={"kind": kind},
        sensitive_read=True,
    )
    return bulletin_request


def _locked_request(actor, bulletin_request) -> BulletinRequest:
    bulletin_request = locks.rows(BulletinRequest.objects.all()).get(pk=bulletin_request.pk)
    ensure_clerk_of(actor, bulletin_request.court)
    if bulletin_request.status in (BulletinRequest.Status.ISSUED, BulletinRequest.Status.REJECTED):
        raise ValidationError(_("Cette demande est close."))
    return bulletin_request


@transaction.atomic
def confirm_payment(*, actor, bulletin_request, request=None) -> BulletinRequest:
    bulletin_request = _locked_request(actor, bulletin_request)
    bulletin_request.payment_checked = True
    bulletin_request.save(update_fields=["payment_checked"])
    record(
        audit_actions.CriminalRecords.REQUEST_PAYMENT_CHECKED,
        actor=actor,
        organisation=bulletin_request.court,
        target=bulletin_request,
        request=request,
        data={
            "method": bulletin_request.payment_method,
            "reference": bulletin_request.payment_reference,
        },
    )
    return bulletin_request


@transaction.atomic
def ask_identity_check(*, actor, bulletin_request, note: str, request=None) -> BulletinRequest:
    bulletin_request = _locked_request(actor, bulletin_request)
    bulletin_request.status = BulletinRequest.Status.IDENTITY_CHECK
    bulletin_request.clerk_note = note.strip()
    bulletin_request.save(update_fields=["status", "clerk_note"])
    record(
        audit_actions.CriminalRecords.REQUEST_IDENTITY_CHECK,
        actor=actor,
        organisation=bulletin_request.court,
        target=bulletin_request,
        reason=note,
        request=request,
    )
    _notify(bulletin_request, "identity_check")
    return bulletin_request


@transaction.atomic
def reject_request(*, actor, bulletin_request, note: str, request=None) -> BulletinRequest:
    if not note.strip():
        raise ValidationError(_("Indiquez le motif du rejet."))
    bulletin_request = _locked_request(actor, bulletin_request)
    bulletin_request.status = BulletinRequest.Status.REJECTED
    bulletin_request.clerk_note = note.strip()
    bulletin_request.decided_by = actor
    bulletin_request.decided_at = timezone.now()
    bulletin_request.save(update_fields=["status", "clerk_note", "decided_by", "decided_at"])
    record(
        audit_actions.CriminalRecords.REQUEST_REJECTED,
        actor=actor,
        organisation=bulletin_request.court,
        target=bulletin_request,
        reason=note,
        request=request,
    )
    _notify(bulletin_request, "request_rejected")
    return bulletin_request


def signer_titles(court: Organisation) -> tuple[str, str]:
    if court.court_level == Organisation.CourtLevel.APPEAL:
        return ("Le Procureur général", "Le Greffier en chef de la Cour d'appel")
    return ("Le Procureur de la République", "Le Greffier en chef")


@transaction.atomic
def issue_bulletin(*, actor, bulletin_request, request=None) -> IssuedBulletin:
    """Compute the bulletin for today, render it, sign it with the court's key, store it."""
    from guichet.criminal_records.pdf import render_bulletin
    from guichet.signing import sign_pdf
    from guichet.signing.qualification import signer_status

    bulletin_request = _locked_request(actor, bulletin_request)
    if bulletin_request.person_id is None:
        raise ValidationError(_("Rapprochez d'abord la demande d'une fiche du casier."))
    if not bulletin_request.payment_checked:
        raise ValidationError(_("Vérifiez d'abord le paiement."))
    if bulletin_request.kind == rules.B3 and bulletin_request.identity_verified_at is None:
        raise ValidationError(_("Vérifiez d'abord la pièce d'identité du demandeur."))
    person = bulletin_request.person
    if Penalty.objects.filter(conviction__person=person, kind=Penalty.Kind.OTHER).exists():
        # A penalty whose legal nature is unknown cannot be read by the rules: the bulletin
        # could be wrong (a life sentence entered as « autre mesure » gave « NÉANT »).
        raise ValidationError(
            _(
                "Une peine de cette fiche est encore « autre mesure » : qualifiez-la (greffe, "
                "« Peines à qualifier ») avant de délivrer un bulletin."
            )
        )
    today = timezone.localdate()
    entries = [e.as_dict() for e in rules.bulletin_entries(person, bulletin_request.kind, on=today)]
    bulletin = IssuedBulletin(
        rules_version=rules.rules_version_on(today),
        request=bulletin_request,
        person=person,
        kind=bulletin_request.kind,
        court=bulletin_request.court,
        person_name=f"{person.last_name.upper()} {person.first_names}",
        issued_on=today,
        issued_by=actor,
        entries=entries,
    )
    office = CourtOffice.objects.filter(court=bulletin.court).first()
    unsigned = render_bulletin(
        bulletin=bulletin,
        person=person,
        office=office,
        entries=entries,
        signer_titles=signer_titles(bulletin.court),
        signature_statement=signer_status(bulletin.court.code).statement,
    )
    signed = sign_pdf(
        unsigned,
        signer=bulletin.court.code,
        reason=f"Extrait du casier judiciaire — bulletin n°{bulletin.kind}",
        location=bulletin.court.short_name or bulletin.court.name,
    )
    bulletin.sha256 = hashlib.sha256(signed).hexdigest()
    bulletin.pdf.save(f"B{bulletin.kind}-{bulletin.code[:12]}.pdf", ContentFile(signed), save=False)
    bulletin.save()
    bulletin_request.status = BulletinRequest.Status.ISSUED
    bulletin_request.decided_by = actor
    bulletin_request.decided_at = timezone.now()
    bulletin_request.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        audit_actions.CriminalRecords.BULLETIN_ISSUED,
        actor=actor,
        organisation=bulletin.court,
        target=bulletin,
        reason=bulletin_request.reason,
        request=request,
        data={
            "request": bulletin_request.reference,
            "entries": len(entries),
            "rules_version": bulletin.rules_version,
            "sha256": bulletin.sha256,
        },
        sensitive_read=True,
    )
    _notify(bulletin_request, "bulletin_issued")
    return bulletin


def _notify(bulletin_request: BulletinRequest, template: str) -> None:
    if not bulletin_request.phone:
        return
    from guichet.notifications.services import notify

    notify(
        phone=bulletin_request.phone,
        template=f"criminal_records/{template}",
        context={
            "reference": bulletin_request.reference,
            "court": bulletin_request.court.short_name or bulletin_request.court.name,
            "fee": bulletin_request.fee_amount,
            "note": bulletin_request.clerk_note,
            "short_code": getattr(settings, "SMS_SHORT_CODE", ""),
            # A page that exists: the requester's own request (phone sign-in).
            "url": settings.SITE_URL
            + reverse("criminal_records:my_request", args=[bulletin_request.reference]),
        },
        language=getattr(bulletin_request.requester, "preferred_language", "fr") or "fr",
        related=bulletin_request,
    )


# Identification of the requested person (matching, linking, « Néant » records, identity proof)
# lives in identification.py; these names stay reachable from here, imported on call (that module
# builds on this one).


def link_person(**kwargs):
    from guichet.criminal_records import identification

    return identification.link_person(**kwargs)


def create_person_from_request(**kwargs):
    from guichet.criminal_records import identification

    return identification.create_person_from_request(**kwargs)


def complete_request_identity(**kwargs):
    from guichet.criminal_records import identification

    return identification.complete_request_identity(**kwargs)


def verify_identity(**kwargs):
    from guichet.criminal_records import identification

    return identification.verify_identity(**kwargs)
