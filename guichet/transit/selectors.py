"""Reads of the transit service: feeds, stop search, journeys and stop boards.

Used alike by the pages, the API, the shell command and the SMS channel, so that they all give
the same answers. Errors a person can fix raise `PlanError` with a French message; `status` is
the HTTP status an API answers with (400 malformed, 404 unknown).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext as _

from guichet.transit import planner, timetables
from guichet.transit.models import Feed, RealtimeDelay, Route, Stop, StopTime, Trip

DB = "readonly"
MAX_TRANSFERS = 8


class PlanError(ValueError):
    def __init__(self, message: str, status: int = 400, parameter: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.parameter = parameter


# -- Feeds, routes, stops --------------------------------------------------------------------------


def feed_by_name(name: str) -> Feed:
    feed = Feed.objects.using(DB).filter(name=name or "").first()
    if feed is None:
        raise PlanError(_("Réseau inconnu : « %(name)s ».") % {"name": name}, 404, "feed")
    return feed


def public_feeds():
    return Feed.objects.using(DB).annotate(
        n_routes=Count("route", distinct=True), n_stops=Count("stop", distinct=True)
    )


def routes_of(feed: Feed):
    return Route.objects.using(DB).filter(feed=feed)


def route_stops(route: Route) -> list[dict]:
    """The stops of the route's longest trip pattern, in order, for its line diagram."""
    trip = (
        Trip.objects.using(DB)
        .filter(route=route)
        .annotate(n=Count("stop_times"))
        .order_by("-n", "direction_id", "trip_id")
        .first()
    )
    if trip is None:
        return []
    return [
        {"stop_id": st.stop.stop_id, "name": st.stop.name, "time": st.departure_time}
        for st in StopTime.objects.using(DB)
        .filter(trip=trip)
        .select_related("stop")
        .order_by("stop_sequence")
    ]


def line_diagram(stops: list[dict], *, row_height: int = 36) -> dict:
    """Geometry of a vertical line diagram (one circle per stop), drawn as SVG by the template."""
    points = [
        {**stop, "y": 20 + i * row_height, "terminus": i in (0, len(stops) - 1)}
        for i, stop in enumerate(stops)
    ]
    return {
        "height": 40 + max(len(stops) - 1, 0) * row_height,
        "points": points,
        "line_end": 20 + max(len(stops) - 1, 0) * row_height,
    }


def stop_by_id(feed: Feed, stop_id: str) -> Stop:
    stop = Stop.objects.using(DB).filter(feed=feed, stop_id=stop_id).first()
    if stop is None:
        raise PlanError(_("Arrêt inconnu : « %(id)s ».") % {"id": stop_id}, 404, "stop")
    return stop


def routes_at_stop(feed: Feed, stop: Stop):
    ids = [
        stop.pk,
        *Stop.objects.using(DB)
        .filter(feed=feed, parent_station=stop.stop_id)
        .values_list("pk", flat=True),
    ]
    return Route.objects.using(DB).filter(trips__stop_times__stop_id__in=ids).distinct()


@dataclass
class StopMatch:
    stop_id: str
    name: str
    score: float


def search_stops(feed: Feed, text: str, limit: int = 5) -> list[StopMatch]:
    """Stops whose name matches `text`, best first: accents, case, punctuation and common
    abbreviations ignored, typos tolerated (trigram index, `names.py`); one entry per name."""
    return [
        StopMatch(m.key, m.name, m.score)
        for m in timetables.name_index(feed).search(text, limit=limit)
    ]


def resolve_stop_name(feed: Feed, text: str) -> tuple[StopMatch | None, list[StopMatch]]:
    """(the stop meant, or None when unclear, and the candidates)."""
    matches = search_stops(feed, text, limit=4)
    if not matches:
        return None, []
    if (
        matches[0].score >= 2.0
        or len(matches) == 1
        or (matches[0].score >= 1.0 and matches[1].score < 1.0)
        or matches[0].score - matches[1].score >= 0.15
    ):
        return matches[0], matches
    return None, matches


# -- Times -----------------------------------------------------------------------------------------


feed_zone = timetables.feed_zone  # the feed's clock; timetables needs it too


def feed_now(feed: Feed) -> datetime.datetime:
    """Now on the feed's clock, as the feed's local (naive) time, to the second."""
    return dj_timezone.now().astimezone(feed_zone(feed)).replace(tzinfo=None, microsecond=0)


