"""Names as Niger's registers write them: one phonetic key per name however it was
transcribed, consonant skeletons for vowel slips, and the similarity of two names (Jaro-Winkler,
word by word). Plain Python, no database: used by `matching` to block identities and by
`identity_comparison` to score them.

Names in Niger come from Hausa, Zarma, Fulfulde, Kanuri, Tamasheq and Arabic, and are written in
French transcription by whoever keyed the card: Mahamadou, Mamadou, Mahamadu; Abdoulaye,
Abdoulahi; Ousmane, Usman. Each rewrite below is for a known source of variation.
"""

from __future__ import annotations

import functools
import re
import unicodedata

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
    (r"(?<=[aeiou])h(?=[^aeiou])", ""),  # Ahmadou / Amadou, Mahmoud / Mamoud, Abdourahmane
    (r"^h(?=[aeiou])", ""),  # Hassane / Assane
    (r"h$", ""),  # Aichah / Aicha
    (r"(?<=[^aeiou])e$", ""),  # Ousmane / Usman: a final e is silent
    (r"ie$", "i"),  # Abdoulaie / Abdoulai
    (r"e", "i"),  # Mohamed / Mohamid (e and i are one Arabic kasra)
    (r"o", "u"),  # Mohamed / Muhamed (o and u: one damma)
    (r"(.)\1+", r"\1"),  # Mohammed / Mohamed, Issa / Isa, Maamadu / Mamadu
    (r"^abub", "bub"),  # Aboubacar / Boubacar / Abubakar: Abu Bakr with or without its « a »
]
_COMPILED = [(re.compile(pattern), repl) for pattern, repl in _REWRITES]

# Particles of filiation or article, not names: Tamasheq « ag » (son of), Arabic « al/el », « ben »,
# « ould ». They do not identify anyone, so they are left out of the comparison and of the keys.
PARTICLES = frozenset({"ag", "al", "el", "ben", "bin", "ibn", "ould", "wa"})


# The letters of Niger's national-language alphabets that Unicode does not decompose (Hausa ɓ ɗ ƙ
# ƴ, Zarma, Fulfulde and Kanuri ŋ ɲ ɛ ɔ ə), as a French transcription writes them: a card keyed
# « Ɗan Baba » and a request typed « Dan Baba » are one name.
_NATIONAL_LETTERS = str.maketrans(
    {"ɓ": "b", "ɗ": "d", "ƙ": "k", "ƴ": "y", "ŋ": "ng", "ɲ": "ny", "ɛ": "e", "ɔ": "o", "ə": "e"}
)
# The apostrophe of N'Diaye, Ya'u or Sa'adu (and Hausa's glottal stop ʼ) is inside a name: it
# joins, it does not split (« n diaye » shared no key with « ndiaye »).
_APOSTROPHES = re.compile("['\u2019\u02bc\u02bb`\u00b4]")


def fold(text: str) -> str:
    """Lower case, no accents, letters and spaces only."""
    text = _APOSTROPHES.sub("", (text or "").lower()).translate(_NATIONAL_LETTERS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z]+", " ", text).strip()


@functools.lru_cache(maxsize=65536)
def phonetic_key(word: str) -> str:
    """One key per name however it was transcribed ("Mahamadou", "Mamadou" → "mamadu")."""
    key = fold(word).replace(" ", "")
    for pattern, repl in _COMPILED:
        key = pattern.sub(repl, key)
    return key


def skeleton(key: str) -> str:
    """The consonants of a phonetic key, a leading vowel marked « v »: vowel slips (Mahaman /
    Mahamen, Hachimou / Hechimou, Aboubacar / Abubakar) share it."""
    if not key:
        return ""
    lead = "v" if key[0] in "aeiou" else ""
    return lead + re.sub(r"[aeiou]", "", key)


def name_keys(*names: str) -> list[str]:
    return [key for name in names for key in _keys_of(name)]


