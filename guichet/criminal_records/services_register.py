"""Writes of the court clerk to the register: persons (created, corrected, merged), their
convictions and what later happens to each (split from services.py by topic).

One transaction each, with its audit entry; only the clerk of the competent court writes
(services.ensure_can_write).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet import locks
from guichet.accounts.models import Organisation
from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.criminal_records import rules
from guichet.criminal_records.models import (
    Conviction,
    ConvictionEvent,
    Offence,
    Penalty,
    Person,
)
from guichet.criminal_records.services import checked_scan, ensure_can_write, person_court

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
    # Records merged earlier into the duplicate now point to `keep`: a merged record points to
    # the kept one directly, never to another merged record (whose convictions have moved on).
    repointed = list(duplicate.merged_records.values_list("pk", flat=True))
    Person.objects.filter(pk__in=repointed).update(merged_into=keep)
    record(
        audit_actions.CriminalRecords.PERSON_MERGED,
        actor=actor,
        organisation=person_court(keep),
        target=keep,
        reason=reason,
        request=request,
        data={"duplicate": duplicate.pk, "convictions_moved": moved, "repointed": repointed},
    )
    return keep


def _check_dates(conviction: Conviction) -> None:
    """The dates a decision can have: not to come, facts not after the decision, neither before
    the person's earliest possible birth. A date typed a century early made the person « not
    yet born », hence a minor (rules.facts), and kept the decision off bulletins n°2 and n°3;
    a decision date to come kept it off every bulletin until then."""
    today = timezone.localdate()
    decided, facts = conviction.decision_date, conviction.offence_date
    if decided > today:
        raise ValidationError(_("La date de la décision ne peut être dans le futur."))
    if facts and facts > decided:
        raise ValidationError(_("Les faits ne peuvent être postérieurs à la décision."))
    if min(decided, facts or decided) < conviction.person.earliest_possible_birth():
        raise ValidationError(
            _(
                "La date des faits ou de la décision précède la naissance de la personne "
                "(%(birth)s) : vérifiez l'année saisie."
            )
            % {"birth": conviction.person.birth_display}
        )


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
    _check_dates(conviction)
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


def _check_effect_date(date: dt.date) -> None:
    if date > timezone.localdate():
        raise ValidationError(_("La date d'effet ne peut être dans le futur."))


def _check_reference(reference: str) -> str:
    """The decision or text an event cites, required where the event changes the record."""
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError(_("Citez la décision ou le texte (référence)."))
    return reference


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
    _check_effect_date(date)
    if date < conviction.decision_date:
        raise ValidationError(_("La date d'effet précède la décision."))
    if kind == ConvictionEvent.Kind.RECOURSE:
        raise ValidationError(
            _("Une décision sur recours s'enregistre avec les peines qu'elle prononce.")
        )
    needs_reference = {
        ConvictionEvent.Kind.CORRECTION,
        ConvictionEvent.Kind.REMOVAL,
        ConvictionEvent.Kind.REHABILITATION_JUDICIAL,
        ConvictionEvent.Kind.AMNESTY,
        ConvictionEvent.Kind.PARDON,
        ConvictionEvent.Kind.COMMUTATION,
    }
    if kind in needs_reference:
        _check_reference(reference)
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
        _check_dates(conviction)
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


@transaction.atomic
def record_recourse_decision(
    *,
    actor,
    conviction: Conviction,
    date: dt.date,
    reference: str,
    is_final: bool,
    penalties: list[dict],
    kind: str = Conviction.Kind.CONTRADICTORY,
    b3_mention_ordered: bool | None = None,
    note: str = "",
    request=None,
) -> ConvictionEvent:
    """A decision on appel, opposition or pourvoi that confirms or reforms the sentence: its
    penalties replace those in force from its date (the first ones are kept, marked replaced),
    and the conviction is final or not as that decision says. The mention on B3 is part of the
    sentence: `b3_mention_ordered` is what that decision orders (None: it keeps the one in
    force). A relaxe or an acquittal on recourse is a removal (« Retrait par décision »), not a
    sentence."""
    conviction = locks.rows(Conviction.objects.all()).get(pk=conviction.pk)
    ensure_can_write(actor, conviction.person)
    if conviction.person.merged_into_id:
        raise ValidationError(_("Cette fiche a été fusionnée : inscrivez sur la fiche conservée."))
    reference = _check_reference(reference)
    _check_effect_date(date)
    last = max(
        (e.date for e in conviction.events.filter(kind=ConvictionEvent.Kind.RECOURSE)),
        default=conviction.decision_date,
    )
    if date <= last:
        raise ValidationError(
            _("La décision sur recours doit être postérieure au %(date)s.")
            % {"date": f"{last:%d/%m/%Y}"}
        )
    if not penalties:
        raise ValidationError(
            _(
                "Indiquez au moins une peine. Une relaxe ou un acquittement sur recours "
                "s'enregistre comme « Retrait par décision »."
            )
        )
    replaced = list(conviction.penalties.filter(replaced_by__isnull=True))
    mention_before = rules.b3_mention_ordered_on(conviction, date)
    event = ConvictionEvent(
        conviction=conviction,
        kind=ConvictionEvent.Kind.RECOURSE,
        date=date,
        reference=reference,
        final_decision=is_final,
        decision_kind=kind,
        b3_mention_ordered=b3_mention_ordered,
        note=note,
        created_by=actor,
    )
    event.full_clean()
    event.save()
    new = []
    for spec in penalties:
        penalty = Penalty(conviction=conviction, pronounced_by=event, **spec)
        penalty.full_clean()
        penalty.save()
        new.append(penalty)
    Penalty.objects.filter(pk__in=[p.pk for p in replaced]).update(replaced_by=event)
    was_final = conviction.is_final
    if was_final != is_final:
        conviction.is_final = is_final
        conviction.save(update_fields=["is_final"])
    record(
        audit_actions.CriminalRecords.CONVICTION_EVENT,
        actor=actor,
        organisation=person_court(conviction.person),
        target=conviction,
        reason=reference,
        request=request,
        data={
            "kind": event.kind,
            "date": date.isoformat(),
            "reference": reference,
            "before": {
                "penalties": [str(p) for p in replaced],
                "is_final": was_final,
                "b3_mention_ordered": mention_before,
            },
            "after": {
                "penalties": [str(p) for p in new],
                "is_final": is_final,
                "b3_mention_ordered": (
                    mention_before if b3_mention_ordered is None else b3_mention_ordered
                ),
            },
        },
    )
    return event
