"""Typo tolerance and « vouliez-vous dire » from the index's own vocabulary.

The vocabulary is the table `gazette_searchterm` (each index token once, with a word it comes
from), written when a text is indexed, on both databases; candidates are read from it and ranked
here, in Python, so that SQLite and PostgreSQL propose the same corrections. A typed word whose
token is not in the vocabulary is replaced by the closest tokens at an edit distance (optimal
string alignment: insertion, deletion, substitution, transposition) of 1, or 2 for words of
eight letters or more. Only used when the query finds nothing or little (`search.FEW`).
"""

from __future__ import annotations

from django.db import connections

from guichet.gazette.models import SearchTerm


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, stopping early beyond `limit` (returns limit + 1)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def known(tokens: set[str], using: str) -> set[str]:
    return set(
        SearchTerm.objects.using(using).filter(token__in=tokens).values_list("token", flat=True)
    )


def closest(token: str, using: str) -> list[tuple[str, str]]:
    """The vocabulary's (token, word) nearest to `token`, best first; [] when none is near."""
    limit = 1 if len(token) < 8 else 2
    # A typo rarely hits the first letter and the second together: candidates share one of them.
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT token, word FROM gazette_searchterm WHERE token LIKE %s OR token LIKE %s",
            [_like(token[0]) + "%", "_" + _like(token[1:2]) + "%"],
        )
        rows = cursor.fetchall()
    scored = []
    for candidate, word in rows:
        if abs(len(candidate) - len(token)) > limit:
            continue
        d = distance(token, candidate, limit)
        if d <= limit:
            scored.append((d, candidate, word))
    scored.sort()
    best = scored[0][0] if scored else None
    return [(candidate, word) for d, candidate, word in scored if d == best][:3]


def _like(text: str) -> str:
    return text.replace("%", "").replace("_", "")
