"""The law of the criminal record, as data and functions — one module, read by the bulletins.

Sources and how far they could be confirmed
-------------------------------------------
* Niger, Code de procédure pénale (loi n° 61-33 du 14 août 1961 as amended), articles 706 to 719,
  as summarised by the government's procedures page (demarches.gouv.ne, « Casier judiciaire »):
  what is recorded (crimes, délits, contraventions punished by more than ten days of prison or a
  fine over 50 000 F CFA), who receives which bulletin (n°1 judicial authorities, n°2 public
  administrations, n°3 the person concerned only), who signs. These rules are marked CONFIRMED and
  cite "CPP Niger art. 706-719": the article-by-article split inside that range could not be read.
* Everything else (exclusions from n°2, content of n°3, rehabilitation delays, lapse of a
  suspended sentence, minors) mirrors the French Code de procédure pénale of 1959 (art. 768-781)
  from which Niger's 1961 code was copied, and the matching French Code pénal provisions. Those
  rules are marked NOT CONFIRMED FOR NIGER; every delay or threshold they use is a `Parameter`
  whose value an administrator can change (model RuleParameter, admin "Paramètres légaux").

`bulletin_entries(person, kind, on=date)` answers "what was (or will be) on bulletin n°kind on
that date", from the convictions and the events dated on or before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

B1, B2, B3 = 1, 2, 3
ALL_BULLETINS = frozenset({B1, B2, B3})


# --- Parameters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    key: str
    default: int
    article: str
    confirmed_for_niger: bool
    description: str


PARAMETERS: dict[str, Parameter] = {
    p.key: p
    for p in [
        Parameter(
            "contravention_prison_days",
            10,
            "CPP Niger art. 706-719 (demarches.gouv.ne)",
            True,
            "Une contravention n'est inscrite que si l'emprisonnement dépasse ce nombre de jours.",
        ),
        Parameter(
            "contravention_fine",
            50_000,
            "CPP Niger art. 706-719 (demarches.gouv.ne)",
            True,
            "… ou si l'amende dépasse ce montant (F CFA).",
        ),
        Parameter(
            "b3_prison_days",
            730,
            "CPP français 1959 art. 777 — non confirmé pour le Niger",
            False,
            "Le bulletin n°3 ne porte que l'emprisonnement ferme supérieur à cette durée (jours), "
            "sauf mention ordonnée par la juridiction.",
        ),
        Parameter(
            "suspension_probation_years",
            5,
            "Code pénal français (sursis, loi de 1891) et CPP 1959 art. 775 — non confirmé",
            False,
            "Délai d'épreuve après lequel une condamnation avec sursis non révoqué est non avenue.",
        ),
        Parameter(
            "rehabilitation_fine_years",
            5,
            "Réhabilitation de plein droit, droit français de 1959 — non confirmé pour le Niger",
            False,
            "Délai après le paiement d'une amende (ou l'exécution d'une autre peine non privative).",
        ),
        Parameter(
            "rehabilitation_short_prison_years",
            10,
            "Réhabilitation de plein droit, droit français de 1959 — non confirmé pour le Niger",
            False,
            "Délai après l'exécution d'un emprisonnement ferme court (voir short_prison_days).",
        ),
        Parameter(
            "short_prison_days",
            180,
            "Réhabilitation de plein droit, droit français de 1959 — non confirmé pour le Niger",
            False,
            "Durée maximale (jours) d'un emprisonnement « court ».",
        ),
        Parameter(
            "rehabilitation_medium_prison_years",
            15,
            "Réhabilitation de plein droit, droit français de 1959 — non confirmé pour le Niger",
            False,
            "Délai après l'exécution d'un emprisonnement ferme moyen (voir medium_prison_days).",
        ),
        Parameter(
            "medium_prison_days",
            730,
            "Réhabilitation de plein droit, droit français de 1959 — non confirmé pour le Niger",
            False,
            "Au-delà de cette durée (jours), seule la réhabilitation judiciaire est possible.",
        ),
        Parameter(
            "penal_majority_age",
            18,
            "Majorité pénale (Code pénal du Niger) — article non confirmé",
            False,
            "Âge en dessous duquel les décisions ne figurent ni au n°2 ni au n°3.",
        ),
        Parameter(
            "non_final_on_b2_b3",
            0,
            "Aucun texte confirmé : présomption d'innocence tant que la décision n'est pas définitive",
            False,
            "1 : une décision non définitive figure aux n°2 et n°3 ; 0 : seulement au n°1.",
        ),
        Parameter(
            "show_b1_consultations",
            0,
            "Secret de l'enquête et de l'instruction (CPP art. 11, numérotation non confirmée)",
            False,
            "1 : la personne voit aussi les demandes de bulletin n°1 des autorités judiciaires.",
        ),
    ]
}


def load_parameters() -> dict[str, int]:
    """Defaults overridden by the administrator's values."""
    from guichet.criminal_records.models import RuleParameter

    values = {key: p.default for key, p in PARAMETERS.items()}
    for row in RuleParameter.objects.filter(key__in=values.keys()):
        values[row.key] = row.value
    return values


