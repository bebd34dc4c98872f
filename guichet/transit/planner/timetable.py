"""The compact timetable RAPTOR scans: patterns, service-day bitmaps, footpaths.

Layout (all flat numpy arrays, indexed through `*_start` offset arrays, CSR style):
- pattern p visits `pattern_stops[stop_start[p]:stop_start[p + 1]]` (n stops) with per-position
  `pattern_pickup` / `pattern_drop_off` flags, and has m trips; its times are the stop-major block
  `arrival[time_start[p]:][:n * m]`, i.e. the time at position i of trip j is `[i * m + j]`, so the
  trips' departures at one stop are contiguous and sorted (binary search).
- `trip_slot_start[p]` indexes the pattern's trips in `slot_trip` (original trip), `slot_shift`
  (frequency instance shift, seconds) and `slot_disabled` (realtime overlay).
- `stop_route_start[s]` indexes (pattern, position) pairs serving stop s.
- footpaths from stop s: `foot_start[s]`; each has a target, seconds and a distance in metres, or
  -1 for transfers.txt links, which query-time `max_walk_m` never filters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from .feed import Feed
from .geo import haversine_m, walk_seconds
from .specific import compile_rules, reversed_rules

DAY = 86400
FORBIDDEN = -1  # same-stop transfer time meaning "no transfer at this stop" (transfer_type 3)


@dataclass
class Timetable:
    # stops
    stop_ids: list[str]
    stop_names: list[str]
    stop_lat: np.ndarray
    stop_lon: np.ndarray
    stop_parent: np.ndarray
    location_type: np.ndarray
    stop_wheelchair_ok: np.ndarray  # uint8, 0 where effective wheelchair_boarding == 2
    same_stop_seconds: np.ndarray  # int32, FORBIDDEN or seconds
    # routes and trips (original GTFS trips; frequency instances share their template)
    route_ids: list[str]
    route_short_names: list[str]
    trip_ids: list[str]
    trip_route: np.ndarray
    trip_headsigns: list[str]
    trip_sequence_start: np.ndarray  # trip t's stop_sequence values: [start[t], start[t + 1])
    trip_sequences: np.ndarray
    # patterns
    stop_start: np.ndarray
    pattern_stops: np.ndarray
    pattern_pickup: np.ndarray
    pattern_drop_off: np.ndarray
    trip_slot_start: np.ndarray
    time_start: np.ndarray
    arrival: np.ndarray
    departure: np.ndarray
    slot_trip: np.ndarray
    slot_shift: np.ndarray
    slot_disabled: np.ndarray
    pattern_service: np.ndarray
    pattern_wheelchair: np.ndarray  # uint8, 1 when every trip has wheelchair_accessible = 1
    pattern_route: np.ndarray
    stop_route_start: np.ndarray
    stop_route_pattern: np.ndarray
    stop_route_position: np.ndarray
    # footpaths
    foot_start: np.ndarray
    foot_to: np.ndarray
    foot_seconds: np.ndarray
    foot_distance: np.ndarray
    # trip- and route-specific transfers (specific.py), sorted by (to_stop, from_stop)
    rule_from_stop: np.ndarray
    rule_to_stop: np.ndarray
    rule_from_trip: np.ndarray  # -1 where the row names no trip
    rule_to_trip: np.ndarray
    rule_from_route: np.ndarray  # -1 where the row names no route
    rule_to_route: np.ndarray
    rule_seconds: np.ndarray  # FORBIDDEN or seconds
    rule_rank: np.ndarray  # GTFS specificity × 4 + stops named exactly (0–2)
    rule_exact: np.ndarray  # uint8: applied exactly (a trip pair, no longer than the stop's)
    rule_to_start: np.ndarray  # CSR by to_stop
    stop_rule_flag: np.ndarray  # uint8 per stop: some non-exact rule leads to it
    # services
    first_date: date
    service_days: np.ndarray  # bool [service, day - first_date]
    max_walk_m: float
    reverse: bool = False
    _stop_index: dict[str, int] = field(default_factory=dict, repr=False)
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    @property
    def last_date(self) -> date:
        return self.first_date + timedelta(days=self.service_days.shape[1] - 1)

    @property
    def n_stops(self) -> int:
        return len(self.stop_ids)

    @property
    def n_patterns(self) -> int:
        return len(self.pattern_service)

    def stop_index(self, stop_id: str) -> int:
        if not self._stop_index:
            self._stop_index.update((s, i) for i, s in enumerate(self.stop_ids))
        return self._stop_index[stop_id]

    def children(self, stop: int) -> np.ndarray:
        return np.flatnonzero(self.stop_parent == stop)

    def active_patterns(self, service_date: date, wheelchair: bool) -> np.ndarray:
        """uint8 per pattern: bit k set when it runs on service day `service_date - 1 + k`."""
        active_cache = self._cache.setdefault("active", {})
        key = (service_date, wheelchair)
        found = active_cache.get(key)
        if found is None:
            found = np.zeros(self.n_patterns, dtype=np.uint8)
            base = (service_date - self.first_date).days - 1
            n_days = self.service_days.shape[1]
            for k in range(3):
                day = base + k
                if 0 <= day < n_days:
                    found |= self.service_days[self.pattern_service, day].astype(np.uint8) << k
            if wheelchair:
                found &= self.pattern_wheelchair * np.uint8(7)
            if len(active_cache) > 16:
                active_cache.clear()
            active_cache[key] = found
        return found


def service_day_bitmap(feed: Feed) -> tuple[date, np.ndarray]:
    """bool[service, day]: calendar weekdays in [start, end], then calendar_dates exceptions."""
    calendar, dates = feed.calendar, feed.calendar_dates
    bounds = np.concatenate([calendar.start, calendar.end, dates.date])
    if len(bounds) == 0:
        raise ValueError("the feed has neither calendar.txt nor calendar_dates.txt rows")
    first, last = int(bounds.min()), int(bounds.max())
    n_days = last - first + 1
    bitmap = np.zeros((len(feed.services), n_days), dtype=bool)
    ordinals = np.arange(first, last + 1)
    weekday = (ordinals - 1) % 7  # ordinal 1 (0001-01-01) was a Monday
    for service, mask, start, end in zip(
        calendar.service, calendar.weekdays, calendar.start, calendar.end, strict=True
    ):
        runs = ((int(mask) >> weekday) & 1).astype(bool) & (ordinals >= start) & (ordinals <= end)
        bitmap[service] |= runs
    # GTFS: calendar_dates.txt exception_type 1 adds the date, 2 removes it.
    for service, day, kind in zip(dates.service, dates.date, dates.exception_type, strict=True):
        bitmap[service, day - first] = kind == 1
    return date.fromordinal(first), bitmap


def _trip_instances(feed: Feed, trip_start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(trip, shift) for every vehicle journey, frequency-based trips expanded.

    GTFS: frequencies.txt — vehicles leave the first stop at start_time, start_time + headway_secs,
    … while before end_time, for exact_times = 1 (schedule-based) as for exact_times = 0
    (headway-based, where we take the same nominal departures); the template trip's own times only
    give the running times, shifted so that the first departure is each start.
    """
    freq = feed.frequencies
    n_trips = len(feed.trips)
    templated = np.zeros(n_trips, dtype=bool)
    templated[freq.trip] = True
    plain = np.flatnonzero(~templated & (np.diff(trip_start) >= 2))
    trips = [plain.astype(np.int32)]
    shifts = [np.zeros(len(plain), dtype=np.int32)]
    departure = feed.stop_times.departure
    for trip, start, end, headway in zip(
        freq.trip, freq.start, freq.end, freq.headway, strict=True
    ):
        if trip_start[trip + 1] - trip_start[trip] < 2:
            continue
        first_departure = departure[trip_start[trip]]
        starts = np.arange(start, end, headway, dtype=np.int32)
        trips.append(np.full(len(starts), trip, dtype=np.int32))
        shifts.append(starts - first_departure)
    return np.concatenate(trips), np.concatenate(shifts)


