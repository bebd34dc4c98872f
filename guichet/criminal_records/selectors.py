"""Reads of the criminal record, scoped to what the reader may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from guichet.accounts.models import Role
from guichet.accounts.selectors import organisations_with_role
from guichet.criminal_records import rules
from guichet.criminal_records.models import BulletinRequest, IssuedBulletin, Person
from guichet.criminal_records.services import abroad_court, clerk_courts


def persons_for_clerk(user) -> QuerySet[Person]:
    """Persons born in the area of the clerk's courts (abroad: the Cour d'appel de Niamey)."""
    courts = list(clerk_courts(user))
    if not courts:
        return Person.objects.none()
    regions = [c.region_id for c in courts if c.court_level == "tgi" and c.region_id]
    condition = Q(birth_commune__region_id__in=regions)
    if any(c.pk == abroad_court().pk for c in courts):
        condition |= Q(birth_commune__isnull=True)
    return Person.objects.filter(condition).select_related("birth_commune", "merged_into")


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
    code = (code or "").strip().upper()
    if not code or len(code) > 40:
        return None
    return IssuedBulletin.objects.select_related("court").filter(code=code).first()


def consultations_of(user) -> list[BulletinRequest]:
    """Who asked for the record of the person this citizen is: bulletin n°2 requests by
    administrations (and n°1 if the administrator allows it), never other citizens' requests."""
    person_ids = list(
        BulletinRequest.objects.filter(requester=user, kind=rules.B3, person__isnull=False)
        .values_list("person_id", flat=True)
        .distinct()
    )
    if not person_ids:
        return []
    params = rules.load_parameters()
    requests = (
        BulletinRequest.objects.filter(person_id__in=person_ids, kind__in=[rules.B1, rules.B2])
        .exclude(requester=user)
        .select_related("requester_organisation")
        .order_by("-created_at")
    )
    return [r for r in requests if rules.consultation_visible_to_person(r.kind, params)]


def may_download(user, bulletin: IssuedBulletin) -> bool:
    """The requester, or a clerk of the issuing court."""
    if bulletin.request and bulletin.request.requester_id == user.pk:
        return True
    return organisations_with_role(user, Role.COURT_CLERK).filter(pk=bulletin.court_id).exists()
