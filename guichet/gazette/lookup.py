"""What a search names exactly, ranked before anything the full text finds.

- A text's own reference in any citation form: « Loi n° 2017-28 », « loi 2017-28 du 3 mai 2017 »,
  « décret n°2015-1177/PRN/MJ », « Décret n° 2015-1177 du 23 octobre 2015 », « ordonnance
  2024-16 » (read by `numbering.parse`, the parser of the Journal's numbers): that text first,
  then the texts that cite it (the full-text results).
- An article number in either notation (« article L. 211-2 », « L211-2 », « art. 12 bis »; read
  by `articlenum`): the texts whose version in force has that article, at that article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from guichet.gazette import articlenum, numbering
from guichet.gazette.models import Expression, Part, SearchEntry

_REFERENCE = re.compile(
    r"\b(?P<ref>(?:lois?\s+organiques?|lois?|ordonnances?|d[ée]crets?|arr[êe]t[ée]s?"
    r"|d[ée]cisions?)\s+(?:n\s*[°ºo]\.?\s*)?\d[0-9A-Za-z./-]*"
    r"(?:\s+du\s+(?:1er|\d{1,2})\s+\w+\s+\d{4})?)",
    re.IGNORECASE,
)
# More texts than this share an article number named alone (« article 5 »): then it only ranks
# the texts that the rest of the query finds.
ARTICLE_ALONE_LIMIT = 20


@dataclass
class Pinned:
    work_ids: list[int]
    anchors: dict[int, str]  # work id → eId of the article named
    rest: str  # the query without what was recognised
    whole: bool  # the query was nothing but a reference: open the text


def _reference(query: str) -> tuple[numbering.TextNumber, str] | None:
    for match in _REFERENCE.finditer(query):
        text = match["ref"]
        attempts = [text, re.sub(r"\s+du\s+.*$", "", text)]
        for attempt in attempts:
            # Plural and "n°"-less forms are read as the Journal prints them.
            words = attempt.split(None, 1)
            kind = words[0].rstrip("sS") if len(words) > 1 else attempt
            body = words[1] if len(words) > 1 else ""
            if kind.lower() == "loi" and body.lower().startswith("organique"):
                kind, body = "loi organique", body.split(None, 1)[1] if " " in body else ""
            if not re.match(r"n\s*[°ºo]", body, re.IGNORECASE):
                body = f"n° {body}"
            try:
                number = numbering.parse(f"{kind} {body}")
            except numbering.NumberError:
                continue
            rest = (query[: match.start()] + " " + query[match.end() :]).strip()
            return number, " ".join(rest.split())
    return None


def _texts_with_article(eid: str, using: str, among: list[int] | None) -> list[int]:
    """Published texts whose latest version has the article `eid` in force, newest first."""
    parts = Part.objects.using(using).filter(
        eid=eid, repealed=False, expression__frozen=True, expression__work__status="published"
    )
    if among is not None:
        parts = parts.filter(expression__work_id__in=among)
    found = dict(parts.values_list("expression_id", "expression__work_id")[:1000])
    if not found:
        return []
    latest: dict[int, int] = {}
    for work_id, expression_id in (
        Expression.objects.using(using)
        .filter(work_id__in=set(found.values()), frozen=True)
        .order_by("work_id", "-date")
        .values_list("work_id", "id")
    ):
        latest.setdefault(work_id, expression_id)
    ids = [
        work_id for expression_id, work_id in found.items() if latest.get(work_id) == expression_id
    ]
    order = dict(
        SearchEntry.objects.using(using).filter(work_id__in=ids).values_list("work_id", "signed_on")
    )
    return sorted((i for i in ids if i in order), key=lambda i: (order[i], i), reverse=True)


def pinned(query: str, using: str) -> Pinned:
    reference = _reference(query)
    rest = query
    work_ids: list[int] = []
    among = None
    if reference is not None:
        number, rest = reference
        work_ids = list(
            SearchEntry.objects.using(using)
            .filter(doctype=number.doctype, number_normalized=number.normalized)
            .values_list("work_id", flat=True)
        )
        among = work_ids
    anchors: dict[int, str] = {}
    article = articlenum.find_in_query(rest)
    if article is not None:
        number, rest_after = article
        eid = f"art_{number.eid}"
        with_article = _texts_with_article(eid, using, among)
        if with_article and (
            among is not None or len(with_article) <= ARTICLE_ALONE_LIMIT or rest_after
        ):
            anchors = {work_id: eid for work_id in with_article}
            work_ids = with_article if among is not None else work_ids + with_article
            rest = rest_after
    whole = reference is not None and not rest.strip() and len(work_ids) == 1 and not anchors
    return Pinned(work_ids=work_ids, anchors=anchors, rest=rest, whole=whole)
