"""Every write of the transit service: one transaction each, with its audit entry.

Imports (validated, atomic), the network editor of the transport administration (stops, routes,
calendars, trips as explicit times or as headways), and GTFS Realtime delays.
"""

from __future__ import annotations

import datetime
import itertools
import logging
import os
import re

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.transit import gtfs, importer, timetables
from guichet.transit.importer import FeedRefused, fold
from guichet.transit.models import (
    Agency,
    Calendar,
    CalendarDate,
    Feed,
    Frequency,
    RealtimeDelay,
    Route,
    Stop,
    StopTime,
    Trip,
)

__all__ = ["FeedRefused", "TransitError", "import_feed"]
logger = logging.getLogger(__name__)


class TransitError(ValueError):
    """A refused write; the message is French, for the agent."""


_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def check_feed_name(name: str) -> str:
    if not _NAME.match(name or ""):
        raise TransitError(
            _(
                "Nom de réseau invalide : « %(name)s ». Utilisez des minuscules, chiffres, "
                "tirets (ex. « niamey-bus »)."
            )
            % {"name": name}
        )
    return name


def check_archive(path: str | os.PathLike) -> None:
    """Refuse a zip bomb before unpacking anything (limits in gtfs.py, overridable by the
    settings TRANSIT_GTFS_MAX_UNCOMPRESSED_BYTES and TRANSIT_GTFS_MAX_RATIO)."""
    limit = getattr(settings, "TRANSIT_GTFS_MAX_UNCOMPRESSED_BYTES", gtfs.MAX_UNCOMPRESSED_BYTES)
    ratio = getattr(settings, "TRANSIT_GTFS_MAX_RATIO", gtfs.MAX_RATIO)
    problem = gtfs.archive_problem(path, limit, ratio)
    if problem is None:
        return
    if problem.kind == "too_large":
        raise TransitError(
            _(
                "Archive refusée : décompressée, elle ferait %(size)s Mo, au-delà de la limite "
                "de %(limit)s Mo."
            )
            % {"size": problem.size // 1_000_000, "limit": int(problem.limit) // 1_000_000}
        )
    if problem.kind == "ratio":
        raise TransitError(
            _(
                "Archive refusée : le fichier « %(member)s » est compressé %(ratio)s fois "
                "(au plus %(limit)s fois pour un fichier GTFS) — archive piégée ?"
            )
            % {"member": problem.member, "ratio": problem.size, "limit": int(problem.limit)}
        )


def import_feed(
    path: str | os.PathLike,
    name: str,
    *,
    actor=None,
    organisation=None,
    title: str = "",
    illustrative: bool = False,
) -> importer.ImportResult:
    """Validate the GTFS feed at `path` and replace (or create) feed `name` with it atomically:
    until the transaction commits, readers keep seeing the previous version. Raises FeedRefused
    (with the report) when the validator finds errors; nothing is written then."""
    check_feed_name(name)
    check_archive(path)
    fields = {"illustrative": illustrative}
    if title:
        fields["title"] = title
    if organisation is not None:
        fields["organisation"] = organisation
    if actor is not None and getattr(actor, "pk", None):
        fields["created_by"] = actor

    def audit(feed: Feed) -> None:
        record(
            audit_actions.Transit.FEED_IMPORTED,
            actor=actor,
            organisation=feed.organisation,
            target=feed,
            data={"name": name, "version": feed.version, "stop_times": feed.stop_time_count},
        )

    result = importer.import_path(path, name, before_commit=audit, **fields)
    if timetables.store_dir() is not None:
        # Compiled once per imported version, for every process to map (timetables.py).
        feed = result.feed
        transaction.on_commit(lambda: _compile_quietly(feed), using="default")
    return result


def _compile_quietly(feed: Feed) -> None:
    try:
        timetables.compile_feed(Feed.objects.get(pk=feed.pk))
    except Exception:  # the import stands; the first query compiles it again
        logger.exception("Timetable of %s not compiled after its import", feed.name)


def _bump(feed: Feed) -> None:
    """An edit changes the timetable: a new version makes every process rebuild it."""
    Feed.objects.filter(pk=feed.pk).update(version=feed.version + 1, updated_at=timezone.now())
    feed.version += 1


# -- Editor ----------------------------------------------------------------------------------------


@transaction.atomic
def create_feed(
    *,
    actor,
    organisation,
    name: str,
    title: str,
    agency_name: str,
    agency_url: str,
    timezone_name: str = "Africa/Niamey",
    illustrative: bool = False,
) -> Feed:
    check_feed_name(name)
    if Feed.objects.filter(name=name).exists():
        raise TransitError(_("Un réseau nommé « %(name)s » existe déjà.") % {"name": name})
    feed = Feed.objects.create(
        name=name,
        title=title,
        organisation=organisation,
        source=Feed.Source.EDITOR,
        timezone=timezone_name,
        illustrative=illustrative,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    Agency.objects.create(
        feed=feed,
        agency_id="1",
        name=agency_name,
        url=agency_url,
        timezone=timezone_name,
        lang="fr",
    )
    record(audit_actions.Transit.FEED_CREATED, actor=actor, organisation=organisation, target=feed)
    return feed


def _next_id(model, feed: Feed, field: str, prefix: str) -> str:
    existing = set(model.objects.filter(feed=feed).values_list(field, flat=True))
    n = len(existing) + 1
    while f"{prefix}{n}" in existing:
        n += 1
    return f"{prefix}{n}"


@transaction.atomic
def create_stop(
    *,
    actor,
    feed: Feed,
    name: str,
    lat: float,
    lon: float,
    stop_id: str = "",
    code: str = "",
    wheelchair_boarding: int = 0,
) -> Stop:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (abs(lat) < 1 and abs(lon) < 1):
        raise TransitError(
            _("Coordonnées invalides : latitude %(lat)s, longitude %(lon)s.")
            % {"lat": lat, "lon": lon}
        )
    stop_id = stop_id or _next_id(Stop, feed, "stop_id", "S")
    if Stop.objects.filter(feed=feed, stop_id=stop_id).exists():
        raise TransitError(_("L'identifiant d'arrêt « %(id)s » existe déjà.") % {"id": stop_id})
    stop = Stop.objects.create(
        feed=feed,
        stop_id=stop_id,
        name=name,
        lat=lat,
        lon=lon,
        code=code,
        wheelchair_boarding=wheelchair_boarding,
        search_name=fold(name),
    )
    _bump(feed)
    record(
        audit_actions.Transit.STOP_CREATED, actor=actor, organisation=feed.organisation, target=stop
    )
    return stop


@transaction.atomic
def create_route(
    *,
    actor,
    feed: Feed,
    short_name: str,
    long_name: str = "",
    route_type: int = 3,
    color: str = "",
    route_id: str = "",
) -> Route:
    if not short_name and not long_name:
        raise TransitError(_("Donnez un nom court ou un nom long à la ligne."))
    color = color.lstrip("#").upper()
    if color and not re.fullmatch(r"[0-9A-F]{6}", color):
        raise TransitError(
            _("Couleur invalide : « %(c)s » (six chiffres hexadécimaux).") % {"c": color}
        )
    route_id = route_id or _next_id(Route, feed, "route_id", "L")
    if Route.objects.filter(feed=feed, route_id=route_id).exists():
        raise TransitError(_("L'identifiant de ligne « %(id)s » existe déjà.") % {"id": route_id})
    agency = Agency.objects.filter(feed=feed).first()
    route = Route.objects.create(
        feed=feed,
        route_id=route_id,
        agency_id=agency.agency_id if agency else "",
        short_name=short_name,
        long_name=long_name,
        route_type=route_type,
        color=color,
    )
    _bump(feed)
    record(
        audit_actions.Transit.ROUTE_CREATED,
        actor=actor,
        organisation=feed.organisation,
        target=route,
    )
    return route


@transaction.atomic
def create_service(
    *,
    actor,
    feed: Feed,
    service_id: str,
    days: list[str],
    start_date: datetime.date,
    end_date: datetime.date,
    added: list[datetime.date] = (),
    removed: list[datetime.date] = (),
) -> Calendar:
    """A calendar (GTFS: calendar.txt) with its exceptions (calendar_dates.txt)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", service_id or ""):
        raise TransitError(
            _("Identifiant de calendrier invalide : « %(id)s ».") % {"id": service_id}
        )
    if start_date > end_date:
        raise TransitError(_("La date de fin précède la date de début."))
    unknown = set(days) - set(Calendar.DAYS)
    if unknown or not days:
        raise TransitError(_("Choisissez au moins un jour de la semaine."))
    if Calendar.objects.filter(feed=feed, service_id=service_id).exists():
        raise TransitError(_("Le calendrier « %(id)s » existe déjà.") % {"id": service_id})
    calendar = Calendar.objects.create(
        feed=feed,
        service_id=service_id,
        start_date=start_date,
        end_date=end_date,
        **{day: day in days for day in Calendar.DAYS},
    )
    for day in added:
        CalendarDate.objects.create(feed=feed, service_id=service_id, date=day, exception_type=1)
    for day in removed:
        CalendarDate.objects.create(feed=feed, service_id=service_id, date=day, exception_type=2)
    _bump(feed)
    record(
        audit_actions.Transit.SERVICE_CREATED,
        actor=actor,
        organisation=feed.organisation,
        target=calendar,
    )
    return calendar


def _check_trip_inputs(feed: Feed, route: Route, service_id: str, stops: list[Stop]) -> None:
    if route.feed_id != feed.pk or any(s.feed_id != feed.pk for s in stops):
        raise TransitError(_("La ligne et les arrêts doivent appartenir au réseau."))
    if len(stops) < 2:
        raise TransitError(_("Un trajet dessert au moins deux arrêts."))
    if not Calendar.objects.filter(feed=feed, service_id=service_id).exists() and not (
        CalendarDate.objects.filter(feed=feed, service_id=service_id).exists()
    ):
        raise TransitError(_("Calendrier inconnu : « %(id)s ».") % {"id": service_id})


def _write_trip(feed, route, service_id, headsign, stops, times, trip_id, wheelchair) -> Trip:
    trip_id = trip_id or _next_id(Trip, feed, "trip_id", f"{route.route_id}-")
    if Trip.objects.filter(feed=feed, trip_id=trip_id).exists():
        raise TransitError(_("L'identifiant de trajet « %(id)s » existe déjà.") % {"id": trip_id})
    trip = Trip.objects.create(
        feed=feed,
        trip_id=trip_id,
        route=route,
        service_id=service_id,
        headsign=headsign or stops[-1].name,
        wheelchair_accessible=wheelchair,
    )
    StopTime.objects.bulk_create(
        StopTime(
            feed=feed,
            trip=trip,
            stop=stop,
            stop_sequence=i + 1,
            arrival_time=seconds,
            departure_time=seconds,
            timepoint=1,
        )
        for i, (stop, seconds) in enumerate(zip(stops, times, strict=True))
    )
    return trip


@transaction.atomic
def create_trip(
    *,
    actor,
    feed: Feed,
    route: Route,
    service_id: str,
    stops: list[Stop],
    times: list[int],
    headsign: str = "",
    trip_id: str = "",
    wheelchair_accessible: int = 0,
) -> Trip:
    """A trip at explicit times (seconds since midnight, one per stop, never decreasing)."""
    _check_trip_inputs(feed, route, service_id, stops)
    if len(times) != len(stops):
        raise TransitError(_("Donnez une heure pour chaque arrêt."))
    if any(b < a for a, b in itertools.pairwise(times)):
        raise TransitError(_("Les heures doivent croître d'un arrêt au suivant."))
    trip = _write_trip(
        feed, route, service_id, headsign, stops, times, trip_id, wheelchair_accessible
    )
    _bump(feed)
    record(
        audit_actions.Transit.TRIP_CREATED, actor=actor, organisation=feed.organisation, target=trip
    )
    return trip


@transaction.atomic
def create_headway_trip(
    *,
    actor,
    feed: Feed,
    route: Route,
    service_id: str,
    stops: list[Stop],
    offsets: list[int],
    start: int,
    end: int,
    headway: int,
    headsign: str = "",
    trip_id: str = "",
    exact_times: int = 0,
    wheelchair_accessible: int = 0,
) -> Trip:
    """ "Every `headway` seconds from `start` to `end`": one template trip whose times are
    `start + offsets[i]`, and a frequencies.txt row (GTFS: frequencies.txt, exact_times 0 =
    headway-based, as minibuses and taxis run)."""
    _check_trip_inputs(feed, route, service_id, stops)
    if len(offsets) != len(stops) or offsets[0] != 0:
        raise TransitError(
            _("Donnez le temps de parcours depuis le premier arrêt pour chaque arrêt.")
        )
    if any(b < a for a, b in itertools.pairwise(offsets)):
        raise TransitError(_("Les temps de parcours doivent croître d'un arrêt au suivant."))
    if headway <= 0:
        raise TransitError(_("L'intervalle entre deux départs doit être positif."))
    if end <= start:
        raise TransitError(_("L'heure de fin doit suivre l'heure de début."))
    times = [start + o for o in offsets]
    trip = _write_trip(
        feed, route, service_id, headsign, stops, times, trip_id, wheelchair_accessible
    )
    Frequency.objects.create(
        feed=feed,
        trip=trip,
        start_time=start,
        end_time=end,
        headway_secs=headway,
        exact_times=exact_times,
    )
    _bump(feed)
    record(
        audit_actions.Transit.TRIP_CREATED,
        actor=actor,
        organisation=feed.organisation,
        target=trip,
        data={"headway_secs": headway},
    )
    return trip


@transaction.atomic
def delete_trip(*, actor, trip: Trip) -> None:
    feed = trip.feed
    record(
        audit_actions.Transit.TRIP_DELETED, actor=actor, organisation=feed.organisation, target=trip
    )
    trip.delete()
    _bump(feed)


# -- Realtime --------------------------------------------------------------------------------------


@transaction.atomic
def store_trip_updates(*, feed: Feed, updates: list[dict], received_at=None) -> int:
    """Replace the feed's realtime delays with `updates` (dicts: trip_id, stop_sequence, stop_id,
    delay, cancelled, start_date). Returns the number of rows stored."""
    received_at = received_at or timezone.now()
    # An update naming its stop but not its stop_sequence: find the sequence in the trip.
    unresolved = {
        (u["trip_id"], u["stop_id"])
        for u in updates
        if u.get("stop_sequence") is None and u.get("stop_id")
    }
    if unresolved:
        sequences = {
            (t, s): q
            for t, s, q in StopTime.objects.filter(
                feed=feed, trip__trip_id__in={t for t, _s in unresolved}
            ).values_list("trip__trip_id", "stop__stop_id", "stop_sequence")
        }
        for u in updates:
            if u.get("stop_sequence") is None and u.get("stop_id"):
                u["stop_sequence"] = sequences.get((u["trip_id"], u["stop_id"]))
    RealtimeDelay.objects.filter(feed=feed).delete()
    RealtimeDelay.objects.bulk_create(
        RealtimeDelay(feed=feed, received_at=received_at, **u) for u in updates
    )
    record(
        audit_actions.Transit.REALTIME_POLLED,
        organisation=feed.organisation,
        target=feed,
        data={"updates": len(updates)},
    )
    return len(updates)


def realtime_stamp(feed: Feed):
    return RealtimeDelay.objects.filter(feed=feed).aggregate(m=Max("received_at"))["m"]
