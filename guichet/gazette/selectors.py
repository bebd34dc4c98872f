"""Reads of the Official Journal: texts as in force on a date, their links, comparisons, issues."""

from __future__ import annotations

import datetime
import difflib
import html
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from guichet.gazette.models import Expression, Issue, IssueEntry, Part, Relation, Work


def published_works() -> QuerySet[Work]:
    return Work.objects.filter(status=Work.Status.PUBLISHED).select_related("authority")


def work_by_uri(work_uri: str, *, include_unpublished: bool = False) -> Work | None:
    works = Work.objects.select_related("authority") if include_unpublished else published_works()
    return works.filter(frbr_uri=work_uri).first()


def expressions_of(work: Work, *, include_unpublished: bool = False) -> list[Expression]:
    expressions = work.expressions.order_by("date")
    if not include_unpublished:
        expressions = expressions.filter(frozen=True)
    return list(expressions)


def expression_at(
    work: Work, day: datetime.date | None = None, *, include_unpublished: bool = False
) -> Expression | None:
    """The version in force on `day` (today by default): the latest one dated on or before it.

    Before the text's first version there is nothing in force; the original is returned anyway so
    that a page can say "not yet in force" rather than show nothing.
    """
    return in_force_among(expressions_of(work, include_unpublished=include_unpublished), day)


def in_force_among(
    expressions: list[Expression], day: datetime.date | None = None
) -> Expression | None:
    """`expression_at` over a text's versions already read (sorted by date)."""
    day = day or timezone.localdate()
    if not expressions:
        return None
    current = expressions[0]
    for expression in expressions:
        if expression.date <= day:
            current = expression
    return current


def repealed_on(work: Work) -> datetime.date | None:
    relation = (
        Relation.objects.filter(
            target=work,
            kind=Relation.Kind.REPEALS,
            target_eid="",
            subject__status=Work.Status.PUBLISHED,
        )
        .select_related("subject")
        .order_by("subject__published_on")
        .first()
    )
    if relation is None:
        return None
    return relation.effective_on or relation.subject.published_on


def parts_of(expression: Expression) -> list[Part]:
    return list(expression.parts.order_by("order"))


@dataclass
class Link:
    kind: str
    label: str  # "modifie", "modifié par"
    work: Work
    eid: str
    effective_on: datetime.date | None


# ELI-style names (eli:amends / eli:amended_by, eli:repeals / eli:repealed_by, …).
ELI_OUT = {
    "modifies": "amends",
    "repeals": "repeals",
    "applies": "applies",
    "rectifies": "corrects",
    "cites": "cites",
}
ELI_IN = {
    "modifies": "amended_by",
    "repeals": "repealed_by",
    "applies": "applied_by",
    "rectifies": "corrected_by",
    "cites": "cited_by",
}


# The model's order, made total: a whole-text link ("" target_eid) before article links to the
# same text, so the line `grouped_links` keeps for a text is the same in every database and build.
LINK_ORDER = ("subject", "kind", "target", "target_eid", "pk")


def links_of(work: Work, *, include_unpublished: bool = False) -> dict[str, list[Relation]]:
    """What this text changes (`out`) and what changed or cites it (`in`), by ELI name.

    Only confirmed links, and links *to* this text only from published texts.
    """
    outgoing = (
        work.relations_out.filter(confirmed=True).select_related("target").order_by(*LINK_ORDER)
    )
    if not include_unpublished:
        outgoing = outgoing.filter(target__status=Work.Status.PUBLISHED)
    incoming = (
        work.relations_in.filter(confirmed=True, subject__status=Work.Status.PUBLISHED)
        .select_related("subject")
        .order_by(*LINK_ORDER)
    )
    return grouped_links(outgoing, incoming)


