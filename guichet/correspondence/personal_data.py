"""Mail and personal data (law n° 2022-59): the scans' retention, and a correspondent's access.

A registered mail is a record of the administration (the register and the letter belong to the
public archives): its row and its register line are kept. What expires is the digital copy, the
scan: its file is deleted (after the commit) and its OCR text blanked, the attachment's row (name,
size, SHA-256 fingerprint) staying as the trace that a scan existed. Confidential and secret mail
has its own, shorter period: the paper original is in the archives, and a digital copy of a
confidential letter is a risk once the mail has been handled.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts import data_access, retention
from guichet.audit.actions import Correspondence as Actions
from guichet.correspondence.contacts import _digits
from guichet.correspondence.models import Attachment, Contact, Mail


def _scans(cutoff, *, confidential: bool):
    scans = Attachment.objects.filter(file_erased_at__isnull=True, mail__registered_at__lt=cutoff)
    normal = Mail.Confidentiality.NORMAL
    if confidential:
        return scans.exclude(mail__confidentiality=normal)
    return scans.filter(mail__confidentiality=normal)


def erase_scans(scans) -> int:
    now = timezone.now()
    count = 0
    for scan in scans.only("pk", "file"):
        if Attachment.objects.filter(pk=scan.pk, file_erased_at__isnull=True).update(
            file="", ocr_text="", file_erased_at=now
        ):
            retention.delete_file_after_commit(scan.file)
            count += 1
    return count


def purge_scans(cutoff, dry_run: bool) -> int:
    scans = _scans(cutoff, confidential=False)
    return scans.count() if dry_run else erase_scans(scans)


def purge_confidential_scans(cutoff, dry_run: bool) -> int:
    scans = _scans(cutoff, confidential=True)
    return scans.count() if dry_run else erase_scans(scans)


KINDS = [
    retention.RetentionKind(
        code="correspondence.scans",
        label=gettext_lazy("Numérisation (fichier et texte OCR) d'un courrier ordinaire"),
        setting="MAIL_SCANS_RETENTION_DAYS",
        reason=gettext_lazy(
            "Durée d'utilité administrative du courrier ordinaire (cinq ans) : ensuite l'original "
            "papier relève des archives ; la ligne du registre et la fiche du courrier restent."
        ),
        purge=purge_scans,
        audit_action=Actions.RETENTION_PURGED,
    ),
    retention.RetentionKind(
        code="correspondence.confidential_scans",
        label=gettext_lazy("Numérisation d'un courrier confidentiel ou secret"),
        setting="MAIL_CONFIDENTIAL_SCANS_RETENTION_DAYS",
        reason=gettext_lazy(
            "La copie numérique d'une lettre confidentielle est un risque une fois le courrier "
            "traité : l'original papier est conservé aux archives ; la fiche du courrier reste."
        ),
        purge=purge_confidential_scans,
        audit_action=Actions.RETENTION_PURGED,
    ),
]


# --- Right of access --------------------------------------------------------------------------------


def contacts_of(user) -> list[Contact]:
    """The correspondents whose phone is this citizen's (the eight digits of the number)."""
    local = _digits(user.phone_number or "")[-8:]
    if len(local) != 8:
        return []
    candidates = Contact.objects.filter(phone__contains=local[-4:])
    return [contact for contact in candidates if _digits(contact.phone).endswith(local)]


def collect(user) -> list[data_access.Entry]:
    entries = []
    for contact in contacts_of(user):
        mails = Mail.objects.filter(correspondent=contact).order_by("registered_at")
        entries.append(
            data_access.Entry(
                _("Correspondant « %(name)s »") % {"name": contact.name},
                [
                    (_("Organisme"), contact.organisation_name),
                    (_("Courriel"), contact.email),
                    (_("Téléphone"), contact.phone),
                    (_("Adresse"), contact.address),
                    (
                        _("Courriers enregistrés"),
                        [f"{mail.reference} ({mail.registered_at:%d/%m/%Y})" for mail in mails],
                    ),
                ],
            )
        )
    return entries


def erase(user) -> data_access.Erasure:
    outcome = data_access.Erasure()
    if contacts_of(user):
        outcome.kept.append(
            (
                _("Vos courriers enregistrés"),
                _(
                    "Un courrier enregistré est une pièce des archives publiques : il est conservé "
                    "selon les règles des archives ; sa numérisation est effacée après la durée "
                    "d'utilité administrative."
                ),
            )
        )
    return outcome


SECTION = data_access.AccessSection(
    code="correspondence",
    title=gettext_lazy("Courrier"),
    collect=collect,
    erase=erase,
    order=40,
)
