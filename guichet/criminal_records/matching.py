"""Finding the same person under another spelling, without a national identifier.

Names in Niger come from Hausa, Zarma, Fulfulde, Kanuri, Tamasheq and Arabic, and are written in
French transcription by whoever keyed the card: Mahamadou, Mamadou, Mahamadu; Abdoulaye,
Abdoulahi; Ousmane, Usman. We reduce each name to a phonetic key (rules below, each for a known
source of variation), compare keys with a string similarity, and add what we know of the birth.
Matching only *proposes* candidates with a score: a clerk decides.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

# Ordered rewrites from French/English transcriptions to one spelling per sound.
_REWRITES = [
    (r"dj", "j"),  # Djibo / Jibo
    (r"(sh|ch)", "x"),  # Shaibou / Chaibou
    (r"kh", "k"),  # Khadija / Kadija
    (r"gh", "g"),
    (r"ph", "f"),
    (r"th", "t"),
    (r"q", "k"),  # Qader / Kader
    (r"c(?=[aou])", "k"),
    (r"ck", "k"),
    (r"ou", "u"),  # Ousmane / Usman, Moussa / Musa
    (r"oo", "u"),
    (r"w(?=[aeiou])", "u"),  # Hawa / Haua: w and ou before a vowel are one sound
    (r"y", "i"),  # Abdoulaye / Abdoulai
    (r"(?<=[aeiou])h(?=[aeiou])", ""),  # Mahamadou / Maamadou, Abdoulahi / Abdoulai
    (r"^h(?=[aeiou])", ""),  # Hassane / Assane
    (r"h$", ""),  # Aichah / Aicha
    (r"(?<=[^aeiou])e$", ""),  # Ousmane / Usman: a final e is silent
    (r"ie$", "i"),  # Abdoulaie / Abdoulai
    (r"e", "i"),  # Mohamed / Mohamid (e and i are one Arabic kasra)
    (r"o", "u"),  # Mohamed / Muhamed (o and u: one damma)
    (r"(.)\1+", r"\1"),  # Mohammed / Mohamed, Issa / Isa, Maamadu / Mamadu
]
_COMPILED = [(re.compile(pattern), repl) for pattern, repl in _REWRITES]


def fold(text: str) -> str:
    """Lower case, no accents, letters and spaces only."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z]+", " ", text).strip()


def phonetic_key(word: str) -> str:
    """One key per name however it was transcribed ("Mahamadou", "Mamadou" → "mamadu")."""
    key = fold(word).replace(" ", "")
    for pattern, repl in _COMPILED:
        key = pattern.sub(repl, key)
    return key


def name_keys(*names: str) -> list[str]:
    return [phonetic_key(token) for name in names for token in fold(name).split() if token]


def _similar(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


def names_score(query: list[str], candidate: list[str]) -> float:
    """Each query name against its best counterpart, averaged (order and extra names ignored)."""
    if not query or not candidate:
        return 0.0
    return sum(max(_similar(q, c) for c in candidate) for q in query) / len(query)


def birth_score(year, month, day, person) -> float:
    """1 for the same full date; a missing day or month neither helps nor rules out."""
    if year is None:
        return 0.5
    if person.birth_year != year:
        return 0.3 if abs(person.birth_year - year) == 1 else 0.0
    score, parts = 1.0, 0
    for asked, known in ((month, person.birth_month), (day, person.birth_day)):
        if asked is None or known is None:
            score -= 0.1  # unknown part: a little less certain
            continue
        parts += 1
        if asked != known:
            return 0.2
    return score


@dataclass
class Candidate:
    person: object
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def candidates(
    *,
    last_name: str,
    first_names: str,
    birth_year: int | None = None,
    birth_month: int | None = None,
    birth_day: int | None = None,
    father_name: str = "",
    mother_name: str = "",
    sex: str = "",
    queryset=None,
    threshold: float = 0.6,
    limit: int = 10,
) -> list[Candidate]:
    """Persons of the register who may be the one described, best first, with a score in [0, 1]."""
    from guichet.criminal_records.models import Person

    persons = queryset if queryset is not None else Person.objects.all()
    persons = persons.filter(merged_into__isnull=True).select_related("birth_commune")
    if birth_year:
        persons = persons.filter(birth_year__range=(birth_year - 1, birth_year + 1))
    if sex:
        persons = persons.filter(sex=sex)
    query_names = name_keys(last_name, first_names)
    query_parents = name_keys(father_name, mother_name)
    found = []
    for person in persons.iterator(chunk_size=500):
        spellings = [person.last_name, person.first_names, *person.other_spellings.splitlines()]
        score_names = names_score(query_names, name_keys(*spellings))
        if score_names < 0.5:
            continue
        score_birth = birth_score(birth_year, birth_month, birth_day, person)
        reasons = [f"noms {round(score_names * 100)} %", f"naissance {round(score_birth * 100)} %"]
        weights = [(score_names, 0.6), (score_birth, 0.3)]
        if query_parents and (person.father_name or person.mother_name):
            score_parents = names_score(
                query_parents, name_keys(person.father_name, person.mother_name)
            )
            weights.append((score_parents, 0.1))
            reasons.append(f"parents {round(score_parents * 100)} %")
        score = sum(s * w for s, w in weights) / sum(w for _, w in weights)
        if score >= threshold:
            found.append(Candidate(person=person, score=score, reasons=reasons))
    found.sort(key=lambda c: c.score, reverse=True)
    return found[:limit]
