"""Issues of the Journal: created, filled with signed texts, published.

Publishing an issue builds its PDF, signs it (PAdES, the SGG's certificate), stores it with its
SHA-256 and freezes the issue and everything in it; it also applies the amendments and repeals its
texts carry to the texts they change (`amendments`), indexes them (`indexing`), and sends the
alerts of the saved searches they match (`alerts`) after the commit.
"""

from __future__ import annotations

import datetime
import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet import locks
from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.gazette import opendata
from guichet.gazette.alerts import send_alerts
from guichet.gazette.amendments import _apply_amendments
from guichet.gazette.indexing import index_work
from guichet.gazette.models import Expression, Issue, IssueEntry, Relation, Work
from guichet.gazette.services import GazetteError

logger = logging.getLogger(__name__)


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
