"""The sentences a Niger court pronounces, as the law names them — vocabulary, wording, parsing.

Sources (Code pénal du Niger, loi n° 61-27 du 15 juillet 1961 modifiée notamment par la loi
n° 2003-025 du 13 juin 2003):

* art. 1: a crime is an offence punished by a penalty « afflictive et infamante », a délit by a
  correctional penalty, a contravention by a police penalty;
* Livre I, titre I, chapitre I (art. 13 à 23): the criminal penalties — death, imprisonment for
  life (« réclusion criminelle à perpétuité », « emprisonnement à vie » in the code's wording) and
  imprisonment for a term;
* chapitre II (art. 24 et 25): the correctional penalties — emprisonnement, amende;
* chapitre III (art. 26 à 37): interdiction de séjour and the other penalties pronounced for a
  crime or a délit (interdictions of rights, confiscation, …);
* measures for minors: ordonnance n° 99-11 du 14 mai 1999 sur les juridictions pour mineurs
  (remise aux parents, liberté surveillée, placement).

The article-by-article wording could not be read in full; the kinds below are the categories the
code's table of contents names. This module holds no Django model: models.Penalty stores a kind
and the duration *as pronounced* (years, months, days); rules.py reads the legal nature from here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# --- Kinds ----------------------------------------------------------------------------------------

DEATH = "death"
LIFE_IMPRISONMENT = "life_imprisonment"
CRIMINAL_IMPRISONMENT = "criminal_imprisonment"
PRISON = "prison"
FINE = "fine"
COMMUNITY_SERVICE = "community_service"
COMPLEMENTARY = "complementary"
EDUCATIONAL_MEASURE = "educational_measure"
OTHER = "other"

KIND_CHOICES = [
    (DEATH, _("Peine de mort")),
    (LIFE_IMPRISONMENT, _("Réclusion criminelle à perpétuité")),
    (CRIMINAL_IMPRISONMENT, _("Réclusion criminelle à temps")),
    (PRISON, _("Emprisonnement")),
    (FINE, _("Amende")),
    (COMMUNITY_SERVICE, _("Travail d'intérêt général")),
    (COMPLEMENTARY, _("Peine complémentaire")),
    (EDUCATIONAL_MEASURE, _("Mesure éducative (mineur)")),
    (OTHER, _("Autre mesure (à qualifier)")),
]

# CP Niger art. 1 and Livre I titre I chapitre I: the penalties « afflictives et infamantes ».
CRIMINAL_KINDS = frozenset({DEATH, LIFE_IMPRISONMENT, CRIMINAL_IMPRISONMENT})
# Penalties depriving of liberty (a death sentence is heavier than any of them).
CUSTODIAL_KINDS = frozenset({LIFE_IMPRISONMENT, CRIMINAL_IMPRISONMENT, PRISON})
# « l'emprisonnement ou une peine plus grave » (sursis, réhabilitation): custodial, or death.
PRISON_OR_HEAVIER_KINDS = CUSTODIAL_KINDS | {DEATH}
# Kinds whose length is pronounced, and those that can carry a sursis.
DURATION_KINDS = frozenset({CRIMINAL_IMPRISONMENT, PRISON})
SUSPENDABLE_KINDS = frozenset({PRISON})

SUSPENSION_SIMPLE = "simple"
SUSPENSION_PROBATION = "probation"
SUSPENSION_CHOICES = [
    (SUSPENSION_SIMPLE, _("sursis simple")),
    (SUSPENSION_PROBATION, _("sursis avec mise à l'épreuve")),
]

COMPLEMENTARY_CHOICES = [
    ("residence_ban", _("interdiction de séjour")),
    ("civic_rights", _("interdiction des droits civiques, civils et de famille")),
    ("profession", _("interdiction d'exercer une profession ou une activité")),
    ("confiscation", _("confiscation")),
    ("licence_suspension", _("suspension du permis de conduire")),
    ("licence_cancellation", _("annulation du permis de conduire")),
    ("territory_ban", _("interdiction du territoire / expulsion")),
    ("publication", _("publication ou affichage de la décision")),
    ("other", _("autre peine complémentaire")),
]
EDUCATIONAL_CHOICES = [
    ("admonition", _("admonestation")),
    ("parents", _("remise aux parents ou au gardien")),
    ("supervised_freedom", _("liberté surveillée")),
    ("placement", _("placement dans une institution ou un établissement")),
    ("other", _("autre mesure éducative")),
]

# A day count alone (a legacy file, a threshold parameter) is read in the unit the court most
# likely pronounced it: 730 → 2 ans, 90 → 3 mois (split_days).
DAYS_PER_YEAR = 365
DAYS_PER_MONTH = 30


def split_days(days: int | None) -> dict:
    """A length known only as a day count, in the unit the court most likely pronounced it."""
    if days and days % DAYS_PER_YEAR == 0:
        return {"years": days // DAYS_PER_YEAR, "months": None, "days": None}
    if days and days % DAYS_PER_MONTH == 0:
        return {"years": None, "months": days // DAYS_PER_MONTH, "days": None}
    return {"years": None, "months": None, "days": days}


def add_months(day: dt.date, months: int) -> dt.date:
    """« De quantième à quantième »: the same day of the month `months` later, or that month's
    last day when it has none (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@dataclass(frozen=True)
class Length:
    """A length as pronounced, counted « de date à date » from a start day (the decision).

    A year is twelve months, so « 24 mois » is « 2 ans » and « 24 mois et 5 jours » is more —
    counting a month as 30 days made 24 months 720 days, under a two-year threshold of 730.
    Lengths of different units (months and days) compare only once laid on the calendar from
    the same start, which is why every comparison takes one."""

    months: int = 0
    days: int = 0

    @classmethod
    def pronounced(
        cls, years: int | None = None, months: int | None = None, days: int | None = None
    ) -> Length:
        return cls(12 * (years or 0) + (months or 0), days or 0)

    @classmethod
    def of_days(cls, days: int) -> Length:
        """A threshold set as a day count (730 → 2 ans, 180 → 6 mois, 10 → 10 jours)."""
        return cls.pronounced(**split_days(days))

    def __add__(self, other: Length) -> Length:
        return Length(self.months + other.months, self.days + other.days)

    def __sub__(self, other: Length) -> Length:
        return Length(self.months - other.months, self.days - other.days)

    @property
    def is_empty(self) -> bool:
        return not self.months and not self.days

    def end(self, start: dt.date) -> dt.date:
        return add_months(start, self.months) + dt.timedelta(days=self.days)

    def days_from(self, start: dt.date) -> int:
        return (self.end(start) - start).days


def duration_text(years: int | None, months: int | None, days: int | None) -> str:
    """« 2 ans, 6 mois et 15 jours », as the judgment pronounced it."""
    parts = []
    if years:
        parts.append(ngettext("%(n)d an", "%(n)d ans", years) % {"n": years})
    if months:
        parts.append(ngettext("%(n)d mois", "%(n)d mois", months) % {"n": months})
    if days:
        parts.append(ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days})
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " " + str(_("et")) + " " + parts[-1]