# --- Who receives which bulletin (CPP Niger art. 706-719, confirmed) ------------------------------

RECIPIENTS = {
    B1: "judge",  # judicial authorities only
    B2: "administration",  # public administrations
    B3: "person",  # the person concerned, never a third party
}


def may_request(kind: int, *, role: str) -> bool:
    """`role`: an agent's role code, or "person" for the citizen asking for their own record."""
    return RECIPIENTS.get(kind) == role


def consultation_visible_to_person(kind: int, params: dict[str, int] | None = None) -> bool:
    """May the person see that their record was consulted with a bulletin of this kind?

    Requests by administrations (n°2) are shown; requests by judicial authorities (n°1) are not,
    unless the administrator sets show_b1_consultations (secret of investigations)."""
    params = params or load_parameters()
    if kind == B2:
        return True
    if kind == B1:
        return bool(params["show_b1_consultations"])
    return True  # their own requests


# --- Facts about one conviction on one date -------------------------------------------------------


@dataclass
class Facts:
    on: dt.date
    category: str  # most serious offence category: crime, delit, contravention
    prison_days: int  # all prison pronounced
    firm_prison_days: int  # prison not suspended, or whose suspension was revoked by `on`
    fine_total: int
    has_non_fine_penalty: bool
    final: bool
    minor: bool
    b3_ordered: bool
    amnestied: dt.date | None = None
    removed: dt.date | None = None
    judicial_rehabilitation: dt.date | None = None
    recorded_rehabilitation: dt.date | None = None
    legal_rehabilitation: dt.date | None = None  # computed from the delays
    suspension_lapsed: dt.date | None = None
    suspension_revoked: dt.date | None = None
    executed: dt.date | None = None
    pardoned: dt.date | None = None

    @property
    def rehabilitated(self) -> dt.date | None:
        dates = [
            d
            for d in (
                self.judicial_rehabilitation,
                self.recorded_rehabilitation,
                self.legal_rehabilitation,
            )
            if d
        ]
        return min(dates) if dates else None


_SEVERITY = {"crime": 3, "delit": 2, "contravention": 1}


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def facts(conviction, on: dt.date, params: dict[str, int], later_convictions=()) -> Facts:
    """Everything the rules need, as of `on` (events dated after `on` do not exist yet)."""
    from guichet.criminal_records.models import ConvictionEvent, Penalty

    categories = [o.category for o in conviction.offences.all()] or ["delit"]
    category = max(categories, key=lambda c: _SEVERITY[c])
    events = [e for e in conviction.events.all() if e.date <= on]
    first = {}
    for event in sorted(events, key=lambda e: e.date):
        first.setdefault(event.kind, event.date)
    kinds = ConvictionEvent.Kind
    revoked = first.get(kinds.SUSPENSION_REVOKED)
    penalties = list(conviction.penalties.all())
    prison = [p for p in penalties if p.kind == Penalty.Kind.PRISON]
    firm = sum(p.days or 0 for p in prison if not p.suspended or revoked)
    fines = sum(p.amount or 0 for p in penalties if p.kind == Penalty.Kind.FINE)

    person = conviction.person
    reference_day = conviction.offence_date or conviction.decision_date
    # Judged on the latest possible birth day: an unknown day counts in the person's favour.
    born = person.latest_possible_birth()
    age = (
        reference_day.year
        - born.year
        - ((reference_day.month, reference_day.day) < (born.month, born.day))
    )

    f = Facts(
        on=on,
        category=category,
        prison_days=sum(p.days or 0 for p in prison),
        firm_prison_days=firm,
        fine_total=fines,
        has_non_fine_penalty=any(p.kind != Penalty.Kind.FINE for p in penalties),
        final=conviction.is_final,
        minor=age < params["penal_majority_age"],
        b3_ordered=conviction.b3_mention_ordered,
        amnestied=first.get(kinds.AMNESTY),
        removed=first.get(kinds.REMOVAL),
        judicial_rehabilitation=first.get(kinds.REHABILITATION_JUDICIAL),
        recorded_rehabilitation=first.get(kinds.REHABILITATION_LEGAL),
        suspension_revoked=revoked,
        pardoned=first.get(kinds.PARDON),
    )

    # Execution: every kind of penalty done (served / paid), or remitted by a pardon.
    needs_served = firm > 0 or any(
        p.kind in (Penalty.Kind.COMMUNITY_SERVICE, Penalty.Kind.OTHER) for p in penalties
    )
    needs_paid = fines > 0
    done = []
    if needs_served:
        done.append(first.get(kinds.SERVED))
    if needs_paid:
        done.append(first.get(kinds.PAID))
    if f.pardoned:
        f.executed = f.pardoned
    elif done and all(done):
        f.executed = max(done)

    new_convictions = [c.decision_date for c in later_convictions if c.pk != conviction.pk]

    # Suspended sentence not revoked: lapses after the probation delay without a new conviction.
    if prison and all(p.suspended for p in prison) and not revoked:
        lapse = _add_years(conviction.decision_date, params["suspension_probation_years"])
        if lapse <= on and not any(conviction.decision_date < d <= lapse for d in new_convictions):
            f.suspension_lapsed = lapse

    # Rehabilitation by law: a delay after execution, without a new conviction meanwhile.
    if f.executed:
        if firm == 0:
            # Suspended prison not revoked: the lapse of the suspension answers instead.
            years = None if prison else params["rehabilitation_fine_years"]
        elif firm <= params["short_prison_days"]:
            years = params["rehabilitation_short_prison_years"]
        elif firm <= params["medium_prison_days"]:
            years = params["rehabilitation_medium_prison_years"]
        else:
            years = None  # only a court can rehabilitate
        if years is not None:
            due = _add_years(f.executed, years)
            if due <= on and not any(f.executed < d <= due for d in new_convictions):
                f.legal_rehabilitation = due
    return f


