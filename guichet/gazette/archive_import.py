"""Bringing the paper archive in: one text at a time (`import_archive_text`) or by the thousand
(`import_archive_texts`).

`import_archive_texts` follows the same rules as `import_archive_text`, in bulk: numbers parsed
and authorities resolved in Python (one query for the authorities), duplicates found in one query,
then works, expressions, parts, citation links, search rows and vocabulary written with bulk
inserts (the full-text index follows the search rows through its triggers), the stored articles
and words read back in one query and checked against what the importer read, and one audit entry
per text (written in bulk by `audit.services.record_many`). One transaction: any refused text refuses the whole batch.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.audit import actions as audit_actions
from guichet.audit.services import record, record_many
from guichet.gazette import citations, numbering, search
from guichet.gazette.content import Counts, PartInput, counts_of
from guichet.gazette.indexing import index_work, remember_vocabulary, search_body
from guichet.gazette.models import Authority, Expression, Part, Relation, SearchEntry, Work
from guichet.gazette.services import (
    GazetteError,
    _part_rows,
    already_exists,
    check_counts,
    create_text,
    resolve_authority,
    work_fields,
)

BATCH = 2000


@dataclass
class ArchiveText:
    doctype: str
    number: str
    signed_on: datetime.date
    title: str
    parts: list[PartInput]
    published_on: datetime.date | None = None
    expected: Counts | None = None


@transaction.atomic
def import_archive_text(
    *,
    actor,
    doctype: str,
    number: str,
    signed_on: datetime.date,
    title: str,
    parts: list[PartInput],
    published_on: datetime.date | None = None,
    as_draft: bool = False,
    expected: Counts | None = None,
) -> Work:
    """A text already published on paper, brought in from the archive: published and frozen at
    once (or a draft, for a text to be reviewed before publication).

    `expected`: the articles and words the importer read in its source; what is stored is counted
    again before commit and any difference refuses the import (nothing is written)."""
    work = create_text(
        actor=actor, doctype=doctype, number=number, signed_on=signed_on, title=title, parts=parts
    )
    if expected is not None:
        check_counts(work.expressions.get(), expected)
    # Citations of texts in the archive are links the paper edition already made.
    work.relations_out.filter(detected=True).update(confirmed=True)
    if as_draft:
        return work
    Expression.objects.filter(work=work).update(frozen=True)
    Work.objects.filter(pk=work.pk).update(
        status=Work.Status.PUBLISHED, published_on=published_on or signed_on
    )
    work.refresh_from_db()
    index_work(work)
    record(
        audit_actions.Gazette.TEXT_IMPORTED, actor=actor, target=work, data={"uri": work.frbr_uri}
    )
    return work


def article_count(count: int) -> str:
    """« 1 article », « 474 articles » (a fragment of the import's messages)."""
    return ngettext("%(count)d article", "%(count)d articles", count) % {"count": count}


def word_count(count: int) -> str:
    """« 1 mot », « 2 mots » (a fragment of the import's messages)."""
    return ngettext("%(count)d mot", "%(count)d mots", count) % {"count": count}


def _refuse(index: int, text: ArchiveText, message: str) -> GazetteError:
    return GazetteError(
        _("Texte n° %(index)s (%(number)s) : %(message)s")
        % {"index": index + 1, "number": text.number, "message": message}
    )


def _parsed(texts: list[ArchiveText]) -> list[numbering.TextNumber]:
    authorities_known = set(Authority.objects.values_list("code", flat=True))
    result, seen = [], set()
    for index, text in enumerate(texts):
        if text.doctype not in numbering.DOCTYPES.values():
            raise _refuse(index, text, _("type de texte inconnu."))
        if not text.title.strip():
            raise _refuse(index, text, _("l'intitulé du texte est obligatoire."))
        try:
            parsed = numbering.parse_number(text.doctype, text.number, text.signed_on)
        except numbering.NumberError as error:
            raise _refuse(index, text, error.translated(_)) from None
        key = (text.doctype, parsed.normalized)
        if key in seen:
            raise _refuse(index, text, _("existe déjà plus haut dans cet import."))
        seen.add(key)
        if parsed.authorities and parsed.authorities[0] not in authorities_known:
            raise _refuse(
                index,
                text,
                _("code d'autorité inconnu : « %(code)s ».") % {"code": parsed.authorities[0]},
            )
        result.append(parsed)
    return result


def _authorities(texts, numbers) -> list:
    cache: dict[tuple, Authority | None] = {}
    found = []
    for index, (text, parsed) in enumerate(zip(texts, numbers, strict=True)):
        key = (parsed.authorities[:1], text.signed_on)
        if key not in cache:
            try:
                cache[key] = resolve_authority(parsed, text.signed_on)
            except GazetteError as error:
                raise _refuse(index, text, str(error)) from None
        found.append(cache[key])
    return found


def _refuse_existing(texts, numbers) -> None:
    by_doctype: dict[str, list[str]] = {}
    for text, parsed in zip(texts, numbers, strict=True):
        by_doctype.setdefault(text.doctype, []).append(parsed.normalized)
    for doctype, keys in by_doctype.items():
        for start in range(0, len(keys), 900):
            taken = list(
                Work.objects.filter(
                    doctype=doctype, number_normalized__in=keys[start : start + 900]
                ).values_list("number", flat=True)[:1]
            )
            if taken:  # the command adds « rien n'a été importé »
                raise already_exists(doctype, taken[0])


def _check_counts(texts, expressions) -> None:
    ids = {expression.pk: index for index, expression in enumerate(expressions)}
    stored: dict[int, list[PartInput]] = {pk: [] for pk in ids}
    keys = list(ids)
    for start in range(0, len(keys), 900):
        for expression_id, kind, heading, text in Part.objects.filter(
            expression_id__in=keys[start : start + 900]
        ).values_list("expression_id", "kind", "heading", "text"):
            stored[expression_id].append(PartInput(kind=kind, heading=heading, text=text))
    for pk, index in ids.items():
        expected = texts[index].expected
        if expected is None:
            continue
        got = counts_of(stored[pk])
        if got != expected:
            raise _refuse(
                index,
                texts[index],
                _(
                    "import refusé : %(read_articles)s et %(read_words)s lus, "
                    "%(articles)s et %(words)s enregistrés."
                )
                % {
                    "read_articles": article_count(expected.articles),
                    "read_words": word_count(expected.words),
                    "articles": article_count(got.articles),
                    "words": word_count(got.words),
                },
            )


def _citation_links(texts, works) -> None:
    """The citations of texts in the archive are links the paper edition already made."""
    found = []  # (subject index, doctype, normalized, target eid)
    for index, text in enumerate(texts):
        for part in text.parts:
            for citation in citations.find_citations(f"{part.heading} {part.text}"):
                found.append((index, citation.number.doctype, citation.number.normalized, citation))
    if not found:
        return
    targets: dict[tuple[str, str], int] = {}
    wanted: dict[str, set[str]] = {}
    for _i, doctype, normalized, _eid in found:
        wanted.setdefault(doctype, set()).add(normalized)
    for doctype, keys in wanted.items():
        keys = sorted(keys)
        for start in range(0, len(keys), 900):
            for pk, normalized in Work.objects.filter(
                doctype=doctype, number_normalized__in=keys[start : start + 900]
            ).values_list("pk", "number_normalized"):
                targets[(doctype, normalized)] = pk
    relations, seen = [], set()
    for index, doctype, normalized, citation in found:
        target = targets.get((doctype, normalized))
        subject = works[index].pk
        if target is None or target == subject:
            continue
        eid = citation.target_eid
        key = (subject, target, eid)
        if key in seen:
            continue
        seen.add(key)
        relations.append(
            Relation(
                subject_id=subject,
                kind=Relation.Kind.CITES,
                target_id=target,
                target_eid=eid,
                detected=True,
                confirmed=True,
            )
        )
    Relation.objects.bulk_create(relations, ignore_conflicts=True, batch_size=BATCH)


def _index(works, texts, authorities) -> None:
    entries, vocabulary, forms, counts = [], {}, {}, Counter()
    for work, text, authority in zip(works, texts, authorities, strict=True):
        body = search_body(text.parts)
        title = f"{numbering.DOCTYPE_LABELS[work.doctype]} {work.title}"
        analysed = search.analysis(title, body)
        for token, word in analysed.vocabulary.items():
            vocabulary.setdefault(token, word)
        for word, value in analysed.forms.items():
            forms.setdefault(word, value)
        counts.update(analysed.forms.keys())
        entries.append(
            SearchEntry(
                work=work,
                doctype=work.doctype,
                number_normalized=work.number_normalized,
                authority_code=authority.code if authority else "",
                signed_on=work.signed_on,
                title=work.title,
                body=body,
                stem_title=analysed.stem_title,
                stem_body=analysed.stem_body,
                word_forms=analysed.word_forms,
                in_force=True,  # a text just brought in: nothing repeals it yet
                repealed_on=None,
            )
        )
    SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
    remember_vocabulary(vocabulary, forms, dict(counts))


@transaction.atomic
def import_archive_texts(*, actor, texts: list[ArchiveText]) -> list[Work]:
    """Published, frozen and indexed archive texts, all or none. Raises GazetteError naming the
    first refused text (its position and number)."""
    if not texts:
        return []
    numbers = _parsed(texts)
    authorities = _authorities(texts, numbers)
    _refuse_existing(texts, numbers)
    works = Work.objects.bulk_create(
        [
            Work(
                **work_fields(text.doctype, parsed, text.signed_on, text.title, authority),
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                status=Work.Status.PUBLISHED,
                published_on=text.published_on or text.signed_on,
            )
            for text, parsed, authority in zip(texts, numbers, authorities, strict=True)
        ],
        batch_size=BATCH,
    )
    expressions = Expression.objects.bulk_create(
        [
            Expression(work=work, date=text.signed_on, is_original=True, frozen=True)
            for work, text in zip(works, texts, strict=True)
        ],
        batch_size=BATCH,
    )
    rows = []
    for expression, text in zip(expressions, texts, strict=True):
        rows.extend(_part_rows(expression, text.parts))
    Part.objects.bulk_create(rows, batch_size=BATCH)
    _check_counts(texts, expressions)
    _citation_links(texts, works)
    _index(works, texts, authorities)
    # One entry per text, as import_archive_text writes, in one INSERT per batch.
    record_many(
        {
            "action": audit_actions.Gazette.TEXT_IMPORTED,
            "actor": actor,
            "target": work,
            "data": {"uri": work.frbr_uri},
        }
        for work in works
    )
    return works
