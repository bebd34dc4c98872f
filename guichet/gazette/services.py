"""Every write of the Official Journal: one transaction each, with its audit entry.

Life of a text: draft → reviewed → signed (by its authority, recorded here) → scheduled in an
issue → published with the issue. Publishing an issue builds its PDF, signs it (PAdES, the SGG's
certificate), stores it with its SHA-256 and freezes the issue and everything in it; it also
applies the amendments and repeals its texts carry to the texts they change, and indexes them.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet import locks
from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.gazette import articlenum, citations, identifiers, numbering, opendata, search
from guichet.gazette.content import HIERARCHY, Counts, PartInput, counts_of, nest
from guichet.gazette.models import (
    Amendment,
    Authority,
    Expression,
    Issue,
    IssueEntry,
    Part,
    Relation,
    SavedSearch,
    SearchEntry,
    SearchTerm,
    SearchWord,
    Work,
)

logger = logging.getLogger(__name__)


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
        raise GazetteError(str(error)) from None
    authority = resolve_authority(parsed, signed_on)
    if Work.objects.filter(doctype=doctype, number_normalized=parsed.normalized).exists():
        raise GazetteError(
            _("Un(e) %(type)s n° %(number)s existe déjà.")
            % {"type": numbering.DOCTYPE_LABELS[doctype].lower(), "number": parsed.display}
        )
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
def add_amendment(
    amending: Work,
    target: Work,
    *,
    actor,
    action: str,
    target_eid: str,
    num: str = "",
    heading: str = "",
    text: str = "",
    after_eid: str = "",
    effective_on: datetime.date | None = None,
    request=None,
) -> Amendment:
    """One article-level change the amending text makes; applied when it is published."""
    _editable_or_signed(amending)
    if action not in Amendment.Action.values:
        raise GazetteError(_("Action inconnue : %(action)s.") % {"action": action})
    if action in (Amendment.Action.REPLACE, Amendment.Action.INSERT) and not text.strip():
        raise GazetteError(_("Le nouveau texte de l'article est obligatoire."))
    latest = target.expressions.order_by("-date").first()
    exists = latest.parts.filter(eid=target_eid).exists() if latest else False
    if action != Amendment.Action.INSERT and not exists:
        raise GazetteError(
            _("L'article « %(eid)s » n'existe pas dans %(target)s.")
            % {"eid": target_eid, "target": target.label}
        )
    amendment = Amendment.objects.create(
        amending=amending,
        target=target,
        action=action,
        target_eid=target_eid,
        after_eid=after_eid,
        num=num,
        heading=heading,
        text=text,
        effective_on=effective_on,
    )
    kind = Relation.Kind.REPEALS if action == Amendment.Action.REPEAL else Relation.Kind.MODIFIES
    Relation.objects.get_or_create(
        subject=amending,
        kind=kind,
        target=target,
        target_eid=target_eid,
        defaults={"effective_on": effective_on},
    )
    record(
        audit_actions.Gazette.AMENDMENT_ADDED,
        actor=actor,
        target=amending,
        request=request,
        data={"target": target.frbr_uri, "eid": target_eid, "action": action},
    )
    return amendment


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


# -- Issues ----------------------------------------------------------------------------------------


@transaction.atomic
def create_issue(
    *, actor, date: datetime.date, number: int | None = None, special: bool = False, request=None
) -> Issue:
    """A new issue; numbers and pages run on through the year, as in the paper Journal."""
    year = date.year
    same_year = Issue.objects.filter(year=year, special=special)
    if number is None:
        number = (same_year.aggregate(top=Max("number"))["top"] or 0) + 1
    if same_year.filter(number=number).exists():
        raise GazetteError(_("Ce numéro existe déjà pour %(year)s.") % {"year": year})
    last_page = (
        IssueEntry.objects.filter(issue__year=year, issue__status=Issue.Status.PUBLISHED).aggregate(
            top=Max("page_end")
        )["top"]
        or 0
    )
    issue = Issue.objects.create(
        year=year, number=number, special=special, date=date, first_page=last_page + 1
    )
    record(audit_actions.Gazette.ISSUE_CREATED, actor=actor, target=issue, request=request)
    return issue


@transaction.atomic
def schedule(work: Work, issue: Issue, *, actor, request=None) -> IssueEntry:
    work = locks.rows(Work.objects.all()).get(pk=work.pk)
    if issue.is_published:
        raise GazetteError(_("Ce numéro est déjà publié."))
    if work.status != Work.Status.SIGNED:
        raise GazetteError(
            _("Seul un texte signé peut être programmé (état : %(status)s).")
            % {"status": work.get_status_display()}
        )
    order = (issue.entries.aggregate(top=Max("order"))["top"] or 0) + 1
    entry = IssueEntry.objects.create(issue=issue, work=work, order=order)
    work.status = Work.Status.SCHEDULED
    work.save()
    record(
        audit_actions.Gazette.TEXT_SCHEDULED,
        actor=actor,
        target=work,
        request=request,
        data={"issue": str(issue)},
    )
    return entry


def _pdf_document(issue: Issue, entries: list[IssueEntry]):
    from guichet.gazette.pdf import PdfIssue, PdfPart, PdfText

    texts = []
    for entry in entries:
        expression = entry.work.expressions.get(is_original=True)
        texts.append(
            PdfText(
                label=entry.work.label,
                title=entry.work.title,
                parts=[PdfPart(p.kind, p.num, p.heading, p.text) for p in expression.parts.all()],
            )
        )
    return PdfIssue(issue.number, issue.date, issue.special, issue.first_page, texts)


def sign_issue_pdf(pdf_bytes: bytes, issue: Issue) -> tuple[bytes, bool]:
    """PAdES signature with the SGG's key (guichet.signing). Without that module the PDF goes out
    unsigned and says so on its page (its SHA-256 is still published)."""
    try:
        from guichet.signing import sign_pdf
    except ImportError:
        logger.warning("guichet.signing is not available: issue %s published unsigned", issue)
        return pdf_bytes, False
    signed = sign_pdf(
        pdf_bytes,
        signer="sgg",
        reason=f"Journal officiel de la République du Niger — {issue}",
        location="Niamey",
    )
    return signed, True


@transaction.atomic
def publish_issue(issue: Issue, *, actor, request=None) -> Issue:
    """Build, sign, store and freeze the issue; its texts become published and searchable."""
    issue = locks.rows(Issue.objects.all()).get(pk=issue.pk)
    if issue.is_published:
        raise GazetteError(_("Ce numéro est déjà publié."))
    entries = list(issue.entries.select_related("work").order_by("order"))
    if not entries:
        raise GazetteError(_("Un numéro sans texte ne peut pas être publié."))
    not_ready = [e.work.label for e in entries if e.work.status != Work.Status.SCHEDULED]
    if not_ready:
        raise GazetteError(_("Textes pas prêts : %(texts)s.") % {"texts": ", ".join(not_ready)})

    from guichet.gazette.pdf import build_issue_pdf

    pdf_bytes, pages = build_issue_pdf(_pdf_document(issue, entries))
    for entry, (start, end) in zip(entries, pages, strict=True):
        entry.page_start, entry.page_end = start, end
        entry.save(update_fields=["page_start", "page_end"])
    pdf_bytes, signed = sign_issue_pdf(pdf_bytes, issue)
    issue.sha256 = hashlib.sha256(pdf_bytes).hexdigest()
    issue.pdf.save(f"jo-{issue.slug}.pdf", ContentFile(pdf_bytes), save=False)
    issue.signed = signed
    issue.status = Issue.Status.PUBLISHED
    issue.published_at = timezone.now()
    issue.published_by = actor if getattr(actor, "is_authenticated", False) else None
    issue.save()

    works = [entry.work for entry in entries]
    for work in works:
        Expression.objects.filter(work=work).update(frozen=True)
        Work.objects.filter(pk=work.pk).update(
            status=Work.Status.PUBLISHED, published_on=issue.date
        )
        work.refresh_from_db()
    for work in works:
        _apply_amendments(work)
    for work in works:
        index_work(work)
        for relation in work.relations_out.filter(kind=Relation.Kind.REPEALS, target_eid=""):
            index_work(relation.target)
    record(
        audit_actions.Gazette.ISSUE_PUBLISHED,
        actor=actor,
        target=issue,
        request=request,
        data={"sha256": issue.sha256, "signed": signed, "texts": [w.frbr_uri for w in works]},
    )
    transaction.on_commit(lambda: send_alerts([w.pk for w in works]))
    opendata.queue_build(opendata.years_changed_by(works) | {issue.year})
    return issue


def _apply_amendments(amending: Work) -> None:
    """Make the new expressions of the texts `amending` changes, one per target and date."""
    pending = list(amending.amendments_made.filter(applied=False).order_by("id"))
    groups: dict[tuple[int, datetime.date], list[Amendment]] = {}
    for amendment in pending:
        day = amendment.effective_on or amending.published_on or amending.signed_on
        groups.setdefault((amendment.target_id, day), []).append(amendment)
    for (target_id, day), amendments in sorted(groups.items(), key=lambda item: item[0][1]):
        target = Work.objects.get(pk=target_id)
        later = target.expressions.filter(date__gt=day).exists()
        if later:
            raise GazetteError(
                _(
                    "%(target)s a déjà une version postérieure au %(day)s : modification rétroactive "
                    "à saisir à la main."
                )
                % {"target": target.label, "day": day}
            )
        base = target.expressions.filter(date__lte=day).order_by("-date").first()
        parts = [
            PartInput(
                kind=p.kind,
                num=p.num,
                heading=p.heading,
                text=p.text,
                eid=p.eid,
                depth=p.depth,
                repealed=p.repealed,
            )
            for p in base.parts.all()
        ]
        for amendment in amendments:
            _apply_one(parts, amendment)
        if target.expressions.filter(date=day).exists():
            raise GazetteError(
                _("%(target)s a déjà une version au %(day)s.")
                % {"target": target.label, "day": day}
            )
        expression = Expression.objects.create(
            work=target, date=day, is_original=False, amended_by=amending
        )
        Part.objects.bulk_create(
            [
                Part(
                    expression=expression,
                    order=i,
                    kind=p.kind,
                    depth=p.depth or 0,
                    eid=p.eid,
                    num=p.num,
                    heading=p.heading,
                    text=p.text,
                    repealed=p.repealed,
                )
                for i, p in enumerate(parts)
            ],
            batch_size=500,
        )
        Expression.objects.filter(pk=expression.pk).update(frozen=True)
        for amendment in amendments:
            amendment.applied = True
            amendment.save(update_fields=["applied"])
        index_work(target)


def _subtree_end(parts: list[PartInput], index: int) -> int:
    """The index just after the part at `index` and everything under it."""
    end = index + 1
    while end < len(parts) and (parts[end].depth or 0) > (parts[index].depth or 0):
        end += 1
    return end


def _apply_one(parts: list[PartInput], amendment: Amendment) -> None:
    """Replace, insert after or repeal one article of `parts` (in place)."""
    index = next((i for i, p in enumerate(parts) if p.eid == amendment.target_eid), None)
    if amendment.action == Amendment.Action.INSERT:
        after = next((i for i, p in enumerate(parts) if p.eid == amendment.after_eid), None)
        if after is None:
            articles = [i for i, p in enumerate(parts) if p.kind == "article"]
            after = articles[-1] if articles else len(parts) - 1
        anchor = parts[after] if parts else None
        if anchor is None:
            depth = 0
        elif anchor.kind == "article":
            depth = anchor.depth or 0
        else:  # after a heading: the first article under it
            depth = (anchor.depth or 0) + 1
        position = (
            _subtree_end(parts, after)
            if anchor is not None and anchor.kind == "article"
            else after + 1
        )
        parts.insert(
            position,
            PartInput(
                kind="article",
                num=amendment.num,
                heading=amendment.heading,
                text=amendment.text,
                eid=amendment.target_eid,
                depth=depth,
            ),
        )
    elif index is not None and amendment.action == Amendment.Action.REPLACE:
        part = parts[index]
        part.text = amendment.text
        part.heading = amendment.heading or part.heading
        part.repealed = False
        # The article's own paragraphs are replaced with it.
        del parts[index + 1 : _subtree_end(parts, index)]
    elif index is not None and amendment.action == Amendment.Action.REPEAL:
        parts[index].repealed = True


# -- Search index ----------------------------------------------------------------------------------


def repeal_date(work: Work) -> datetime.date | None:
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


def search_body(parts) -> str:
    """The text a search row holds: each part in force, « Article 5 heading text » (PartInput or
    stored Part)."""
    labels = dict(Part._meta.get_field("kind").choices)
    return "\n".join(
        " ".join(
            x
            for x in (
                part.num and f"{labels.get(part.kind, part.kind)} {part.num}",
                part.heading,
                part.text,
            )
            if x
        )
        for part in parts
        if not part.repealed
    )


def index_work(work: Work, *, today: datetime.date | None = None) -> SearchEntry | None:
    """(Re)write the search row of a published text from its latest expression."""
    if not work.is_published:
        return None
    expression = work.expressions.order_by("-date").first()
    body = search_body(expression.parts.all())
    repealed_on = repeal_date(work)
    title = f"{work.get_doctype_display()} {work.title}"
    analysed = search.analysis(title, body)
    remember_vocabulary(analysed.vocabulary, analysed.forms)
    entry, _created = SearchEntry.objects.update_or_create(
        work=work,
        defaults={
            "doctype": work.doctype,
            "number_normalized": work.number_normalized,
            "authority_code": work.authority.code if work.authority else "",
            "signed_on": work.signed_on,
            "title": work.title,
            "body": body,
            "stem_title": analysed.stem_title,
            "stem_body": analysed.stem_body,
            "word_forms": analysed.word_forms,
            "in_force": repealed_on is None or repealed_on > (today or timezone.localdate()),
            "repealed_on": repealed_on,
        },
    )
    return entry


def remember_vocabulary(
    words: dict[str, str], forms: dict[str, tuple[str, str]], counts: dict[str, int] | None = None
) -> None:
    """Add the tokens (`search.vocabulary`) and word forms (`search.word_forms`) of indexed texts
    to the index's vocabulary (typo tolerance, « vouliez-vous dire »). `counts`: in how many of
    those texts each form occurs (1 each when absent: one text). Three queries whatever the size."""
    if words:
        SearchTerm.objects.bulk_create(
            [SearchTerm(token=token, word=word) for token, word in words.items()],
            ignore_conflicts=True,
            batch_size=1000,
        )
    if not forms:
        return
    counts = counts or {}
    known = set()
    names = list(forms)
    for start in range(0, len(names), 900):
        chunk = names[start : start + 900]
        known.update(SearchWord.objects.filter(word__in=chunk).values_list("word", flat=True))
    SearchWord.objects.bulk_create(
        [
            SearchWord(word=w, token=t, spelling=sp, frequency=counts.get(w, 1))
            for w, (t, sp) in forms.items()
            if w not in known
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    by_count: dict[int, list[str]] = {}
    for word in known:
        by_count.setdefault(counts.get(word, 1), []).append(word)
    for count, group in by_count.items():
        for start in range(0, len(group), 900):
            SearchWord.objects.filter(word__in=group[start : start + 900]).update(
                frequency=F("frequency") + count
            )


def refresh_in_force_status(today: datetime.date | None = None) -> int:
    """Re-index the texts whose repeal has taken effect since they were indexed.

    "In force" is written into the search index when a text or its repealing text is published; a
    repeal with a later effective date only takes effect on that day. Run daily (Celery beat
    `gazette.refresh_in_force_status`, or `manage.py refresh_gazette_status`). Returns the count.
    """
    today = today or timezone.localdate()
    stale = SearchEntry.objects.filter(in_force=True, repealed_on__lte=today).select_related("work")
    count = 0
    for entry in stale:
        with transaction.atomic():
            index_work(entry.work, today=today)
        count += 1
    return count


# -- Alerts ----------------------------------------------------------------------------------------


def normalise_phone(value: str) -> str:
    """A Niger number as typed ("90 12 34 56", "+227…") → E.164, or a French error."""
    from django.core.exceptions import ValidationError

    from guichet.phones import normalise_phone as normalise

    try:
        return normalise(value)
    except ValidationError as error:
        raise GazetteError(error.messages[0]) from None


@transaction.atomic
def save_search(
    *, query: str, doctype: str = "", authority: str = "", email: str = "", phone: str = ""
) -> SavedSearch:
    if not email and not phone:
        raise GazetteError(_("Indiquez un courriel ou un numéro de téléphone."))
    if phone:
        phone = normalise_phone(phone)
    saved = SavedSearch.objects.create(
        query=query.strip(),
        doctype=doctype,
        authority=authority.upper(),
        email=email,
        phone=phone,
        token=secrets.token_urlsafe(24),
    )
    record(audit_actions.Gazette.ALERT_CREATED, target=saved, data={"query": saved.query})
    return saved


@transaction.atomic
def cancel_search(token: str) -> bool:
    updated = SavedSearch.objects.filter(token=token, active=True).update(active=False)
    return bool(updated)


def send_alerts(work_ids: list[int]) -> int:
    """Tell each saved search's owner about the newly published texts it matches."""
    from guichet.notifications.services import notify

    sent = 0
    for saved in SavedSearch.objects.filter(active=True):
        filters = search.Filters(doctype=saved.doctype, authority=saved.authority)
        results = search.search(saved.query, filters, limit=1000, using="default")
        matched = [hit for hit in results.hits if hit.work_id in set(work_ids)]
        if not matched:
            continue
        notify(
            phone=saved.phone or None,
            email=saved.email or None,
            template="gazette/alert",
            context={
                "query": saved.query,
                "texts": [{"label": f"{h.number} — {h.title}", "uri": h.uri} for h in matched],
                "count": len(matched),
                "token": saved.token,
                "site_url": getattr(settings, "SITE_URL", ""),
            },
        )
        sent += 1
    return sent


# -- Archive ---------------------------------------------------------------------------------------


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
