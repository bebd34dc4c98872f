"""What is known of a person (`Identity`) and how two identities compare, fact by fact
(`compare`, the score that `matching` ranks candidates by).

**Every civil-status fact is scored, none filters.** Last name, first names, birth date (exact,
year only, « né vers » ± years), birthplace (commune, or country abroad), sex, father and mother
are each compared (`compare`): a fact agrees (+1), is close (between 0 and 1), differs (down to
−1, a clear disagreement on a birthplace or a parent counts against), or is missing on one side
(a fixed, low value: a missing fact lowers confidence, it never counts as agreeing). The score is
the weighted mean, clamped to [0, 1]. Declared sex and year never exclude a candidate: a person
keyed with the wrong sex or born « vers 1980 » is still proposed, lower.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from guichet.criminal_records.names import (
    PARENT_SCALE,
    PARTICLES,
    fold,
    jaro_winkler,
    name_agreement,
    name_keys,
    phonetic_key,
    tokens_similarity,
)

# Weights of the facts (sum 1). Names dominate, then the date; a birthplace or a parent that
# differs counts against (value −1), so that homonyms born elsewhere or of another father fall
# clearly below PROBABLE.
WEIGHTS = {
    "last_name": 0.20,
    "first_names": 0.20,
    "birth_date": 0.18,
    "birthplace": 0.14,
    "sex": 0.04,
    "father": 0.12,
    "mother": 0.12,
}
# What a fact unknown on one side is worth: never as much as an agreement. A name not given is
# worth nothing (names are what identifies); an unknown parent or sex, half.
MISSING = {
    "last_name": 0.0,
    "first_names": 0.0,
    "birth_date": 0.0,
    "birthplace": 0.3,
    "sex": 0.5,
    "father": 0.5,
    "mother": 0.5,
}
FACT_LABELS = {
    "last_name": _("Nom"),
    "first_names": _("Prénoms"),
    "birth_date": _("Naissance"),
    "birthplace": _("Lieu de naissance"),
    "sex": _("Sexe"),
    "father": _("Père"),
    "mother": _("Mère"),
}


@dataclass
class Identity:
    """What is known of a person: declared in a request, or recorded in the register."""

    last_name: str = ""
    first_names: str = ""
    sex: str = ""
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    birth_year_margin: int = 0  # « né vers » : ± years
    birth_commune_id: int | None = None
    birth_region_id: int | None = None
    birth_commune_name: str = ""
    birth_country: str = ""
    father_name: str = ""
    mother_name: str = ""
    other_spellings: list[str] = field(default_factory=list)

    @classmethod
    def of_person(cls, person) -> Identity:
        commune = person.birth_commune
        return cls(
            last_name=person.last_name,
            first_names=person.first_names,
            sex=person.sex,
            birth_year=person.birth_year,
            birth_month=person.birth_month,
            birth_day=person.birth_day,
            birth_year_margin=getattr(person, "birth_year_margin", 0) or 0,
            birth_commune_id=commune.pk if commune else None,
            birth_region_id=commune.region_id if commune else None,
            birth_commune_name=commune.name if commune else "",
            birth_country=person.birth_country,
            father_name=person.father_name,
            mother_name=person.mother_name,
            other_spellings=[s for s in person.other_spellings.splitlines() if s.strip()],
        )

    @classmethod
    def of_request(cls, item) -> Identity:
        birth, commune = item.birth_date, item.birth_commune
        return cls(
            last_name=item.last_name,
            first_names=item.first_names,
            sex=item.sex,
            birth_year=item.birth_year,
            birth_month=birth.month if birth else None,
            birth_day=birth.day if birth else None,
            birth_year_margin=getattr(item, "birth_year_margin", 0) or 0,
            birth_commune_id=commune.pk if commune else None,
            birth_region_id=commune.region_id if commune else None,
            birth_commune_name=commune.name if commune else "",
            birth_country=item.birth_country,
            father_name=item.father_name,
            mother_name=item.mother_name,
        )

    def spellings(self) -> list[tuple[list[str], list[str]]]:
        """(last name keys, first name keys) for the main spelling and every other known one
        (« NOM Prénoms », one a line: the first word is taken as the last name)."""
        return [(name_keys(last), name_keys(first)) for last, first in self.written_spellings()]

    def written_spellings(self) -> list[tuple[str, str]]:
        """(last name, first names) as written, in the order of `spellings`."""
        out = [(self.last_name, self.first_names)]
        for line in self.other_spellings:
            words = [w for w in fold(line).split() if w not in PARTICLES]
            if words:
                out.append((words[0], " ".join(words[1:])))
        return out

    @property
    def birth_display(self) -> str:
        if self.birth_year is None:
            return ""
        if self.birth_day and self.birth_month:
            text = f"{self.birth_day:02d}/{self.birth_month:02d}/{self.birth_year}"
        elif self.birth_month:
            text = f"{self.birth_month:02d}/{self.birth_year}"
        else:
            text = str(self.birth_year)
        if self.birth_year_margin:
            return _("vers %(year)s (± %(n)s)") % {"year": text, "n": self.birth_year_margin}
        return text

    @property
    def birthplace_display(self) -> str:
        return self.birth_commune_name or self.birth_country


@dataclass
class Fact:
    """One civil-status fact, as asked and as recorded, and how they compare."""

    key: str
    asked: str
    found: str
    value: float  # −1 (differs) … 1 (agrees); MISSING[key] when unknown on one side
    missing: bool = False

    @property
    def label(self) -> str:
        return FACT_LABELS[self.key]

    @property
    def outcome(self) -> str:
        if self.missing:
            return "missing"
        if self.value >= 0.9:
            return "agree"
        if self.value > 0:
            return "close"
        return "differ"

    @property
    def outcome_label(self) -> str:
        return {
            "missing": _("inconnu d'un côté"),
            "agree": _("concorde"),
            "close": _("proche"),
            "differ": _("diffère"),
        }[self.outcome]


def _missing(key, asked, found) -> Fact:
    return Fact(key, asked, found, MISSING[key], missing=True)


# A name given with fewer (or more) words than recorded — « Nafiou » for « Younoussa Nafiou » —
# may be the same person who left out a second first name, or his twin: a small doubt per word.
UNMATCHED_WORD = 0.1
# Among spellings that share every phonetic key (Maman / Mahaman, Mamane), the one written
# closer to the query is preferred, by at most this much: a tie-break, never a difference.
LITERAL_TIE_BREAK = 0.05


def _name_fact_value(query_keys, known_keys, asked: str, written: str) -> float | None:
    """Agreement value of one name fact (last name or first names), None when unknown."""
    if not query_keys or not known_keys:
        return None
    value = name_agreement(tokens_similarity(query_keys, known_keys))
    unmatched = abs(len(query_keys) - len(known_keys))
    if unmatched and jaro_winkler("".join(query_keys), "".join(known_keys)) < 0.95:
        value -= UNMATCHED_WORD * unmatched  # not one compound keyed in one or two words
    literal = jaro_winkler(fold(asked).replace(" ", ""), fold(written).replace(" ", ""))
    return value - LITERAL_TIE_BREAK * (1 - literal)


def _compare_names(query: Identity, known: Identity) -> tuple[Fact, Fact]:
    """Last name and first names, in the order keyed or swapped (NOM Prénom / Prénom NOM), over
    every known spelling; the best reading wins."""
    q_last, q_first = name_keys(query.last_name), name_keys(query.first_names)
    best = None
    written = known.written_spellings()
    for (k_last, k_first), (w_last, w_first) in zip(known.spellings(), written, strict=True):
        for a, b, wa, wb, swap in (
            (k_last, k_first, w_last, w_first, False),
            (k_first, k_last, w_first, w_last, True),
        ):
            last = _name_fact_value(q_last, a, query.last_name, wa)
            first = _name_fact_value(q_first, b, query.first_names, wb)
            if swap:  # a swapped order is a small doubt
                last = None if last is None else last - 0.05
                first = None if first is None else first - 0.05
            total = (last if last is not None else -2) + (first if first is not None else 0)
            if best is None or total > best[0]:
                best = (total, last, first)
    _, last, first = best
    asked_last, asked_first = query.last_name.upper(), query.first_names
    found_last, found_first = known.last_name.upper(), known.first_names
    last_fact = (
        _missing("last_name", asked_last, found_last)
        if last is None
        else Fact("last_name", asked_last, found_last, last)
    )
    first_fact = (
        _missing("first_names", asked_first, found_first)
        if first is None
        else Fact("first_names", asked_first, found_first, first)
    )
    return last_fact, first_fact


def _compare_birth(query: Identity, known: Identity) -> Fact:
    """Exact date, month and year, year only, or « né vers » with ± years on either side."""
    asked, found = query.birth_display, known.birth_display
    if query.birth_year is None or known.birth_year is None:
        return _missing("birth_date", asked, found)
    gap = abs(query.birth_year - known.birth_year)
    margin = max(query.birth_year_margin, known.birth_year_margin)
    if gap == 0:
        months = (query.birth_month, known.birth_month)
        days = (query.birth_day, known.birth_day)
        if None in months:
            value = 0.7  # same year, month unknown on one side
        elif months[0] != months[1]:
            value = -0.5
        elif None in days:
            value = 0.85
        elif days[0] != days[1]:
            value = 0.0  # same month, another day: a slip or another person
        else:
            value = 1.0
        if margin and value > 0.6:
            value = 0.6  # an approximate year only says « around »
    elif gap <= margin:
        value = 0.6  # within the declared « né vers »
    elif gap == 1:
        value = 0.3
    elif gap == 2:
        value = 0.0
    elif gap <= margin + 2:
        value = -0.3
    else:
        value = -1.0
    return Fact("birth_date", asked, found, value)


def _compare_birthplace(query: Identity, known: Identity) -> Fact:
    asked, found = query.birthplace_display, known.birthplace_display
    q_abroad = query.birth_commune_id is None
    k_abroad = known.birth_commune_id is None
    if (q_abroad and not query.birth_country.strip()) or (
        k_abroad and not known.birth_country.strip()
    ):
        return _missing("birthplace", asked, found)
    if q_abroad != k_abroad:
        return Fact("birthplace", asked, found, -1.0)
    if q_abroad:
        same = phonetic_key(query.birth_country) == phonetic_key(known.birth_country)
        return Fact("birthplace", asked, found, 1.0 if same else -1.0)
    if query.birth_commune_id == known.birth_commune_id:
        return Fact("birthplace", asked, found, 1.0)
    # Another commune of the same region (Niamey I / Niamey III) is still another birthplace.
    same_region = query.birth_region_id == known.birth_region_id
    return Fact("birthplace", asked, found, -0.75 if same_region else -1.0)


def _compare_sex(query: Identity, known: Identity) -> Fact:
    if not query.sex or not known.sex:
        return _missing("sex", query.sex, known.sex)
    return Fact("sex", query.sex, known.sex, 1.0 if query.sex == known.sex else -1.0)


def _compare_parent(key: str, asked: str, found: str) -> Fact:
    q, k = name_keys(asked), name_keys(found)
    if not q or not k:
        return _missing(key, asked, found)
    return Fact(key, asked, found, name_agreement(tokens_similarity(q, k), **PARENT_SCALE))


def compare(query: Identity, known: Identity) -> tuple[float, list[Fact]]:
    """The score in [0, 1] of `known` being the person described by `query`, and the facts."""
    last, first = _compare_names(query, known)
    facts = [
        last,
        first,
        _compare_birth(query, known),
        _compare_birthplace(query, known),
        _compare_sex(query, known),
        _compare_parent("father", query.father_name, known.father_name),
        _compare_parent("mother", query.mother_name, known.mother_name),
    ]
    weights = dict(WEIGHTS)
    if not name_keys(query.first_names) and not any(first for _last, first in known.spellings()):
        # A one-word name on both sides (many in Niger's registers): nothing is missing, the
        # name is whole; the other facts decide, as they do for a full name.
        weights["first_names"] = 0.0
    score = sum(weights[f.key] * f.value for f in facts) / sum(weights.values())
    return max(0.0, min(1.0, score)), facts
