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
from typing import TYPE_CHECKING

from guichet.gazette import morphology

if TYPE_CHECKING:  # pragma: no cover
    from guichet.gazette.search import ParsedQuery

_K1, _B, _TITLE_WEIGHT = 1.2, 0.75, 5.0


def order(
    by_date: list[int],
    documents: dict[int, tuple[str, str, str]],
    parsed: ParsedQuery,
    families: list[list[str]],
) -> list:
    """`by_date` (work ids, newest first) in relevance order.

    `documents`: work id → (stem_title, stem_body, word_forms) as stored in gazette_searchentry.
    `families`: parallel to `parsed.lemmas`, the index's word forms of each word's family (forms
    whose lemma is one of those lemmas: `search._families`), so that no text's words are
    lemmatised here.
    """
    if not by_date:
        return []
    terms = [set(options) for options in parsed.terms] + [set(p) for p in parsed.phrases]
    query_tokens = {token for options in terms for token in options}
    stems, words, lengths, weighted = {}, {}, {}, {}
    for work_id, (stem_title, stem_body, word_forms) in documents.items():
        title, body = stem_title.split(), stem_body.split()
        stems[work_id] = (title, body)
        lengths[work_id] = len(title) * _TITLE_WEIGHT + len(body)
        # Term frequency, a title occurrence counting five: only the query's tokens are counted.
        weighted[work_id] = {
            token: _TITLE_WEIGHT * title.count(token) + body.count(token) for token in query_tokens
        }
        words[work_id] = set(word_forms.split()) if parsed.forms else set()
    family_sets = [frozenset(forms) for forms in families]
    total = len(stems) or 1
    average = sum(lengths.values()) / total or 1.0
    df = [
        sum(1 for counts in weighted.values() if any(counts[x] for x in options))
        for options in terms
    ]
    scores = {}
    for work_id, counts in weighted.items():
        length = lengths[work_id]
        score = 0.0
        for options, frequency in zip(terms, df, strict=True):
            tf = sum(counts[t] for t in options)
            if tf:
                idf = math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))
                score += idf * tf * (_K1 + 1) / (tf + _K1 * (1 - _B + _B * length / average))
        scores[work_id] = score
    same_form = {
        work_id: sum(1 for wanted in parsed.forms if wanted & words[work_id]) for work_id in stems
    }
    same_family = {
        work_id: sum(1 for family in family_sets if not family.isdisjoint(words[work_id]))
        for work_id in stems
    }
    compounds = dict.fromkeys(stems, 0)
    for work_id, (title, body) in stems.items() if parsed.compounds else ():
        text = f" {' '.join(title)} | {' '.join(body)} "
        compounds[work_id] = sum(1 for parts in parsed.compounds if f" {' '.join(parts)} " in text)
    position = {work_id: index for index, work_id in enumerate(by_date)}  # newest first
    return sorted(
        by_date,
        key=lambda work_id: (
            -compounds.get(work_id, 0),
            -same_form.get(work_id, 0),
            -same_family.get(work_id, 0),
            -round(scores.get(work_id, 0.0), 9),
            position[work_id],
        ),
    )


def exact_phrases_first(rows: list, bodies, phrases: list[str], need: int) -> list:
    """Rows whose body holds every quoted phrase as typed (folded), first; order kept within.
    `bodies(rows)`: {work_id: body} of those rows. Bodies are read and folded a batch at a time
    and only until `need` rows holding the phrases are found: the first `need` rows are then
    those of the list every body would give, which is all a page of `need` rows shows."""
    exact: list = []
    checked = 0
    while checked < len(rows) and len(exact) < need:
        batch = rows[checked : checked + max(need - len(exact), 10)]
        texts = bodies(batch)
        for row in batch:
            folded = " ".join(morphology.fold(texts.get(row[0], "")).split())
            if all(p in folded for p in phrases):
                exact.append(row)
        checked += len(batch)
    chosen = {row[0] for row in exact}
    return exact + [row for row in rows if row[0] not in chosen]
