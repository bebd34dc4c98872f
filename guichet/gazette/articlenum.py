"""Article numbers as printed in Nigerien and French texts: the one parser (importers, editor, search).

Forms really found in the Journal officiel and in the French codes it borrows from:

- ordinals and the single article: « Article premier », « Article 1er », « Article unique »;
- plain and subdivided numbers: « Article 12 », « Article 12-1 », « Article 12-1-3 »;
- Latin multiplicative adverbs for inserted articles: « 12 bis », « 12 ter », « 12 quater »…
  (the order bis, ter, quater, quinquies… is the one of the Légistique guide, « Guide de
  légistique », 3e éd., § 3.3.2);
- code numbers with their part letter: « L. 100-1 », « L100-1 », « L 100-1 » (legislative part),
  « R. 123-4 » / « R*123-4 » (regulatory part; the star marks a decree in Council of Ministers),
  « D113-2 » (simple decree), « A. 12 » (orders), « LO. 111-3 » (organic law);
- a capital letter after a code number, for an article inserted before or after another
  (« L. 1 A », « L. 112-1 B », « R. 12-1-A »: Code rural, Code de la sécurité sociale);
- « annexe » (with an optional number, and what it is the annex of: « Annexe I à l'article
  R. 123-4 », « Annexe II : Tableau n° 12 »), « tableau n° 12 bis », and roman numerals of old
  texts (« Article IV »).

`parse()` gives an `ArticleNumber` whose `key` is the same for every printed variant
(« L. 211-2 » and « L211-2 » → « L211-2 »); `display` prints the canonical form. eIds, search and
the editor only ever compare keys.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from guichet.translatable import TranslatableError, gettext_noop

# Latin multiplicative adverbs, in order (bis = 2nd inserted article, ter = 3rd…).
SUFFIXES = (
    "bis",
    "ter",
    "quater",
    "quinquies",
    "sexies",
    "septies",
    "octies",
    "nonies",
    "decies",
    "undecies",
    "duodecies",
    "terdecies",
    "quaterdecies",
    "quindecies",
    "sexdecies",
    "septdecies",
    "octodecies",
    "novodecies",
    "vicies",
)
PREFIXES = ("LO", "L", "R", "D", "A")  # longest first for the regular expression
ORDINALS = ("premier", "première", "1er", "1ère", "1re")

_SUFFIX_RE = "|".join(sorted(SUFFIXES, key=len, reverse=True))
_PATTERN = re.compile(
    r"(?:"
    r"(?P<special>unique|annexe(?:\s+(?P<annex>[IVXLC]+|\d+))?)\b"
    r"|(?P<table>tableau\s+n\s*[°º]\s*\d+(?:\s*(?:" + _SUFFIX_RE + r"))?)\b"
    r"|(?P<ordinal>premi[eè]re?|1er|1[eè]re|1re)\b"
    r"|(?:(?P<prefix>LO|L|R|D|A)\s*\.?\s*(?P<star>\*)?\s*)?"
    r"(?P<digits>\d+(?:-\d+)*)(?![\w/])(?:\s*(?P<suffix>" + _SUFFIX_RE + r")\b)?"
    # A capital letter closing the number (« L. 1 A : »), never the first word of the text
    # (« Article L. 12 A compter du … »): it must end the number, before a colon, a dash, a full
    # stop or the end.
    r"(?P<lettered>\s*-?\s*(?P<letter>(?-i:[A-Z]))(?=\s*(?:$|[:.,;(—–-])))?"
    r"|(?P<roman>[IVXLC]+)\b(?:\s*(?P<rsuffix>" + _SUFFIX_RE + r")\b)?"
    r")",
    re.IGNORECASE,
)
# A whole number naming an annex and what it is the annex of: « Annexe I à l'article R. 123-4 »,
# « Annexe II : Tableau n° 12 », « Annexes à l'article D. 12-1 ». Only a number standing alone
# (`parse`): in a line of text (`match`), what follows « Article annexe » is the article's text.
_LABELLED_ANNEX = re.compile(
    r"(?P<word>annexes?)(?:\s+(?P<numeral>[IVXLC]+|\d+)\b)?\s*(?P<label>.*)$", re.IGNORECASE
)


class ArticleNumberError(TranslatableError):
    """Not an article number; the message is French, translated by the Django side."""


@dataclass(frozen=True)
class ArticleNumber:
    prefix: str = ""  # "", "L", "R", "D", "A", "LO"
    star: bool = False  # R*123-4
    parts: tuple[int, ...] = ()  # (123, 4)
    suffix: str = ""  # "bis", "ter"…
    special: str = ""  # "unique", "annexe", "annexe II", "tableau 12 bis"
    roman: str = ""  # "IV"
    letter: str = ""  # "A" of "L. 1 A"
    label: str = ""  # of an annex: "à l'article R. 123-4", ": Tableau n° 12"

    @property
    def key(self) -> str:
        """The same for every printed variant: "L211-2", "R*123-4", "12-1bis", "1", "unique",
        "L1A"; an annex's label folded ("annexe I a l'article R123-4")."""
        if self.special:
            return f"{self.special} {_folded_label(self.label)}" if self.label else self.special
        core = self.roman or "-".join(str(n) for n in self.parts)
        return f"{self.prefix}{'*' if self.star else ''}{core}{self.suffix}{self.letter}"

    @property
    def display(self) -> str:
        """Canonical printed form: "L. 211-2", "R* 123-4", "12-1 bis", "1er", "unique", "L. 1 A"."""
        if self.special:
            return f"{self.special} {self.label}" if self.label else self.special
        core = self.roman or "-".join(str(n) for n in self.parts)
        if self.parts == (1,) and not (self.prefix or self.suffix or self.letter):
            core = "1er"
        head = f"{self.prefix}{'*' if self.star else '.'} " if self.prefix else ""
        letter = f" {self.letter}" if self.letter else ""
        return f"{head}{core}{' ' + self.suffix if self.suffix else ''}{letter}"

    @property
    def eid(self) -> str:
        """The eId fragment (AKN naming convention: lower case, no spaces): "l211-2", "rx123-4",
        "l1a", "annexe_ii_tableau_12"."""
        fragment = self.key.lower().replace("*", "x")
        fragment = unicodedata.normalize("NFKD", fragment).encode("ascii", "ignore").decode()
        if self.special:
            return re.sub(r"[^a-z0-9-]+", "_", fragment).strip("_")
        return fragment.replace(" ", "")


