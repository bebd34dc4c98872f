"""Finding the texts a text cites: "Vu la loi n° 2017-28 du 3 mai 2017…", "l'article 5 du décret n° …".

Plain Python: returns what was found and where; the services turn found citations into proposed
links (`Relation(kind=cites, detected=True, confirmed=False)`) that an editor confirms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from guichet.gazette import articlenum, numbering

_REFERENCE = (
    r"(?P<ref>(?P<type>lois?\s+organiques?|lois?|ordonnances?|d[ée]crets?|arr[êe]t[ée]s?"
    r"|d[ée]cisions?)\s+n\s*[°ºo]\.?\s*(?P<number>\d[0-9A-Za-z./-]*[0-9A-Za-z])"
    r"(?:\s+du\s+(?P<date>(?:1er|\d{1,2})\s+\w+\s+\d{4}))?)"
)
_ARTICLE = (
    r"(?:(?:l['’]\s*)?(?:article|art\.)\s+(?P<article>premier|1er|"
    r"(?:(?:LO|L|R|D|A)\s*\.?\s*\*?\s*)?\d+(?:-\d+)*(?:\s*(?:bis|ter|quater|quinquies))?)"
    r"(?:\s*,\s*alinéa\s+\d+)?\s+(?:de\s+la|du|de\s+l['’]|de\s+l['’]\s*)\s*)?"
)
CITATION_RE = re.compile(_ARTICLE + _REFERENCE, re.IGNORECASE)


@dataclass(frozen=True)
class Citation:
    start: int
    end: int
    text: str
    number: numbering.TextNumber
    article: str = ""  # the article number's key: "5", "1" for "premier", "L211-2"

    @property
    def target_eid(self) -> str:
        return f"art_{articlenum.parse(self.article).eid}" if self.article else ""


def _singular(word: str) -> str:
    word = " ".join(word.split())
    return re.sub(r"s\b", "", word) if word.lower().endswith("s") else word


def find_citations(text: str) -> list[Citation]:
    """Every well-formed reference to another text, in order. Malformed ones are skipped."""
    found = []
    for match in CITATION_RE.finditer(text):
        doctype_word = " ".join(_singular(w) for w in match["type"].split())
        reference = f"{doctype_word} n° {match['number']}"
        if match["date"]:
            reference += f" du {match['date']}"
        try:
            number = numbering.parse(reference)
        except numbering.NumberError:
            continue
        try:
            article = articlenum.parse(match["article"]).key if match["article"] else ""
        except articlenum.ArticleNumberError:
            # An article number as misprinted (« 22quater »): the citation still names the text.
            article = ""
        found.append(Citation(match.start(), match.end(), match.group(), number, article))
    return found
