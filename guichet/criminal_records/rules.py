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
  (rule_parameters.py) that a platform administrator changes by adding a dated version, and each
  of them can be switched off (parameter rule_<code>).
* The penalties are read by their legal nature (penalties.py, Code pénal du Niger): a criminal
  penalty — death, réclusion à perpétuité or à temps — is never reduced to a day count.

`bulletin_entries(person, kind, on=date)` answers "what was (or will be) on bulletin n°kind on
that date", from the convictions and the events dated on or before it, with the parameters in
force on that date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from guichet.criminal_records import penalties as kinds_of_penalty
from guichet.criminal_records import rule_parameters
from guichet.criminal_records.penalties import Length, add_months

B1, B2, B3 = 1, 2, 3
ALL_BULLETINS = frozenset({B1, B2, B3})


# --- Parameters (rule_parameters.py: sources, bounds, versions in time) --------------------------

PARAMETERS = rule_parameters.PARAMETERS
Parameter = rule_parameters.Parameter
load_parameters = rule_parameters.load_parameters


def rules_version_on(on: dt.date) -> str:
    """The identifier of the rules applied to a bulletin as of `on` (printed on the PDF)."""
    return rule_parameters.rules_version(load_parameters(on))


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
    decided: dt.date
    category: str  # most serious offence category: crime, delit, contravention
    # Custody pronounced with a length, and the part not suspended (or whose suspension was
    # revoked by `on`), both as days laid « de date à date » from the decision (`decided`).
    prison_days: int
    firm_prison_days: int
    fine_total: int
    has_non_fine_penalty: bool
    final: bool
    minor: bool
    b3_ordered: bool
    criminal_penalty: bool = False  # death, life, or réclusion for a term (CP Niger art. 1)
    death: bool = False
    life: bool = False
    amnestied: dt.date | None = None
    removed: dt.date | None = None
    judicial_rehabilitation: dt.date | None = None
    recorded_rehabilitation: dt.date | None = None
    legal_rehabilitation: dt.date | None = None  # computed from the delays
    suspension_lapsed: dt.date | None = None
    suspension_revoked: dt.date | None = None
    executed: dt.date | None = None
    pardoned: dt.date | None = None
    commutations: list = field(default_factory=list)  # [(date, new penalty, reference)]
    penalties: list = field(default_factory=list)  # the Penalty rows in force on `on`

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


def threshold_days(days: int, start: dt.date) -> int:
    """A threshold parameter (in days) laid on the calendar from `start` like the lengths it is
    compared with: 730 is two years, so « 24 mois » equals it and « 24 mois et 5 jours » exceeds
    it whatever the leap years."""
    return Length.of_days(days).days_from(start)


def penalties_in_force(conviction, on: dt.date) -> list:
    """The penalties of `conviction` as of `on`: those of the decision, or of the last decision on
    a recourse (appel, opposition, pourvoi) dated by `on` that reformed them."""
    dates = {e.pk: e.date for e in conviction.events.all()}
    return [
        p
        for p in conviction.penalties.all()
        if (p.pronounced_by_id is None or dates[p.pronounced_by_id] <= on)
        and (p.replaced_by_id is None or dates[p.replaced_by_id] > on)
    ]


def _recourses(conviction, on: dt.date) -> list:
    """The decisions on recourse dated by `on`, oldest first."""
    return sorted(
        (e for e in conviction.events.all() if e.kind == "recourse" and e.date <= on),
        key=lambda e: e.date,
    )


def final_on(conviction, on: dt.date) -> bool:
    """Was the conviction final on `on`? A recourse recorded later means it was not yet; after a
    decision on recourse, that decision says."""
    recourses = _recourses(conviction, dt.date.max)
    if not recourses or on >= recourses[-1].date:
        return conviction.is_final  # the last decision's, or a rectification of it since
    decided = _recourses(conviction, on)
    return bool(decided[-1].final_decision) if decided else False


def kind_on(conviction, on: dt.date) -> str:
    """« Contradictoire » or « Par défaut », as the last decision by `on` was: an opposition
    to a judgment by default gives a judgment after both parties were heard."""
    decided = _recourses(conviction, on)
    if decided and decided[-1].decision_kind:
        return decided[-1].get_decision_kind_display()
    return conviction.get_kind_display()


def b3_mention_ordered_on(conviction, on: dt.date) -> bool:
    """Had a court ordered the sentence's mention on B3 (CPP fr. 1959 art. 777-2°) as of `on`?
    The mention is part of the sentence: the last decision on recourse by `on` that said so
    decides; one recorded without saying keeps the mention then in force."""
    stated = [e for e in _recourses(conviction, on) if e.b3_mention_ordered is not None]
    return stated[-1].b3_mention_ordered if stated else conviction.b3_mention_ordered


def sentenced_on(conviction, in_force: list) -> dt.date:
    """The day the sentence in force was pronounced (the decision, or the decision on recourse
    that reformed it): the delays of the sursis and the lengths are counted from it."""
    dates = {e.pk: e.date for e in conviction.events.all()}
    return max(
        (dates[p.pronounced_by_id] for p in in_force if p.pronounced_by_id),
        default=conviction.decision_date,
    )