# --- The rules ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A reason a conviction does not appear on some bulletins."""

    code: str
    article: str
    confirmed_for_niger: bool
    text: str
    excludes_from: frozenset[int]
    applies: Callable[[Facts, dict[str, int]], bool] = field(compare=False)


def _not_recordable(f: Facts, p: dict[str, int]) -> bool:
    if f.category != "contravention":
        return False
    return not (
        f.prison_days > p["contravention_prison_days"] or f.fine_total > p["contravention_fine"]
    )


def _b3_not_serious(f: Facts, p: dict[str, int]) -> bool:
    return not (f.firm_prison_days > p["b3_prison_days"] or (f.b3_ordered and f.firm_prison_days))


RULES: list[Rule] = [
    Rule(
        "not_recordable",
        "CPP Niger art. 706-719 (casier : crimes, délits, contraventions > 10 jours ou > 50 000 F)",
        True,
        _("Contravention non inscrite au casier (peine sous les seuils)."),
        ALL_BULLETINS,
        _not_recordable,
    ),
    Rule(
        "amnesty",
        "CPP français 1959 art. 769 (retrait des fiches effacées par l'amnistie) — non confirmé",
        False,
        _("Condamnation effacée par l'amnistie : fiche retirée."),
        ALL_BULLETINS,
        lambda f, p: f.amnestied is not None,
    ),
    Rule(
        "removed_by_decision",
        "CPP français 1959 art. 769 et 778 (rectification, retrait ordonné) — non confirmé",
        False,
        _("Fiche retirée par décision de justice."),
        ALL_BULLETINS,
        lambda f, p: f.removed is not None,
    ),
    Rule(
        "minor",
        "CPP français 1959 art. 775-1° et 777 (décisions concernant les mineurs) — non confirmé",
        False,
        _("Décision concernant un mineur : seulement au bulletin n°1."),
        frozenset({B2, B3}),
        lambda f, p: f.minor,
    ),
    Rule(
        "contravention_b2",
        "CPP français 1959 art. 775 (condamnations pour contravention) — non confirmé",
        False,
        _("Condamnation pour contravention : pas au bulletin n°2."),
        frozenset({B2, B3}),
        lambda f, p: f.category == "contravention",
    ),
    Rule(
        "rehabilitated",
        "CPP français 1959 art. 775 et 777, réhabilitation (art. 782 s.) — non confirmé",
        False,
        _("Condamnation effacée par la réhabilitation : seulement au bulletin n°1, avec mention."),
        frozenset({B2, B3}),
        lambda f, p: f.rehabilitated is not None,
    ),
    Rule(
        "suspension_lapsed",
        "CPP français 1959 art. 775 et 777 ; sursis non avenu après le délai d'épreuve — non confirmé",
        False,
        _("Condamnation avec sursis non avenue (délai d'épreuve écoulé sans révocation)."),
        frozenset({B2, B3}),
        lambda f, p: f.suspension_lapsed is not None,
    ),
    Rule(
        "not_final",
        "Aucun texte confirmé — paramètre non_final_on_b2_b3",
        False,
        _("Décision non définitive : seulement au bulletin n°1."),
        frozenset({B2, B3}),
        lambda f, p: not f.final and not p["non_final_on_b2_b3"],
    ),
    Rule(
        "b3_serious_only",
        "CPP français 1959 art. 777 (n°3 : emprisonnement ferme de plus de deux ans, ou mention "
        "ordonnée) — non confirmé",
        False,
        _("Le bulletin n°3 ne porte que les peines d'emprisonnement ferme les plus graves."),
        frozenset({B3}),
        _b3_not_serious,
    ),
]


