"""Reads of the criminal record, scoped to what the reader may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from guichet.accounts.models import Role
from guichet.accounts.selectors import organisations_with_role
from guichet.audit.models import AuditEntry
from guichet.criminal_records import rules
from guichet.criminal_records.models import BulletinRequest, IssuedBulletin, Person
from guichet.criminal_records.services import abroad_court, clerk_courts
from guichet.criminal_records.verification_codes import candidates as typed_code_candidates


def register_scope_for_clerk(user) -> Q:
    """Persons born in the area of the clerk's courts (abroad: the Cour d'appel de Niamey): a
    condition on `birth_commune`, valid on Person and on its blocking keys (matching)."""
    courts = list(clerk_courts(user))
    if not courts:
        return Q(pk__in=[])
    regions = [c.region_id for c in courts if c.court_level == "tgi" and c.region_id]
    condition = Q(birth_commune__region_id__in=regions)
    if any(c.pk == abroad_court().pk for c in courts):
        condition |= Q(birth_commune__isnull=True)
    return condition


def persons_for_clerk(user) -> QuerySet[Person]:
    return Person.objects.filter(register_scope_for_clerk(user)).select_related(
        "birth_commune", "merged_into"
    )


def requests_for_clerk(user) -> QuerySet[BulletinRequest]:
    return BulletinRequest.objects.filter(court__in=clerk_courts(user)).select_related(
        "court", "requester", "requester_organisation", "person"
    )


def requests_of(user) -> QuerySet[BulletinRequest]:
    return (
        BulletinRequest.objects.filter(requester=user)
        .select_related("court", "person")
        .prefetch_related("bulletin")
    )


def bulletin_by_code(code: str) -> IssuedBulletin | None:
    """The extract a typed code stands for: any spaces, hyphens or case, Crockford's look-alikes
    (I, L → 1; O → 0); codes issued before Crockford base32 still match as typed."""
    forms = typed_code_candidates(code)
    if not forms:
        return None
    found = {
        b.code: b for b in IssuedBulletin.objects.select_related("court").filter(code__in=forms)
    }
    return next((found[form] for form in forms if form in found), None)


@dataclass
class Consultation:
    """One consultation of a record, as the person may see it."""

    at: object
    by: str
    what: str
    reason: str = ""


def verified_persons_of(user) -> list[int]:
    """The records this phone account has been proven to be: one of its own bulletin n°3
    requests was linked to the record *and* the clerk verified its identity proof."""
    return list(
        BulletinRequest.objects.filter(
            requester=user,
            kind=rules.B3,
            person__isnull=False,
            identity_verified_at__isnull=False,
        )
        .exclude(status=BulletinRequest.Status.REJECTED)
        .values_list("person_id", flat=True)
        .distinct()
    )


def consultations_of(user) -> list[Consultation]:
    """Who consulted the record of the person this citizen was verified to be: bulletin n°2
    requests by administrations, with their reason; n°1 by the courts (the court only, never the
    reason: secret of the investigation) when the parameter allows it; and the clerks' own
    look-ups, « consulté par le greffe (…) ». Nothing before the clerk verified the identity."""
    person_ids = verified_persons_of(user)
    if not person_ids:
        return []
    params = rules.load_parameters()
    out = []
    requests = (
        BulletinRequest.objects.filter(person_id__in=person_ids, kind__in=[rules.B1, rules.B2])
        .exclude(requester=user)
        .select_related("requester_organisation")
    )
    for item in requests:
        if not rules.consultation_visible_to_person(item.kind, params):
            continue
        organisation = item.requester_organisation
        out.append(
            Consultation(
                at=item.created_at,
                by=organisation.translated("name") if organisation else "",
                what=item.get_kind_display(),
                reason=item.reason if item.kind == rules.B2 else "",
            )
        )
    lookups = AuditEntry.objects.filter(
        action="criminal_records.person.viewed",
        object_type=Person._meta.label_lower,
        object_id__in=[str(pk) for pk in person_ids],
    ).select_related("organisation")
    for entry in lookups:
        court = entry.organisation.translated("name") if entry.organisation else _("greffe")
        out.append(
            Consultation(
                at=entry.created_at,
                by=_("consulté par le greffe (%(court)s)") % {"court": court},
                what=_("Fiche du casier"),
            )
        )
    out.sort(key=lambda c: c.at, reverse=True)
    return out


def may_download(user, bulletin: IssuedBulletin) -> bool:
    """The requester, or a clerk of the issuing court."""
    if bulletin.request and bulletin.request.requester_id == user.pk:
        return True
    return organisations_with_role(user, Role.COURT_CLERK).filter(pk=bulletin.court_id).exists()


def penalties_to_qualify(courts=None):
    """Penalties still recorded as « autre mesure »: the text did not say their legal nature
    (migration 0004), so the bulletin rules cannot read them; a clerk must qualify each one."""
    from guichet.criminal_records.models import Penalty

    penalties = (
        # A penalty replaced on recourse no longer reads on today's bulletins.
        Penalty.objects.filter(kind=Penalty.Kind.OTHER, replaced_by__isnull=True)
        .select_related("conviction__person", "conviction__court")
        .order_by("conviction__decision_date", "pk")
    )
    if courts is not None:
        penalties = penalties.filter(conviction__court__in=courts)
    return penalties
