"""Digitising the paper card index: each card keyed by two clerks, differences resolved by a clerk,
then entered in the register through the ordinary services (so with the same checks and audit)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guichet import locks
from guichet.accounts.models import Commune, Organisation
from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.criminal_records.models import (
    CardKeying,
    Conviction,
    LegacyCard,
    Offence,
    Penalty,
    Person,
)
from guichet.criminal_records.penalties import split_days
from guichet.criminal_records.services import checked_scan, ensure_clerk_of
from guichet.criminal_records.services_register import create_person, record_conviction

CARD_COLUMNS = [
    "card_number",
    "last_name",
    "first_names",
    "sex",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_commune",
    "birth_country",
    "father_name",
    "mother_name",
    "court",
    "decision_date",
    "decision_kind",
    "offences",
    "prison_days",
    "suspended",
    "fine",
]


def _clean_row(row: dict) -> dict:
    return {column: (row.get(column) or "").strip() for column in CARD_COLUMNS}


@transaction.atomic
def import_cards(*, actor, court: Organisation, csv_text: str, request=None) -> dict:
    """One clerk's keying of cards (CSV, columns CARD_COLUMNS). The second clerk's import of the
    same cards reveals differences to resolve. A clerk keys each card once."""
    ensure_clerk_of(actor, court)
    reader = csv.DictReader(io.StringIO(csv_text))
    missing = [
        c for c in ("card_number", "last_name", "first_names") if c not in (reader.fieldnames or [])
    ]
    if missing:
        raise ValidationError(_("Colonnes manquantes : %(cols)s") % {"cols": ", ".join(missing)})
    counts = {"keyed": 0, "agreed": 0, "different": 0}
    for line, row in enumerate(reader, start=2):
        data = _clean_row(row)
        if not data["card_number"]:
            raise ValidationError(_("Ligne %(line)d : numéro de fiche manquant.") % {"line": line})
        card, _created = locks.rows(LegacyCard.objects.all()).get_or_create(
            court=court, card_number=data["card_number"]
        )
        if card.status == LegacyCard.Status.RESOLVED:
            raise ValidationError(
                _("Ligne %(line)d : la fiche %(n)s est déjà intégrée.")
                % {"line": line, "n": card.card_number}
            )
        if card.keyings.filter(clerk=actor).exists():
            raise ValidationError(
                _(
                    "Ligne %(line)d : vous avez déjà saisi la fiche %(n)s ; la seconde saisie revient à un autre greffier."
                )
                % {"line": line, "n": card.card_number}
            )
        CardKeying.objects.create(card=card, clerk=actor, data=data)
        counts["keyed"] += 1
        if card.keyings.count() >= 2:
            card.status = (
                LegacyCard.Status.DIFFERENT if card_differences(card) else LegacyCard.Status.AGREED
            )
            card.save(update_fields=["status"])
            counts["agreed" if card.status == LegacyCard.Status.AGREED else "different"] += 1
    record(
        audit_actions.CriminalRecords.CARDS_IMPORTED,
        actor=actor,
        organisation=court,
        request=request,
        data=counts,
    )
    return counts


def card_differences(card: LegacyCard) -> dict[str, list[str]]:
    """Field → the values keyed by each clerk, for the fields where they disagree."""
    keyings = list(card.keyings.all()[:2])
    if len(keyings) < 2:
        return {}
    first, second = keyings[0].data, keyings[1].data
    return {
        column: [first.get(column, ""), second.get(column, "")]
        for column in CARD_COLUMNS
        if first.get(column, "") != second.get(column, "")
    }


@transaction.atomic
def attach_card_scan(*, actor, card: LegacyCard, upload, request=None) -> LegacyCard:
    ensure_clerk_of(actor, card.court)
    scan = checked_scan(upload)
    if scan is None:
        raise ValidationError(_("Choisissez un fichier."))
    card.scan.save(scan.name, scan, save=True)
    record(
        audit_actions.CriminalRecords.CARDS_SCAN_ATTACHED,
        actor=actor,
        organisation=card.court,
        target=card,
        request=request,
    )
    return card


@transaction.atomic
def resolve_card(
    *, actor, card: LegacyCard, values: dict, person: Person | None = None, request=None
) -> LegacyCard:
    """Enter an agreed (or arbitrated) card in the register: a person (new or the one the clerk
    chose among the candidates) and the conviction it records."""
    card = locks.rows(LegacyCard.objects.all()).get(pk=card.pk)
    ensure_clerk_of(actor, card.court)
    if card.status not in (LegacyCard.Status.AGREED, LegacyCard.Status.DIFFERENT):
        raise ValidationError(
            _("Cette fiche n'a pas encore ses deux saisies, ou est déjà intégrée.")
        )
    keyed = card.keyings.first().data
    data = {c: (values.get(c, keyed.get(c, "")) or "").strip() for c in CARD_COLUMNS}
    still_different = [c for c in card_differences(card) if c not in values]
    if still_different:
        raise ValidationError(
            _("Tranchez d'abord : %(cols)s") % {"cols": ", ".join(still_different)}
        )

    def number(name):
        try:
            return int(data[name]) if data[name] else None
        except ValueError as exc:
            raise ValidationError(_("Valeur non numérique pour %(f)s.") % {"f": name}) from exc

    try:
        decision_date = dt.date.fromisoformat(data["decision_date"])
    except ValueError as exc:
        raise ValidationError(_("Date de décision invalide (AAAA-MM-JJ).")) from exc
    commune = None
    if data["birth_commune"]:
        commune = Commune.objects.filter(name__iexact=data["birth_commune"]).first()
        if commune is None:
            raise ValidationError(_("Commune inconnue : %(c)s") % {"c": data["birth_commune"]})
    if person is None:
        sex = data["sex"].upper()[:1]
        if sex not in Person.Sex.values:
            # Never a silent « Masculin »: the sex is a fact to read on the card.
            raise ValidationError(_("Indiquez le sexe porté sur la fiche (M ou F)."))
        person = create_person(
            actor=actor,
            request=request,
            last_name=data["last_name"],
            first_names=data["first_names"],
            sex=sex,
            birth_year=number("birth_year"),
            birth_month=number("birth_month"),
            birth_day=number("birth_day"),
            birth_commune=commune,
            birth_country=data["birth_country"] if commune is None else "",
            father_name=data["father_name"],
            mother_name=data["mother_name"],
        )
    court = Organisation.objects.filter(code=data["court"] or card.court.code).first()
    if court is None:
        raise ValidationError(_("Juridiction inconnue : %(c)s") % {"c": data["court"]})
    codes = [c.strip() for c in data["offences"].split(";") if c.strip()]
    offences = list(Offence.objects.filter(code__in=codes))
    if len(offences) != len(set(codes)):
        raise ValidationError(_("Code d'infraction inconnu dans : %(c)s") % {"c": data["offences"]})
    penalties = []
    if number("prison_days"):
        penalties.append(
            {
                "kind": Penalty.Kind.PRISON,
                # Keyed in days; stored in the unit the card most likely said (365 → 1 an).
                **split_days(number("prison_days")),
                "suspended": data["suspended"].lower() in {"1", "oui", "o", "true"},
            }
        )
    if number("fine"):
        penalties.append({"kind": Penalty.Kind.FINE, "amount": number("fine")})
    conviction = record_conviction(
        actor=actor,
        person=person,
        court=court,
        decision_date=decision_date,
        kind=Conviction.Kind.BY_DEFAULT
        if data["decision_kind"].lower().startswith("d")
        else Conviction.Kind.CONTRADICTORY,
        is_final=True,
        offences=offences,
        penalties=penalties,
        request=request,
    )
    if card.scan:
        conviction.card_scan = card.scan.name
        conviction.save(update_fields=["card_scan"])
    card.person, card.conviction, card.status = person, conviction, LegacyCard.Status.RESOLVED
    card.save(update_fields=["person", "conviction", "status"])
    record(
        audit_actions.CriminalRecords.CARDS_RESOLVED,
        actor=actor,
        organisation=card.court,
        target=card,
        request=request,
        data={"values": data},
    )
    return card