def _partition_without_overtaking(
    instances: list[int], arrival: np.ndarray, departure: np.ndarray
) -> list[list[int]]:
    """Split trips sharing a stop sequence into chains where no trip overtakes another.

    `arrival[k]` and `departure[k]` are the times of instance k. Trips are taken by departure at
    the first stop and each goes to the first chain whose last trip it never overtakes (nor ties
    the other way), which RAPTOR's "earliest trip at every stop" needs.
    """
    order = sorted(instances, key=lambda k: (departure[k][0], arrival[k][-1], k))
    chains: list[list[int]] = []
    last_arr: list[np.ndarray] = []
    last_dep: list[np.ndarray] = []
    for k in order:
        for c, chain in enumerate(chains):
            if np.all(arrival[k] >= last_arr[c]) and np.all(departure[k] >= last_dep[c]):
                chain.append(k)
                last_arr[c], last_dep[c] = arrival[k], departure[k]
                break
        else:
            chains.append([k])
            last_arr.append(arrival[k])
            last_dep.append(departure[k])
    return chains


def _footpaths(feed: Feed, max_walk_m: float):
    """Same-stop times and footpath CSR following the transfer model of README.md, section 3."""
    stops = feed.stops
    n = len(stops)
    same_stop = np.zeros(n, dtype=np.int32)
    links: dict[tuple[int, int], tuple[int, float]] = {}  # (from, to) → (seconds, distance)

    # Geometric walks between stops/platforms (location_type 0); stations, entrances and nodes
    # are not places where one boards.
    if max_walk_m > 0:
        candidates = np.flatnonzero((stops.location_type == 0) & np.isfinite(stops.lat))
        order = candidates[np.argsort(stops.lat[candidates], kind="stable")]
        lat_sorted = stops.lat[order]
        # One degree of latitude is ≥ 110.5 km; widen slightly so no pair is missed.
        dlat = max_walk_m / 110000.0
        for a_pos, a in enumerate(order):
            hi = np.searchsorted(lat_sorted, lat_sorted[a_pos] + dlat, side="right")
            lo = np.searchsorted(lat_sorted, lat_sorted[a_pos] - dlat, side="left")
            near = order[lo:hi]
            near = near[near != a]
            if len(near) == 0:
                continue
            dist = haversine_m(stops.lat[a], stops.lon[a], stops.lat[near], stops.lon[near])
            keep = dist <= max_walk_m
            for b, d, secs in zip(near[keep], dist[keep], walk_seconds(dist[keep]), strict=True):
                links[(int(a), int(b))] = (int(secs), float(d))

    # GTFS: transfers.txt — a station (location_type 1) stands for all its child stops. Rows are
    # applied station-level first, then stop-level, so the more specific row wins.
    children: dict[int, list[int]] = {}
    for child in np.flatnonzero(stops.parent >= 0):
        children.setdefault(int(stops.parent[child]), []).append(int(child))

    def expand(stop: int) -> list[int]:
        if stops.location_type[stop] == 1:
            return children.get(stop, [])
        return [stop]

    transfers = feed.transfers
    specificity = (stops.location_type[transfers.from_stop] != 1).astype(int) + (
        stops.location_type[transfers.to_stop] != 1
    ).astype(int)
    for row in np.argsort(specificity, kind="stable"):
        kind = int(transfers.transfer_type[row])
        seconds = max(int(transfers.min_transfer_time[row]), 0)
        for a in expand(int(transfers.from_stop[row])):
            for b in expand(int(transfers.to_stop[row])):
                if a == b:
                    same_stop[a] = FORBIDDEN if kind == 3 else seconds
                elif kind == 3:
                    links[(a, b)] = (FORBIDDEN, -1.0)  # transfers.txt wins: also removes the walk
                else:
                    links[(a, b)] = (seconds, -1.0)

    pairs = [(a, b, s, d) for (a, b), (s, d) in links.items() if s != FORBIDDEN]
    pairs.sort()
    foot_from = np.array([p[0] for p in pairs], dtype=np.int32)
    foot_to = np.array([p[1] for p in pairs], dtype=np.int32)
    foot_seconds = np.array([p[2] for p in pairs], dtype=np.int32)
    foot_distance = np.array([p[3] for p in pairs], dtype=np.float64)
    foot_start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(foot_from, minlength=n), out=foot_start[1:])
    link_seconds = {(a, b): s for a, b, s, _ in pairs}
    return same_stop, foot_start, foot_to, foot_seconds, foot_distance, link_seconds


