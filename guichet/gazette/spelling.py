"""Typo tolerance and « vouliez-vous dire » from the index's own vocabulary.

The vocabulary is the table `gazette_searchword` (every word form of the index, folded, with its
token), written when a text is indexed, on both databases; candidates are read from it with the
same SQL on both and ranked here, in Python, so that SQLite and PostgreSQL propose the same
corrections. A typed word whose token is not in the index (`gazette_searchterm`) is replaced by
the closest *words* (not stems: « contrction » is one letter from « contraction », three from its
stem « contract ») at an edit distance (optimal string alignment: insertion, deletion,
substitution, transposition) of 1, or 2 for words of eight letters or more. Only used when the
query finds nothing or little (`search.FEW`), or when a word typed is in no indexed text and in no
French dictionary (`non_words`): a word no text holds finds nothing of itself, whatever its stem
matches.

Of corrections as near, the likeliest is proposed (a noisy-channel order, most telling first):
- the one keeping the accented letters typed: « délibèrnt » is « délibèrent », not « délibérant »
  (an accent left out says nothing, phones drop them; an accent typed is a choice);
- one the typed word is missing letters of, over one it would have extra or wrong letters for:
  leaving a letter out is the commonest single-letter typing error (Pollock & Zamora 1983, in
  Kukich 1992, « Techniques for automatically correcting words in text », ACM Comput. Surv.
  24(4) §2.1), so « retirnt » is « retirent » rather than « retient »;
- the word in most texts (Norvig's rule), then the alphabet (the same on both databases).
"""

from __future__ import annotations

from django.db import connections

from guichet.gazette import morphology
from guichet.gazette.models import SearchTerm, SearchWord
from guichet.gazette.numbering import fold


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance when it is at most `limit`, else limit + 1. Only the
    band of cells within `limit` of the diagonal is computed: any path leaving it costs more."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    beyond = limit + 1
    width = len(b) + 1
    previous2: list[int] = []
    previous = [j if j <= limit else beyond for j in range(width)]
    for i, ca in enumerate(a, 1):
        current = [beyond] * width
        if i <= limit:
            current[0] = i
        low, high = max(1, i - limit), min(len(b), i + limit)
        for j in range(low, high + 1):
            cb = b[j - 1]
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = min(value, beyond)
        if min(current[low - 1 : high + 1]) > limit:
            return beyond
        previous2, previous = previous, current
    return previous[-1]


def known(tokens: set[str], using: str) -> set[str]:
    return set(
        SearchTerm.objects.using(using).filter(token__in=tokens).values_list("token", flat=True)
    )


def closest(typed: str, using: str) -> list[tuple[str, str]]:
    """(token, spelling) of the vocabulary's words nearest to the word `typed`, the likeliest
    first, one per token, at most three; [] when none is near enough."""
    word = fold(typed)
    if len(word) < 2:
        return []
    limit = 1 if len(word) < 8 else 2
    # A typo rarely hits the first letter and the second together: candidates share one of them.
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT word, token, spelling, frequency FROM gazette_searchword "
            "WHERE (word LIKE %s OR word LIKE %s) AND LENGTH(word) BETWEEN %s AND %s",
            [
                _like(word[0]) + "%",
                "_" + _like(word[1:2]) + "%",
                len(word) - limit,
                len(word) + limit,
            ],
        )
        rows = cursor.fetchall()
    scored = []
    letters = frozenset(word)
    for candidate, token, spelling, frequency in rows:
        # Letters one word has and the other has nowhere: each edit brings at most one of them
        # on either side (a transposition none), so more than `limit` rules the candidate out
        # before aligning the two words.
        theirs = set(candidate)
        if len(theirs - letters) > limit or len(letters - theirs) > limit:
            continue
        d = distance(word, candidate, limit)
        if d <= limit:
            likelihood = (
                _accents_lost(typed, spelling),
                not _letters_left_out(word, candidate),
                -frequency,
            )
            scored.append((d, likelihood, candidate, token, spelling))
    # Nearest first; of words as near, the likeliest (see the module's docstring).
    scored.sort()
    best = scored[0][0] if scored else None
    chosen: dict[str, str] = {}
    for d, _likelihood, _c, token, spelling in scored:
        if d == best and token not in chosen:
            chosen[token] = spelling
    return list(chosen.items())[:3]


def _accents_lost(typed: str, spelling: str) -> int:
    """How many of the accented letters typed the candidate's spelling lacks."""
    spelled = spelling.lower()
    return sum(
        1 for c in set(typed.lower()) if not c.isascii() and c.isalpha() and c not in spelled
    )


def _letters_left_out(typed: str, candidate: str) -> bool:
    """Whether `typed` is `candidate` with letters left out (a subsequence of it)."""
    letters = iter(candidate)
    return all(c in letters for c in typed)


def non_words(parsed, using: str) -> set[str]:
    """The words typed (folded) that no indexed text holds and no French dictionary knows: typos,
    corrected even though their stem may match (« échelonés »)."""
    candidates = {
        form
        for forms in parsed.forms
        for form in forms
        if len(form) >= 4 and form.isalpha() and not morphology.in_lexicon(form)
    }
    if not candidates:
        return set()
    held = SearchWord.objects.using(using).filter(word__in=candidates)
    return candidates - set(held.values_list("word", flat=True))


def _like(text: str) -> str:
    return text.replace("%", "").replace("_", "")
