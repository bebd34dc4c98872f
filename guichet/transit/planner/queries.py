"""Queries: earliest arrival, arrive-by, range (rRAPTOR), stop boards, places → stops."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

import numpy as np

from .geo import haversine_m, walk_seconds
from .journeys import Departure, Endpoints, Journey, ServiceClock, When
from .raptor import INFINITY
from .raptor_run import (
    _journey,
    _labels,
    _pareto_journeys,
    _raw_legs,
    _run,
    _running_best,
    _stop_ok,
    _target_walk,
    _walk_limit,
)
from .timetable import Timetable, reversed_timetable


def _query(
    timetable, sources, targets, when, *, max_transfers, max_walk_m, wheelchair, reverse, zone
) -> list[Journey]:
    clock = ServiceClock(zone)
    service_date, seconds = clock.split(when)
    tt = reversed_timetable(timetable) if reverse else timetable
    offsets = clock.offsets(service_date)
    if reverse:
        offsets = -offsets  # time runs backwards in the reversed timetable
    start_stops, end_stops = (targets, sources) if reverse else (sources, targets)
    rounds = max_transfers + 1
    labels = _labels(tt, rounds)
    active = timetable.active_patterns(service_date, wheelchair)
    start = -seconds if reverse else seconds
    _run(
        tt,
        active,
        offsets,
        _stop_ok(timetable, wheelchair),
        _walk_limit(timetable, max_walk_m),
        start_stops,
        start,
        _target_walk(tt.n_stops, end_stops),
        rounds,
        labels,
    )
    found, target_walk, source_walk = _pareto_journeys(tt, labels, end_stops, start_stops)
    journeys = []
    for k, target, _value in found:
        raw = _raw_legs(tt, labels, offsets, k, target, target_walk, source_walk)
        journeys.append(_journey(tt, timetable, raw, clock, service_date, reverse, seconds))
    return journeys


def earliest_arrival(
    timetable: Timetable,
    sources: Endpoints,
    targets: Endpoints,
    depart: When,
    *,
    max_transfers: int = 8,
    max_walk_m: float | None = None,
    wheelchair: bool = False,
    zone: tzinfo | str | None = None,
) -> list[Journey]:
    """Pareto set by (arrival, rides), fewest rides first; the last arrives earliest."""
    return _query(
        timetable,
        sources,
        targets,
        depart,
        max_transfers=max_transfers,
        max_walk_m=max_walk_m,
        wheelchair=wheelchair,
        reverse=False,
        zone=zone,
    )


def latest_departure(
    timetable: Timetable,
    sources: Endpoints,
    targets: Endpoints,
    arrive: When,
    *,
    max_transfers: int = 8,
    max_walk_m: float | None = None,
    wheelchair: bool = False,
    zone: tzinfo | str | None = None,
) -> list[Journey]:
    """Arrive-by: Pareto set by (latest departure, rides), arriving no later than `arrive`."""
    return _query(
        timetable,
        sources,
        targets,
        arrive,
        max_transfers=max_transfers,
        max_walk_m=max_walk_m,
        wheelchair=wheelchair,
        reverse=True,
        zone=zone,
    )


def _source_departures(tt, active, offsets, stop_ok, sources, t_from, t_to) -> np.ndarray:
    """Times τ in [t_from, t_to] at which leaving lets one catch a vehicle at a source stop."""
    times = []
    for stop, walk in sources:
        if not stop_ok[stop]:
            continue
        for r in range(tt.stop_route_start[stop], tt.stop_route_start[stop + 1]):
            p = tt.stop_route_pattern[r]
            i = tt.stop_route_position[r]
            n = tt.stop_start[p + 1] - tt.stop_start[p]
            if not active[p] or i + 1 >= n or not tt.pattern_pickup[tt.stop_start[p] + i]:
                continue
            m = tt.trip_slot_start[p + 1] - tt.trip_slot_start[p]
            row = tt.departure[tt.time_start[p] + i * m : tt.time_start[p] + (i + 1) * m]
            for d in range(3):
                if (active[p] >> d) & 1:
                    shifted = row.astype(np.int64) + offsets[d] - walk
                    times.append(shifted[(shifted >= t_from) & (shifted <= t_to)])
    if not times:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(times))[::-1]


def range_journeys(
    timetable: Timetable,
    sources: Endpoints,
    targets: Endpoints,
    depart: When,
    *,
    window_s: int = 3600,
    max_transfers: int = 8,
    max_walk_m: float | None = None,
    wheelchair: bool = False,
    zone: tzinfo | str | None = None,
) -> list[Journey]:
    """rRAPTOR: the journeys leaving in [depart, depart + window_s] that are Pareto-optimal by
    (later departure, earlier arrival, fewer rides), sorted by departure.

    One RAPTOR run per distinct time at which a vehicle can be caught at a source, latest first,
    keeping the labels between runs (Delling et al. 2012, section 4).
    """
    tt = timetable
    clock = ServiceClock(zone)
    service_date, t0 = clock.split(depart)
    offsets = clock.offsets(service_date)
    active = tt.active_patterns(service_date, wheelchair)
    stop_ok = _stop_ok(tt, wheelchair)
    walk_limit = _walk_limit(tt, max_walk_m)
    rounds = max_transfers + 1
    labels = _labels(tt, rounds)
    target_walk = _target_walk(tt.n_stops, targets)
    journeys: list[Journey] = []
    for tau in _source_departures(tt, active, offsets, stop_ok, sources, t0, t0 + window_s):
        before = _running_best(labels)
        _run(
            tt,
            active,
            offsets,
            stop_ok,
            walk_limit,
            sources,
            int(tau),
            target_walk,
            rounds,
            labels,
        )
        found, walks, source_walk = _pareto_journeys(tt, labels, targets, sources, previous=before)
        for k, target, _value in found:
            if k == 0:
                continue  # walking only: not a public-transport journey
            raw = _raw_legs(tt, labels, offsets, k, target, walks, source_walk)
            journeys.append(_journey(tt, tt, raw, clock, service_date, False, int(tau)))
    # A run may find that a later vehicle is as good: keep what leaves within the window.
    end = clock.at(service_date, t0 + window_s)
    return _pareto_filter([j for j in journeys if j.departure <= end])


def _pareto_filter(journeys: list[Journey]) -> list[Journey]:
    kept: list[Journey] = []
    for j in sorted(journeys, key=lambda j: (-j.departure.timestamp(), j.arrival, j.rides)):
        if any(
            k.departure >= j.departure and k.arrival <= j.arrival and k.rides <= j.rides
            for k in kept
        ):
            continue
        kept.append(j)
    return sorted(kept, key=lambda j: (j.departure, j.arrival, j.rides))


def departures(
    timetable: Timetable,
    stop: int | str,
    at: When,
    limit: int = 10,
    *,
    zone: tzinfo | str | None = None,
) -> list[Departure]:
    """Next departures from a stop (a station: from its child stops) at or after `at`."""
    tt = timetable
    clock = ServiceClock(zone)
    index = tt.stop_index(stop) if isinstance(stop, str) else int(stop)
    stops = [index, *tt.children(index).tolist()]
    service_date, seconds = clock.split(at)
    offsets = clock.offsets(service_date)
    active = tt.active_patterns(service_date, False)
    found: list[tuple[int, int, int, int, int]] = []
    for s in stops:
        for r in range(tt.stop_route_start[s], tt.stop_route_start[s + 1]):
            p = int(tt.stop_route_pattern[r])
            i = int(tt.stop_route_position[r])
            base = tt.stop_start[p]
            if not active[p] or i + 1 >= tt.stop_start[p + 1] - base:
                continue
            if not tt.pattern_pickup[base + i]:
                continue  # GTFS: pickup_type 1, nobody boards here
            slot_base = int(tt.trip_slot_start[p])
            m = int(tt.trip_slot_start[p + 1]) - slot_base
            row = tt.departure[tt.time_start[p] + i * m : tt.time_start[p] + (i + 1) * m]
            for d in range(3):
                if not (active[p] >> d) & 1:
                    continue
                offset = int(offsets[d])
                j = int(np.searchsorted(row, seconds - offset, side="left"))
                taken = 0
                while j < m and taken < limit:
                    if not tt.slot_disabled[slot_base + j]:
                        found.append((int(row[j]) + offset, p, j, d, s))
                        taken += 1
                    j += 1
    found.sort()
    result = []
    for t, p, j, d, s in found[:limit]:
        trip = int(tt.slot_trip[tt.trip_slot_start[p] + j])
        result.append(
            Departure(
                route_id=tt.route_ids[tt.trip_route[trip]],
                trip_id=tt.trip_ids[trip],
                headsign=tt.trip_headsigns[trip],
                stop_id=tt.stop_ids[s],
                departure=clock.at(service_date, t),
                service_date=service_date + timedelta(days=d - 1),
            )
        )
    return result


def stops_near(
    timetable: Timetable, lat: float, lon: float, max_walk_m: float = 400
) -> list[tuple[int, int]]:
    """Stops (location_type 0) within `max_walk_m` of a place, nearest first, with walk seconds."""
    tt = timetable
    candidates = np.flatnonzero((tt.location_type == 0) & np.isfinite(tt.stop_lat))
    distance = haversine_m(lat, lon, tt.stop_lat[candidates], tt.stop_lon[candidates])
    keep = distance <= max_walk_m
    order = np.argsort(distance[keep], kind="stable")
    stops = candidates[keep][order]
    seconds = walk_seconds(distance[keep][order])
    return [(int(s), int(w)) for s, w in zip(stops, seconds, strict=True)]


def stop_endpoints(
    timetable: Timetable,
    stop: int | str,
    *,
    max_walk_m: float | None = None,
    arriving: bool = False,
) -> list[tuple[int, int]]:
    """A stop as a query end: itself (or a station's children) at 0 s, plus one footpath away.

    With `arriving=True` the footpaths are those leading *to* the stop (for targets), since
    transfers.txt links are directed.
    """
    tt = reversed_timetable(timetable) if arriving else timetable
    limit = _walk_limit(timetable, max_walk_m)
    index = timetable.stop_index(stop) if isinstance(stop, str) else int(stop)
    base = timetable.children(index).tolist() if timetable.location_type[index] == 1 else [index]
    best = dict.fromkeys(base, 0)
    for s in base:
        for f in range(tt.foot_start[s], tt.foot_start[s + 1]):
            if tt.foot_distance[f] > limit:
                continue
            to = int(tt.foot_to[f])
            best[to] = min(best.get(to, INFINITY), int(tt.foot_seconds[f]))
    return sorted(best.items(), key=lambda item: (item[1], item[0]))


def warm_up() -> None:
    """Load the compiled RAPTOR kernels (numba's on-disk cache) for built and memory-mapped
    timetables, with a two-stop network: about a second, paid at start instead of by the first
    traveller after a restart."""
    import tempfile

    from . import store
    from .feed import feed_from_rows
    from .timetable import build_timetable

    day = date(2026, 1, 5)
    feed = feed_from_rows(
        stops=[
            {"stop_id": "A", "stop_name": "A", "stop_lat": 0.0, "stop_lon": 0.0},
            {"stop_id": "B", "stop_name": "B", "stop_lat": 0.0, "stop_lon": 0.001},
        ],
        routes=[{"route_id": "R", "route_type": 3}],
        trips=[{"trip_id": "T", "route_id": "R", "service_id": "S"}],
        stop_times=[
            {
                "trip_id": "T",
                "stop_id": s,
                "stop_sequence": i,
                "arrival_time": t,
                "departure_time": t,
            }
            for i, (s, t) in enumerate((("A", "08:00:00"), ("B", "08:10:00")), start=1)
        ],
        calendar_dates=[{"service_id": "S", "date": day, "exception_type": 1}],
    )
    built = build_timetable(feed)
    with tempfile.TemporaryDirectory() as folder:
        mapped = store.load(store.save(built, f"{folder}/tt"))
        for tt in (built, mapped):
            ends = ([(0, 0)], [(1, 0)])
            earliest_arrival(tt, *ends, datetime(2026, 1, 5, 7, 0))
            latest_departure(tt, *ends, datetime(2026, 1, 5, 9, 0))
            range_journeys(tt, *ends, datetime(2026, 1, 5, 7, 0))
