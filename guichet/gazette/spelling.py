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
from guichet.gazette.models import SearchTerm, SearchVocabulary, SearchWord
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


def closest(typed: str, using: str, omissions_only: bool = False) -> list[tuple[str, str]]:
    """(token, spelling) of the vocabulary's words nearest to the word `typed`, the likeliest
    first, one per token, at most three; [] when none is near enough. `omissions_only`: only
    words `typed` has left letters out of (for a French word no text holds: « donnes » is
    « données » with an e left out, but « dons » is not « dont »)."""
    word = fold(typed)
    if len(word) < 2:
        return []
    near: dict[str, int] = {}
    # The word as typed first; when nothing is near it, its base forms (« personelles » is
    # three letters from any word, its masculine singular « personel » one from « personnel »).
    # A word of the dictionary is already its own inflected form.
    bases = () if morphology.in_lexicon(word) else base_forms(word)
    for form in (word, *bases):
        limit = 1 if len(form) < 8 else 2
        for candidate in _vocabulary(using).candidates(form, limit):
            if omissions_only and not _letters_left_out(word, candidate):
                continue
            d = osa_distance(form, candidate)
            if d <= limit:
                near[candidate] = d
        if near:
            break
    names, rows = list(near), []
    for start in range(0, len(names), 900):
        rows += SearchWord.objects.using(using).filter(word__in=names[start : start + 900])
    scored = []
    for row in rows:
        likelihood = (
            _accents_lost(typed, row.spelling),
            not _letters_left_out(word, row.word),
            -row.frequency,
        )
        scored.append((near[row.word], likelihood, row.word, row.token, row.spelling))
    # Nearest first; of words as near, the likeliest (see the module's docstring).
    scored.sort()
    best = scored[0][0] if scored else None
    chosen: dict[str, str] = {}
    for d, _likelihood, _c, token, spelling in scored:
        if d == best and token not in chosen:
            chosen[token] = spelling
    return list(chosen.items())[:3]


def osa_distance(a: str, b: str) -> int:
    """The optimal string alignment distance of `distance`, whole, computed on bit vectors
    (Hyyrö 2003, « A bit-vector algorithm for computing Levenshtein and Damerau edit
    distances », Nordic J. of Computing 10(1)): one pass over `b` whatever the distance, about
    ten times faster in Python than the banded table."""
    if not a:
        return len(b)
    positions: dict[str, int] = {}
    for index, character in enumerate(a):
        positions[character] = positions.get(character, 0) | (1 << index)
    top = 1 << (len(a) - 1)
    score, vp, vn, d0, previous = len(a), -1, 0, 0, 0
    for character in b:
        pm = positions.get(character, 0)
        transposed = (((~d0) & pm) << 1) & previous
        d0 = (((pm & vp) + vp) ^ vp) | pm | vn | transposed
        hp = vn | ~(d0 | vp)
        hn = d0 & vp
        if hp & top:
            score += 1
        elif hn & top:
            score -= 1
        hp = (hp << 1) | 1
        vp = (hn << 1) | ~(d0 | hp)
        vn = hp & d0
        previous = pm
    return score


class VocabularyIndex:
    """The vocabulary's words by length and by first and second letter, each with the set of its
    letters as bits: the candidates of a typo found without reading the table, the same ones the
    query `(word LIKE 'c%' OR word LIKE '_o%') AND LENGTH(word) BETWEEN …` would return, with the
    letter filter of the alignment done on integers."""

    def __init__(self, words):
        self._bits: dict[str, int] = {}
        self.by_length: dict[int, list[tuple[str, int]]] = {}
        self.by_first: dict[tuple[int, str], list[tuple[str, int]]] = {}
        self.by_second: dict[tuple[int, str], list[tuple[str, int]]] = {}
        for word in words:
            if not word:
                continue
            entry = (word, self.letters(word))
            self.by_length.setdefault(len(word), []).append(entry)
            self.by_first.setdefault((len(word), word[0]), []).append(entry)
            if len(word) > 1:
                self.by_second.setdefault((len(word), word[1]), []).append(entry)

    def letters(self, word: str) -> int:
        bits = 0
        for character in word:
            bit = self._bits.get(character)
            if bit is None:
                bit = self._bits[character] = 1 << len(self._bits)
            bits |= bit
        return bits

    def candidates(self, word: str, limit: int) -> list[str]:
        """The words of length within `limit` of `word`'s sharing its first or its second
        letter, less those with more than `limit` letters that one of the two words has and the
        other has nowhere: each edit brings at most one of them on either side (a transposition
        none), so those cannot be within `limit`."""
        first, second = _like(word[0]), _like(word[1:2])
        mine = self.letters(word)
        found = []
        for length in range(len(word) - limit, len(word) + limit + 1):
            if not first or not second:  # LIKE '%' or '_%': every word of the length
                entries = self.by_length.get(length, [])
            else:
                entries = self.by_first.get((length, first), []) + [
                    entry
                    for entry in self.by_second.get((length, second), [])
                    if entry[0][0] != first
                ]
            for candidate, theirs in entries:
                if (theirs & ~mine).bit_count() <= limit and (mine & ~theirs).bit_count() <= limit:
                    found.append(candidate)
        return found


