"""The planner's timetable of a feed: compiled once per feed version, mapped by every process.

The first process that needs a feed version builds its timetable from the database and writes it
to TRANSIT_TIMETABLE_DIR (`planner.store`: numpy arrays, versioned); every process then maps that
folder (no rebuild after a restart, one copy in memory for all workers). Imports compile it
right after the commit; `manage.py warm_timetables` compiles and maps every feed at deploy. Each
process keeps what it mapped, keyed by feed name and version: an import or an edit bumps the
version, and the next query loads the new one. One lock per feed. Realtime delays are overlaid
on top (`apply_delays`), cached per delay set.
"""

from __future__ import annotations

import datetime
import logging
import shutil
import threading
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Q

from guichet.transit import names, planner
from guichet.transit.gtfs import format_date
from guichet.transit.models import (
    Agency,
    Calendar,
    CalendarDate,
    Feed,
    FeedInfo,
    Frequency,
    RealtimeDelay,
    Route,
    Stop,
    StopTime,
    Transfer,
    Trip,
)

DB = "readonly"
logger = logging.getLogger(__name__)


@dataclass
class _Entry:
    version: int
    timetable: planner.Timetable
    realtime_key: object = None
    realtime: planner.Timetable | None = None


_cache: dict[str, _Entry] = {}
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _feed_lock(name: str) -> threading.Lock:
    """One lock per feed: building one feed's timetable never holds up another feed."""
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


def feed_rows(feed: Feed) -> dict:
    """The feed's tables as GTFS-named rows (generators), for `planner.feed_from_rows`."""
    stops = dict(Stop.objects.using(DB).filter(feed=feed).values_list("pk", "stop_id"))
    trips = dict(Trip.objects.using(DB).filter(feed=feed).values_list("pk", "trip_id"))
    days = Calendar.DAYS

    def stop_rows():
        for row in (
            Stop.objects.using(DB)
            .filter(feed=feed)
            .values(
                "stop_id",
                "name",
                "lat",
                "lon",
                "location_type",
                "parent_station",
                "wheelchair_boarding",
            )
            .iterator(chunk_size=5000)
        ):
            yield {
                "stop_id": row["stop_id"],
                "stop_name": row["name"],
                "stop_lat": row["lat"],
                "stop_lon": row["lon"],
                "location_type": row["location_type"],
                "parent_station": row["parent_station"],
                "wheelchair_boarding": row["wheelchair_boarding"],
            }

    def stop_time_rows():
        for trip, stop, seq, arr, dep, pickup, drop in (
            StopTime.objects.using(DB)
            .filter(feed=feed)
            .values_list(
                "trip_id",
                "stop_id",
                "stop_sequence",
                "arrival_time",
                "departure_time",
                "pickup_type",
                "drop_off_type",
            )
            .order_by()
            .iterator(chunk_size=20000)
        ):
            yield {
                "trip_id": trips[trip],
                "stop_id": stops[stop],
                "stop_sequence": seq,
                "arrival_time": arr,
                "departure_time": dep,
                "pickup_type": pickup,
                "drop_off_type": drop,
            }

    return {
        "agency": (
            {"agency_id": a, "agency_name": n, "agency_timezone": tz}
            for a, n, tz in Agency.objects.using(DB)
            .filter(feed=feed)
            .values_list("agency_id", "name", "timezone")
        ),
        "stops": stop_rows(),
        "routes": (
            {"route_id": r, "route_short_name": s, "route_long_name": lname, "route_type": t}
            for r, s, lname, t in Route.objects.using(DB)
            .filter(feed=feed)
            .values_list("route_id", "short_name", "long_name", "route_type")
        ),
        "trips": (
            {
                "trip_id": t,
                "route_id": r,
                "service_id": s,
                "trip_headsign": h,
                "wheelchair_accessible": w,
            }
            for t, r, s, h, w in Trip.objects.using(DB)
            .filter(feed=feed)
            .values_list(
                "trip_id", "route__route_id", "service_id", "headsign", "wheelchair_accessible"
            )
            .iterator(chunk_size=5000)
        ),
        "stop_times": stop_time_rows(),
        "calendar": (
            {
                "service_id": c["service_id"],
                "start_date": c["start_date"],
                "end_date": c["end_date"],
                **{d: int(c[d]) for d in days},
            }
            for c in Calendar.objects.using(DB).filter(feed=feed).values()
        ),
        "calendar_dates": (
            {"service_id": s, "date": d, "exception_type": e}
            for s, d, e in CalendarDate.objects.using(DB)
            .filter(feed=feed)
            .values_list("service_id", "date", "exception_type")
        ),
        "frequencies": (
            {"trip_id": t, "start_time": s, "end_time": e, "headway_secs": h, "exact_times": x}
            for t, s, e, h, x in Frequency.objects.using(DB)
            .filter(feed=feed)
            .values_list("trip__trip_id", "start_time", "end_time", "headway_secs", "exact_times")
        ),
        # Rows naming trips or routes are applied per pair of vehicles (planner README §3).
        "transfers": Transfer.objects.using(DB)
        .filter(feed=feed)
        .order_by("pk")
        .values(
            "from_stop_id",
            "to_stop_id",
            "from_trip_id",
            "to_trip_id",
            "from_route_id",
            "to_route_id",
            "transfer_type",
            "min_transfer_time",
        ),
        "feed_info": (
            {
                "feed_publisher_name": i.publisher_name,
                "feed_lang": i.lang,
                "feed_start_date": format_date(i.start_date),
                "feed_end_date": format_date(i.end_date),
            }
            for i in FeedInfo.objects.using(DB).filter(feed=feed)
        ),
    }


