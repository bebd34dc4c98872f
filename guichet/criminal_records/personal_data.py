"""Bulletin n°3 requests and personal data (law n° 2022-59).

- The identity documents a requester sent (ID card, passport, birth certificate, witness
  document) serve the clerk's identity check only: once the request is served or rejected, they
  are deleted after `BULLETIN_DOCUMENTS_RETENTION_DAYS` (files after the commit), or at once on
  the requester's erasure request. The request's row — the register of requests, its stated
  identity, the decision — is kept, as is the issued extract's verification record
  (`IssuedBulletin`): an administration must be able to check an extract for as long as it is
  valid, and the register of issued extracts is kept with the criminal record.
- The requester sees their own requests and the consultations of their record the law lets
  them see (`selectors.consultations_of`, issue 10's rules); never the record itself here, nor
  any other person's data.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from guichet.accounts import data_access, retention
from guichet.audit.actions import CriminalRecords as Actions
from guichet.criminal_records import selectors
from guichet.criminal_records.models import BulletinRequest

DECIDED = (BulletinRequest.Status.ISSUED, BulletinRequest.Status.REJECTED)
DOCUMENT_FIELDS = ("identity_document", "witness_document", "birth_certificate")


def _holding_documents():
    has_file = Q()
    for name in DOCUMENT_FIELDS:
        has_file |= ~Q(**{name: ""})
    return BulletinRequest.objects.filter(
        status__in=DECIDED, documents_erased_at__isnull=True
    ).filter(has_file)


def erase_documents(requests) -> int:
    now = timezone.now()
    count = 0
    for item in requests.only("pk", *DOCUMENT_FIELDS):
        updated = BulletinRequest.objects.filter(pk=item.pk, documents_erased_at__isnull=True)
        if updated.update(documents_erased_at=now, **{name: "" for name in DOCUMENT_FIELDS}):
            for name in DOCUMENT_FIELDS:
                retention.delete_file_after_commit(getattr(item, name))
            count += 1
    return count


def purge_documents(cutoff, dry_run: bool) -> int:
    expired = _holding_documents().filter(decided_at__lt=cutoff)
    return expired.count() if dry_run else erase_documents(expired)


KINDS = [
    retention.RetentionKind(
        code="criminal_records.identity_documents",
        label=gettext_lazy(
            "Pièces d'identité jointes à une demande de bulletin n°3 délivrée ou rejetée"
        ),
        setting="BULLETIN_DOCUMENTS_RETENTION_DAYS",
        reason=gettext_lazy(
            "Elles ne servent qu'à la vérification de l'identité par le greffe ; trois mois "
            "après la décision, le temps d'une réclamation, elles sont effacées. La demande, la "
            "décision et la fiche de vérification de l'extrait restent (registre du casier)."
        ),
        purge=purge_documents,
        audit_action=Actions.RETENTION_PURGED,
    ),
]


# --- Right of access and erasure ------------------------------------------------------------------


def collect(user) -> list[data_access.Entry]:
    entries = []
    for item in selectors.requests_of(user):
        documents = [
            str(BulletinRequest._meta.get_field(name).verbose_name)
            for name in DOCUMENT_FIELDS
            if getattr(item, name)
        ]
        bulletin = getattr(item, "bulletin", None)
        entries.append(
            data_access.Entry(
                _("Demande %(reference)s") % {"reference": item.reference},
                [
                    (_("Bulletin"), item.get_kind_display()),
                    (_("Juridiction"), item.court.translated("name")),
                    (_("Statut"), item.get_status_display()),
                    (_("Déposée le"), item.created_at),
                    (_("Décidée le"), item.decided_at),
                    (_("Nom"), item.last_name),
                    (_("Prénoms"), item.first_names),
                    (_("Année de naissance"), item.birth_year),
                    (_("Date de naissance"), item.birth_date),
                    (_("Nom du père"), item.father_name),
                    (_("Nom de la mère"), item.mother_name),
                    (_("Téléphone"), item.phone),
                    (_("Pièces jointes conservées"), documents),
                    (_("Pièces effacées le"), item.documents_erased_at),
                    (_("Extrait délivré le"), bulletin.issued_on if bulletin else None),
                    (_("Code de vérification"), bulletin.display_code if bulletin else None),
                ],
            )
        )
    for consultation in selectors.consultations_of(user):
        entries.append(
            data_access.Entry(
                _("Consultation de votre casier"),
                [
                    (_("Le"), consultation.at),
                    (_("Par"), consultation.by),
                    (_("Quoi"), consultation.what),
                    (_("Motif"), consultation.reason),
                ],
            )
        )
    return entries


def erase(user) -> data_access.Erasure:
    outcome = data_access.Erasure()
    mine = BulletinRequest.objects.filter(requester=user)
    if not mine.exists():
        return outcome
    count = erase_documents(_holding_documents().filter(requester=user))
    if count:
        outcome.erased.append(
            ngettext(
                "Pièces d'identité de %(count)d demande de bulletin effacées.",
                "Pièces d'identité de %(count)d demandes de bulletin effacées.",
                count,
            )
            % {"count": count}
        )
    pending = mine.exclude(status__in=DECIDED).count()
    if pending:
        outcome.kept.append(
            (
                ngettext(
                    "%(count)d demande de bulletin en cours",
                    "%(count)d demandes de bulletin en cours",
                    pending,
                )
                % {"count": pending},
                _(
                    "Le greffe en a besoin pour vérifier votre identité avant de délivrer l'extrait."
                ),
            )
        )
    outcome.kept.append(
        (
            _("Vos demandes de bulletin et les extraits délivrés"),
            _(
                "Le casier judiciaire et le registre des extraits délivrés sont tenus par le greffe "
                "selon le code de procédure pénale ; un extrait doit rester vérifiable tant qu'il "
                "est valable."
            ),
        )
    )
    return outcome


SECTION = data_access.AccessSection(
    code="criminal_records",
    title=gettext_lazy("Casier judiciaire : demandes de bulletin n°3"),
    collect=collect,
    erase=erase,
    order=30,
)
