"""The core writes of the Official Journal: texts and their links, one transaction each, with its
audit entry.

Life of a text: draft → reviewed → signed (by its authority, recorded here) → scheduled in an
issue (`publication`) → published with the issue. The other writes, by topic: `amendments`
(changes a text makes to others, applied at publication), `publication` (issues: scheduling,
PDF, signature, publication), `indexing` (the search rows and their vocabulary), `alerts`
(saved searches), `archive_import` (texts already published on paper).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from guichet import locks
from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.gazette import articlenum, citations, identifiers, numbering
from guichet.gazette.content import HIERARCHY, Counts, PartInput, counts_of, nest
from guichet.gazette.models import Authority, Expression, Part, Relation, Work


class GazetteError(ValueError):
    """A refused write; the message is French, for the editor."""


# -- Texts -----------------------------------------------------------------------------------------


def resolve_authority(number: numbering.TextNumber, signed_on: datetime.date) -> Authority | None:
    """The authority of the number's first code in use on the day of signature, or an error."""
    if not number.authorities:
        return None
    code = number.authorities[0]
    candidates = list(Authority.objects.filter(code=code))
    if not candidates:
        raise GazetteError(
            _("Code d'autorité inconnu : « %(code)s ». Ajoutez-le aux autorités s'il existe.")
            % {"code": code}
        )
    for authority in candidates:
        if authority.valid_on(signed_on):
            return authority
    periods = ", ".join(
        f"{a.valid_from:%d/%m/%Y}–{a.valid_to:%d/%m/%Y}"
        if a.valid_to
        else f"{a.valid_from:%d/%m/%Y}–"
        for a in candidates
    )
    raise GazetteError(
        _("Le code « %(code)s » n'était pas en usage le %(day)s (périodes : %(periods)s).")
        % {"code": code, "day": signed_on.strftime("%d/%m/%Y"), "periods": periods}
    )


def already_exists(doctype: str, number: str) -> GazetteError:
    """The refusal of a number already taken: « « Loi n° 2019-33 » existe déjà. » (one sentence
    whatever the type's gender)."""
    return GazetteError(
        _("« %(type)s n° %(number)s » existe déjà.")
        % {"type": _(numbering.DOCTYPE_LABELS[doctype]), "number": number}
    )


def _eid_fragment(num: str, fallback: int) -> str:
    """The number as an eId fragment: "L. 100-1" → "l100-1", "premier" → "1", "II" → "ii"."""
    try:
        return articlenum.parse(num).eid
    except articlenum.ArticleNumberError:
        cleaned = "".join(ch for ch in num.lower() if ch.isalnum() or ch == "-").strip("-")
        return cleaned or str(fallback)


def _eids(parts: list[PartInput]) -> list[PartInput]:
    """Akoma Ntoso eIds, unique in the expression (AKN Naming Convention 1.0 § 5.2): a unit's eId
    is its container's followed by "__" and its own prefix and number ("book_1__title_2__chp_3"),
    except articles, numbered through the whole text ("art_l100-1"); an article's paragraphs and
    points are under it ("art_5__para_2")."""
    nest(parts)
    seen: set[str] = set()
    counters: dict[tuple[str, str], int] = {}
    stack: list[tuple[int, str]] = []  # (depth, eid) of the open units
    preamble = 0
    for part in parts:
        if part.kind == "preamble":
            preamble += 1
            eid = part.eid or f"preamble__p_{preamble}"
        else:
            while stack and stack[-1][0] >= part.depth:
                stack.pop()
            parent = stack[-1][1] if stack else ""
            prefix = HIERARCHY.get(part.kind, (None, part.kind))[1]
            key = (parent, part.kind)
            counters[key] = counters.get(key, 0) + 1
            if part.eid:
                eid = part.eid
            elif part.kind == "article":
                eid = f"art_{_eid_fragment(part.num, counters[key])}"
            elif part.kind == "wrapup":
                eid = f"{parent}__wrapup" if parent else "wrapup"
            else:
                own = f"{prefix}_{_eid_fragment(part.num, counters[key]) if part.num else counters[key]}"
                eid = f"{parent}__{own}" if parent else own
            stack.append((part.depth, eid))
        base, copy = eid, 1
        while eid in seen:
            copy += 1
            eid = f"{base}_{copy}"
        if stack and stack[-1][1] == base:
            stack[-1] = (stack[-1][0], eid)
        seen.add(eid)
        part.eid = eid
    return parts