def _folded_label(label: str) -> str:
    """An annex's label as compared: accents, case, « n° », punctuation and spacing aside, and
    code numbers in their compact notation (« l'art. R. 123-4 » is « l'article R123-4 »)."""
    text = re.sub(r"\bart\.(?=\s)", "article", label, flags=re.IGNORECASE)
    text = re.sub(r"\b(LO|L|R|D|A)\s*\.?\s*(\*?)\s*(?=\d)", lambda m: m[1].upper() + m[2], text)
    text = re.sub(r"\bn\s*[°º]\s*", "", text, flags=re.IGNORECASE)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.findall(r"[\w*'-]+", text)
    return " ".join(w if re.match(r"(LO|L|R|D|A)\*?\d", w) else w.lower() for w in words)


def match(text: str) -> tuple[ArticleNumber, int] | None:
    """The number at the start of `text` and how many characters it takes, or None."""
    found = _PATTERN.match(text)
    if not found or not found.group(0).strip():
        return None
    if found.group("special"):
        special = found.group("special").lower().split()
        if len(special) == 2:
            special[1] = special[1].upper()
        return ArticleNumber(special=" ".join(special)), found.end()
    if found.group("table"):
        words = re.sub(r"n\s*[°º]\s*", " ", found.group("table").lower()).split()
        return ArticleNumber(special=" ".join(words)), found.end()
    if found.group("ordinal"):
        return ArticleNumber(parts=(1,)), found.end()
    if found.group("digits"):
        prefix = (found.group("prefix") or "").upper()
        star = bool(found.group("star"))
        if star and prefix not in ("R", "D"):
            return None
        parts = tuple(int(n) for n in found.group("digits").split("-"))
        suffix = (found.group("suffix") or "").lower()
        end, letter = found.end(), found.group("letter") or ""
        if letter and not prefix:  # « 12 A » is not a number of a code: the letter is text
            end, letter = found.start("lettered"), ""
        return ArticleNumber(prefix, star, parts, suffix, letter=letter), end
    roman = found.group("roman").upper()
    if not re.fullmatch(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})", roman):
        return None
    return ArticleNumber(roman=roman, suffix=(found.group("rsuffix") or "").lower()), found.end()


def parse(text: str) -> ArticleNumber:
    """A whole string as an article number ("L. 100-1", "12 bis", "premier"), or an error."""
    value = " ".join(text.split())
    value = re.sub(r"^(?:article|art\.?)\s+", "", value, flags=re.IGNORECASE)
    annex = _LABELLED_ANNEX.match(value)
    if annex and annex["label"].strip(" .:"):
        special = annex["word"].lower() + (
            f" {annex['numeral'].upper()}" if annex["numeral"] else ""
        )
        return ArticleNumber(special=special, label=annex["label"].strip())
    found = match(value)
    if found is None or value[found[1] :].strip(" .:"):
        raise ArticleNumberError(
            gettext_noop("Numéro d'article illisible : « %(text)s »."), text=text
        )
    return found[0]


def key(text: str) -> str:
    """`parse(text).key`, or the text itself (lower-cased, no spaces) when it is not a number."""
    try:
        return parse(text).key
    except ArticleNumberError:
        return "".join(text.lower().split())


# "article L. 211-2", "art. 12 bis", or a code number standing alone ("L211-2", "R*123-4").
_IN_QUERY = re.compile(
    r"\b(?:articles?|art\.?)\s+(?=\S)|(?<![\w*])(?=(?:LO|L|R|D|A)\s*\.?\s*\*?\s*\d+-\d)",
    re.IGNORECASE,
)


def find_in_query(query: str) -> tuple[ArticleNumber, str] | None:
    """The article number a search names, and the rest of the query without it."""
    for found in _IN_QUERY.finditer(query):
        number = match(query[found.end() :])
        if number is None:
            continue
        article, length = number
        if article.roman and not found.group(0).strip():
            continue
        rest = (query[: found.start()] + " " + query[found.end() + length :]).strip()
        return article, " ".join(rest.split())
    return None
