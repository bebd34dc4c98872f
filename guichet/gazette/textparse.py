"""Splitting a text typed or scanned as plain text (or HTML) into its heading and parts.

Recognises the way the Journal sets a text:

    LOI N° 2017-28 DU 3 MAI 2017
    relative à la protection des données à caractère personnel.
    Vu la Constitution du 25 novembre 2010 ;
    TITRE PREMIER : DISPOSITIONS GÉNÉRALES
    CHAPITRE I : Objet
    Section 1 : …
    Article premier : La présente loi …
    Art. 2. — …

Lines that fit none of these continue the current part. What cannot be recognised is reported.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field

from guichet.gazette import numbering
from guichet.gazette.content import PartInput

_ORDINAL = r"(?:premier|première|unique|1er|[IVXLC]+|\d+(?:\s*(?:bis|ter|quater))?)"
_HEADINGS = [
    ("title", re.compile(rf"^\s*titre\s+({_ORDINAL})\s*[:.\-–—]?\s*(.*)$", re.IGNORECASE)),
    ("chapter", re.compile(rf"^\s*chapitre\s+({_ORDINAL})\s*[:.\-–—]?\s*(.*)$", re.IGNORECASE)),
    ("section", re.compile(rf"^\s*section\s+({_ORDINAL})\s*[:.\-–—]?\s*(.*)$", re.IGNORECASE)),
]
_ARTICLE = re.compile(
    rf"^\s*(?:article|art\.)\s+({_ORDINAL})\s*(?:[:.]\s*[-–—]?|[-–—])?\s*(.*)$", re.IGNORECASE
)
_HEAD = re.compile(
    r"^\s*((?:loi\s+organique|loi|ordonnance|d[ée]cret|arr[êe]t[ée](?:\s+interminist[ée]riel)?"
    r"|d[ée]cision|circulaire|avis)\s+n\s*[°ºo].*)$",
    re.IGNORECASE,
)


@dataclass
class ParsedText:
    number: numbering.TextNumber | None = None
    title: str = ""
    parts: list[PartInput] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def html_to_text(markup: str) -> str:
    """Block elements become lines; tags go; entities are decoded."""
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</(p|div|h[1-6]|li|tr|title)>", "\n", markup)
    markup = re.sub(r"<[^>]+>", " ", markup)
    return html_lib.unescape(markup)


def _ordinal(value: str) -> str:
    value = value.strip()
    if value.lower() in ("premier", "première", "1er", "unique"):
        return "1" if value.lower() != "unique" else "unique"
    return value


def parse_text(text: str) -> ParsedText:
    result = ParsedText()
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    index = 0
    # Heading: the first line naming a text with its number.
    while index < len(lines) and index < 10:
        match = _HEAD.match(lines[index])
        if match:
            try:
                result.number = numbering.parse(match.group(1).rstrip(" .;"))
            except numbering.NumberError as error:
                result.problems.append(f"Ligne {index + 1} : {error}")
            index += 1
            break
        index += 1
    else:
        index = 0
    if result.number is None and not result.problems:
        result.problems.append("Aucun en-tête « Loi n° …, Décret n° … » reconnu.")
        index = 0
    # Title: the lines up to the first "Vu", heading or article.
    title_lines = []
    while index < len(lines):
        line = lines[index]
        if (
            line.lower().startswith("vu ")
            or _ARTICLE.match(line)
            or any(p.match(line) for _k, p in _HEADINGS)
            or line.lower().startswith(("le président", "l'assemblée", "le premier ministre"))
        ):
            break
        title_lines.append(line)
        index += 1
    result.title = " ".join(title_lines).strip().rstrip(" .;")
    if not result.title:
        result.problems.append("Intitulé du texte non trouvé.")
    current: PartInput | None = None
    for line in lines[index:]:
        article = _ARTICLE.match(line)
        heading = next(((kind, m) for kind, p in _HEADINGS if (m := p.match(line))), None)
        if article:
            current = PartInput(
                kind="article", num=_ordinal(article.group(1)), text=article.group(2)
            )
            result.parts.append(current)
        elif heading:
            kind, match = heading
            result.parts.append(
                PartInput(
                    kind=kind, num=f"{kind.capitalize()} {match.group(1)}", heading=match.group(2)
                )
            )
            current = None
        elif current is not None:
            current.text = f"{current.text}\n{line}" if current.text else line
        elif line.lower().startswith(
            (
                "vu ",
                "sur rapport",
                "après avis",
                "le conseil",
                "l'assemblée",
                "le président",
                "décrète",
                "ordonne",
                "arrête",
                "promulgue",
            )
        ):
            result.parts.append(PartInput(kind="preamble", text=line))
        else:
            result.problems.append(f"Ligne non reconnue avant le premier article : « {line[:80]} »")
    for part in result.parts:
        if part.kind in ("title", "chapter", "section"):
            part.num = part.num.split(" ", 1)[1]
    if not any(p.kind == "article" for p in result.parts):
        result.problems.append("Aucun article reconnu (« Article premier : … », « Art. 2. — … »).")
    return result