def _part_rows(expression: Expression, parts: list[PartInput]) -> list[Part]:
    return [
        Part(
            expression=expression,
            order=index,
            kind=part.kind,
            depth=part.depth or 0,
            eid=part.eid,
            num=part.num,
            heading=part.heading,
            text=part.text,
            repealed=part.repealed,
        )
        for index, part in enumerate(_eids(parts))
    ]


def _write_parts(expression: Expression, parts: list[PartInput]) -> None:
    Part.objects.bulk_create(_part_rows(expression, parts), batch_size=500)


def check_counts(expression: Expression, expected: Counts) -> Counts:
    """Articles and words stored for `expression`, against what the import read from its source;
    any difference refuses the import (the caller's transaction rolls back)."""
    stored = counts_of(
        PartInput(kind=kind, heading=heading, text=text)
        for kind, heading, text in expression.parts.values_list("kind", "heading", "text")
    )
    if stored != expected:
        raise GazetteError(
            _(
                "Import refusé : articles lus %(read_articles)s, enregistrés %(articles)s ; "
                "mots lus %(read_words)s, enregistrés %(words)s."
            )
            % {
                "read_articles": expected.articles,
                "read_words": expected.words,
                "articles": stored.articles,
                "words": stored.words,
            }
        )
    return stored


def _propose_citations(work: Work, parts: list[PartInput]) -> list[Relation]:
    """Citations found in the text that point at a known text become proposed links."""
    proposed = []
    for part in parts:
        for citation in citations.find_citations(f"{part.heading} {part.text}"):
            target = Work.objects.filter(
                doctype=citation.number.doctype, number_normalized=citation.number.normalized
            ).first()
            if target is None or target == work:
                continue
            relation, created = Relation.objects.get_or_create(
                subject=work,
                kind=Relation.Kind.CITES,
                target=target,
                target_eid=citation.target_eid,
                defaults={"detected": True, "confirmed": False},
            )
            if created:
                proposed.append(relation)
    return proposed


def work_fields(doctype: str, parsed, signed_on: datetime.date, title: str, authority) -> dict:
    """A new Work's identity, from its parsed number (one place for both importers)."""
    return {
        "frbr_uri": identifiers.work_uri(parsed, signed_on),
        "doctype": doctype,
        "number": parsed.display,
        "number_normalized": parsed.normalized,
        "year": parsed.year,
        "sequence": parsed.sequence,
        "authority_codes": "/".join(parsed.authorities),
        "authority": authority,
        "signed_on": signed_on,
        "title": " ".join(title.split()),
    }


@transaction.atomic
def create_text(
    *,
    actor,
    doctype: str,
    number: str,
    signed_on: datetime.date,
    title: str,
    parts: list[PartInput],
    request=None,
) -> Work:
    """A new draft text; its citations of known texts are proposed as links."""
    if doctype not in numbering.DOCTYPES.values():
        raise GazetteError(_("Type de texte inconnu : « %(type)s ».") % {"type": doctype})
    if not title.strip():
        raise GazetteError(_("L'intitulé du texte est obligatoire."))
    try:
        parsed = numbering.parse_number(doctype, number, signed_on)
    except numbering.NumberError as error:
        raise GazetteError(error.translated(_)) from None
    authority = resolve_authority(parsed, signed_on)
    if Work.objects.filter(doctype=doctype, number_normalized=parsed.normalized).exists():
        raise already_exists(doctype, parsed.display)
    work = Work.objects.create(
        **work_fields(doctype, parsed, signed_on, title, authority),
        created_by=actor,
    )
    expression = Expression.objects.create(work=work, date=signed_on, is_original=True)
    _write_parts(expression, parts)
    _propose_citations(work, parts)
    record(
        audit_actions.Gazette.TEXT_CREATED,
        actor=actor,
        target=work,
        request=request,
        data={"uri": work.frbr_uri},
    )
    return work


def _editable(work: Work) -> None:
    if work.status not in (Work.Status.DRAFT, Work.Status.REVIEWED):
        raise GazetteError(
            _("Seul un texte en brouillon ou relu peut être modifié (état : %(status)s).")
            % {"status": work.get_status_display()}
        )


