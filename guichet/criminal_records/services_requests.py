"""Bulletin requests and the bulletin issued (split from services.py by topic): a citizen's own
n°3, a judge's n°1 or an administration's n°2; the clerk's desk (payment checked, identity to
check, rejection) and the signed extract, each sent to the requester by SMS after the commit.

One transaction each, with its audit entry. Who the requested person is (matching, linking,
« Néant » records, identity proof) is identification.py's.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet import locks
from guichet.accounts.models import Commune, Organisation, Role
from guichet.accounts.selectors import organisations_with_role
from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.criminal_records import rules
from guichet.criminal_records.models import (
    BulletinRequest,
    CourtOffice,
    IdentityProof,
    IssuedBulletin,
    Penalty,
    Person,
)
from guichet.criminal_records.models.persons import birth_year_error
from guichet.criminal_records.services import (
    checked_scan,
    competent_court,
    ensure_clerk_of,
    fee_for,
)


def _birth_parts(birth_date: dt.date | None, birth_year: int | None) -> dict:
    if birth_date:
        if birth_date > timezone.localdate():
            raise ValidationError(_("La date de naissance ne peut être dans le futur."))
        birth_year = birth_date.year
    if not birth_year:
        raise ValidationError(_("Indiquez au moins l'année de naissance."))
    if error := birth_year_error(birth_year):
        raise ValidationError(error)
    return {"birth_date": birth_date or None, "birth_year": birth_year}


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
    if person.merged_into_id:
        # A merged record holds no conviction any more: its bulletin would say « NÉANT ».
        raise ValidationError(
            _("Cette fiche a été fusionnée : rattachez la demande à la fiche conservée.")
        )
    if Penalty.objects.filter(
        conviction__person=person, kind=Penalty.Kind.OTHER, replaced_by__isnull=True
    ).exists():
        # A penalty whose legal nature is unknown cannot be read by the rules: the bulletin
        # could be wrong (a life sentence entered as « autre mesure » gave « NÉANT »).
        raise ValidationError(
            _(
                "Une peine de cette fiche est encore « autre mesure » : qualifiez-la (greffe, "
                "« Peines à qualifier ») avant de délivrer un bulletin."
            )
        )
    today = timezone.localdate()
    office = CourtOffice.objects.filter(court=bulletin_request.court).first()
    # The extract is the State's document, in French, whatever language the clerk reads: its
    # entries (kept as issued) and its rendering.
    with translation.override(settings.LANGUAGE_CODE):
        entries = [
            e.as_dict() for e in rules.bulletin_entries(person, bulletin_request.kind, on=today)
        ]
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


@transaction.atomic
def revoke_bulletin(
    *, actor, bulletin: IssuedBulletin, reason: str, request=None
) -> IssuedBulletin:
    """The issuing court withdraws an extract that should not stand: its code and its file then
    verify as « révoqué » (the reason stays internal: it may say what the record holds)."""
    bulletin = locks.rows(IssuedBulletin.objects.all()).get(pk=bulletin.pk)
    ensure_clerk_of(actor, bulletin.court)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Indiquez le motif de la révocation."))
    if len(reason) > 300:
        raise ValidationError(_("Le motif de la révocation dépasse 300 caractères."))
    if bulletin.revoked_at:
        raise ValidationError(_("Cet extrait est déjà révoqué."))
    bulletin.revoked_at = timezone.now()
    bulletin.revoked_by = actor
    bulletin.revocation_reason = reason
    bulletin.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    record(
        audit_actions.CriminalRecords.BULLETIN_REVOKED,
        actor=actor,
        organisation=bulletin.court,
        target=bulletin,
        reason=reason,
        request=request,
        data={"kind": bulletin.kind, "request": bulletin.request_id},
    )
    if bulletin.request is not None:
        _notify(bulletin.request, "bulletin_revoked")
    return bulletin