def parse_when(feed: Feed, text: str | None, parameter: str) -> datetime.datetime:
    """An ISO 8601 date-time as the feed's local (naive) time; without an offset it is read as
    the feed's local time already. Missing: now."""
    zone = feed_zone(feed)
    if not text:
        return feed_now(feed)
    try:
        when = datetime.datetime.fromisoformat(
            text.strip().replace(" ", "+", 1)
            if re.search(r"T\d\d:\d\d(:\d\d)? \d\d:?\d\d$", text)
            else text.strip()
        )
    except ValueError:
        raise PlanError(
            _(
                "Paramètre « %(p)s » invalide : « %(v)s » n'est pas une date-heure ISO 8601 "
                "(ex. 2026-12-01T08:00:00+01:00)."
            )
            % {"p": parameter, "v": text},
            400,
            parameter,
        ) from None
    if when.tzinfo is not None:
        try:
            when = when.astimezone(zone).replace(tzinfo=None)
        except OverflowError:  # e.g. 0001-01-01T00:00+05:00 is still year 0 in Niamey
            raise PlanError(
                _(
                    "Paramètre « %(p)s » invalide : « %(v)s » tombe hors du calendrier "
                    "(années 1 à 9999) à l'heure du réseau."
                )
                % {"p": parameter, "v": text},
                400,
                parameter,
            ) from None
    return when


def localise(feed: Feed, naive: datetime.datetime) -> datetime.datetime:
    return naive.replace(tzinfo=feed_zone(feed))


def clock_text(moment: datetime.datetime, reference: datetime.datetime | None = None) -> str:
    """`moment` (aware, in its feed's zone) as « HH:MM » on the feed's own clock — never
    converted to the site's zone — preceded by « demain » or the date when its day is not the
    reference day (that of `reference`, by default today on the feed's clock)."""
    zone = moment.tzinfo
    today = dj_timezone.now().astimezone(zone).date()
    base = reference.date() if reference is not None else today
    hours = moment.strftime("%H:%M")
    day = moment.date()
    if day == base:
        return hours
    if day == today:
        return _("aujourd'hui %(t)s") % {"t": hours}
    if day == today + datetime.timedelta(days=1):
        return _("demain %(t)s") % {"t": hours}
    return f"{day:%d/%m} {hours}"


# -- Journeys --------------------------------------------------------------------------------------

_COORDS = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass
class Place:
    kind: str  # "stop" | "coords"
    stop_id: str = ""
    lat: float = 0.0
    lon: float = 0.0


def parse_place(text: str | None, parameter: str) -> Place:
    if not text or not text.strip():
        raise PlanError(_("Paramètre « %(p)s » manquant.") % {"p": parameter}, 400, parameter)
    match = _COORDS.match(text)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise PlanError(
                _("Paramètre « %(p)s » invalide : coordonnées hors limites.") % {"p": parameter},
                400,
                parameter,
            )
        return Place("coords", lat=lat, lon=lon)
    return Place("stop", stop_id=text.strip())


# With max_walk_m=0 a place given by coordinates is the nearest stop within this radius,
# reached without walking (a GPS fix is rarely closer than a few tens of metres to the pole).
SNAP_RADIUS_M = 50


def _endpoints(tt, place: Place, parameter: str, walk: float, arriving: bool, snapped: list):
    if place.kind == "coords":
        if walk > 0:
            return planner.stops_near(tt, place.lat, place.lon, max_walk_m=walk)
        near = planner.stops_near(tt, place.lat, place.lon, max_walk_m=SNAP_RADIUS_M)
        if not near:
            raise PlanError(
                _(
                    "Aucun arrêt à moins de %(r)s m de « %(p)s » : sans marche (max_walk_m=0), "
                    "le lieu doit être à un arrêt."
                )
                % {"r": SNAP_RADIUS_M, "p": parameter},
                404,
                parameter,
            )
        stop = near[0][0]
        distance = planner.geo.haversine_m(
            place.lat, place.lon, tt.stop_lat[stop], tt.stop_lon[stop]
        )
        snapped.append(
            {
                "parameter": parameter,
                "stop_id": tt.stop_ids[stop],
                "distance_m": round(float(distance)),
                "radius_m": SNAP_RADIUS_M,
            }
        )
        return [(stop, 0)]
    try:
        return planner.stop_endpoints(tt, place.stop_id, max_walk_m=walk, arriving=arriving)
    except KeyError:
        raise PlanError(
            _("Arrêt inconnu : « %(id)s ».") % {"id": place.stop_id}, 404, parameter
        ) from None


