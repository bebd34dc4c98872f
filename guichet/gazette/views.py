"""Public pages of the Official Journal: search, issues, texts under /akn/…, verification, feeds,
alerts, open data. Thin: reads go through selectors and search, writes through services."""

from __future__ import annotations

import datetime
import hashlib

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet import query_params, uploads
from guichet.accounts.selectors import has_any_role
from guichet.gazette import akn, identifiers, opendata, search, selectors, services
from guichet.gazette.alerts import cancel_search, save_search
from guichet.gazette.forms import AlertForm, SearchForm, VerifyForm
from guichet.gazette.models import Issue
from guichet.gazette.serializers import work_record
from guichet.throttling import RateLimited, check_rate, client_ip

PAGE_SIZE = 20


def _filters(data) -> search.Filters:
    return search.Filters(
        doctype=data.get("type") or "",
        authority=data.get("authority") or "",
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        status=data.get("status") or "",
    )


def home(request):
    """Search box, results when a query is given, latest issues."""
    form = SearchForm(request.GET or None)
    results = page = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        page_number = query_params.page_number(request.GET.get("page"))
        results = search.search(
            data["q"] or "",
            _filters(data),
            sort=data.get("sort") or "relevance",
            limit=PAGE_SIZE,
            offset=(page_number - 1) * PAGE_SIZE,
        )
        if results.exact is not None and page_number == 1:
            return redirect(results.exact.uri)
        page = {
            "number": page_number,
            "has_next": results.count > page_number * PAGE_SIZE,
            "has_previous": page_number > 1,
        }
    return render(
        request,
        "gazette/home.html",
        {
            "form": form,
            "results": results,
            "page": page,
            "query_string": _without_page(request),
            "issues": selectors.latest_issues(8),
            "is_editor": has_any_role(request.user, ["gazette_editor"]),
        },
    )


def _without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def issues(request):
    paginator = Paginator(Issue.objects.filter(status=Issue.Status.PUBLISHED), 30)
    return render(
        request, "gazette/issues.html", {"page": paginator.get_page(request.GET.get("page"))}
    )


def issue_detail(request, slug: str):
    issue = selectors.issue_by_slug(slug)
    if issue is None or not issue.is_published:
        raise Http404
    return render(
        request,
        "gazette/issue.html",
        {"issue": issue, "entries": selectors.issue_entries(issue)},
    )


def issue_pdf(request, slug: str):
    issue = selectors.issue_by_slug(slug)
    if issue is None or not issue.is_published or not issue.pdf:
        raise Http404
    response = FileResponse(
        issue.pdf.open("rb"), content_type="application/pdf", filename=f"jo-{issue.slug}.pdf"
    )
    response["Digest"] = f"sha-256={issue.sha256}"
    return response


def _wanted_format(request, suffix: str | None) -> str:
    if suffix:
        return suffix
    accept = request.headers.get("Accept", "")
    if "application/json" in accept and "text/html" not in accept:
        return "json"
    if ("application/akn+xml" in accept or "application/xml" in accept) and (
        "text/html" not in accept
    ):
        return "xml"
    return "html"


def text(request, path: str):
    """/akn/ne/act/loi/2017/28[/fra@2019-12-20][.json|.xml]; ?date=… for the version in force."""
    try:
        work_uri, expression_date, suffix = identifiers.parse("/akn/" + path)
    except identifiers.IdentifierError:
        raise Http404 from None
    work = selectors.work_by_uri(work_uri)
    if work is None:
        raise Http404
    day = expression_date
    if day is None and request.GET.get("date"):
        try:
            day = datetime.date.fromisoformat(request.GET["date"])
        except ValueError:
            messages.error(request, _("Date invalide : utilisez AAAA-MM-JJ."))
    expression = selectors.expression_at(work, day)
    if expression_date and expression.date != expression_date:
        # An expression URI names one version exactly; another date is another resource.
        return redirect(expression.frbr_uri + (f".{suffix}" if suffix else ""))
    fmt = _wanted_format(request, suffix)
    if fmt == "pdf":
        return _published_pdf(work, expression)
    parts = selectors.parts_of(expression)
    if fmt == "json":
        response = JsonResponse(
            work_record(work, expression, parts),
            json_dumps_params={"ensure_ascii": False, "indent": 1},
        )
        response["Vary"] = "Accept"
        return response
    if fmt == "xml":
        response = HttpResponse(
            akn.render(work, expression, parts), content_type="application/akn+xml; charset=utf-8"
        )
        response["Vary"] = "Accept"
        return response
    repealed_on = selectors.repealed_on(work)
    on = day or timezone.localdate()
    expressions = selectors.expressions_of(work)
    comparison = None
    compare_from = request.GET.get("from")
    compare_to = request.GET.get("to")
    if compare_from and compare_to:
        try:
            old = selectors.expression_at(work, datetime.date.fromisoformat(compare_from))
            new = selectors.expression_at(work, datetime.date.fromisoformat(compare_to))
            comparison = {"old": old, "new": new, "parts": selectors.compare(old, new)}
        except ValueError:
            messages.error(request, _("Dates de comparaison invalides : utilisez AAAA-MM-JJ."))
    response = render(
        request,
        "gazette/text.html",
        {
            "work": work,
            "expression": expression,
            "parts": parts,
            "expressions": expressions,
            "links": selectors.links_of(work),
            "repealed_on": repealed_on,
            "repealed_then": repealed_on is not None and repealed_on <= on,
            "not_yet": expression.date > on,
            "on": on,
            "entry": getattr(work, "issue_entry", None),
            "comparison": comparison,
        },
    )
    response["Vary"] = "Accept"
    response["Link"] = (
        f'<{work.frbr_uri}.json>; rel="alternate"; type="application/json", '
        f'<{expression.frbr_uri}.xml>; rel="alternate"; type="application/akn+xml"'
    )
    return response