def build_timetable(feed: Feed, *, max_walk_m: float = 400) -> Timetable:
    """Build the compact RAPTOR timetable (patterns, service days, footpaths) from a feed."""
    stops, trips, st = feed.stops, feed.trips, feed.stop_times
    n_trips = len(trips)
    trip_start = st.trip_start(n_trips)
    instance_trip, instance_shift = _trip_instances(feed, trip_start)

    pickup_ok = (st.pickup_type != 1).astype(np.uint8)  # GTFS: pickup_type 1 = no pickup
    drop_ok = (st.drop_off_type != 1).astype(np.uint8)  # GTFS: drop_off_type 1 = no drop off
    wheelchair_trip = (trips.wheelchair_accessible == 1).astype(np.uint8)

    # Group instances by (stop sequence, pickup, drop-off, service, wheelchair).
    key_of_trip: dict[int, int] = {}
    keys: dict[bytes, int] = {}
    key_template: list[int] = []
    for trip in np.unique(instance_trip):
        a, b = trip_start[trip], trip_start[trip + 1]
        key = b"".join(
            (
                st.stop[a:b].tobytes(),
                pickup_ok[a:b].tobytes(),
                drop_ok[a:b].tobytes(),
                int(trips.service[trip]).to_bytes(4, "little"),
                bytes([wheelchair_trip[trip]]),
            )
        )
        group = keys.get(key)
        if group is None:
            group = keys[key] = len(key_template)
            key_template.append(int(trip))
        key_of_trip[int(trip)] = group
    members: list[list[int]] = [[] for _ in key_template]
    for k, trip in enumerate(instance_trip):
        members[key_of_trip[int(trip)]].append(k)

    def instance_times(k: int) -> tuple[np.ndarray, np.ndarray]:
        trip = instance_trip[k]
        a, b = trip_start[trip], trip_start[trip + 1]
        shift = instance_shift[k]
        return st.arrival[a:b] + shift, st.departure[a:b] + shift

    stop_parts, pick_parts, drop_parts = [], [], []
    arrival_parts, departure_parts, slot_instance = [], [], []
    pattern_template: list[int] = []
    n_stops_of, n_trips_of = [], []
    for group, template in enumerate(key_template):
        times = {k: instance_times(k) for k in members[group]}
        arrival_of = {k: t[0] for k, t in times.items()}
        departure_of = {k: t[1] for k, t in times.items()}
        for chain in _partition_without_overtaking(members[group], arrival_of, departure_of):
            a, b = trip_start[template], trip_start[template + 1]
            stop_parts.append(st.stop[a:b])
            pick_parts.append(pickup_ok[a:b])
            drop_parts.append(drop_ok[a:b])
            # stop-major block: row i = all trips' times at position i
            arrival_parts.append(np.stack([arrival_of[k] for k in chain], axis=1).ravel())
            departure_parts.append(np.stack([departure_of[k] for k in chain], axis=1).ravel())
            slot_instance.extend(chain)
            pattern_template.append(template)
            n_stops_of.append(b - a)
            n_trips_of.append(len(chain))

    def offsets(counts) -> np.ndarray:
        out = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=out[1:])
        return out

    n_stops_of = np.array(n_stops_of, dtype=np.int64)
    n_trips_of = np.array(n_trips_of, dtype=np.int64)
    pattern_template = np.array(pattern_template, dtype=np.int64)
    slot_instance = np.array(slot_instance, dtype=np.int64)
    pattern_stops = np.concatenate(stop_parts).astype(np.int32)
    stop_start = offsets(n_stops_of)

    same_stop, foot_start, foot_to, foot_seconds, foot_distance, links = _footpaths(
        feed, max_walk_m
    )
    rules = compile_rules(feed, same_stop, links)
    first_date, service_days = service_day_bitmap(feed)

    # GTFS: stops.txt wheelchair_boarding — a child stop with 0/empty inherits its parent's value.
    wheelchair = stops.wheelchair_boarding.copy()
    inherit = (wheelchair == 0) & (stops.parent >= 0)
    wheelchair[inherit] = stops.wheelchair_boarding[stops.parent[inherit]]

    timetable = Timetable(
        stop_ids=list(stops.stop_id),
        stop_names=list(stops.stop_name),
        stop_lat=stops.lat,
        stop_lon=stops.lon,
        stop_parent=stops.parent,
        location_type=stops.location_type,
        stop_wheelchair_ok=(wheelchair != 2).astype(np.uint8),
        same_stop_seconds=same_stop,
        route_ids=list(feed.routes.route_id),
        route_short_names=list(feed.routes.short_name),
        trip_ids=list(trips.trip_id),
        trip_route=trips.route,
        trip_headsigns=list(trips.headsign),
        trip_sequence_start=trip_start,
        trip_sequences=st.sequence,
        stop_start=stop_start,
        pattern_stops=pattern_stops,
        pattern_pickup=np.concatenate(pick_parts),
        pattern_drop_off=np.concatenate(drop_parts),
        trip_slot_start=offsets(n_trips_of),
        time_start=offsets(n_stops_of * n_trips_of),
        arrival=np.concatenate(arrival_parts).astype(np.int32),
        departure=np.concatenate(departure_parts).astype(np.int32),
        slot_trip=instance_trip[slot_instance].astype(np.int32),
        slot_shift=instance_shift[slot_instance].astype(np.int32),
        slot_disabled=np.zeros(len(slot_instance), dtype=np.uint8),
        pattern_service=trips.service[pattern_template].astype(np.int32),
        pattern_wheelchair=wheelchair_trip[pattern_template],
        pattern_route=trips.route[pattern_template].astype(np.int32),
        stop_route_start=np.zeros(0, dtype=np.int64),
        stop_route_pattern=np.zeros(0, dtype=np.int32),
        stop_route_position=np.zeros(0, dtype=np.int32),
        foot_start=foot_start,
        foot_to=foot_to,
        foot_seconds=foot_seconds,
        foot_distance=foot_distance,
        **rules,
        first_date=first_date,
        service_days=service_days,
        max_walk_m=float(max_walk_m),
    )
    index_stop_routes(timetable)
    return timetable