def grouped_links(outgoing, incoming) -> dict[str, list[Relation]]:
    """`links_of` over one text's confirmed links already read (in the model's order)."""
    grouped: dict[str, list[Relation]] = {}
    seen: set[tuple[str, int]] = set()

    def add(name: str, relation: Relation, other_id: int) -> None:
        # One line per text and kind of link, however many articles it touches.
        if (name, other_id) not in seen:
            seen.add((name, other_id))
            grouped.setdefault(name, []).append(relation)

    for relation in outgoing:
        kind = _whole_or_part(relation)
        add(ELI_OUT[kind], relation, relation.target_id)
    for relation in incoming:
        kind = _whole_or_part(relation)
        add(ELI_IN[kind], relation, relation.subject_id)
    return grouped


def _whole_or_part(relation: Relation) -> str:
    """Repealing one article amends the text; only a repeal of the whole text repeals it."""
    if relation.kind == Relation.Kind.REPEALS and relation.target_eid:
        return Relation.Kind.MODIFIES
    return relation.kind


@dataclass
class PartDiff:
    eid: str
    label: str
    status: str  # "same", "changed", "added", "removed"
    html: str  # words deleted in <del>, inserted in <ins>


def _word_diff(old: str, new: str) -> str:
    old_words, new_words = old.split(), new.split()
    out = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(html.escape(" ".join(old_words[a1:a2])))
        if op in ("delete", "replace"):
            out.append(f"<del>{html.escape(' '.join(old_words[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{html.escape(' '.join(new_words[b1:b2]))}</ins>")
    return " ".join(out)


def compare(old: Expression, new: Expression) -> list[PartDiff]:
    """Article by article, what changed between two versions, rendered on the server."""
    old_parts = {p.eid: p for p in old.parts.all()}
    new_parts = {p.eid: p for p in new.parts.all()}
    order = [p.eid for p in new.parts.order_by("order")]
    for eid in (p.eid for p in old.parts.order_by("order")):
        if eid not in new_parts:
            order.append(eid)
    result = []
    for eid in order:
        before, after = old_parts.get(eid), new_parts.get(eid)
        before_text = "" if before is None or before.repealed else before.text
        after_text = "" if after is None or after.repealed else after.text
        label = (after or before).label
        if before is None or (before.repealed and after is not None and not after.repealed):
            status = "added"
        elif after is None or (after.repealed and not before.repealed):
            status = "removed"
        elif before_text != after_text or before.heading != after.heading:
            status = "changed"
        else:
            status = "same"
        result.append(PartDiff(eid, label, status, _word_diff(before_text, after_text)))
    return result


def latest_issues(limit: int = 10) -> QuerySet[Issue]:
    return Issue.objects.filter(status=Issue.Status.PUBLISHED).order_by("-date", "-number")[:limit]


def issue_by_slug(slug: str) -> Issue | None:
    try:
        year, rest = slug.split("-", 1)
        special = rest.startswith("ns")
        number = int(rest[2:] if special else rest[1:])
        return Issue.objects.filter(year=int(year), number=number, special=special).first()
    except (ValueError, IndexError):
        return None


def issue_entries(issue: Issue) -> QuerySet[IssueEntry]:
    return issue.entries.select_related("work", "work__authority").order_by("order")


def issue_by_hash(sha256: str) -> Issue | None:
    return Issue.objects.filter(sha256=sha256.lower(), status=Issue.Status.PUBLISHED).first()


def recent_texts(limit: int = 50, doctype: str = "", authority: str = "") -> QuerySet[Work]:
    works = published_works()
    if doctype:
        works = works.filter(doctype=doctype)
    if authority:
        works = works.filter(authority__code=authority.upper())
    return works.select_related("issue_entry__issue").order_by("-published_on", "-id")[:limit]


def find_by_reference(reference: str) -> Work | None:
    """ "Loi n° 2017-28" (or "loi 2017-28 du 3 mai 2017") → the text, published or not."""
    from guichet.gazette import numbering

    try:
        number = numbering.parse(reference)
    except numbering.NumberError:
        return None
    return Work.objects.filter(doctype=number.doctype, number_normalized=number.normalized).first()


