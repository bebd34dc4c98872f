"""The content of a text as plain data, shared by services, the importers and the AKN renderer.

A text is a list of parts in reading order, each with its depth in the Akoma Ntoso hierarchy:
a whole code reads book (0) → title (1) → chapter (2) → section (3) → subsection (4) →
article (5) → paragraph (6). The kinds are the hierarchical elements of Akoma Ntoso 3.0 (OASIS
LegalDocML, akomantoso30.xsd, group `ANhier`), plus the preamble lines and the `wrapUp` that
closes a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# AKN 3.0 ANhier elements, with their French label and the eId prefix of the AKN naming
# convention (Akoma Ntoso Naming Convention 1.0, § 5.2.1, "eId prefixes").
HIERARCHY: dict[str, tuple] = {
    "book": (_("Livre"), "book"),
    "tome": (_("Tome"), "tome"),
    "part": (_("Partie"), "part"),
    "subpart": (_("Sous-partie"), "subpart"),
    "title": (_("Titre"), "title"),
    "subtitle": (_("Sous-titre"), "subtitle"),
    "chapter": (_("Chapitre"), "chp"),
    "subchapter": (_("Sous-chapitre"), "subchp"),
    "section": (_("Section"), "sec"),
    "subsection": (_("Sous-section"), "subsec"),
    "division": (_("Division"), "dvs"),
    "subdivision": (_("Sous-division"), "subdvs"),
    "level": (_("Niveau"), "lvl"),
    "transitional": (_("Disposition transitoire"), "transitional"),
    "rule": (_("Règle"), "rule"),
    "subrule": (_("Sous-règle"), "subrule"),
    "article": (_("Article"), "art"),
    "clause": (_("Clause"), "clause"),
    "subclause": (_("Sous-clause"), "subclause"),
    "paragraph": (_("Alinéa"), "para"),
    "subparagraph": (_("Sous-alinéa"), "subpara"),
    "alinea": (_("Alinéa"), "al"),
    "list": (_("Liste"), "list"),
    "sublist": (_("Sous-liste"), "sublist"),
    "point": (_("Point"), "point"),
    "indent": (_("Tiret"), "indent"),
    "proviso": (_("Réserve"), "proviso"),
}
# Not hierarchical, but kept in order: the visas, and the words closing a list (`wrapUp`).
EXTRA_KINDS = {"preamble": _("Visas"), "wrapup": _("Fin d'énumération")}
KINDS = {**EXTRA_KINDS, **{kind: label for kind, (label, _prefix) in HIERARCHY.items()}}

# Nesting order when a source does not say the depth (typed or scanned text lists its headings
# flat): a heading closes every open unit of its rank or below.
RANK = {kind: index for index, kind in enumerate(HIERARCHY)}
RANK["wrapup"] = RANK["point"]

_WORD = re.compile(r"\w+")


@dataclass
class PartInput:
    """One structural unit. `depth` None: deduced from the kind (see `nest`)."""

    kind: str
    num: str = ""
    heading: str = ""
    text: str = ""
    eid: str = ""
    depth: int | None = None
    repealed: bool = False


def nest(parts: list[PartInput]) -> list[PartInput]:
    """Give each part without a depth the depth its kind implies under the units before it."""
    open_ranks: list[tuple[int, int]] = []  # (rank, depth) of the open units
    for part in parts:
        if part.kind == "preamble":
            part.depth = 0 if part.depth is None else part.depth
            continue
        if part.depth is not None:
            while open_ranks and open_ranks[-1][1] >= part.depth:
                open_ranks.pop()
            open_ranks.append((RANK.get(part.kind, len(RANK)), part.depth))
            continue
        rank = RANK.get(part.kind, len(RANK))
        while open_ranks and open_ranks[-1][0] >= rank:
            open_ranks.pop()
        part.depth = open_ranks[-1][1] + 1 if open_ranks else 0
        open_ranks.append((rank, part.depth))
    return parts


def words(*texts: str) -> int:
    """Words as the import check counts them (runs of letters and digits)."""
    return sum(len(_WORD.findall(text)) for text in texts if text)


@dataclass(frozen=True)
class Counts:
    """What an import read from its source, checked against what was stored before commit."""

    articles: int
    words: int


def counts_of(parts) -> Counts:
    """Articles and words of parts (PartInput or stored Part): heading and text (a unit's number
    is a label, not text: sources print it in many ways, « Art. 1er », « Article premier »)."""
    parts = list(parts)
    return Counts(
        articles=sum(1 for p in parts if p.kind == "article"),
        words=sum(words(p.heading, p.text) for p in parts),
    )
