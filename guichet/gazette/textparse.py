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

from guichet.gazette import articlenum, numbering
from guichet.gazette.content import Counts, PartInput, words
from guichet.translatable import TranslatableError, gettext_noop

_ORDINAL = r"(?:premier|première|unique|1er|1re|[IVXLC]+|\d+(?:\s*(?:bis|ter|quater))?|[A-Z])"
_SEPARATOR = r"\s*[:.\-–—]?\s*(.*)$"
# Heading words of French and Nigerien texts and codes, with the AKN unit each one opens
# (Légifrance's « Paragraphe » is a division of a sub-section, not AKN's paragraph).
_HEADING_WORDS = [
    ("sous-chapitre", "subchapter"),
    ("sous-section", "subsection"),
    ("sous-titre", "subtitle"),
    ("sous-paragraphe", "subdivision"),
    ("livre", "book"),
    ("tome", "tome"),
    ("partie", "part"),
    ("titre", "title"),
    ("chapitre", "chapter"),
    ("section", "section"),
    ("paragraphe", "division"),
]
_HEADINGS = [
    (kind, re.compile(rf"^\s*{word}\s+({_ORDINAL})\b{_SEPARATOR}", re.IGNORECASE))
    for word, kind in _HEADING_WORDS
]
_ARTICLE_START = re.compile(r"^\s*(?:article|art\.)\s+", re.IGNORECASE)
_ARTICLE_REST = re.compile(r"^\s*(?:[:.]\s*[-–—]?|[-–—](?=\s))?\s*(.*)$")
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
    problems: list[TranslatableError] = field(default_factory=list)
    # What the lines hold, counted on the lines: "Article …" lines, and every word after the title
    # but those of the labels ("Article 12-1", "TITRE II"), to check against what is stored.
    counts: Counts = field(default_factory=lambda: Counts(0, 0))


def match_article(line: str) -> tuple[str, str] | None:
    """ "Article L. 100-1 : Le …" → ("L. 100-1", "Le …"); None when the line opens no article."""
    start = _ARTICLE_START.match(line)
    if not start:
        return None
    found = articlenum.match(line[start.end() :])
    if found is None:
        return None
    _number, length = found
    printed = " ".join(line[start.end() : start.end() + length].split())
    rest = _ARTICLE_REST.match(line[start.end() + length :])
    return printed, rest.group(1) if rest else line[start.end() + length :].strip()


def html_to_text(markup: str) -> str:
    """Block elements become lines; tags go; entities are decoded."""
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</(p|div|h[1-6]|li|tr|title)>", "\n", markup)
    markup = re.sub(r"<[^>]+>", " ", markup)
    return html_lib.unescape(markup)


# How the lines between a text's title and its first article begin, in Nigerien and French texts
# (the enacting authority, its visas and recitals, the formula that enacts), folded: typed in
# capitals without accents (« DECRETE : ») or in lower case with them (« Décrète : »).
PREAMBLE_STARTS = tuple(
    numbering.fold(start)
    for start in (
        "vu ",
        "vus ",
        "considérant",
        "sur rapport",
        "sur le rapport",
        "sur la proposition",
        "sur proposition",
        "après avis",
        "après délibération",
        "après adoption",
        "le conseil",
        "l'assemblée",
        "le sénat",
        "le parlement",
        "le peuple",
        "le président",
        "la présidente",
        "le premier ministre",
        "la première ministre",
        "le ministre",
        "la ministre",
        "le gouverneur",
        "le maire",
        "le secrétaire général",
        "le directeur",
        "décrète",
        "ordonne",
        "arrête",
        "décide",
        "promulgue",
        "adopte",
    )
)


def is_preamble_line(line: str) -> bool:
    return numbering.fold(line).startswith(PREAMBLE_STARTS)


def _lines(text: str) -> list[str]:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return [line for line in lines if line]


def parse_text(text: str) -> ParsedText:
    """A whole text: its heading (« Loi n° … du … »), its title, then its body."""
    result = ParsedText()
    lines = _lines(text)
    index = _heading_and_title(lines, result)
    _body(lines[index:], result)
    return result


def parse_body(text: str) -> ParsedText:
    """The body alone (the editor's form asks for the heading and the title in fields of their
    own): every line is a preamble line, a heading, an article or the continuation of one."""
    result = ParsedText()
    _body(_lines(text), result)
    return result


def _heading_and_title(lines: list[str], result: ParsedText) -> int:
    """Reads the heading and the title into `result`; the index of the body's first line."""
    index = 0
    # Heading: the first line naming a text with its number.
    while index < len(lines) and index < 10:
        match = _HEAD.match(lines[index])
        if match:
            try:
                result.number = numbering.parse(match.group(1).rstrip(" .;"))
            except numbering.NumberError as error:
                result.problems.append(
                    TranslatableError(
                        gettext_noop("Ligne %(line)s : %(problem)s"), line=index + 1, problem=error
                    )
                )
            index += 1
            break
        index += 1
    else:
        index = 0
    if result.number is None and not result.problems:
        result.problems.append(
            TranslatableError(gettext_noop("Aucun en-tête « Loi n° …, Décret n° … » reconnu."))
        )
        index = 0
    # Title: the lines up to the first "Vu", heading or article.
    title_lines = []
    while index < len(lines):
        line = lines[index]
        if (
            line.lower().startswith("vu ")
            or match_article(line)
            or any(p.match(line) for _k, p in _HEADINGS)
            or line.lower().startswith(("le président", "l'assemblée", "le premier ministre"))
        ):
            break
        title_lines.append(line)
        index += 1
    result.title = " ".join(title_lines).strip().rstrip(" .;")
    if not result.title:
        result.problems.append(TranslatableError(gettext_noop("Intitulé du texte non trouvé.")))
    return index


def _body(lines: list[str], result: ParsedText) -> None:
    current: PartInput | None = None
    source_articles = source_words = 0
    for line in lines:
        article = match_article(line)
        heading = next(((kind, m) for kind, p in _HEADINGS if (m := p.match(line))), None)
        if _ARTICLE_START.match(line):
            source_articles += 1
        if article:
            current = PartInput(kind="article", num=article[0], text=article[1])
            result.parts.append(current)
            source_words += words(article[1])
        elif heading:
            kind, match = heading
            result.parts.append(PartInput(kind=kind, num=match.group(1), heading=match.group(2)))
            source_words += words(match.group(2))
            current = None
        elif current is not None:
            current.text = f"{current.text}\n{line}" if current.text else line
            source_words += words(line)
        elif is_preamble_line(line):
            result.parts.append(PartInput(kind="preamble", text=line))
            source_words += words(line)
        else:
            result.problems.append(
                TranslatableError(
                    gettext_noop("Ligne non reconnue avant le premier article : « %(line)s »"),
                    line=line[:80],
                )
            )
    result.counts = Counts(articles=source_articles, words=source_words)
    if not any(p.kind == "article" for p in result.parts):
        result.problems.append(
            TranslatableError(
                gettext_noop("Aucun article reconnu (« Article premier : … », « Art. 2. — … »).")
            )
        )