def joined_key(name: str) -> str:
    """A name of several words as one (« Dan Jimma » / « Danjimma », « Al-Kassoum » /
    « Alkassoum », particles included), "" for a one-word name: one clerk keys a compound or an
    article apart, the next joined."""
    words = fold(name).split()
    return phonetic_key("".join(words)) if len(words) > 1 else ""


@functools.lru_cache(maxsize=65536)
def _keys_of(name: str) -> tuple[str, ...]:
    return tuple(
        phonetic_key(token) for token in fold(name).split() if token and token not in PARTICLES
    )


# --- String similarity -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=262144)
def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity (Winkler 1990), the usual measure for short personal names."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    a_flags, b_flags = [False] * len(a), [False] * len(b)
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not b_flags[j] and b[j] == ch:
                a_flags[i] = b_flags[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    a_matched = [c for c, f in zip(a, a_flags, strict=True) if f]
    b_matched = [c for c, f in zip(b, b_flags, strict=True) if f]
    transpositions = sum(x != y for x, y in zip(a_matched, b_matched, strict=True)) / 2
    jaro = (matches / len(a) + matches / len(b) + (matches - transpositions) / matches) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


# One vowel written for another in a name of five letters or more (Lewali / Lawali, Hedjiatou /
# Hadjiatou): a keying slip Jaro-Winkler rates too low (0.82–0.84). Shorter names are left to
# Jaro-Winkler: one vowel is most of a short name (Hama / Amou are two names).
VOWEL_SLIP_SIMILARITY = 0.9
VOWEL_SLIP_MIN_LENGTH = 5


def _one_vowel_slip(a: str, b: str) -> bool:
    if len(a) != len(b) or len(a) < VOWEL_SLIP_MIN_LENGTH:
        return False
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differ) == 1 and differ[0][0] in "aeiou" and differ[0][1] in "aeiou"


def name_similarity(a: str, b: str) -> float:
    """Jaro-Winkler of two name keys, a single vowel slip counted as VOWEL_SLIP_SIMILARITY."""
    sim = jaro_winkler(a, b)
    return max(sim, VOWEL_SLIP_SIMILARITY) if _one_vowel_slip(a, b) else sim


def tokens_similarity(query, known) -> float:
    return _tokens_similarity(tuple(query), tuple(known))


@functools.lru_cache(maxsize=262144)
def _tokens_similarity(query: tuple[str, ...], known: tuple[str, ...]) -> float:
    """How well two lists of name keys correspond, in [0, 1].

    Each token of the shorter list is paired with a distinct token of the other (best pairs
    first); the weakest pair decides, since a name that matches nothing is a difference, not a
    detail. Compound names keyed in one or two words (Abdoul Aziz / Abdoulaziz) are compared
    joined as well."""
    if not query or not known:
        return 0.0
    # Joined only when the word counts differ (a compound keyed in one or two words): two
    # two-word names joined would hide that one of the words differs.
    joined = jaro_winkler("".join(query), "".join(known)) if len(query) != len(known) else 0.0
    short, long_ = (query, known) if len(query) <= len(known) else (known, query)
    pairs = sorted(
        ((name_similarity(s, t), i, j) for i, s in enumerate(short) for j, t in enumerate(long_)),
        reverse=True,
    )
    used_s, used_l, best = set(), set(), []
    for sim, i, j in pairs:
        if i in used_s or j in used_l:
            continue
        used_s.add(i)
        used_l.add(j)
        best.append(sim)
    return max(joined, min(best))


def name_agreement(similarity: float, *, neutral: float = 0.75, scale: float = 0.2) -> float:
    """Similarity → agreement value: `neutral + scale` and above agree (1), `neutral` is
    neutral (0), `neutral - scale` and below is a clear difference (−1). Parents' names use a
    stricter scale (PARENT_SCALE): Jaro-Winkler rates two short unrelated names near 0.7, and
    only a parent's spelling variant should agree."""
    return max(-1.0, min(1.0, (similarity - neutral) / scale))


PARENT_SCALE = {"neutral": 0.85, "scale": 0.1}
