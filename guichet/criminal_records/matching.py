"""Finding the same person under another spelling, without a national identifier.

Names are reduced to phonetic keys and compared with the Jaro-Winkler similarity (`names`:
Mahamadou, Mamadou, Mahamadu → one key). Every civil-status fact is scored, none filters: how
two identities compare is `identity_comparison.compare`.

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

from guichet.criminal_records.identity_comparison import Fact, Identity, compare
from guichet.criminal_records.names import joined_key, name_keys, skeleton

PROPOSE = 0.5  # shown to the clerk as a candidate
PROBABLE = 0.85  # « probable »; two or more probable candidates are an ambiguity
LINKABLE = 0.7  # below, a candidate is too weak to be told apart from another by its score
AMBIGUITY_GAP = 0.1  # candidates closer than this to the best are contenders
LAST_NAME_SPAN = 15  # years around the declared birth year when no first name is given
MAX_SCORED = 100  # persons of a block scored per query at most, in `prerank` order


# --- Blocking keys (indexed) ------------------------------------------------------------------------


def _pairs(keys: list[str]) -> set[str]:
    unique = sorted(set(k for k in keys if k))
    if len(unique) == 1:
        return {unique[0]}
    return {f"{a}|{b}" for a, b in itertools.combinations(unique, 2)}


def _keyings(written: str) -> list[list[str]]:
    """A name's keys as its words, and joined in one when it has several (`names.joined_key`)."""
    joined = joined_key(written)
    return [name_keys(written), [joined]] if joined else [name_keys(written)]


def _pair_keys(last: list[str], first: list[str]) -> set[str]:
    tokens = last + first
    keys = {f"p:{pair}" for pair in _pairs(tokens)}
    return keys | {f"s:{pair}" for pair in _pairs([skeleton(t) for t in tokens])}


def blocking_keys(identity: Identity) -> set[str]:
    """The index entries of a person: every pair of its name tokens (whatever the order and the
    spelling), as phonetic keys (« p: ») and as consonant skeletons (« s: »); a one-word name
    keys itself. Every known spelling adds its own, and a name of several words its words
    joined as well."""
    out = set()
    for last_written, first_written in identity.written_spellings():
        for last in _keyings(last_written):
            for first in _keyings(first_written):
                out |= _pair_keys(last, first)
            # The last name alone, for a query without first names: with the birth year (a
            # small block per year, read over a window) and without (when no year is given).
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
    keys = set()
    for last in _keyings(identity.last_name):
        for first in _keyings(identity.first_names):
            keys |= _pair_keys(last, first)
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