def build(feed: Feed) -> planner.Timetable:
    return planner.build_timetable(planner.feed_from_rows(**feed_rows(feed)))


def store_dir() -> Path | None:
    folder = getattr(settings, "TRANSIT_TIMETABLE_DIR", None)
    return Path(folder) if folder else None


def _label(feed: Feed) -> str:
    """What a stored timetable must match: the feed row, its version and its size."""
    return f"{feed.name}:{feed.pk}:{feed.version}:{feed.stop_time_count}"


def stored_path(feed: Feed) -> Path | None:
    root = store_dir()
    if root is None:
        return None
    return root / f"{feed.name}-{feed.pk}" / f"v{feed.version}-f{planner.store.FORMAT}"


def compile_feed(feed: Feed) -> planner.Timetable:
    """Map the stored timetable of the feed's current version, or build, store and map it.
    Older versions of the feed are removed from the store."""
    path = stored_path(feed)
    if path is not None:
        timetable = planner.store.load(path, label=_label(feed))
        if timetable is not None:
            return timetable
    timetable = build(feed)
    if path is None:
        return timetable
    try:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)  # another label: a stale folder
        planner.store.save(timetable, path, label=_label(feed))
        for old in path.parent.iterdir():
            if old != path and not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)
        mapped = planner.store.load(path, label=_label(feed))
    except OSError:
        logger.exception("Timetable of %s not stored in %s", feed.name, path)
        return timetable
    return mapped or timetable


def timetable_for(feed: Feed) -> planner.Timetable:
    """The scheduled timetable of `feed` at its current version (built on first use)."""
    entry = _cache.get(feed.name)
    if entry is not None and entry.version == feed.version:
        return entry.timetable
    with _feed_lock(feed.name):
        entry = _cache.get(feed.name)
        if entry is None or entry.version != feed.version:
            entry = _Entry(feed.version, compile_feed(feed))
            _cache[feed.name] = entry
    return entry.timetable


def feed_zone(feed: Feed) -> zoneinfo.ZoneInfo:
    """The zone of the feed's clock (its agencies'), Niamey's when unset, UTC when unknown."""
    try:
        return zoneinfo.ZoneInfo(feed.timezone or "Africa/Niamey")
    except zoneinfo.ZoneInfoNotFoundError:
        return zoneinfo.ZoneInfo("UTC")


