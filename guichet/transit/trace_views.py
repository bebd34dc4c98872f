"""Pages of the trace-to-GTFS tool for transport agents: no JavaScript needed, except on the
optional recorder page (progressive enhancement). Scoped like the network editor: another
organisation's feed or survey answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from guichet.accounts.permissions import role_required
from guichet.transit import trace_publish, trace_services
from guichet.transit.editor_views import ROLE, _my_feed
from guichet.transit.models import SurveyTrace, TraceSurvey
from guichet.transit.services import FeedRefused, TransitError
from guichet.transit.trace_forms import ProposalForm, PublishForm, SurveyForm, TraceUploadForm
from guichet.transit.trace_svg import survey_svg


def _my_survey(user, feed: str, survey: int) -> TraceSurvey:
    feed = _my_feed(user, feed)
    found = TraceSurvey.objects.filter(feed=feed, pk=survey).select_related("feed").first()
    if found is None:
        raise Http404(_("Relevé introuvable."))
    return found


@role_required(ROLE)
@require_http_methods(["GET", "POST"])
def surveys(request, feed: str):
    feed = _my_feed(request.user, feed)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = trace_services.create_survey(
                actor=request.user, feed=feed, **form.cleaned_data
            )
        except TransitError as error:
            form.add_error(None, str(error))
        else:
            return redirect("transit:trace_survey", feed=feed.name, survey=survey.pk)
    return render(
        request,
        "transit/editor/surveys.html",
        {"feed": feed, "form": form, "surveys": feed.surveys.all()[:200]},
    )


def _upload(request, survey, form):
    files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
    if form.cleaned_data["recorded"]:
        files.append((_("trace enregistrée"), form.cleaned_data["recorded"].encode()))
    added = trace_services.add_traces(actor=request.user, survey=survey, files=files)
    return ngettext("%(n)s trace ajoutée.", "%(n)s traces ajoutées.", len(added)) % {
        "n": len(added)
    }


@role_required(ROLE)
@require_http_methods(["GET", "POST"])
def survey(request, feed: str, survey: int):
    """The survey's page: its traces, the proposal on a map, its edit form and publishing."""
    survey = _my_survey(request.user, feed, survey)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    upload = TraceUploadForm(
        request.POST if action == "upload" else None, request.FILES if action == "upload" else None
    )
    proposal_form = ProposalForm(survey.proposal, request.POST if action == "edit" else None)
    choices = trace_publish.service_choices(survey.feed)
    publish = PublishForm(request.POST if action == "publish" else None, choices=choices)
    report = None
    error = None
    try:
        if action == "upload" and upload.is_valid():
            messages.success(request, _upload(request, survey, upload))
            return redirect(request.path)
        if action == "delete":
            pk = request.POST.get("trace", "")
            trace = (
                SurveyTrace.objects.filter(survey=survey, pk=int(pk)).first()
                if pk.isdigit() and len(pk) < 12
                else None
            )
            if trace is None:
                raise TransitError(_("Trace introuvable."))
            trace_services.delete_trace(actor=request.user, trace=trace)
            messages.success(request, _("Trace supprimée."))
            return redirect(request.path)
        if action == "propose":
            trace_services.compute_proposal(actor=request.user, survey=survey)
            messages.success(request, _("Proposition calculée : vérifiez-la, puis publiez."))
            return redirect(request.path)
        if action == "edit" and proposal_form.is_valid():
            stops, bands = proposal_form.edits()
            trace_services.edit_proposal(
                actor=request.user, survey=survey, stops=stops, bands=bands
            )
            messages.success(request, _("Modifications enregistrées."))
            return redirect(request.path)
        if action == "publish" and publish.is_valid():
            result = trace_publish.publish_survey(
                actor=request.user, survey=survey, service_id=publish.cleaned_data["service_id"]
            )
            messages.success(
                request,
                _("Ligne publiée : le réseau passe en version %(v)s.") % {"v": result.feed.version},
            )
            return redirect(request.path)
    except FeedRefused as refused:
        report = refused.report
        error = _("Le flux produit est refusé par le validateur : rien n'a été publié.")
    except TransitError as refused:
        error = str(refused)
    traces = list(survey.traces.all())
    return render(
        request,
        "transit/editor/survey.html",
        {
            "feed": survey.feed,
            "survey": survey,
            "traces": traces,
            "upload": upload,
            "proposal": survey.proposal,
            "proposal_form": proposal_form,
            "publish": publish,
            "report": report,
            "error": error,
            "map": survey_svg(survey.proposal, [t.points for t in traces], str(survey)),
        },
        status=400 if error else 200,
    )


@role_required(ROLE)
def recorder(request, feed: str, survey: int):
    """Optional: records the phone's position every few seconds (static/transit/recorder.js)
    and posts it to the survey page as a GeoJSON trace; without JavaScript it says how to upload
    a file from a tracker app instead."""
    survey = _my_survey(request.user, feed, survey)
    return render(
        request,
        "transit/editor/recorder.html",
        {"feed": survey.feed, "survey": survey, "upload": TraceUploadForm()},
    )
