"""Synthetic Niger identities for evaluating identity matching (bench/identity_matching_bench.py
and a small version in tests/test_matching_quality.py). Seeded, reproducible, no database.

Names from Hausa, Zarma, Fulfulde, Kanuri, Tuareg (Tamasheq) and Arabic-origin pools; birthplaces
among the communes of the reference data (accounts.reference.COMMUNES); families with twins;
homonyms (same names and birth year) born elsewhere or of other parents; « né vers » births; and
the spelling variants clerks and citizens actually produce (ou/u, dj/j, ch/sh, doubled or single
consonants, silent final e or h, y/i, a dropped initial h, a vowel slip).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from guichet.accounts.reference import COMMUNES
from guichet.criminal_records.identity_comparison import Identity

MALE = {
    "hausa": [
        "Abdou",
        "Sani",
        "Mahamane",
        "Issoufou",
        "Garba",
        "Habibou",
        "Lawali",
        "Maman",
        "Salissou",
        "Nafiou",
        "Chaibou",
        "Yacouba",
        "Ibrah",
        "Rabiou",
        "Tanimoune",
        "Mahaman",
        "Souley",
        "Harouna",
        "Zakari",
        "Danladi",
    ],
    "zarma": [
        "Hama",
        "Boubacar",
        "Seyni",
        "Moumouni",
        "Djibo",
        "Hamani",
        "Soumana",
        "Siddo",
        "Hassane",
        "Housseini",
        "Kimba",
        "Yayé",
        "Zada",
        "Idrissa",
        "Alfari",
        "Gado",
        "Tondi",
        "Beidou",
    ],
    "fulfulde": [
        "Amadou",
        "Oumarou",
        "Bello",
        "Sambo",
        "Hamadou",
        "Dicko",
        "Modibo",
        "Boureima",
        "Souleymane",
        "Adamou",
        "Yero",
        "Bouba",
        "Djibrilla",
        "Hamidou",
    ],
    "kanuri": ["Kiari", "Boukar", "Lamine", "Kaka", "Ari", "Mamadou", "Bako", "Goni", "Kolo"],
    "tuareg": [
        "Rhissa",
        "Alhassane",
        "Ahmoudou",
        "Ghali",
        "Akoli",
        "Mohamed Ag Arya",
        "Ibrahim Ag Ahmed",
        "Intinikar",
        "Ghoumour",
        "Assalek",
    ],
    "arabic": [
        "Mohamed",
        "Ibrahim",
        "Abdoulaye",
        "Moussa",
        "Ismaël",
        "Aboubacar",
        "Abdourahamane",
        "Mahamadou",
        "Ousmane",
        "Abdoul Aziz",
        "Abdoulkarim",
        "Younoussa",
        "Mahamadou Lamine",
        "Moustapha",
        "Saïdou",
        "Hachimou",
    ],
}
FEMALE = {
    "hausa": [
        "Nafissa",
        "Balkissa",
        "Rabi",
        "Hadiza",
        "Zeinabou",
        "Hassana",
        "Halima",
        "Safiya",
        "Binta",
        "Mariama Sani",
        "Rakiya",
        "Hadjara",
    ],
    "zarma": ["Kadidja", "Mariama", "Hawa", "Zalika", "Haoua", "Ramatou", "Adiza", "Fati"],
    "fulfulde": ["Aissata", "Fatimata", "Djeneba", "Kadiatou", "Hadjiatou", "Diko"],
    "kanuri": ["Falmata", "Kellou", "Yagana", "Zara", "Achatou"],
    "tuareg": ["Tinhinan", "Takadat", "Fadimata", "Tahirou", "Alkhassoum"],
    "arabic": [
        "Aïchatou",
        "Fatouma",
        "Oumou Salma",
        "Khadija",
        "Salamatou",
        "Aminatou",
        "Safietou",
        "Zouera",
        "Rahila",
    ],
}
ORIGINS = list(MALE)

# (pattern, replacement) pairs a keyer produces; one is applied to one name of a query.
VARIANTS = [
    (r"ou", "u"),
    (r"(?<!o)u", "ou"),
    (r"dj", "j"),
    (r"(?<![dD])j", "dj"),
    (r"ch", "sh"),
    (r"sh", "ch"),
    (r"(?<=[aeiou])s(?=[aeiou])", "ss"),
    (r"ss", "s"),
    (r"mm", "m"),
    (r"(?<=[aeiou])m(?=[aeiou])", "mm"),
    (r"e$", ""),
    (r"(?<=[nrlmd])$", "e"),
    (r"y", "i"),
    (r"(?<=[aeiou])i(?=[aeiou])", "y"),
    (r"^H", ""),
    (r"^(?=[AEIOU])", "H"),
    (r"h$", ""),
    (r"a$", "ah"),
    (r"ï", "i"),
    (r"é", "e"),
    (r"k(?=[aou])", "c"),
    (r"c(?=[aou])", "k"),
    (r"(?<=[^aeiou])a(?=[^aeiou]+[aeiou])", "e"),  # a vowel slip in the middle
]

# Commune ids and regions as in the reference data (ids are positions: no database needed).
COMMUNE_LIST = [
    (index, region, name)
    for index, (region, name) in enumerate(
        ((region, name) for region, names in COMMUNES.items() for name in names), start=1
    )
]
REGION_IDS = {region: i for i, region in enumerate(COMMUNES, start=1)}


def spelling_variant(name: str, rng: random.Random) -> str:
    """The name as another keyer might write it: one variation that applies, else a typo."""
    rules = VARIANTS[:]
    rng.shuffle(rules)
    for pattern, repl in rules:
        changed = re.sub(pattern, repl, name, count=1)
        if changed != name and changed.strip():
            return changed
    return name + "e"


@dataclass
class Synthetic:
    """The register, and the queries with the record they must find (None: nobody)."""

    register: list[tuple[int, Identity]]
    variant_queries: list[tuple[Identity, int]]
    homonym_queries: list[tuple[Identity, int | None, str]]  # (query, expected, what differs)


def _commune(rng, near=None):
    if near is not None and rng.random() < 0.5:
        same_region = [c for c in COMMUNE_LIST if c[1] == near[1] and c[0] != near[0]]
        if same_region:
            return rng.choice(same_region)
    return rng.choice(COMMUNE_LIST)


def _person(rng, *, sex=None, last=None, commune=None, year=None, father=None, mother=None):
    origin = rng.choice(ORIGINS)
    sex = sex or rng.choice("MF")
    pool = MALE if sex == "M" else FEMALE
    first = rng.choice(pool[origin])
    if rng.random() < 0.2:  # a second first name
        first = f"{first} {rng.choice(pool[rng.choice(ORIGINS)])}"
    commune = commune or _commune(rng)
    approximate = rng.random() < 0.15  # « né vers »
    year = year or rng.randint(1950, 2006)
    return Identity(
        last_name=last or rng.choice(MALE[rng.choice(ORIGINS)]).split()[0],
        first_names=first,
        sex=sex,
        birth_year=year,
        birth_month=None if approximate else rng.randint(1, 12),
        birth_day=None if approximate else rng.randint(1, 28),
        birth_year_margin=2 if approximate else 0,
        birth_commune_id=commune[0],
        birth_region_id=REGION_IDS[commune[1]],
        birth_commune_name=commune[2],
        father_name=father
        or f"{rng.choice(MALE[rng.choice(ORIGINS)])} "
        f"{rng.choice(MALE[rng.choice(ORIGINS)]).split()[0]}",
        mother_name=mother or rng.choice(FEMALE[rng.choice(ORIGINS)]),
    )


def generate(n_persons: int = 2000, *, seed: int = 10) -> Synthetic:
    rng = random.Random(seed)
    register: list[tuple[int, Identity]] = []
    homonym_queries = []

    def add(identity):
        register.append((len(register) + 1, identity))
        return len(register)

    while len(register) < n_persons:
        roll = rng.random()
        base = _person(rng)
        if roll < 0.08:  # twins: same parents, day and place, other first names
            other = replace(
                base, first_names=rng.choice((MALE if base.sex == "M" else FEMALE)["hausa"])
            )
            if other.first_names != base.first_names:
                add(base)
                add(other)
                continue
        if roll < 0.25:  # homonyms: same names and birth year, born elsewhere or other parents
            in_register = add(base)
            if rng.random() < 0.5:
                commune = _commune(rng, near=(base.birth_commune_id, _region_code(base), ""))
                other = replace(
                    base,
                    birth_commune_id=commune[0],
                    birth_region_id=REGION_IDS[commune[1]],
                    birth_commune_name=commune[2],
                )
                what = "birthplace"
            else:
                other = replace(
                    base,
                    father_name=_person(rng).father_name,
                    mother_name=_person(rng).mother_name,
                )
                what = "parents"
            if other.birth_commune_id == base.birth_commune_id and what == "birthplace":
                continue
            # The homonym asks too: with no record of his own he must not be linked to the
            # other; with one, his own must come first.
            other_pk = add(other) if rng.random() < 0.5 else None
            homonym_queries.append((other, other_pk, what))
            homonym_queries.append((base, in_register, what))
            continue
        add(base)

    variant_queries = []
    for pk, identity in rng.sample(register, min(len(register), max(300, n_persons // 4))):
        tokens_last, tokens_first = identity.last_name, identity.first_names
        if rng.random() < 0.5:
            tokens_last = spelling_variant(tokens_last, rng)
        else:
            words = tokens_first.split()
            i = rng.randrange(len(words))
            words[i] = spelling_variant(words[i], rng)
            tokens_first = " ".join(words)
        query = replace(
            identity,
            last_name=tokens_last,
            first_names=tokens_first,
            birth_year=identity.birth_year + rng.randint(-2, 2),  # « né vers », ± 2 years
            birth_month=None,
            birth_day=None,
            birth_year_margin=2,
        )
        if rng.random() < 0.1:  # swapped order (Prénom NOM)
            query = replace(query, last_name=query.first_names, first_names=query.last_name)
        if rng.random() < 0.3:  # parents not given
            query = replace(query, father_name="", mother_name="")
        variant_queries.append((query, pk))
    return Synthetic(register, variant_queries, homonym_queries)


def _region_code(identity: Identity) -> str:
    return next(code for code, i in REGION_IDS.items() if i == identity.birth_region_id)


def _distinguishes(query: Identity, expected: Identity, rival: Identity) -> bool:
    """Whether a fact the query gives agrees with `expected` and not with `rival`."""
    if query.birth_year is not None:
        near = query.birth_year_margin

        def within(identity):
            return abs(identity.birth_year - query.birth_year) <= near

        if within(expected) and not within(rival):
            return True
        for fact in ("birth_month", "birth_day"):
            asked = getattr(query, fact)
            if asked is not None and asked == getattr(expected, fact) != getattr(rival, fact):
                return True
    if query.birth_commune_id is not None and (
        query.birth_commune_id == expected.birth_commune_id != rival.birth_commune_id
    ):
        return True
    for fact in ("sex", "father_name", "mother_name"):
        asked = getattr(query, fact)
        if asked and asked == getattr(expected, fact) != getattr(rival, fact):
            return True
    return False


def indistinguishable(data: Synthetic) -> set[int]:
    """Indexes of the variant queries that lack the one fact telling their person apart from
    another record of the register with the same names (homonyms differing only by their
    parents, asked without parents): for those an ambiguity is the right answer, not a link."""
    by_names: dict[tuple[str, str], list[tuple[int, Identity]]] = {}
    for pk, identity in data.register:
        by_names.setdefault((identity.last_name, identity.first_names), []).append((pk, identity))
    identities = dict(data.register)
    out = set()
    for i, (query, expected_pk) in enumerate(data.variant_queries):
        expected = identities[expected_pk]
        rivals = by_names[(expected.last_name, expected.first_names)]
        if any(
            pk != expected_pk and not _distinguishes(query, expected, rival) for pk, rival in rivals
        ):
            out.add(i)
    return out