@dataclass
class PlanRequest:
    origin: Place
    destination: Place
    depart: datetime.datetime | None = None
    arrive: datetime.datetime | None = None
    max_walk_m: float | None = None
    max_transfers: int = MAX_TRANSFERS
    wheelchair: bool = False
    # Places taken as their nearest stop (max_walk_m=0), said in the answer.
    snapped: list = field(default_factory=list)


def _int_param(value, parameter: str, low: int, high: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise PlanError(
            _("Paramètre « %(p)s » invalide : un entier entre %(low)s et %(high)s est attendu.")
            % {"p": parameter, "low": low, "high": high},
            400,
            parameter,
        )
    return number


def parse_plan_request(feed: Feed, params) -> PlanRequest:
    """Checks the query parameters of a plan request (all errors are PlanError 400)."""
    if params.get("depart") and params.get("arrive"):
        raise PlanError(_("Donnez « depart » ou « arrive », pas les deux."), 400, "arrive")
    wheelchair = str(params.get("wheelchair", "")).lower()
    if wheelchair not in ("", "0", "1", "true", "false"):
        raise PlanError(
            _("Paramètre « wheelchair » invalide : true ou false attendu."), 400, "wheelchair"
        )
    request = PlanRequest(
        origin=parse_place(params.get("from"), "from"),
        destination=parse_place(params.get("to"), "to"),
        max_walk_m=_int_param(params.get("max_walk_m"), "max_walk_m", 0, 400),
        max_transfers=_int_param(params.get("max_transfers"), "max_transfers", 0, MAX_TRANSFERS),
        wheelchair=wheelchair in ("1", "true"),
    )
    if request.max_transfers is None:
        request.max_transfers = MAX_TRANSFERS
    if params.get("arrive"):
        request.arrive = parse_when(feed, params.get("arrive"), "arrive")
    else:
        request.depart = parse_when(feed, params.get("depart"), "depart")
    return request


def _timetable_for_day(feed: Feed, day: datetime.date):
    today = feed_now(feed).date()
    if day == today:
        return timetables.live_timetable(feed)[0]
    return timetables.timetable_for(feed)


def plan(feed: Feed, request: PlanRequest) -> list[planner.Journey]:
    """The Pareto set of journeys (arrival, transfers), earliest arrival first."""
    when = request.arrive or request.depart
    tt = _timetable_for_day(feed, when.date())
    walk = request.max_walk_m if request.max_walk_m is not None else tt.max_walk_m
    request.snapped = []
    sources = _endpoints(tt, request.origin, "from", walk, False, request.snapped)
    targets = _endpoints(tt, request.destination, "to", walk, True, request.snapped)
    if not sources or not targets:
        return []
    options = {
        "max_transfers": request.max_transfers,
        "max_walk_m": walk,
        "wheelchair": request.wheelchair,
        "zone": feed_zone(feed),
    }
    if request.arrive is not None:
        journeys = planner.latest_departure(tt, sources, targets, request.arrive, **options)
    else:
        journeys = planner.earliest_arrival(tt, sources, targets, request.depart, **options)
    journeys = [j for j in journeys if j.transfers <= request.max_transfers]
    return sorted(journeys, key=lambda j: (j.arrival, j.transfers))


def journey_json(feed: Feed, journey: planner.Journey) -> dict:
    legs = []
    for leg in journey.legs:
        transit = isinstance(leg, planner.TransitLeg)
        legs.append(
            {
                "mode": "transit" if transit else "walk",
                "route_id": leg.route_id if transit else None,
                "trip_id": leg.trip_id if transit else None,
                "from_stop": leg.from_stop_id,
                "to_stop": leg.to_stop_id,
                "departure": localise(feed, leg.departure).isoformat(),
                "arrival": localise(feed, leg.arrival).isoformat(),
            }
        )
    return {
        "departure": localise(feed, journey.departure).isoformat(),
        "arrival": localise(feed, journey.arrival).isoformat(),
        "transfers": journey.transfers,
        "legs": legs,
    }


@dataclass
class LegView:
    mode: str
    route: str
    headsign: str
    from_name: str
    to_name: str
    departure: datetime.datetime
    arrival: datetime.datetime
    minutes: int


def describe(feed: Feed, journey: planner.Journey) -> list[LegView]:
    """Legs with names, for pages and SMS."""
    tt = timetables.timetable_for(feed)
    names = {}
    ids = {getattr(leg, "from_stop_id", None) for leg in journey.legs} | {
        getattr(leg, "to_stop_id", None) for leg in journey.legs
    }
    for stop_id in ids - {None}:
        try:
            names[stop_id] = tt.stop_names[tt.stop_index(stop_id)]
        except KeyError:
            names[stop_id] = stop_id
    route_names = {}
    for leg in journey.legs:
        if isinstance(leg, planner.TransitLeg) and leg.route_id not in route_names:
            route = Route.objects.using(DB).filter(feed=feed, route_id=leg.route_id).first()
            route_names[leg.route_id] = str(route) if route else leg.route_id
    place = _("votre point de départ")
    out = []
    for leg in journey.legs:
        transit = isinstance(leg, planner.TransitLeg)
        out.append(
            LegView(
                mode="transit" if transit else "walk",
                route=route_names.get(leg.route_id, "") if transit else "",
                headsign=leg.headsign if transit else "",
                from_name=names.get(leg.from_stop_id, place) if leg.from_stop_id else place,
                to_name=names.get(leg.to_stop_id) if leg.to_stop_id else _("votre destination"),
                departure=localise(feed, leg.departure),
                arrival=localise(feed, leg.arrival),
                minutes=max(round((leg.arrival - leg.departure).total_seconds() / 60), 0),
            )
        )
    return out


# -- Stop boards -----------------------------------------------------------------------------------


@dataclass
class BoardRow:
    route_id: str
    route: str
    trip_id: str
    headsign: str
    stop_id: str
    departure: datetime.datetime
    delay_s: int | None  # None: no realtime information; 0: on time
    cancelled: bool = False


def _delay_at(delays: list[tuple[int | None, int, bool]], sequence: int | None):
    """GTFS-RT propagation: the last update at or before the stop's sequence applies."""
    value = None
    for seq, delay, cancelled in delays:
        if cancelled:
            return 0, True
        if seq is None or sequence is None or seq <= sequence:
            value = delay
    return value, False


def departures(feed: Feed, stop: Stop, at: datetime.datetime | None, limit: int = 10):
    """Next departures from `stop` (a station includes its platforms) at or after `at` (naive
    local time; None: now), with today's realtime delays applied and shown, each on the trip
    instance (service date) it is about."""
    if at is None:
        at = parse_when(feed, None, "at")
    tt = _timetable_for_day(feed, at.date())
    rows = planner.departures(tt, stop.stop_id, at, limit=limit, zone=feed_zone(feed))
    trip_ids = {r.trip_id for r in rows}
    # {(trip_id, service_date): [(stop_sequence, delay, cancelled)]}: each update for its instance
    delays: dict[tuple[str, datetime.date], list] = {}
    today = feed_now(feed).date()
    if trip_ids and at.date() == today:
        for instance, seq, delay, cancelled in timetables.dated_updates(
            feed,
            timetables.timetable_for(feed),
            RealtimeDelay.objects.using(DB).filter(feed=feed, trip_id__in=trip_ids),
        ):
            delays.setdefault(instance, []).append((seq, delay, cancelled))
    sequences = {}
    if delays:
        sequences = {
            (t, s): q
            for t, s, q in StopTime.objects.using(DB)
            .filter(feed=feed, trip__trip_id__in={t for t, _d in delays})
            .values_list("trip__trip_id", "stop__stop_id", "stop_sequence")
        }
    route_names = {
        r.route_id: str(r)
        for r in Route.objects.using(DB).filter(feed=feed, route_id__in={r.route_id for r in rows})
    }
    board = []
    for r in rows:
        delay, cancelled = (None, False)
        instance = (r.trip_id, r.service_date)
        if instance in delays:
            delay, cancelled = _delay_at(
                sorted(delays[instance], key=lambda d: (d[0] is not None, d[0] or 0)),
                sequences.get((r.trip_id, r.stop_id)),
            )
        board.append(
            BoardRow(
                route_id=r.route_id,
                route=route_names.get(r.route_id, r.route_id),
                trip_id=r.trip_id,
                headsign=r.headsign,
                stop_id=r.stop_id,
                departure=localise(feed, r.departure),
                delay_s=delay,
                cancelled=cancelled,
            )
        )
    return board
