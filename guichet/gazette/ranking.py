"""Relevance order of search matches, computed in Python: the same order on both databases.

A jurist types a word form and means it: texts holding a hyphenated compound typed as one word
(« ci-annexée »: its parts in a row) first, then texts holding the very forms typed (accents and case
aside) come first, then texts holding their family (the lemma of `morphology.lemma`:
« contraction »/« contractions »), then texts sharing only the index token (Snowball also joins
« contracter »); BM25 (title weighing five times the body) within each level, newest first
among equals. `search.py` chooses which matches are ranked here (all of them up to
`search.PYTHON_RANK_LIMIT`, beyond that the matches the index finds holding the forms typed or
their family) and fetches their rows.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING

from guichet.gazette import morphology

if TYPE_CHECKING:  # pragma: no cover
    from guichet.gazette.search import ParsedQuery

_K1, _B, _TITLE_WEIGHT = 1.2, 0.75, 5.0


def order(by_date: list, documents: dict[int, tuple[str, str, str]], parsed: ParsedQuery) -> list:
    """`by_date` (rows whose first item is the work id, newest first) in relevance order.

    `documents`: work id → (stem_title, stem_body, word_forms) as stored in gazette_searchentry.
    """
    if not by_date:
        return []
    stems, words, families = {}, {}, {}
    for work_id, (stem_title, stem_body, word_forms) in documents.items():
        stems[work_id] = (stem_title.split(), stem_body.split())
        words[work_id] = set(word_forms.split()) if parsed.forms else set()
        families[work_id] = {morphology.lemma(word) for word in words[work_id]}
    terms = [set(options) for options in parsed.terms] + [set(p) for p in parsed.phrases]
    total = len(stems) or 1
    average = sum(len(t) * _TITLE_WEIGHT + len(b) for t, b in stems.values()) / total or 1.0
    counted = {work_id: (Counter(t), Counter(b)) for work_id, (t, b) in stems.items()}
    df = [
        sum(1 for t, b in counted.values() if any(x in t or x in b for x in options))
        for options in terms
    ]
    scores = {}
    for work_id, (title, body) in stems.items():
        in_title, in_body = counted[work_id]
        length = len(title) * _TITLE_WEIGHT + len(body)
        score = 0.0
        for options, frequency in zip(terms, df, strict=True):
            tf = _TITLE_WEIGHT * sum(in_title[t] for t in options) + sum(
                in_body[t] for t in options
            )
            if tf:
                idf = math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))
                score += idf * tf * (_K1 + 1) / (tf + _K1 * (1 - _B + _B * length / average))
        scores[work_id] = score
    same_form = {
        work_id: sum(1 for wanted in parsed.forms if wanted & words[work_id]) for work_id in stems
    }
    same_family = {
        work_id: sum(1 for wanted in parsed.lemmas if wanted & families[work_id])
        for work_id in stems
    }
    compounds = dict.fromkeys(stems, 0)
    for work_id, (title, body) in stems.items() if parsed.compounds else ():
        text = f" {' '.join(title)} | {' '.join(body)} "
        compounds[work_id] = sum(1 for parts in parsed.compounds if f" {' '.join(parts)} " in text)
    position = {row[0]: index for index, row in enumerate(by_date)}  # newest first
    return sorted(
        by_date,
        key=lambda row: (
            -compounds.get(row[0], 0),
            -same_form.get(row[0], 0),
            -same_family.get(row[0], 0),
            -round(scores.get(row[0], 0.0), 9),
            position[row[0]],
        ),
    )


def exact_phrases_first(rows: list, bodies: dict[int, str], phrases: list[str]) -> list:
    """Rows whose body holds every quoted phrase as typed (folded), first; order kept within."""
    folded = {work_id: " ".join(morphology.fold(body).split()) for work_id, body in bodies.items()}
    exact = [row for row in rows if all(p in folded.get(row[0], "") for p in phrases)]
    chosen = {row[0] for row in exact}
    return exact + [row for row in rows if row[0] not in chosen]
