"""Finding the same person under another spelling, without a national identifier.

Names are reduced to phonetic keys and compared with the Jaro-Winkler similarity (`names`:
Mahamadou, Mamadou, Mahamadu → one key).

**Every civil-status fact is scored, none filters.** Last name, first names, birth date (exact,
year only, « né vers » ± years), birthplace (commune, or country abroad), sex, father and mother
are each compared (`compare`): a fact agrees (+1), is close (between 0 and 1), differs (down to
−1, a clear disagreement on a birthplace or a parent counts against), or is missing on one side
(a fixed, low value: a missing fact lowers confidence, it never counts as agreeing). The score is
the weighted mean, clamped to [0, 1]. Declared sex and year never exclude a candidate: a person
keyed with the wrong sex or born « vers 1980 » is still proposed, lower.

**Indexed.** The register is not scanned: each person's name tokens are reduced to blocking keys
(`PersonNameKey`, indexed), pairs of phonetic keys and of consonant skeletons, so that a query
reads the persons sharing one of its pairs — at most MAX_SCORED, the nearest by birth year,
birthplace and sex (`prerank`, computed in SQL from the facts each key carries, so that the
index alone chooses them) — then scores them here in Python.

Matching only *proposes*: a clerk decides. Two candidates at or above `PROBABLE` (or two
nearly tied above `LINKABLE`) are an **ambiguity**: the clerk must add a distinguishing fact to
the request before linking.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from guichet.criminal_records.names import (  # noqa: F401 — part of this module's interface
    PARENT_SCALE,
    PARTICLES,
    fold,
    jaro_winkler,
    name_agreement,
    name_keys,
    name_similarity,
    phonetic_key,
    skeleton,
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

PROPOSE = 0.5  # shown to the clerk as a candidate
PROBABLE = 0.85  # « probable »; two or more probable candidates are an ambiguity
LINKABLE = 0.7  # below, a candidate is too weak to be told apart from another by its score
AMBIGUITY_GAP = 0.1  # candidates closer than this to the best are contenders
LAST_NAME_SPAN = 15  # years around the declared birth year when no first name is given
MAX_SCORED = 100  # persons of a block scored per query at most, in `prerank` order


# --- Identities and facts --------------------------------------------------------------------------


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
    score = sum(WEIGHTS[f.key] * f.value for f in facts) / sum(WEIGHTS.values())
    return max(0.0, min(1.0, score)), facts


# --- Blocking keys (indexed) ------------------------------------------------------------------------


def _pairs(keys: list[str]) -> set[str]:
    unique = sorted(set(k for k in keys if k))
    if len(unique) == 1:
        return {unique[0]}
    return {f"{a}|{b}" for a, b in itertools.combinations(unique, 2)}


def blocking_keys(identity: Identity) -> set[str]:
    """The index entries of a person: every pair of its name tokens (whatever the order and the
    spelling), as phonetic keys (« p: ») and as consonant skeletons (« s: »); a one-word name
    keys itself. Every known spelling adds its own."""
    out = set()
    for last, first in identity.spellings():
        tokens = last + first
        out |= {f"p:{pair}" for pair in _pairs(tokens)}
        out |= {f"s:{pair}" for pair in _pairs([skeleton(t) for t in tokens])}
        # The last name alone, for a query without first names: with the birth year (a small
        # block per year, read over a window) and without (when no year is given either).
        out |= {f"l:{key}" for key in last}
        if identity.birth_year:
            out |= {f"l:{key}:{identity.birth_year}" for key in last}
    return {key[:120] for key in out}


def query_keys(identity: Identity) -> set[str]:
    """What a query looks up: its pairs; with no first name given, the last name alone."""
    last, first = name_keys(identity.last_name), name_keys(identity.first_names)
    if not first:
        keys = {f"p:{key}" for key in last}  # persons keyed with a one-word name
        if identity.birth_year:
            # Born within LAST_NAME_SPAN years (+ the « né vers » margin): a wide window, far
            # beyond any « né vers », which the score then weighs.
            span = LAST_NAME_SPAN + identity.birth_year_margin
            years = range(identity.birth_year - span, identity.birth_year + span + 1)
            keys |= {f"l:{key}:{year}" for key in last for year in years}
        else:
            keys |= {f"l:{key}" for key in last}
        return {key[:120] for key in keys}
    tokens = last + first
    keys = {f"p:{pair}" for pair in _pairs(tokens)}
    keys |= {f"s:{pair}" for pair in _pairs([skeleton(t) for t in tokens])}
    return {key[:120] for key in keys}


def index_person(person) -> None:
    """(Re)write the blocking keys of a person, with the pre-rank facts they carry: called on
    every save of a Person. A merged record keeps no key (it is no longer a candidate)."""
    from guichet.criminal_records.models import PersonNameKey

    keys = set() if person.merged_into_id else blocking_keys(Identity.of_person(person))
    facts = {
        "birth_year": person.birth_year,
        "birth_commune_id": person.birth_commune_id,
        "sex": person.sex or "",
    }
    PersonNameKey.objects.filter(person=person).exclude(key__in=keys).delete()
    PersonNameKey.objects.filter(person=person).exclude(**facts).update(**facts)
    existing = set(PersonNameKey.objects.filter(person=person).values_list("key", flat=True))
    PersonNameKey.objects.bulk_create(
        [PersonNameKey(person=person, key=key, **facts) for key in sorted(keys - existing)]
    )


# --- Search ----------------------------------------------------------------------------------------


@dataclass
class Candidate:
    person: object
    score: float
    facts: list[Fact] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def probable(self) -> bool:
        return self.score >= PROBABLE

    @property
    def reasons(self) -> list[str]:
        return [f"{f.label} : {f.outcome_label}" for f in self.facts]

    @property
    def agreeing(self) -> list[Fact]:
        return [f for f in self.facts if f.outcome == "agree"]

    @property
    def differing(self) -> list[Fact]:
        return [f for f in self.facts if f.outcome == "differ"]


@dataclass
class SearchResult:
    candidates: list[Candidate]

    @property
    def probable(self) -> list[Candidate]:
        return [c for c in self.candidates if c.probable]

    @property
    def contenders(self) -> list[Candidate]:
        """The candidates nothing tells apart: two or more probable ones, or two or more within
        AMBIGUITY_GAP of the best when it is at least LINKABLE (two namesakes born the same
        year, parents unknown, both at 83 %: linking either would be a coin toss)."""
        if len(self.probable) >= 2:
            return self.probable
        if not self.candidates or self.candidates[0].score < LINKABLE:
            return []
        best = self.candidates[0].score
        tied = [c for c in self.candidates if c.score >= max(best - AMBIGUITY_GAP, LINKABLE)]
        return tied if len(tied) >= 2 else []

    @property
    def ambiguous(self) -> bool:
        """Linking needs a fact that tells the contenders apart."""
        return bool(self.contenders)

    @property
    def nothing_found(self) -> bool:
        return not self.candidates


def prerank(query: Identity, known: Identity) -> int:
    """A coarse order inside a large block (lower first), the same as the SQL one in `search`:
    birth year within the « né vers » margin (+2), birthplace, sex. It only decides which
    MAX_SCORED persons of a block are scored; it excludes no one on one fact."""
    rank_ = 0
    if query.birth_year is not None and known.birth_year is not None:
        margin = query.birth_year_margin + 2
        rank_ += 0 if abs(query.birth_year - known.birth_year) <= margin else 3
    if query.birth_commune_id is not None:
        if known.birth_commune_id == query.birth_commune_id:
            rank_ += 0
        elif known.birth_region_id == query.birth_region_id:
            rank_ += 1
        else:
            rank_ += 2
    if query.sex:
        rank_ += 0 if known.sex == query.sex else 1
    return rank_


def _sql_prerank(query: Identity):
    from django.db.models import Case, IntegerField, Value, When

    terms = []
    if query.birth_year is not None:
        margin = query.birth_year_margin + 2
        terms.append(
            Case(
                When(
                    birth_year__range=(query.birth_year - margin, query.birth_year + margin),
                    then=Value(0),
                ),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
    if query.birth_commune_id is not None:
        terms.append(
            Case(
                When(birth_commune_id=query.birth_commune_id, then=Value(0)),
                When(birth_commune__region_id=query.birth_region_id, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
    if query.sex:
        terms.append(
            Case(When(sex=query.sex, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
    total = Value(0, output_field=IntegerField())
    for term in terms:
        total = total + term
    return total


def search(query: Identity, *, within=None, threshold: float = PROPOSE, limit: int = 10):
    """Persons of the register who may be the one described, best first (ties: oldest record
    first, so the order is stable). `within`: a Q over the birth facts that Person and its keys
    share (`birth_commune`, `birth_year`, `sex`), e.g. the register of a court.

    Two SQL queries: the MAX_SCORED persons sharing a blocking key with the query, nearest first
    in the `prerank` order, chosen from the key index alone (`candidate_ids`); then those
    persons, scored here."""
    from guichet.criminal_records.models import Person

    ids = candidate_ids(query, within=within)
    if not ids:
        return SearchResult([])
    persons = Person.objects.filter(pk__in=ids).select_related("birth_commune")
    return rank(
        query,
        ((person, Identity.of_person(person)) for person in persons),
        threshold=threshold,
        limit=limit,
    )


def candidate_keys(query: Identity, *, within=None):
    """The query of `candidate_ids` (EXPLAIN it: a scan of the `person_name_key_prerank`
    index, no read of the register's table): one row per person of the block, its pre-rank,
    nearest first, MAX_SCORED at most. Every key of a person carries the same facts, so the
    minimum over its keys is its pre-rank."""
    from django.db.models import Min

    from guichet.criminal_records.models import PersonNameKey

    keys = PersonNameKey.objects.filter(key__in=sorted(query_keys(query)))
    if within is not None:
        keys = keys.filter(within)
    return (
        keys.values("person_id")
        .annotate(match_prerank=Min(_sql_prerank(query)))
        .order_by("match_prerank", "person_id")[:MAX_SCORED]
    )


def candidate_ids(query: Identity, *, within=None) -> list[int]:
    if not query_keys(query):
        return []
    return [row["person_id"] for row in candidate_keys(query, within=within)]


def rank(query: Identity, known, *, threshold: float = PROPOSE, limit: int = 10) -> SearchResult:
    """Score (person, identity) pairs against the query, best first, ties by primary key."""
    found = []
    for person, identity in known:
        score, facts = compare(query, identity)
        if score >= threshold:
            found.append(Candidate(person=person, score=score, facts=facts))
    found.sort(key=lambda c: (-c.score, getattr(c.person, "pk", c.person)))
    return SearchResult(found[:limit])


def candidates(
    *,
    last_name: str,
    first_names: str = "",
    birth_year: int | None = None,
    birth_month: int | None = None,
    birth_day: int | None = None,
    birth_year_margin: int = 0,
    birth_commune=None,
    birth_country: str = "",
    father_name: str = "",
    mother_name: str = "",
    sex: str = "",
    within=None,
    threshold: float = PROPOSE,
    limit: int = 10,
) -> list[Candidate]:
    """`search` for facts given one by one (a clerk's search form, tests)."""
    query = Identity(
        last_name=last_name,
        first_names=first_names or "",
        sex=sex or "",
        birth_year=birth_year,
        birth_month=birth_month,
        birth_day=birth_day,
        birth_year_margin=birth_year_margin or 0,
        birth_commune_id=birth_commune.pk if birth_commune else None,
        birth_region_id=birth_commune.region_id if birth_commune else None,
        birth_commune_name=birth_commune.name if birth_commune else "",
        birth_country=birth_country or "",
        father_name=father_name or "",
        mother_name=mother_name or "",
    )
    return search(query, within=within, threshold=threshold, limit=limit).candidates