def delay_service_date(
    feed: Feed,
    timetable: planner.Timetable,
    trip_id: str,
    start_date: datetime.date | None,
    received_at: datetime.datetime,
) -> datetime.date | None:
    """The service date of the trip instance a stored TripUpdate (a RealtimeDelay row) is about.

    GTFS-RT reference, TripDescriptor.start_date: "the scheduled start date of this trip
    instance"; it must be provided to disambiguate trips so late as to collide with a scheduled
    trip on the next day, and may be omitted when such collisions are impossible: trip_id then
    names the current instance. So a given start_date is the instance's GTFS service date (a trip
    after midnight belongs to the day before). Without one we choose, on the feed's clock, among
    the trip's instances on the service days before, of and after the local date of
    `received_at` (the days a query of that date looks at): the one running when the update was
    received, else the next one to run, else the last one that ran
    (`planner.current_service_date`, on the scheduled `timetable`). None: the trip runs on none of
    those days (or is not in the timetable), and the update is about no instance we show.
    """
    if start_date is not None:
        return start_date
    return planner.current_service_date(timetable, trip_id, received_at, feed_zone(feed))


def dated_updates(feed: Feed, timetable: planner.Timetable, rows):
    """Each stored TripUpdate of `rows` (a RealtimeDelay queryset) as ((trip_id, service_date),
    stop_sequence, delay, cancelled), its instance found once per (trip_id, start_date,
    received_at) by `delay_service_date`; an update about no instance we show is left out."""
    instances: dict[tuple, datetime.date | None] = {}
    for trip_id, seq, delay, cancelled, start_date, received_at in rows.values_list(
        "trip_id", "stop_sequence", "delay", "cancelled", "start_date", "received_at"
    ):
        named = (trip_id, start_date, received_at)
        if named not in instances:
            instances[named] = delay_service_date(feed, timetable, trip_id, start_date, received_at)
        if instances[named] is not None:
            yield (trip_id, instances[named]), seq, delay, cancelled


def realtime_delays(feed: Feed, timetable: planner.Timetable | None = None) -> dict:
    """{(trip_id, service_date): None (cancelled) | {stop_sequence: delay_s}} from the stored
    TripUpdates, each for the trip instance `delay_service_date` finds (`timetable`: the
    scheduled one, by default the feed's)."""
    timetable = timetable if timetable is not None else timetable_for(feed)
    delays: dict = {}
    for key, seq, delay, cancelled in dated_updates(
        feed, timetable, RealtimeDelay.objects.using(DB).filter(feed=feed)
    ):
        if cancelled:
            delays[key] = None
        elif key in delays and delays[key] is None:
            continue
        else:
            delays.setdefault(key, {})[seq if seq is not None else 0] = delay
    return delays


def live_timetable(feed: Feed) -> tuple[planner.Timetable, bool]:
    """The timetable with the realtime delays applied, each to its trip instance (and whether
    any were)."""
    timetable = timetable_for(feed)
    rows = RealtimeDelay.objects.using(DB).filter(feed=feed)
    stamp = (
        rows.count(),
        rows.order_by("-received_at").values_list("received_at", flat=True).first(),
    )
    if not stamp[0]:
        return timetable, False
    entry = _cache[feed.name]
    if entry.realtime_key != stamp or entry.realtime is None:
        entry.realtime = planner.apply_delays(timetable, realtime_delays(feed, timetable))
        entry.realtime_key = stamp
    return entry.realtime, True


_name_indexes: dict[str, tuple[tuple, names.NameIndex]] = {}


def _stamp(feed: Feed) -> tuple:
    return (feed.pk, feed.version, feed.updated_at)


def name_index(feed: Feed) -> names.NameIndex:
    """The feed's stop-name index at its current version, built once per process (platforms of
    a station are found as their station)."""
    cached = _name_indexes.get(feed.name)
    if cached is not None and cached[0] == _stamp(feed):
        return cached[1]
    with _feed_lock(feed.name):
        cached = _name_indexes.get(feed.name)
        if cached is None or cached[0] != _stamp(feed):
            rows = (
                Stop.objects.using(DB)
                .filter(feed=feed, location_type__in=(0, 1))
                .filter(Q(parent_station="") | Q(location_type=1))
                .order_by("location_type", "stop_id")
                .values_list("stop_id", "name")
            )
            cached = (_stamp(feed), names.NameIndex(rows.iterator(chunk_size=5000)))
            _name_indexes[feed.name] = cached
    return cached[1]


def forget(name: str | None = None) -> None:
    """Drop cached timetables and name indexes (tests)."""
    if name is None:
        _cache.clear()
        _name_indexes.clear()
    else:
        _cache.pop(name, None)
        _name_indexes.pop(name, None)