# Per database: (the vocabulary's version, its index), read once per process and again when a
# text brings new words (`indexing.remember_vocabulary` changes the version).
_INDEXES: dict[tuple, tuple[str, VocabularyIndex]] = {}


def _vocabulary(using: str) -> VocabularyIndex:
    settings = connections[using].settings_dict
    key = (settings["ENGINE"], settings["NAME"], settings.get("HOST"), settings.get("PORT"))
    version = (
        SearchVocabulary.objects.using(using)
        .filter(pk=SearchVocabulary.ONLY)
        .values_list("version", flat=True)
        .first()
    ) or ""
    cached = _INDEXES.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT word FROM gazette_searchword")
        index = VocabularyIndex(row[0] for row in cursor.fetchall())
    _INDEXES[key] = (version, index)
    return index


def forget_vocabulary() -> None:
    """Drop the indexes this process holds (tests: a rolled-back transaction takes the version
    back with the words)."""
    _INDEXES.clear()


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
    return absent_words(parsed, using, dictionary_words=False)


def absent_words(parsed, using: str, dictionary_words: bool = True) -> set[str]:
    """The words typed (folded) that no indexed text holds as written. A query that finds
    nothing corrects them even when they are French words whose stem is indexed: « donnes » (tu
    donnes) has the stem of « don », and the citizen meant « données »."""
    candidates = {
        form
        for forms in parsed.forms
        for form in forms
        if len(form) >= 4
        and form.isalpha()
        and (dictionary_words or not morphology.in_lexicon(form))
    }
    if not candidates:
        return set()
    held = SearchWord.objects.using(using).filter(word__in=candidates)
    return candidates - set(held.values_list("word", flat=True))


# French inflection, undone: the plural, then the feminine, as grammars state them for nouns and
# adjectives (Grevisse & Goosse, « Le Bon Usage », the chapters on the number and the gender of
# nouns and adjectives): -aux ↔ -al, -s/-x ↔ '' ; -elle ↔ -el, -enne ↔ -en, -onne ↔ -on, -ette ↔ -et,
# -euse ↔ -eur/-eux, -trice ↔ -teur, -ive ↔ -if, -ere (folded -ère) ↔ -er, -e ↔ ''. Folded
# (accents dropped), longest ending first.
PLURAL_ENDINGS = (("aux", "al"), ("s", ""), ("x", ""))
FEMININE_ENDINGS = (
    ("trice", "teur"),
    ("elle", "el"),
    ("enne", "en"),
    ("onne", "on"),
    ("ette", "et"),
    ("euse", "eur"),
    ("euse", "eux"),
    ("ive", "if"),
    ("ere", "er"),
    ("e", ""),
)


def base_forms(word: str) -> list[str]:
    """The forms `word` (folded) would have in the singular and the masculine, if it were an
    inflected noun or adjective: the nearest first, none shorter than four letters."""
    singular = [word]
    for ending, replacement in PLURAL_ENDINGS:
        if word.endswith(ending):
            singular.append(word[: -len(ending)] + replacement)
            break
    forms = []
    for form in singular:
        forms.append(form)
        for ending, replacement in FEMININE_ENDINGS:
            if form.endswith(ending):
                forms.append(form[: -len(ending)] + replacement)
    return [form for form in dict.fromkeys(forms) if form != word and len(form) >= 4]


def _like(text: str) -> str:
    return text.replace("%", "").replace("_", "")
