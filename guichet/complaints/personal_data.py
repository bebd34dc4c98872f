"""Complainants' personal data (law n° 2022-59): retention after the complaint ends, the
complainant's access to their complaints and their erasure.

What anonymisation erases: the complainant's phone, e-mail, names, the address and the point,
the photo (its file, after the commit), the link to a media, the Open311 attributes, the rating's
comment, any IP address, and the fingerprint (a hash of the phone and the text: eight digits are
quickly tried). What stays, for the public statistics (selectors.public_statistics) and the
Médiateur's record: the reference, the category, the region and commune, the text of the
complaint, the status, the dates (response times), the rating, and the case history.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from guichet.accounts import data_access, retention
from guichet.audit.actions import Complaints as Actions
from guichet.complaints import privacy
from guichet.complaints.models import AddressHashKey, Complaint, DuplicateSubmission
from guichet.complaints.selectors import public_history
from guichet.workflow.models import Case, CaseEvent

ENDED = (Case.Status.CLOSED, Case.Status.REJECTED)


def ended_before(cutoff):
    """Complaints closed or rejected before `cutoff`, or answered before it and left so (an
    answer nobody confirmed still ends the treatment), whose personal data is still there."""
    return Complaint.objects.filter(personal_data_erased_at__isnull=True).filter(
        Q(case__status__in=ENDED, case__closed_at__lt=cutoff)
        | Q(case__status=Case.Status.ANSWERED, case__answered_at__lt=cutoff)
    )


def anonymise(complaints) -> int:
    """Erase the complainant's personal data of every complaint in `complaints` (inside the
    caller's transaction); returns how many were anonymised. Files go after the commit."""
    now = timezone.now()
    count = 0
    for complaint in complaints.select_related(None).only("pk", "photo"):
        updated = Complaint.objects.filter(pk=complaint.pk, personal_data_erased_at__isnull=True)
        updated = updated.update(
            phone="",
            email="",
            first_name="",
            last_name="",
            address="",
            latitude=None,
            longitude=None,
            photo="",
            photo_type="",
            media_url="",
            attributes={},
            rating_comment="",
            submitted_ip=None,
            fingerprint="",
            personal_data_erased_at=now,
        )
        if updated:
            retention.delete_file_after_commit(complaint.photo)
            DuplicateSubmission.objects.filter(complaint_id=complaint.pk).update(submitted_ip=None)
            count += 1
    return count


def purge_personal_data(cutoff, dry_run: bool) -> int:
    expired = ended_before(cutoff)
    return expired.count() if dry_run else anonymise(expired)


def purge_address_keys(cutoff, dry_run: bool) -> int:
    # The keys of the days before today, whatever the cutoff: « erased within 24 h » (issue 14).
    if dry_run:
        return AddressHashKey.objects.filter(day__lt=privacy._today()).count()
    return privacy.erase_expired_address_keys()


KINDS = [
    retention.RetentionKind(
        code="complaints.personal_data",
        label=gettext_lazy(
            "Identité et coordonnées du plaignant, adresse et position, photo d'une plainte close"
        ),
        setting="COMPLAINTS_PERSONAL_DATA_RETENTION_DAYS",
        reason=gettext_lazy(
            "Une plainte close peut être rouverte, contestée ou reprise par le Médiateur ; un an "
            "après, l'identité du plaignant n'est plus nécessaire. Le texte, la catégorie, la "
            "région et les délais restent pour les statistiques publiques."
        ),
        purge=purge_personal_data,
        audit_action=Actions.RETENTION_PURGED,
    ),
    retention.RetentionKind(
        code="complaints.address_keys",
        label=gettext_lazy("Clés du jour des pseudonymes d'adresse IP (limites de fréquence)"),
        setting="COMPLAINTS_ADDRESS_KEYS_RETENTION_DAYS",
        reason=gettext_lazy(
            "Les plaintes anonymes restent anonymes : une fois le jour passé, un pseudonyme ne "
            "doit plus pouvoir être relié à une adresse."
        ),
        purge=purge_address_keys,
        audit_action=Actions.RETENTION_PURGED,
    ),
]


# --- Right of access and erasure ------------------------------------------------------------------


def complaints_of(user):
    """The complaints filed with the phone number this citizen proved by the SMS code."""
    if not user.phone_number:
        return Complaint.objects.none()
    return Complaint.objects.filter(phone=user.phone_number).select_related(
        "case", "category", "region", "commune"
    )


def collect(user) -> list[data_access.Entry]:
    entries = []
    for complaint in complaints_of(user):
        replies = [
            event.text
            for event in public_history(complaint)
            if event.kind in (CaseEvent.Kind.PUBLIC_REPLY, CaseEvent.Kind.REQUESTER_REPLY)
            and event.text
        ]
        entries.append(
            data_access.Entry(
                _("Plainte %(reference)s") % {"reference": complaint.display_reference},
                [
                    (_("Déposée le"), complaint.created_at),
                    (_("Catégorie"), str(complaint.category)),
                    (_("Statut"), complaint.case.get_status_display()),
                    (_("Description"), complaint.description),
                    (_("Lieu"), complaint.place),
                    (_("Nom"), complaint.complainant_name),
                    (_("Courriel"), complaint.email),
                    (_("Identité masquée aux agents"), complaint.hide_identity),
                    (_("Photo jointe"), bool(complaint.photo)),
                    (_("Réponses et messages"), replies),
                    (_("Note donnée"), complaint.rating),
                ],
            )
        )
    return entries


def erase(user) -> data_access.Erasure:
    outcome = data_access.Erasure()
    mine = complaints_of(user).filter(personal_data_erased_at__isnull=True)
    ended = mine.filter(case__status__in=(*ENDED, Case.Status.ANSWERED))
    ongoing = mine.exclude(pk__in=ended.values("pk")).count()
    with transaction.atomic():
        count = anonymise(ended)
    if count:
        outcome.erased.append(
            ngettext(
                "Votre identité a été effacée de %(count)d plainte terminée.",
                "Votre identité a été effacée de %(count)d plaintes terminées.",
                count,
            )
            % {"count": count}
        )
    if ongoing:
        outcome.kept.append(
            (
                ngettext("%(count)d plainte en cours", "%(count)d plaintes en cours", ongoing)
                % {"count": ongoing},
                _(
                    "Leur traitement a besoin de vous joindre : vos coordonnées seront effacées "
                    "une fois la plainte terminée (demandez-le à nouveau, ou elles le seront un an "
                    "après la clôture)."
                ),
            )
        )
    return outcome


SECTION = data_access.AccessSection(
    code="complaints",
    title=gettext_lazy("Plaintes"),
    collect=collect,
    erase=erase,
    order=20,
)