def index_stop_routes(timetable: Timetable) -> None:
    """(Re)build the stop → (pattern, position) index from the pattern arrays."""
    n_stops = timetable.n_stops
    counts = np.diff(timetable.stop_start)
    pattern_of_position = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
    position = np.arange(len(timetable.pattern_stops), dtype=np.int64) - np.repeat(
        timetable.stop_start[:-1], counts
    )
    order = np.lexsort((position, pattern_of_position, timetable.pattern_stops))
    start = np.zeros(n_stops + 1, dtype=np.int64)
    np.cumsum(np.bincount(timetable.pattern_stops, minlength=n_stops), out=start[1:])
    timetable.stop_route_start = start
    timetable.stop_route_pattern = pattern_of_position[order]
    timetable.stop_route_position = position[order].astype(np.int32)


def reversed_timetable(timetable: Timetable) -> Timetable:
    """The same network with time running backwards, for arrive-by queries (reverse RAPTOR).

    Each pattern's stops are reversed, times negated (a departure at -t is an arrival at t),
    trips reversed so departures stay sorted, pickup ↔ drop-off swapped, footpaths turned around.
    Day offsets flip sign, which the query layer handles. Cached on the forward timetable.
    """
    cached = timetable._cache.get("reversed")
    if cached is not None:
        return cached
    tt = timetable
    stops_parts, pick_parts, drop_parts, arr_parts, dep_parts, slot_parts = [], [], [], [], [], []
    for p in range(tt.n_patterns):
        a, b = tt.stop_start[p], tt.stop_start[p + 1]
        n = b - a
        s0, s1 = tt.trip_slot_start[p], tt.trip_slot_start[p + 1]
        m = s1 - s0
        t0 = tt.time_start[p]
        arr = tt.arrival[t0 : t0 + n * m].reshape(n, m)
        dep = tt.departure[t0 : t0 + n * m].reshape(n, m)
        stops_parts.append(tt.pattern_stops[a:b][::-1])
        pick_parts.append(tt.pattern_drop_off[a:b][::-1])
        drop_parts.append(tt.pattern_pickup[a:b][::-1])
        dep_parts.append((-arr[::-1, ::-1]).ravel())
        arr_parts.append((-dep[::-1, ::-1]).ravel())
        slot_parts.append(np.arange(s1 - 1, s0 - 1, -1))
    slots = np.concatenate(slot_parts) if slot_parts else np.zeros(0, dtype=np.int64)
    order = np.lexsort((tt.foot_to, np.repeat(np.arange(tt.n_stops), np.diff(tt.foot_start))))
    foot_from = np.repeat(np.arange(tt.n_stops), np.diff(tt.foot_start))[order]
    foot_to = tt.foot_to[order]
    back = np.lexsort((foot_from, foot_to))
    foot_start = np.zeros(tt.n_stops + 1, dtype=np.int64)
    np.cumsum(np.bincount(foot_to, minlength=tt.n_stops), out=foot_start[1:])
    rev = Timetable(
        **{
            **{name: getattr(tt, name) for name in tt.__dataclass_fields__ if name[0] != "_"},
            "pattern_stops": np.concatenate(stops_parts).astype(np.int32),
            "pattern_pickup": np.concatenate(pick_parts),
            "pattern_drop_off": np.concatenate(drop_parts),
            "arrival": np.concatenate(arr_parts).astype(np.int32),
            "departure": np.concatenate(dep_parts).astype(np.int32),
            "slot_trip": tt.slot_trip[slots],
            "slot_shift": tt.slot_shift[slots],
            "slot_disabled": tt.slot_disabled[slots],
            "foot_start": foot_start,
            "foot_to": foot_from[back].astype(np.int32),
            "foot_seconds": tt.foot_seconds[order][back],
            "foot_distance": tt.foot_distance[order][back],
            **reversed_rules(tt),
            "reverse": True,
        }
    )
    rev._cache["slot_map"] = slots  # reversed slot → forward slot
    index_stop_routes(rev)
    timetable._cache["reversed"] = rev
    return rev