def _category(conviction) -> str:
    categories = [o.category for o in conviction.offences.all()] or ["delit"]
    return max(categories, key=lambda c: _SEVERITY[c])


def interrupts(later, on: dt.date, params: dict[str, int]) -> bool:
    """Does `later` stop a delay (lapse of a sursis, rehabilitation by law) of an earlier one?

    Loi du 26 mars 1891 art. 1 (sursis), taken up by CPP fr. 1959 art. 735: the sentence is non
    avenue if the person « n'a encouru aucune poursuite suivie de condamnation à l'emprisonnement
    ou à une peine plus grave pour crime ou délit de droit commun »; the rehabilitation by law
    (CPP fr. 1959, art. 782 s.) asks the same of the delay: « aucune condamnation nouvelle à
    l'emprisonnement ou à une peine plus grave pour crime ou délit ». So: a crime or a délit
    (never a contravention, recorded or not), punished by prison (even suspended) or heavier
    (réclusion, death) — a fine, community service or a complementary penalty alone does not
    count — and not erased by an amnesty or withdrawn by a decision as of `on`. Not confirmed
    for Niger."""
    events = {e.kind for e in later.events.all() if e.date <= on}
    if params.get("rule_amnesty", 1) and "amnesty" in events:
        return False
    if params.get("rule_removed_by_decision", 1) and "removal" in events:
        return False
    if _category(later) == "contravention":
        return False
    return any(p.is_prison_or_heavier for p in penalties_in_force(later, on))


def facts(conviction, on: dt.date, params: dict[str, int], later_convictions=()) -> Facts:
    """Everything the rules need, as of `on` (events dated after `on` do not exist yet)."""
    from guichet.criminal_records.models import ConvictionEvent, Penalty

    category = _category(conviction)
    events = sorted((e for e in conviction.events.all() if e.date <= on), key=lambda e: e.date)
    first = {}
    for event in events:
        first.setdefault(event.kind, event.date)
    kinds = ConvictionEvent.Kind
    revoked = first.get(kinds.SUSPENSION_REVOKED)
    penalties = penalties_in_force(conviction, on)
    custodial = [p for p in penalties if p.is_custodial]
    prison = [p for p in penalties if p.kind == Penalty.Kind.PRISON]
    decided = sentenced_on(conviction, penalties)
    firm = sum((p.firm_length(revoked=bool(revoked)) for p in custodial), start=Length()).days_from(
        decided
    )
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
        decided=decided,
        category=category,
        prison_days=sum((p.length for p in custodial), start=Length()).days_from(decided),
        firm_prison_days=firm,
        fine_total=fines,
        has_non_fine_penalty=any(p.kind != Penalty.Kind.FINE for p in penalties),
        final=final_on(conviction, on),
        penalties=penalties,
        minor=age < params["penal_majority_age"],
        b3_ordered=b3_mention_ordered_on(conviction, on),
        criminal_penalty=any(p.is_criminal for p in penalties),
        death=any(p.kind == Penalty.Kind.DEATH for p in penalties),
        life=any(p.kind == Penalty.Kind.LIFE_IMPRISONMENT for p in penalties),
        amnestied=first.get(kinds.AMNESTY),
        removed=first.get(kinds.REMOVAL),
        judicial_rehabilitation=first.get(kinds.REHABILITATION_JUDICIAL),
        recorded_rehabilitation=first.get(kinds.REHABILITATION_LEGAL),
        suspension_revoked=revoked,
        pardoned=first.get(kinds.PARDON),
        commutations=[
            (e.date, e.commuted_to, e.reference) for e in events if e.kind == kinds.COMMUTATION
        ],
    )

    # Execution: every kind of penalty done (served / paid), or remitted by a pardon.
    needs_served = firm > 0 or any(
        p.kind
        in (
            Penalty.Kind.COMMUNITY_SERVICE,
            Penalty.Kind.OTHER,
            *kinds_of_penalty.CRIMINAL_KINDS,
        )
        for p in penalties
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

    later = [c for c in later_convictions if c.pk != conviction.pk]

    def interrupted(start: dt.date, end: dt.date) -> bool:
        return any(start < c.decision_date <= end and interrupts(c, on, params) for c in later)

    # Sursis not revoked: the sentence is non avenue after the delay. Sursis simple (loi de 1891,
    # CPP fr. 1959 art. 735): five years without a new sentence to prison or heavier. Sursis avec
    # mise à l'épreuve (CPP fr. 1959 art. 738, 745): the delay the court fixed, unless the court
    # revoked it (a later conviction revokes it only through a revocation decision). Only when
    # every custodial penalty is wholly suspended: a firm part follows rehabilitation.
    if (
        prison
        and len(prison) == len(custodial)
        and all(p.wholly_suspended(decided) for p in prison)
        and not revoked
    ):
        probation = [p for p in prison if p.suspension_kind == Penalty.Suspension.PROBATION]
        years = max(
            [p.probation_years or params["suspension_probation_years"] for p in probation]
            or [params["suspension_probation_years"]]
        )
        lapse = add_months(decided, 12 * years)
        simple = len(probation) < len(prison)
        if lapse <= on and not (simple and interrupted(decided, lapse)):
            f.suspension_lapsed = lapse

    # Rehabilitation by law: a delay after execution, without a new conviction meanwhile. Never
    # for a criminal penalty (death, réclusion): only a court rehabilitates then.
    if f.executed and not f.criminal_penalty:
        if firm == 0:
            # Suspended prison not revoked: the lapse of the suspension answers instead.
            years = None if prison else params["rehabilitation_fine_years"]
        elif firm <= threshold_days(params["short_prison_days"], decided):
            years = params["rehabilitation_short_prison_years"]
        elif firm <= threshold_days(params["medium_prison_days"], decided):
            years = params["rehabilitation_medium_prison_years"]
        else:
            years = None  # only a court can rehabilitate
        if years is not None:
            due = add_months(f.executed, 12 * years)
            if due <= on and not interrupted(f.executed, due):
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
        f.prison_days > threshold_days(p["contravention_prison_days"], f.decided)
        or f.fine_total > p["contravention_fine"]
    )