def label_of(choices, value: str) -> str:
    return str(dict(choices).get(value, value))


# --- Reading today's free text (« autre mesure ») ------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    """What a free-text penalty turned out to be; `fields` go onto models.Penalty."""

    kind: str
    fields: dict


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", text.lower().replace("’", "'")).strip()


_NUMBER_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "quinze": 15,
    "vingt": 20,
    "trente": 30,
}
_NUMBER = r"(\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = {"an": "years", "ans": "years", "annee": "years", "annees": "years", "mois": "months"}
_UNIT |= {"jour": "days", "jours": "days"}
_DURATION = re.compile(_NUMBER + r"\s*(annees|annee|ans|an|mois|jours|jour)\b")


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _NUMBER_WORDS[token]


def _durations(text: str) -> dict:
    found: dict[str, int] = {}
    for number, unit in _DURATION.findall(text):
        key = _UNIT[unit]
        if key in found:
            return {}  # two lengths of the same unit: too ambiguous to read
        found[key] = _number(number)
    return found


_PATTERNS = [
    (re.compile(r"\b(peine de mort|peine capitale|condamn\w* a mort|a la peine de mort)\b"), DEATH),
    (
        re.compile(
            r"\b(reclusion|emprisonnement|detention|travaux forces)"
            r"( criminelle)? (a perpetuite|a vie)\b|\bperpetuite\b"
        ),
        LIFE_IMPRISONMENT,
    ),
    (
        re.compile(r"\b(reclusion criminelle|reclusion|detention criminelle)\b"),
        CRIMINAL_IMPRISONMENT,
    ),
]
_COMPLEMENTARY = [
    (re.compile(r"\binterdiction de sejour\b"), "residence_ban"),
    (re.compile(r"\b(droits civiques|droits civils|privation des droits)\b"), "civic_rights"),
    (re.compile(r"\binterdiction d'exercer\b"), "profession"),
    (re.compile(r"\bconfiscation\b"), "confiscation"),
    (re.compile(r"\bsuspension (du|de) permis\b"), "licence_suspension"),
    (re.compile(r"\bannulation (du|de) permis\b"), "licence_cancellation"),
    (re.compile(r"\b(interdiction du territoire|expulsion)\b"), "territory_ban"),
    (re.compile(r"\b(publication|affichage)\b"), "publication"),
]
_EDUCATIONAL = [
    (re.compile(r"\badmonestation\b"), "admonition"),
    (re.compile(r"\bremise (a|aux) (ses )?(parents|gardien)\b"), "parents"),
    (re.compile(r"\bliberte surveillee\b"), "supervised_freedom"),
    (re.compile(r"\bplacement\b"), "placement"),
]


def parse_free_text(text: str) -> Parsed | None:
    """The legal kind of a penalty written in words, or None when the text does not say.

    Only unambiguous wordings are read: « réclusion criminelle à perpétuité », « peine de mort »,
    « 20 ans de réclusion criminelle », « interdiction de séjour de 5 ans », « liberté
    surveillée »… Anything else stays for a clerk (selectors.penalties_to_qualify)."""
    folded = _fold(text)
    if not folded:
        return None
    if re.search(r"\bsursis\b", folded):
        return None  # a suspended criminal sentence is not a wording the code knows: ask a clerk
    if _PATTERNS[0][0].search(folded):
        return Parsed(DEATH, {})
    if _PATTERNS[1][0].search(folded):
        return Parsed(LIFE_IMPRISONMENT, {})
    if _PATTERNS[2][0].search(folded):
        lengths = _durations(folded)
        if not lengths:
            return None
        return Parsed(CRIMINAL_IMPRISONMENT, lengths)
    for pattern, code in _EDUCATIONAL:
        if pattern.search(folded):
            return Parsed(EDUCATIONAL_MEASURE, {"subkind": code})
    for pattern, code in _COMPLEMENTARY:
        if pattern.search(folded):
            return Parsed(COMPLEMENTARY, {"subkind": code} | _durations(folded))
    return None