def _published_pdf(work, expression):
    """The `.pdf` manifestation: the signed issue the text was published in. Only the original
    version was printed; consolidated versions have no PDF (404)."""
    entry = getattr(work, "issue_entry", None)
    if not expression.is_original or entry is None or not entry.issue.pdf:
        raise Http404
    issue = entry.issue
    response = FileResponse(
        issue.pdf.open("rb"), content_type="application/pdf", filename=f"jo-{issue.slug}.pdf"
    )
    response["Digest"] = f"sha-256={issue.sha256}"
    return response


@require_http_methods(["GET", "POST"])
def verify(request):
    """Anyone checks a downloaded issue: upload the PDF or paste its SHA-256."""
    form = VerifyForm(
        request.POST or None, request.FILES or None, upload_owner=uploads.upload_owner(request)
    )
    outcome = None
    if request.method == "POST":
        try:
            check_rate("gazette.verify", client_ip(request), 30, 3600)
        except RateLimited:
            return HttpResponse(_("Trop de vérifications : réessayez plus tard."), status=429)
        if form.is_valid():
            outcome = _verify(form.cleaned_data)
    return render(request, "gazette/verify.html", {"form": form, "outcome": outcome})


def _verify(data) -> dict:
    upload = data.get("pdf")
    signature = None
    if upload:
        content = upload.read()
        digest = hashlib.sha256(content).hexdigest()
        try:
            from guichet.signing import verify_pdf
        except ImportError:
            verify_pdf = None
        if verify_pdf is not None and content.startswith(b"%PDF"):
            signature = verify_pdf(content)
    else:
        digest = data["sha256"]
    issue = selectors.issue_by_hash(digest)
    return {"sha256": digest, "issue": issue, "signature": signature, "uploaded": bool(upload)}


@require_http_methods(["GET", "POST"])
def alerts(request):
    form = AlertForm(request.POST or None, initial={"q": request.GET.get("q", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check_rate("gazette.alert", client_ip(request), 10, 3600)
            save_search(
                query=data["q"], doctype=data["type"], email=data["email"], phone=data["phone"]
            )
        except RateLimited:
            return HttpResponse(_("Trop de demandes : réessayez plus tard."), status=429)
        except services.GazetteError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Alerte enregistrée : vous serez prévenu(e) des nouveaux textes.")
            )
            return redirect("gazette:home")
    return render(request, "gazette/alerts.html", {"form": form})


@require_http_methods(["GET", "POST"])
def alert_cancel(request, token: str):
    if request.method == "POST":
        cancel_search(token)
        messages.success(request, _("Alerte supprimée."))
        return redirect("gazette:home")
    return render(request, "gazette/alert_cancel.html", {"token": token})


def open_data(request):
    return render(
        request,
        "gazette/open_data.html",
        {
            "text_count": selectors.published_works().count(),
            "issue_count": Issue.objects.filter(status=Issue.Status.PUBLISHED).count(),
            "manifest": opendata.manifest(),
        },
    )


def open_data_file(request, name: str):
    """A file of the last open-data build, streamed from storage (never built here)."""
    found = opendata.stored_file(name)
    if found is None:
        raise Http404(_("Fichier de données ouvertes inconnu ou pas encore préparé."))
    path, entry = found
    response = FileResponse(
        default_storage.open(path, "rb"), content_type="application/zip", filename=name
    )
    response["Digest"] = f"sha-256={entry['sha256']}"
    return response


def open_data_texts(request):
    """Every published text, current version: Akoma Ntoso XML and JSON metadata, in one zip."""
    return open_data_file(request, "textes.zip")


def open_data_issues(request):
    """Every published issue: its PDF and a JSON index (number, date, pages, SHA-256, texts)."""
    return open_data_file(request, "numeros.zip")


def open_data_manifest(request):
    current = opendata.manifest()
    if current is None:
        raise Http404
    return JsonResponse(current, json_dumps_params={"indent": 1})