def exclusions(
    conviction, kind: int, on: dt.date, params=None, later_convictions=None
) -> list[Rule]:
    """The rules that keep `conviction` off bulletin n°`kind` on `on` (empty: it appears)."""
    params = params or load_parameters()
    if later_convictions is None:
        later_convictions = list(conviction.person.convictions.filter(decision_date__lte=on))
    f = facts(conviction, on, params, later_convictions)
    return [rule for rule in RULES if kind in rule.excludes_from and rule.applies(f, params)]


# --- Bulletins ------------------------------------------------------------------------------------


@dataclass
class Entry:
    conviction_id: int
    court: str
    decision_date: dt.date
    decision_number: str
    kind: str
    final: bool
    offences: list[str]
    penalties: list[str]
    mentions: list[str]

    def as_dict(self) -> dict:
        return {
            "conviction_id": self.conviction_id,
            "court": self.court,
            "decision_date": self.decision_date.isoformat(),
            "decision_number": self.decision_number,
            "kind": self.kind,
            "final": self.final,
            "offences": self.offences,
            "penalties": self.penalties,
            "mentions": self.mentions,
        }


def _mentions(conviction, f: Facts) -> list[str]:
    mentions = []
    if f.suspension_revoked:
        mentions.append(str(_("Sursis révoqué le %s")) % f"{f.suspension_revoked:%d/%m/%Y}")
    if f.pardoned:
        mentions.append(str(_("Grâce le %s")) % f"{f.pardoned:%d/%m/%Y}")
    if f.executed and not f.pardoned:
        mentions.append(str(_("Peine exécutée le %s")) % f"{f.executed:%d/%m/%Y}")
    if f.rehabilitated:
        mentions.append(str(_("Réhabilité(e) le %s")) % f"{f.rehabilitated:%d/%m/%Y}")
    if f.suspension_lapsed:
        mentions.append(str(_("Sursis non avenu le %s")) % f"{f.suspension_lapsed:%d/%m/%Y}")
    for event in conviction.events.all():
        if event.kind == "correction" and event.date <= f.on:
            mentions.append(
                str(_("Rectifiée le %(date)s (%(ref)s)"))
                % {"date": f"{event.date:%d/%m/%Y}", "ref": event.reference}
            )
    return mentions


def bulletin_entries(person, kind: int, on: dt.date | None = None) -> list[Entry]:
    """The entries of bulletin n°`kind` for `person` as of `on` (default: today).

    Convictions pronounced after `on`, and events dated after it, are ignored: the result is what
    the bulletin showed — or would have shown — on that date.
    """
    from django.utils import timezone

    if kind not in ALL_BULLETINS:
        raise ValueError(f"Unknown bulletin kind {kind!r}")
    on = on or timezone.localdate()
    params = load_parameters()
    convictions = list(
        person.convictions.filter(decision_date__lte=on)
        .select_related("court", "person")
        .prefetch_related("offences", "penalties", "events")
    )
    entries = []
    for conviction in convictions:
        f = facts(conviction, on, params, convictions)
        if any(kind in rule.excludes_from and rule.applies(f, params) for rule in RULES):
            continue
        entries.append(
            Entry(
                conviction_id=conviction.pk,
                court=conviction.court.name,
                decision_date=conviction.decision_date,
                decision_number=conviction.decision_number,
                kind=conviction.get_kind_display(),
                final=conviction.is_final,
                offences=[o.label for o in conviction.offences.all()],
                penalties=[str(p) for p in conviction.penalties.all()],
                mentions=_mentions(conviction, f) if kind == B1 else [],
            )
        )
    return entries
