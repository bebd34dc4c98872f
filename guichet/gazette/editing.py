"""Pages of the SGG's editors (role gazette_editor): drafting, review, scheduling, publishing."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet import query_params
from guichet.accounts.permissions import role_required
from guichet.gazette import amendments, publication, selectors, services
from guichet.gazette.content import PartInput
from guichet.gazette.forms import (
    AmendmentForm,
    IssueForm,
    RelationForm,
    TextEditForm,
    TextForm,
)
from guichet.gazette.models import Issue, Relation, Work
from guichet.gazette.textparse import parse_body

EDITOR = "gazette_editor"


def _content_parts(content: str) -> tuple[list[PartInput], list[str]]:
    # The importer's splitter, on the body alone: the form asks for the heading and the title in
    # fields of their own, so no line of the body may be taken for them.
    parsed = parse_body(content)
    return parsed.parts, [problem.translated(_) for problem in parsed.problems]


def _as_content(work: Work) -> str:
    expression = work.expressions.get(is_original=True)
    lines = []
    for part in expression.parts.all():
        if part.kind == "preamble" or part.kind == "paragraph":
            lines.append(part.text)
        elif part.kind == "article":
            lines.append(f"Article {part.num} : {part.text}")
        else:
            lines.append(f"{part.get_kind_display().upper()} {part.num} : {part.heading}")
    return "\n".join(lines)


@role_required(EDITOR)
def dashboard(request):
    return render(
        request,
        "gazette/editor/dashboard.html",
        {
            "texts": selectors.editor_texts(),
            "issues": selectors.draft_issues(),
            "published": selectors.latest_issues(5),
            "issue_form": IssueForm(),
        },
    )


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def text_new(request):
    form = TextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parts, problems = _content_parts(data["content"])
        if problems:
            for problem in problems:
                form.add_error("content", problem)
        else:
            try:
                work = services.create_text(
                    actor=request.user,
                    doctype=data["doctype"],
                    number=data["number"],
                    signed_on=data["signed_on"],
                    title=data["title"],
                    parts=parts,
                    request=request,
                )
            except services.GazetteError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Texte enregistré en brouillon."))
                return redirect("gazette:editor_text", pk=work.pk)
    return render(request, "gazette/editor/text_new.html", {"form": form})


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def text_detail(request, pk: int):
    work = get_object_or_404(Work.objects.select_related("authority"), pk=pk)
    edit_form = TextEditForm(initial={"title": work.title, "content": _as_content(work)})
    # Prefixed: both forms are on the page, with fields of the same names (target, target_eid…).
    relation_form = RelationForm(prefix="relation")
    amendment_form = AmendmentForm(prefix="amendment")
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "edit":
                edit_form = TextEditForm(request.POST)
                if edit_form.is_valid():
                    parts, problems = _content_parts(edit_form.cleaned_data["content"])
                    if problems:
                        raise services.GazetteError(" ".join(problems))
                    services.update_text(
                        work,
                        actor=request.user,
                        title=edit_form.cleaned_data["title"],
                        parts=parts,
                        request=request,
                    )
                    return _done(request, work, _("Texte mis à jour."))
            elif action in ("review", "sign"):
                services.advance(work, action, actor=request.user, request=request)
                return _done(request, work, _("Étape enregistrée."))
            elif action == "schedule":
                issue = get_object_or_404(
                    Issue, pk=query_params.object_id_or_404(request.POST.get("issue"))
                )
                publication.schedule(work, issue, actor=request.user, request=request)
                return _done(request, work, _("Texte programmé dans %(issue)s.") % {"issue": issue})
            elif action in ("accept", "reject"):
                relation = get_object_or_404(
                    Relation,
                    pk=query_params.object_id_or_404(request.POST.get("relation")),
                    subject=work,
                )
                services.review_citation(
                    relation, accept=action == "accept", actor=request.user, request=request
                )
                return _done(request, work, _("Citation traitée."))
            elif action == "relation":
                relation_form = RelationForm(request.POST, prefix="relation")
                if relation_form.is_valid():
                    data = relation_form.cleaned_data
                    target = _target(data["target"])
                    services.add_relation(
                        work,
                        data["kind"],
                        target,
                        actor=request.user,
                        target_eid=data["target_eid"],
                        effective_on=data["effective_on"],
                        request=request,
                    )
                    return _done(request, work, _("Lien ajouté."))
            elif action == "amendment":
                amendment_form = AmendmentForm(request.POST, prefix="amendment")
                if amendment_form.is_valid():
                    data = amendment_form.cleaned_data
                    amendments.add_amendment(
                        work,
                        _target(data["target"]),
                        actor=request.user,
                        action=data["change"],
                        target_eid=data["target_eid"],
                        num=data["num"],
                        text=data["text"],
                        after_eid=data["after_eid"],
                        effective_on=data["effective_on"],
                        request=request,
                    )
                    return _done(request, work, _("Modification enregistrée."))
                messages.error(
                    request, _("La modification n'est pas enregistrée : voir le formulaire.")
                )
            else:
                messages.error(request, _("Action inconnue : rien n'a été enregistré."))
        except services.GazetteError as error:
            messages.error(request, str(error))
    expression = work.expressions.get(is_original=True)
    return render(
        request,
        "gazette/editor/text.html",
        {
            "work": work,
            "parts": expression.parts.all(),
            "relations": work.relations_out.select_related("target"),
            "amendments": work.amendments_made.select_related("target"),
            "issues": selectors.draft_issues(),
            "edit_form": edit_form,
            "relation_form": relation_form,
            "amendment_form": amendment_form,
        },
    )


def _target(reference: str) -> Work:
    target = selectors.find_by_reference(reference)
    if target is None:
        raise services.GazetteError(
            _("Texte introuvable : « %(ref)s » (ex. « Loi n° 2017-28 »).") % {"ref": reference}
        )
    return target


def _done(request, work, message):
    messages.success(request, message)
    return redirect("gazette:editor_text", pk=work.pk)


@role_required(EDITOR)
@require_POST
def issue_new(request):
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            issue = publication.create_issue(
                actor=request.user,
                date=form.cleaned_data["date"],
                special=form.cleaned_data["special"],
                request=request,
            )
        except services.GazetteError as error:
            messages.error(request, str(error))
        else:
            return redirect("gazette:editor_issue", pk=issue.pk)
    else:
        messages.error(request, _("Date de parution invalide."))
    return redirect("gazette:editor")


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def issue_detail(request, pk: int):
    issue = get_object_or_404(Issue, pk=pk)
    if request.method == "POST" and request.POST.get("action") == "publish":
        try:
            publication.publish_issue(issue, actor=request.user, request=request)
        except services.GazetteError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Numéro publié et signé."))
            return redirect("gazette:issue", slug=issue.slug)
    return render(
        request,
        "gazette/editor/issue.html",
        {"issue": issue, "entries": selectors.issue_entries(issue)},
    )


@role_required(EDITOR)
@require_POST
def rectificatif(request, pk: int):
    work = get_object_or_404(Work, pk=pk)
    text = request.POST.get("text", "").strip()
    if not text:
        messages.error(request, _("Le texte du rectificatif est obligatoire."))
        return redirect(work.frbr_uri)
    from django.utils import timezone

    try:
        correction = services.create_rectificatif(
            work, actor=request.user, signed_on=timezone.localdate(), text=text, request=request
        )
    except services.GazetteError as error:
        messages.error(request, str(error))
        return redirect(work.frbr_uri)
    return redirect("gazette:editor_text", pk=correction.pk)