def _b3_not_serious(f: Facts, p: dict[str, int]) -> bool:
    # A criminal penalty (death, réclusion à perpétuité or à temps, CP Niger art. 1 and 13 s.) is
    # always on B3, whatever its length — it is read from the penalty's nature, not from days.
    if f.criminal_penalty:
        return False
    return not (
        f.firm_prison_days > threshold_days(p["b3_prison_days"], f.decided)
        or (f.b3_ordered and f.firm_prison_days)
    )


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
        "CPP français 1959 art. 777 (n°3 : peines criminelles, emprisonnement ferme de plus de "
        "deux ans, ou mention ordonnée) — non confirmé",
        False,
        _("Le bulletin n°3 ne porte que les peines d'emprisonnement ferme les plus graves."),
        frozenset({B3}),
        _b3_not_serious,
    ),
]


def rule_enabled(rule: Rule, params: dict[str, int]) -> bool:
    """A rule confirmed for Niger always applies; the others can be switched off (rule_<code>)."""
    return rule.confirmed_for_niger or bool(params.get(f"rule_{rule.code}", 1))


def _excluding(f: Facts, kind: int, params: dict[str, int]) -> list[Rule]:
    return [
        rule
        for rule in RULES
        if kind in rule.excludes_from and rule_enabled(rule, params) and rule.applies(f, params)
    ]


def exclusions(
    conviction, kind: int, on: dt.date, params=None, later_convictions=None
) -> list[Rule]:
    """The rules that keep `conviction` off bulletin n°`kind` on `on` (empty: it appears)."""
    params = params or load_parameters(on)
    if later_convictions is None:
        later_convictions = list(conviction.person.convictions.filter(decision_date__lte=on))
    f = facts(conviction, on, params, later_convictions)
    return _excluding(f, kind, params)


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


def _penalty_lines(conviction, f: Facts) -> list[str]:
    """The penalties in force as pronounced (by the decision on recourse that reformed them, if
    any, which is named); a revoked sursis and a commutation are printed with them on every
    bulletin (a sentence printed « avec sursis » must not hide that it is now firm)."""
    lines = [p.text(revoked_on=f.suspension_revoked) for p in f.penalties]
    reforming = {p.pronounced_by_id for p in f.penalties if p.pronounced_by_id}
    for event in conviction.events.all():
        if event.pk in reforming:
            # The sentence printed is not the first decision's: say which decision gave it.
            line = str(_("peine prononcée sur recours le %(date)s")) % {
                "date": f"{event.date:%d/%m/%Y}"
            }
            lines.append(f"{line} ({event.reference})" if event.reference else line)
    for day, new_penalty, reference in f.commutations:
        line = str(_("peine commuée le %(date)s en %(penalty)s")) % {
            "date": f"{day:%d/%m/%Y}",
            "penalty": new_penalty or "—",
        }
        lines.append(f"{line} ({reference})" if reference else line)
    return lines


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
    params = load_parameters(on)
    convictions = list(
        person.convictions.filter(decision_date__lte=on)
        .select_related("court", "person")
        .prefetch_related("offences", "penalties", "events")
    )
    entries = []
    for conviction in convictions:
        f = facts(conviction, on, params, convictions)
        if _excluding(f, kind, params):
            continue
        entries.append(
            Entry(
                conviction_id=conviction.pk,
                court=conviction.court.name,
                decision_date=conviction.decision_date,
                decision_number=conviction.decision_number,
                kind=kind_on(conviction, on),
                final=f.final,
                offences=[o.label for o in conviction.offences.all()],
                penalties=_penalty_lines(conviction, f),
                mentions=_mentions(conviction, f) if kind == B1 else [],
            )
        )
    return entries