def editor_texts() -> QuerySet[Work]:
    return (
        Work.objects.exclude(status=Work.Status.PUBLISHED)
        .select_related("authority", "issue_entry__issue")
        .order_by("status", "-created_at")
    )


def draft_issues() -> QuerySet[Issue]:
    return Issue.objects.filter(status=Issue.Status.DRAFT).order_by("date", "number")


@dataclass
class ExportedText:
    """Everything the open data says of one published text, read in bulk (`texts_for_export`)."""

    work: Work
    expression: Expression
    parts: list[Part]
    expressions: list[Expression]  # frozen versions, by date
    repealed_on: datetime.date | None
    links: dict[str, list[Relation]]


def published_in(years) -> Q:
    """Texts of these years of publication (of signature when never published): the year of the
    open-data part (`jo-<year>.zip`) a text belongs to."""
    return Q(published_on__year__in=years) | Q(published_on__isnull=True, signed_on__year__in=years)


def texts_for_export(chunk_size: int = 500, years=None):
    """Every published text with a frozen version (of `years` only, when given: `published_in`),
    by publication date, as `ExportedText`s.

    The same answers as `expression_at`, `parts_of`, `expressions_of`, `repealed_on` and
    `links_of` per text (the open-data build used them: ~7 queries a text), in 6 queries per
    `chunk_size` texts.
    """
    works = published_works().filter(expressions__frozen=True)
    if years is not None:
        works = works.filter(published_in(list(years)))
    ids = list(works.distinct().order_by("published_on", "id").values_list("id", flat=True))
    for start in range(0, len(ids), chunk_size):
        yield from _export_chunk(ids[start : start + chunk_size])


def _export_chunk(ids: list[int]):
    works = {
        w.pk: w for w in published_works().select_related("issue_entry__issue").filter(pk__in=ids)
    }
    versions: dict[int, list[Expression]] = {pk: [] for pk in ids}
    for expression in (
        Expression.objects.filter(work_id__in=ids, frozen=True)
        .select_related("amended_by")
        .order_by("work_id", "date")
    ):
        expression.work = works[expression.work_id]  # its URI is the work's: no query per text
        versions[expression.work_id].append(expression)
    current = {pk: in_force_among(versions[pk]) for pk in ids}
    parts: dict[int, list[Part]] = {e.pk: [] for e in current.values()}
    for part in Part.objects.filter(expression_id__in=list(parts)).order_by(
        "expression_id", "order"
    ):
        parts[part.expression_id].append(part)
    repealed: dict[int, datetime.date | None] = {}
    for relation in (
        Relation.objects.filter(
            target_id__in=ids,
            kind=Relation.Kind.REPEALS,
            target_eid="",
            subject__status=Work.Status.PUBLISHED,
        )
        .select_related("subject")
        .order_by("target_id", "subject__published_on")
    ):
        # The first by the repealing text's publication, as repealed_on takes.
        repealed.setdefault(
            relation.target_id, relation.effective_on or relation.subject.published_on
        )
    outgoing: dict[int, list[Relation]] = {pk: [] for pk in ids}
    for relation in (
        Relation.objects.filter(
            subject_id__in=ids, confirmed=True, target__status=Work.Status.PUBLISHED
        )
        .select_related("target")
        .order_by(*LINK_ORDER)
    ):
        outgoing[relation.subject_id].append(relation)
    incoming: dict[int, list[Relation]] = {pk: [] for pk in ids}
    for relation in (
        Relation.objects.filter(
            target_id__in=ids, confirmed=True, subject__status=Work.Status.PUBLISHED
        )
        .select_related("subject")
        .order_by(*LINK_ORDER)
    ):
        incoming[relation.target_id].append(relation)
    for pk in ids:
        expression = current[pk]
        yield ExportedText(
            work=works[pk],
            expression=expression,
            parts=parts[expression.pk],
            expressions=versions[pk],
            repealed_on=repealed.get(pk),
            links=grouped_links(outgoing[pk], incoming[pk]),
        )
