"""Stop-name search for people typing on a phone: a prebuilt trigram index, no Django.

Names and what is typed are folded the same way (lower case, no accents, punctuation as spaces —
« Main St/Roosevelt Av » is « main st roosevelt av »), and common abbreviations are brought to
one form on both sides (« avenue » and « av » are « av »), so that « bd de la republique »,
« Boulevard de la République » and « boulvard republique » meet. Candidates come from the
trigram index (names sharing the most trigrams with the text); only those are scored, never
every stop.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

# One form per word (French and English usage in stop names).
ABBREVIATIONS = {
    "avenue": "av",
    "ave": "av",
    "avn": "av",
    "boulevard": "bd",
    "boul": "bd",
    "blvd": "bd",
    "bld": "bd",
    "street": "st",
    "str": "st",
    "saint": "st",
    "sainte": "ste",
    "road": "rd",
    "route": "rte",
    "place": "pl",
    "plaza": "plz",
    "square": "sq",
    "rond": "rd",
    "carrefour": "carr",
    "crossing": "xing",
    "station": "sta",
    "gare": "gare",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "nord": "n",
    "sud": "s",
    "first": "1",
    "premier": "1",
}

CANDIDATES = 60  # names scored per query, the ones sharing most trigrams
MIN_SCORE = 0.45


def fold(text: str) -> str:
    """Lower case without accents or punctuation (the importer's `search_name`)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def normalise(text: str) -> str:
    """`fold`, then every known abbreviation in one form."""
    return " ".join(ABBREVIATIONS.get(word, word) for word in fold(text).split())


def trigrams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' trigrams (0 to 1)."""
    x, y = trigrams(a), trigrams(b)
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


@dataclass(frozen=True)
class Match:
    key: str  # the caller's identifier (a stop_id)
    name: str
    score: float


class NameIndex:
    """Names → keys, searchable with typos. Built once per feed version (`entries` is an
    iterable of (key, name)); one entry per distinct normalised name, the first key kept."""

    def __init__(self, entries) -> None:
        self.keys: list[str] = []
        self.names: list[str] = []
        self.normal: list[str] = []
        self.words: list[list[str]] = []
        self.postings: dict[str, list[int]] = {}
        seen: set[str] = set()
        for key, name in entries:
            normal = normalise(name)
            if not normal or normal in seen:
                continue
            seen.add(normal)
            number = len(self.keys)
            self.keys.append(key)
            self.names.append(name)
            self.normal.append(normal)
            self.words.append(normal.split())
            for gram in trigrams(normal):
                self.postings.setdefault(gram, []).append(number)

    def __len__(self) -> int:
        return len(self.keys)

    def score(self, query: str, number: int) -> float:
        """2 same name; about 1.5 every word typed is a word (or the start of one) of the name;
        else the trigram similarity of the whole text or word by word (typos)."""
        normal = self.normal[number]
        if normal == query:
            return 2.0
        words = query.split()
        name_words = self.words[number]
        if all(any(n == w or (len(w) >= 3 and n.startswith(w)) for n in name_words) for w in words):
            return 1.5 - len(normal) / 1000
        whole = similarity(query, normal)
        by_word = sum(max((similarity(w, n) for n in name_words), default=0) for w in words)
        return max(whole, 0.95 * by_word / len(words))

    def search(self, text: str, limit: int = 5) -> list[Match]:
        query = normalise(text)
        if not query:
            return []
        hits: Counter[int] = Counter()
        for gram in trigrams(query):
            for number in self.postings.get(gram, ()):
                hits[number] += 1
        scored = []
        for number, _count in hits.most_common(CANDIDATES):
            value = self.score(query, number)
            if value >= MIN_SCORE:
                scored.append(Match(self.keys[number], self.names[number], value))
        scored.sort(key=lambda m: (-m.score, m.name))
        return scored[:limit]


# Between origin and destination: « > », « -> », « → », « - », « à », « a », « vers », « jusqu'à »,
# a line break or « ; ». Never « / » nor « , »: real stop names are full of them.
SEPARATORS = (">", "->", "→", "\n", ";", " - ", " à ", " a ", " vers ", " jusqu'à ", " jusqua ")


def splits(text: str) -> list[tuple[str, str]]:
    """Every (origin, destination) reading of `text`: at each separator when there is one,
    else at each space between words."""
    text = text.strip()
    lowered = text.lower()
    found = []
    for separator in SEPARATORS:
        start = lowered.find(separator)
        while start != -1:
            left, right = text[:start].strip(), text[start + len(separator) :].strip()
            if left and right:
                found.append((left, right))
            start = lowered.find(separator, start + 1)
    if found:
        return found
    # A comma (« BUS Harobanda,Wadata »), less sure: a stop name may hold one, so the readings
    # at each space stay candidates beside it.
    for start in (i for i, char in enumerate(text) if char == ","):
        left, right = text[:start].strip(), text[start + 1 :].strip()
        if left and right:
            found.append((left, right))
    words = text.split()
    return found + [(" ".join(words[:cut]), " ".join(words[cut:])) for cut in range(1, len(words))]


def best_split(index: NameIndex, text: str) -> tuple[str, str] | None:
    """The reading whose two best matches score highest together (ties: the first)."""
    cache: dict[str, float] = {}

    def best(part: str) -> float:
        if part not in cache:
            found = index.search(part, limit=1)
            cache[part] = found[0].score if found else 0.0
        return cache[part]

    chosen, chosen_score = None, -1.0
    for left, right in splits(text):
        value = best(left) + best(right)
        if value > chosen_score:
            chosen, chosen_score = (left, right), value
    return chosen
