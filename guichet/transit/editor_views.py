"""Pages of the transport administration's agents: GTFS upload with its validation report, the
network editor and the GTFS download. Scoped to the agent's organisations (another unit's
network answers 404)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet import uploads
from guichet.accounts.permissions import role_required
from guichet.accounts.selectors import organisations_with_role
from guichet.transit import services
from guichet.transit.export import write_gtfs
from guichet.transit.forms import (
    FeedForm,
    HeadwayForm,
    RouteForm,
    ServiceForm,
    StopForm,
    TripForm,
    UploadForm,
)
from guichet.transit.models import Calendar, Feed, Route, Stop, Trip

ROLE = "transport_agent"


def _my_feeds(user):
    return Feed.objects.filter(organisation__in=organisations_with_role(user, ROLE))


def _my_feed(user, name: str) -> Feed:
    feed = _my_feeds(user).filter(name=name).first()
    if feed is None:
        raise Http404(_("Réseau introuvable dans votre organisation."))
    return feed


def _home_organisation(user):
    return organisations_with_role(user, ROLE).order_by("path").first()


@role_required(ROLE)
def dashboard(request):
    return render(request, "transit/editor/dashboard.html", {"feeds": _my_feeds(request.user)})


@role_required(ROLE)
@require_http_methods(["GET", "POST"])
def upload(request):
    form = UploadForm(
        request.POST or None, request.FILES or None, upload_owner=uploads.upload_owner(request)
    )
    report = result = None
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        existing = Feed.objects.filter(name=name).first()
        allowed = _my_feeds(request.user)
        if existing is not None and not allowed.filter(pk=existing.pk).exists():
            form.add_error(
                "name", _("Ce nom est déjà pris par un réseau d'une autre organisation.")
            )
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "feed.zip"
                with open(path, "wb") as handle:
                    for chunk in form.cleaned_data["file"].chunks():
                        handle.write(chunk)
                try:
                    result = services.import_feed(
                        path,
                        name,
                        actor=request.user,
                        title=form.cleaned_data["title"],
                        organisation=existing.organisation
                        if existing
                        else _home_organisation(request.user),
                    )
                    report = result.report
                except services.FeedRefused as refused:
                    report = refused.report
                except services.TransitError as error:
                    form.add_error("name", str(error))
    return render(
        request, "transit/editor/upload.html", {"form": form, "report": report, "result": result}
    )


@role_required(ROLE)
@require_http_methods(["GET", "POST"])
def new_feed(request):
    form = FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feed = services.create_feed(
                actor=request.user,
                organisation=_home_organisation(request.user),
                name=data["name"],
                title=data["title"],
                agency_name=data["agency_name"],
                agency_url=data["agency_url"],
            )
        except services.TransitError as error:
            form.add_error(None, str(error))
        else:
            return redirect("transit:edit_feed", feed=feed.name)
    return render(request, "transit/editor/new_feed.html", {"form": form})


@role_required(ROLE)
@require_http_methods(["GET", "POST"])
def edit_feed(request, feed: str):
    feed = _my_feed(request.user, feed)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms_ = {
        "stop": StopForm(request.POST if action == "stop" else None, prefix="stop"),
        "route": RouteForm(request.POST if action == "route" else None, prefix="route"),
        "service": ServiceForm(request.POST if action == "service" else None, prefix="service"),
        "trip": TripForm(request.POST if action == "trip" else None, prefix="trip", feed=feed),
        "headway": HeadwayForm(
            request.POST if action == "headway" else None, prefix="headway", feed=feed
        ),
    }
    if action in forms_ and forms_[action].is_valid():
        data = forms_[action].cleaned_data
        try:
            if action == "stop":
                services.create_stop(actor=request.user, feed=feed, **data)
            elif action == "route":
                services.create_route(actor=request.user, feed=feed, **data)
            elif action == "service":
                services.create_service(actor=request.user, feed=feed, **data)
            else:
                route = Route.objects.get(feed=feed, route_id=data["route"])
                stops = [stop for stop, _value in data["stops"]]
                values = [value for _stop, value in data["stops"]]
                if action == "trip":
                    services.create_trip(
                        actor=request.user,
                        feed=feed,
                        route=route,
                        service_id=data["service_id"],
                        stops=stops,
                        times=values,
                        headsign=data["headsign"],
                    )
                else:
                    services.create_headway_trip(
                        actor=request.user,
                        feed=feed,
                        route=route,
                        service_id=data["service_id"],
                        stops=stops,
                        offsets=values,
                        start=data["start"],
                        end=data["end"],
                        headway=data["headway"] * 60,
                        headsign=data["headsign"],
                    )
        except services.TransitError as error:
            forms_[action].add_error(None, str(error))
        else:
            messages.success(request, _("Enregistré."))
            return redirect("transit:edit_feed", feed=feed.name)
    return render(
        request,
        "transit/editor/edit_feed.html",
        {
            "feed": feed,
            "forms": forms_,
            "stops": Stop.objects.filter(feed=feed).order_by("stop_id")[:500],
            "routes": Route.objects.filter(feed=feed),
            "services": Calendar.objects.filter(feed=feed),
            "trips": Trip.objects.filter(feed=feed)
            .select_related("route")
            .prefetch_related("frequencies")[:500],
        },
    )


@role_required(ROLE)
def download(request, feed: str):
    feed = _my_feed(request.user, feed)
    buffer = io.BytesIO()
    write_gtfs(feed, buffer)
    buffer.seek(0)
    return FileResponse(
        buffer, as_attachment=True, filename=f"{feed.name}-gtfs.zip", content_type="application/zip"
    )