@transaction.atomic
def update_text(work: Work, *, actor, title: str, parts: list[PartInput], request=None) -> Work:
    """Replace a draft's title and content; a reviewed text goes back to draft."""
    work = locks.rows(Work.objects.all()).get(pk=work.pk)
    _editable(work)
    work.title = " ".join(title.split())
    work.status = Work.Status.DRAFT
    work.save()
    expression = work.expressions.get(is_original=True)
    expression.parts.all().delete()
    _write_parts(expression, parts)
    work.relations_out.filter(detected=True, confirmed=False).delete()
    _propose_citations(work, parts)
    record(audit_actions.Gazette.TEXT_UPDATED, actor=actor, target=work, request=request)
    return work


_TRANSITIONS = {
    "review": (Work.Status.DRAFT, Work.Status.REVIEWED, audit_actions.Gazette.TEXT_REVIEWED),
    "sign": (Work.Status.REVIEWED, Work.Status.SIGNED, audit_actions.Gazette.TEXT_SIGNED),
}


@transaction.atomic
def advance(work: Work, step: str, *, actor, request=None) -> Work:
    """`review` (draft → reviewed) or `sign` (reviewed → signed: the signed original is in hand)."""
    source, target, action = _TRANSITIONS[step]
    work = locks.rows(Work.objects.all()).get(pk=work.pk)
    if work.status != source:
        raise GazetteError(
            _("Étape impossible : le texte est « %(status)s ».")
            % {"status": work.get_status_display()}
        )
    if step == "sign" and work.relations_out.filter(detected=True, confirmed=False).exists():
        raise GazetteError(
            _("Des citations détectées attendent confirmation ou rejet avant la signature.")
        )
    work.status = target
    work.save()
    record(action, actor=actor, target=work, request=request)
    return work


@transaction.atomic
def add_relation(
    subject: Work,
    kind: str,
    target: Work,
    *,
    actor,
    target_eid: str = "",
    effective_on: datetime.date | None = None,
    request=None,
) -> Relation:
    if subject == target:
        raise GazetteError(_("Un texte ne peut pas se viser lui-même."))
    _editable_or_signed(subject)
    relation, _created = Relation.objects.update_or_create(
        subject=subject,
        kind=kind,
        target=target,
        target_eid=target_eid,
        defaults={"effective_on": effective_on, "confirmed": True},
    )
    record(
        audit_actions.Gazette.RELATION_ADDED,
        actor=actor,
        target=subject,
        request=request,
        data={"kind": kind, "target": target.frbr_uri, "eid": target_eid},
    )
    return relation


@transaction.atomic
def review_citation(relation: Relation, *, accept: bool, actor, request=None) -> None:
    _editable_or_signed(relation.subject)
    if accept:
        relation.confirmed = True
        relation.save()
    else:
        relation.delete()
    record(
        audit_actions.Gazette.CITATION_REVIEWED,
        actor=actor,
        target=relation.subject,
        request=request,
        data={"target": relation.target.frbr_uri, "accepted": accept},
    )


def _editable_or_signed(work: Work) -> None:
    if work.status == Work.Status.PUBLISHED or work.status == Work.Status.SCHEDULED:
        raise GazetteError(_("Ce texte est programmé ou publié : ses liens sont figés."))


@transaction.atomic
def create_rectificatif(
    corrected: Work, *, actor, signed_on: datetime.date, text: str, request=None
) -> Work:
    """A correction of a published text: a new text, linked to what it corrects (never an edit)."""
    if not corrected.is_published:
        raise GazetteError(_("Un texte non publié se corrige directement, sans rectificatif."))
    sequence = (
        Work.objects.filter(doctype="rectificatif", year=signed_on.year).aggregate(
            top=Max("sequence")
        )["top"]
        or 0
    ) + 1
    number = f"{signed_on.year}-R{sequence}"
    work = Work.objects.create(
        frbr_uri=f"/akn/ne/act/rectificatif/{signed_on.year}/{sequence}",
        doctype="rectificatif",
        number=number,
        number_normalized=number,
        year=signed_on.year,
        sequence=sequence,
        signed_on=signed_on,
        title=_("Rectificatif à %(label)s") % {"label": corrected.label},
        created_by=actor,
    )
    expression = Expression.objects.create(work=work, date=signed_on)
    _write_parts(expression, [PartInput(kind="paragraph", text=text)])
    Relation.objects.create(subject=work, kind=Relation.Kind.RECTIFIES, target=corrected)
    record(
        audit_actions.Gazette.RECTIFICATIF_CREATED,
        actor=actor,
        target=work,
        request=request,
        data={"corrects": corrected.frbr_uri},
    )
    return work
