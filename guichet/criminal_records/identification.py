"""Who is the requested person: matching a request to the register, and proving an identity.

Writes, one transaction each with its audit entry:

* ``link_person`` — the clerk decides which record is the person. Matching only proposes; when
  two or more records are « probable » (an ambiguity), linking is refused until the declared
  identity carries a fact that tells them apart (``complete_request_identity``).
* ``create_person_from_request`` — nobody in the register: a new, empty record (bulletin
  « NÉANT »). Only after a search that ignores declared sex and year as filters found no probable
  record, and with the clerk's stated reason, written to the audit trail with what was found.
* ``verify_identity`` — the clerk checked the identity proof (national identity card, passport,
  or birth certificate with a witness's document). Only then does the phone account that asked
  see who consulted the record (selectors.consultations_of).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit.services import record
from guichet.criminal_records import matching, services_register, services_requests
from guichet.criminal_records import services as base
from guichet.criminal_records.identity_comparison import Identity
from guichet.criminal_records.models import BulletinRequest, IdentityProof, Person

# Declared facts a clerk may complete or correct on a request (from the identity document).
COMPLETABLE_FACTS = [
    "sex",
    "birth_date",
    "birth_year",
    "birth_year_margin",
    "birth_commune",
    "birth_country",
    "father_name",
    "mother_name",
]


def register_scope(court) -> Q:
    """The persons whose record this court keeps: born in its region (abroad: the Cour
    d'appel de Niamey). A condition on `birth_commune`, which a person and its blocking keys
    share (`matching.search(within=…)`)."""
    if court.pk == base.abroad_court().pk:
        condition = Q(birth_commune__isnull=True)
        if court.court_level == "tgi" and court.region_id:
            condition |= Q(birth_commune__region_id=court.region_id)
        return condition
    return Q(birth_commune__region_id=court.region_id)


def register_of(court) -> QuerySet[Person]:
    return Person.objects.filter(register_scope(court))


def candidates_for_request(item: BulletinRequest, *, within: Q | None = None):
    """The records that may be the requested person (a `matching.SearchResult`), within the
    register of the request's court unless `within` says otherwise. Declared sex and birth
    year are scored, never filtered: this search is the « relaxed » one."""
    scope = within if within is not None else register_scope(item.court)
    return matching.search(Identity.of_request(item), within=scope)


def _candidates_summary(result: matching.SearchResult) -> list[dict]:
    return [{"person": c.person.pk, "percent": c.percent} for c in result.candidates]


@transaction.atomic
def link_person(*, actor, bulletin_request, person: Person, request=None) -> BulletinRequest:
    """The clerk decides which register entry is the requested person (matching only proposes).

    Refused while two or more records are « probable » for the declared identity: the clerk must
    first add the fact that distinguishes them (père, mère, lieu ou date de naissance)."""
    bulletin_request = services_requests._locked_request(actor, bulletin_request)
    person = person.kept_record()  # a merged record's convictions are on the kept one
    if base.person_court(person).pk != bulletin_request.court_id:
        raise ValidationError(_("Cette personne relève d'un autre greffe."))
    result = candidates_for_request(bulletin_request)
    contenders = [c.person.pk for c in result.contenders]
    if person.pk in contenders:
        raise ValidationError(
            _(
                "Plusieurs fiches correspondent à l'identité déclarée (%(n)d fiches) : "
                "complétez la demande avec un fait qui les distingue (père, mère, lieu ou date "
                "de naissance, relevé sur la pièce d'identité) avant de rattacher."
            )
            % {"n": len(contenders)}
        )
    chosen = next((c for c in result.candidates if c.person.pk == person.pk), None)
    bulletin_request.person = person
    bulletin_request.save(update_fields=["person"])
    record(
        "criminal_records.request.person_linked",
        actor=actor,
        organisation=bulletin_request.court,
        target=bulletin_request,
        reason=_("Rapprochement de la demande %(ref)s") % {"ref": bulletin_request.reference},
        request=request,
        data={
            "person": person.pk,
            "score": chosen.percent if chosen else None,
            "candidates": _candidates_summary(result),
        },
        sensitive_read=True,
    )
    return bulletin_request


@transaction.atomic
def complete_request_identity(
    *, actor, bulletin_request, reason: str, request=None, **facts
) -> BulletinRequest:
    """The clerk adds or corrects declared facts (read on the identity document), for instance
    the father's name that tells two homonyms apart. The audit keeps before and after."""
    if not (reason or "").strip():
        raise ValidationError(_("Indiquez d'où vient ce fait (pièce d'identité, déclaration…)."))
    bulletin_request = services_requests._locked_request(actor, bulletin_request)
    changes = {k: v for k, v in facts.items() if k in COMPLETABLE_FACTS}
    if not changes:
        raise ValidationError(_("Indiquez au moins un fait à compléter."))
    before = services_register._snapshot(bulletin_request, changes)
    for name, value in changes.items():
        setattr(bulletin_request, name, value.strip() if isinstance(value, str) else value)
    if isinstance(changes.get("birth_date"), dt.date):
        bulletin_request.birth_year = changes["birth_date"].year
    services_requests._birth_parts(bulletin_request.birth_date, bulletin_request.birth_year)
    if bulletin_request.birth_commune_id:
        bulletin_request.birth_country = ""
    elif not bulletin_request.birth_country:
        raise ValidationError(_("Indiquez la commune ou le pays de naissance."))
    if base.competent_court(birth_commune=bulletin_request.birth_commune).pk != (
        bulletin_request.court_id
    ):
        raise ValidationError(
            _("Ce lieu de naissance relève d'un autre greffe : rejetez la demande et orientez-la.")
        )
    bulletin_request.full_clean()
    bulletin_request.save()
    record(
        "criminal_records.request.identity_completed",
        actor=actor,
        organisation=bulletin_request.court,
        target=bulletin_request,
        reason=reason,
        request=request,
        data={"before": before, "after": services_register._snapshot(bulletin_request, changes)},
    )
    return bulletin_request


@transaction.atomic
def create_person_from_request(
    *, actor, bulletin_request, reason: str = "", request=None
) -> Person:
    """No one in the register is the requested person: they get an (empty) record, hence
    « NÉANT ». Only when the relaxed search (sex and year scored, not filtered) finds no probable
    record; the clerk states why, and the audit keeps what the search had found."""
    if not (reason or "").strip():
        raise ValidationError(
            _("Indiquez pourquoi aucune fiche existante n'est cette personne (motif).")
        )
    bulletin_request = services_requests._locked_request(actor, bulletin_request)
    result = candidates_for_request(bulletin_request)
    if result.probable or result.ambiguous:
        raise ValidationError(
            _(
                "Une fiche probable existe pour cette identité : rattachez-la, ou complétez la "
                "demande avec le fait qui l'en distingue, avant de créer une fiche."
            )
        )
    birth = bulletin_request.birth_date
    person = services_register.create_person(
        actor=actor,
        request=request,
        last_name=bulletin_request.last_name,
        first_names=bulletin_request.first_names,
        sex=bulletin_request.sex,
        birth_year=bulletin_request.birth_year,
        birth_month=birth.month if birth else None,
        birth_day=birth.day if birth else None,
        birth_year_margin=bulletin_request.birth_year_margin,
        birth_commune=bulletin_request.birth_commune,
        birth_country=bulletin_request.birth_country,
        father_name=bulletin_request.father_name,
        mother_name=bulletin_request.mother_name,
    )
    record(
        "criminal_records.request.person_created",
        actor=actor,
        organisation=bulletin_request.court,
        target=bulletin_request,
        reason=reason,
        request=request,
        data={"person": person.pk, "candidates_ruled_out": _candidates_summary(result)},
    )
    bulletin_request = link_person(
        actor=actor, bulletin_request=bulletin_request, person=person, request=request
    )
    return bulletin_request.person


def proof_on_file(item: BulletinRequest) -> bool:
    """The identity rule: a national identity card, or a passport, or a birth certificate with
    a witness's document — as images joined to the request."""
    if item.identity_proof_kind in (IdentityProof.NATIONAL_ID, IdentityProof.PASSPORT):
        return bool(item.identity_document)
    if item.identity_proof_kind == IdentityProof.BIRTH_CERTIFICATE_AND_WITNESS:
        return bool(item.birth_certificate) and bool(item.witness_document)
    return False


@transaction.atomic
def verify_identity(*, actor, bulletin_request, note: str = "", request=None) -> BulletinRequest:
    """The clerk checked the identity proof against the declared identity. Without images on
    file (paper request at the counter), the note says which document was seen."""
    bulletin_request = services_requests._locked_request(actor, bulletin_request)
    if not proof_on_file(bulletin_request) and not note.strip():
        raise ValidationError(
            _(
                "Aucune pièce d'identité valable n'est jointe : indiquez la pièce vue au greffe "
                "(type et numéro)."
            )
        )
    bulletin_request.identity_verified_at = timezone.now()
    bulletin_request.identity_verified_by = actor
    bulletin_request.save(update_fields=["identity_verified_at", "identity_verified_by"])
    record(
        "criminal_records.request.identity_verified",
        actor=actor,
        organisation=bulletin_request.court,
        target=bulletin_request,
        reason=note.strip() or bulletin_request.get_identity_proof_kind_display(),
        request=request,
        data={"proof": bulletin_request.identity_proof_kind},
    )
    return bulletin_request
