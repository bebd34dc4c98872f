"""Citizens' pages of public transport: networks, routes (SVG line diagram), stop boards and the
journey form (names resolved on the server, no JavaScript needed)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from guichet.transit import selectors
from guichet.transit.importer import fold
from guichet.transit.models import Feed, Route


def _feed(name: str) -> Feed:
    try:
        return selectors.feed_by_name(name)
    except selectors.PlanError:
        raise Http404(_("Réseau inconnu.")) from None


def home(request):
    return render(request, "transit/home.html", {"feeds": selectors.public_feeds()})


def feed_detail(request, feed: str):
    feed = _feed(feed)
    query = request.GET.get("q", "").strip()
    matches = selectors.search_stops(feed, query, limit=10) if query else []
    return render(
        request,
        "transit/feed.html",
        {"feed": feed, "routes": selectors.routes_of(feed), "query": query, "matches": matches},
    )


def route_detail(request, feed: str, route_id: str):
    feed = _feed(feed)
    route = get_object_or_404(Route.objects.using("readonly"), feed=feed, route_id=route_id)
    stops = selectors.route_stops(route)
    return render(
        request,
        "transit/route.html",
        {
            "feed": feed,
            "route": route,
            "stops": stops,
            "diagram": selectors.line_diagram(stops),
            "color": route.color or "0B6E4F",
            "frequencies": route.trips.filter(frequencies__isnull=False)
            .values_list(
                "frequencies__start_time",
                "frequencies__end_time",
                "frequencies__headway_secs",
                "headsign",
            )
            .distinct()[:20],
        },
    )


def stop_detail(request, feed: str, stop_id: str):
    feed = _feed(feed)
    try:
        stop = selectors.stop_by_id(feed, stop_id)
        at = selectors.parse_when(feed, request.GET.get("at"), "at")
    except selectors.PlanError as error:
        if error.status == 404:
            raise Http404(error.message) from None
        at, stop, error_message = None, selectors.stop_by_id(feed, stop_id), error.message
    else:
        error_message = ""
    board = selectors.departures(feed, stop, at) if at else []
    return render(
        request,
        "transit/stop.html",
        {
            "feed": feed,
            "stop": stop,
            "board": board,
            "at": at,
            "error": error_message,
            "routes": selectors.routes_at_stop(feed, stop),
        },
    )


def _pick(feed: Feed, request, side: str):
    """(stop_id chosen or resolved, candidates, text typed) for one end of the journey form."""
    chosen = request.GET.get(f"{side}_id", "").strip()
    text = request.GET.get(side, "").strip()
    if chosen:
        stop = feed.stop_set.filter(stop_id=chosen).first()
        # A choice made earlier stands while the text typed still names it; a new text is
        # resolved again.
        if stop is not None and (not text or fold(text) in fold(stop.name)):
            return stop.stop_id, [], stop.name
    if not text:
        return None, [], text
    match, candidates = selectors.resolve_stop_name(feed, text)
    if match:
        return match.stop_id, candidates, match.name
    return None, candidates, text


def journey(request, feed: str):
    feed = _feed(feed)
    context = {"feed": feed, "errors": [], "journeys": None}
    if request.GET.get("from") or request.GET.get("to") or request.GET.get("from_id"):
        origin, origin_choices, origin_text = _pick(feed, request, "from")
        destination, destination_choices, destination_text = _pick(feed, request, "to")
        context.update(
            origin=origin,
            origin_choices=origin_choices,
            origin_text=origin_text,
            destination=destination,
            destination_choices=destination_choices,
            destination_text=destination_text,
        )
        for side, value, choices, text in (
            (_("départ"), origin, origin_choices, origin_text),
            (_("arrivée"), destination, destination_choices, destination_text),
        ):
            if value is None and not choices:
                context["errors"].append(
                    _("Aucun arrêt ne ressemble à « %(text)s » (%(side)s).")
                    % {"text": text, "side": side}
                    if text
                    else _("Indiquez l'arrêt de %(side)s.") % {"side": side}
                )
        if origin and destination:
            params = {"from": origin, "to": destination}
            when = request.GET.get("when", "").strip()
            date = request.GET.get("date", "").strip()
            if date or when:
                stamp = (
                    f"{date or selectors.parse_when(feed, None, 'depart').date()}T{when or '00:00'}"
                )
                params["arrive" if request.GET.get("mode") == "arrive" else "depart"] = stamp
            try:
                plan_request = selectors.parse_plan_request(feed, params)
                journeys = selectors.plan(feed, plan_request)
            except selectors.PlanError as error:
                context["errors"].append(error.message)
            else:
                context["journeys"] = [
                    {
                        "journey": j,
                        "departure": selectors.localise(feed, j.departure),
                        "arrival": selectors.localise(feed, j.arrival),
                        "legs": selectors.describe(feed, j),
                    }
                    for j in journeys
                ]
                context["asked"] = plan_request.arrive or plan_request.depart
    return render(request, "transit/journey.html", context)
