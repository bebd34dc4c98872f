"""Queries: earliest arrival, arrive-by, range (rRAPTOR), stop boards, places → stops."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np

from .geo import haversine_m, walk_seconds
from .raptor import FROM_SOURCE, INFINITY, new_labels, run_raptor
from .specific import exact_index
from .timetable import DAY, Timetable, reversed_timetable

FORWARD_OFFSETS = np.array([-DAY, 0, DAY], dtype=np.int32)  # days D-1, D, D+1
BACKWARD_OFFSETS = -FORWARD_OFFSETS  # time runs backwards in the reversed timetable

Endpoints = Sequence[tuple[int, int]]  # (stop index, walk seconds)
When = datetime | tuple[date, int]


@dataclass(frozen=True)
class TransitLeg:
    route_id: str
    trip_id: str
    headsign: str
    from_stop_id: str
    to_stop_id: str
    departure: datetime
    arrival: datetime
    service_date: date


@dataclass(frozen=True)
class WalkLeg:
    from_stop_id: str | None  # None: the place the journey starts from
    to_stop_id: str | None  # None: the place the journey goes to
    departure: datetime
    arrival: datetime
    seconds: int


@dataclass(frozen=True)
class Journey:
    legs: tuple[TransitLeg | WalkLeg, ...]
    departure: datetime
    arrival: datetime
    rides: int

    @property
    def transfers(self) -> int:
        return max(self.rides - 1, 0)


@dataclass(frozen=True)
class Departure:
    route_id: str
    trip_id: str
    headsign: str
    stop_id: str
    departure: datetime


def _split(when: When) -> tuple[date, int]:
    if isinstance(when, datetime):
        return when.date(), when.hour * 3600 + when.minute * 60 + when.second
    service_date, seconds = when
    return service_date, int(seconds)


def _at(service_date: date, seconds: int) -> datetime:
    return datetime.combine(service_date, time()) + timedelta(seconds=int(seconds))


def _walk_limit(timetable: Timetable, max_walk_m: float | None) -> float:
    if max_walk_m is None:
        return timetable.max_walk_m
    if max_walk_m > timetable.max_walk_m:
        raise ValueError(
            f"max_walk_m={max_walk_m} exceeds the {timetable.max_walk_m} m the timetable was "
            "built with; rebuild it with a larger max_walk_m"
        )
    # 0 disables geometric walks, even between two stops at the same coordinates.
    return float(max_walk_m) if max_walk_m > 0 else -0.5


def _stop_ok(timetable: Timetable, wheelchair: bool) -> np.ndarray:
    if wheelchair:
        return timetable.stop_wheelchair_ok
    ones = timetable._cache.get("all_stops_ok")
    if ones is None:
        ones = timetable._cache["all_stops_ok"] = np.ones(timetable.n_stops, dtype=np.uint8)
    return ones


def _target_walk(n_stops: int, targets: Endpoints) -> np.ndarray:
    walk = np.full(n_stops, INFINITY, dtype=np.int32)
    for stop, seconds in targets:
        walk[stop] = min(walk[stop], int(seconds))
    return walk


def _labels(tt: Timetable, rounds: int) -> dict[str, np.ndarray]:
    return new_labels(rounds, tt.n_stops, len(exact_index(tt)["stop_to"]))


def _run(tt, active, offsets, stop_ok, walk_limit, sources, start, target_walk, rounds, labels):
    exact = exact_index(tt)
    source_stops = np.array([s for s, _ in sources], dtype=np.int32)
    source_times = np.array([start + int(w) for _, w in sources], dtype=np.int32)
    source_walked = np.array([int(w) > 0 for _, w in sources], dtype=np.uint8)
    run_raptor(
        tt.stop_start,
        tt.pattern_stops,
        tt.pattern_pickup,
        tt.pattern_drop_off,
        tt.trip_slot_start,
        tt.time_start,
        tt.arrival,
        tt.departure,
        tt.slot_disabled,
        tt.stop_route_start,
        tt.stop_route_pattern,
        tt.stop_route_position,
        tt.foot_start,
        tt.foot_to,
        tt.foot_seconds,
        tt.foot_distance,
        tt.same_stop_seconds,
        tt.slot_trip,
        tt.trip_route,
        (
            tt.rule_from_stop,
            tt.rule_from_trip,
            tt.rule_to_trip,
            tt.rule_from_route,
            tt.rule_to_route,
            tt.rule_seconds,
            tt.rule_rank,
        ),
        tt.rule_to_start,
        tt.stop_rule_flag,
        tuple(exact[name] for name in EXACT_FIELDS),
        active,
        offsets,
        stop_ok,
        walk_limit,
        source_stops,
        source_times,
        source_walked,
        target_walk,
        rounds,
        labels["arrival"],
        labels["board"],
        labels["parent_pattern"],
        labels["parent_slot"],
        labels["parent_day"],
        labels["parent_position"],
        labels["board_from"],
        labels["target_best"],
        *(labels[name] for name in RULE_LABELS),
    )


EXACT_FIELDS = (
    "from_start",
    "from_position",
    "from_slot",
    "from_rule",
    "to_start",
    "to_position",
    "to_slot",
    "to_rule",
    "stop_to",
    "seconds",
)
RULE_LABELS = (
    "board_trip",
    "board_time",
    "parent_rule",
    "rule_time",
    "rule_pattern",
    "rule_slot",
    "rule_day",
    "rule_position",
    "rule_parent",
)


def _link_seconds(tt: Timetable, from_stop: int, to_stop: int) -> int:
    lo, hi = tt.foot_start[from_stop], tt.foot_start[from_stop + 1]
    found = np.flatnonzero(tt.foot_to[lo:hi] == to_stop)
    return int(tt.foot_seconds[lo + found[0]])


def _raw_legs(tt, labels, offsets, rides, target, target_walk, source_walk):
    """Follow parents back from `target` reached with `rides` rides; engine time, last leg first.

    Each raw leg is ("ride", pattern, slot, day, from_stop, to_stop, t_from, t_to) or
    ("walk", from_stop, to_stop, t_from, t_to) in the engine's direction of time; None stands for
    the place at either end. The access walk ends exactly at the first boarding.
    """
    arrival, board = labels["arrival"], labels["board"]
    if rides == 0:
        t = int(board[0, target])
        return [
            ("walk", target, None, t, t + int(target_walk[target])),
            ("walk", None, target, t - source_walk[target], t),
        ]
    s, r = target, rides
    t_end = int(arrival[r, s])
    legs = [("walk", s, None, t_end, t_end + int(target_walk[s]))]
    while r > 1 and arrival[r - 1, s] == arrival[r, s]:
        r -= 1  # the label was set in an earlier round and carried
    ride = tuple(int(labels[name][r, s]) for name in RIDE_LABELS)
    t_alight = t_end
    while True:
        p, slot, day, position, rule = ride
        m = int(tt.trip_slot_start[p + 1] - tt.trip_slot_start[p])
        boarded = int(tt.pattern_stops[tt.stop_start[p] + position])
        t_board = int(tt.departure[tt.time_start[p] + position * m + slot]) + int(offsets[day])
        legs.append(("ride", p, slot, day, boarded, s, t_board, t_alight))
        if rule >= 0:
            # Boarded by an exact trip-to-trip rule (specific.py): the previous ride is the
            # rule's from-trip, kept for the rule in round r - 1.
            exact = exact_index(tt)
            came_from = int(exact["stop_from"][rule])
            t_arrive = int(labels["rule_time"][r - 1, rule])
            if came_from != boarded:
                seconds = int(exact["seconds"][rule])
                legs.append(("walk", came_from, boarded, t_arrive, t_arrive + seconds))
            r -= 1
            ride = tuple(int(labels[name][r, rule]) for name in EXACT_RIDE_LABELS)
            s, t_alight = came_from, t_arrive
            continue
        j = r - 1
        while j > 0 and board[j - 1, boarded] == board[j, boarded]:
            j -= 1
        came_from = int(labels["board_from"][j, boarded])
        if j == 0 or came_from == FROM_SOURCE:
            legs.append(("walk", None, boarded, t_board - source_walk[boarded], t_board))
            return legs
        if came_from != boarded:
            t_walk = int(arrival[j, came_from])
            seconds = _link_seconds(tt, came_from, boarded)
            legs.append(("walk", came_from, boarded, t_walk, t_walk + seconds))
        s, r = came_from, j
        while r > 1 and arrival[r - 1, s] == arrival[r, s]:
            r -= 1
        ride = tuple(int(labels[name][r, s]) for name in RIDE_LABELS)
        t_alight = int(arrival[r, s])


# parent_pattern … parent_rule; the same for an exact rule's ride: rule_pattern … rule_parent
RIDE_LABELS = ("parent_pattern", "parent_slot", "parent_day", "parent_position", "parent_rule")
EXACT_RIDE_LABELS = ("rule_pattern", "rule_slot", "rule_day", "rule_position", "rule_parent")


def _journey(tt, forward_tt, raw, service_date, reverse, fallback: int) -> Journey:
    """Raw legs (last first, engine time) → a Journey in real time and chronological order."""
    legs: list[TransitLeg | WalkLeg] = []
    rides = 0
    for leg in raw if reverse else raw[::-1]:
        if leg[0] == "ride":
            _, p, slot, day, a, b, t_a, t_b = leg
            trip = int(tt.slot_trip[tt.trip_slot_start[p] + slot])
            if reverse:
                a, b, t_a, t_b = b, a, -t_b, -t_a
            rides += 1
            legs.append(
                TransitLeg(
                    route_id=forward_tt.route_ids[forward_tt.trip_route[trip]],
                    trip_id=forward_tt.trip_ids[trip],
                    headsign=forward_tt.trip_headsigns[trip],
                    from_stop_id=forward_tt.stop_ids[a],
                    to_stop_id=forward_tt.stop_ids[b],
                    departure=_at(service_date, t_a),
                    arrival=_at(service_date, t_b),
                    service_date=service_date + timedelta(days=day - 1),
                )
            )
            continue
        _, a, b, t_a, t_b = leg
        if reverse:
            a, b, t_a, t_b = b, a, -t_b, -t_a
        if (a is None or b is None) and t_b == t_a:
            continue  # no access/egress walk when the place is the stop
        legs.append(
            WalkLeg(
                from_stop_id=None if a is None else forward_tt.stop_ids[a],
                to_stop_id=None if b is None else forward_tt.stop_ids[b],
                departure=_at(service_date, t_a),
                arrival=_at(service_date, t_b),
                seconds=int(t_b - t_a),
            )
        )
    if legs:
        return Journey(tuple(legs), legs[0].departure, legs[-1].arrival, rides)
    moment = _at(service_date, fallback)
    return Journey((), moment, moment, 0)


def _pareto_journeys(tt, labels, targets, sources, previous=None):
    """Journeys for every round whose best target arrival improves on fewer rides.

    `previous` (rRAPTOR) is the running best per round before this run: only rounds improved by
    this run yield journeys.
    """
    target_walk = _target_walk(tt.n_stops, targets)
    target_stops = np.array(sorted({s for s, _ in targets}), dtype=np.int64)
    source_walk = {}
    for stop, seconds in sources:
        source_walk[stop] = min(source_walk.get(stop, INFINITY), int(seconds))
    arrival, board = labels["arrival"], labels["board"]
    rounds = arrival.shape[0] - 1
    found = []
    best = INFINITY
    for k in range(rounds + 1):
        values = (board[0] if k == 0 else arrival[k])[target_stops].astype(np.int64)
        values = values + target_walk[target_stops]
        values[(board[0] if k == 0 else arrival[k])[target_stops] >= INFINITY] = INFINITY
        if k == 0:
            values[labels["board_from"][0][target_stops] != FROM_SOURCE] = INFINITY
            # Walking only is one walk (README.md, section 3): from a source that is the place
            # itself to the destination, or to a target that is the destination itself —
            # never a walk to a third stop and another from it.
            walked = np.array([source_walk.get(int(s), 0) > 0 for s in target_stops])
            values[walked & (target_walk[target_stops] > 0)] = INFINITY
        at = int(np.argmin(values))
        value = int(values[at])
        if value < best:
            if previous is None or value < previous[k]:
                found.append((k, int(target_stops[at]), value))
            best = value
    return found, target_walk, source_walk


def _running_best(labels) -> np.ndarray:
    return np.minimum.accumulate(labels["target_best"].astype(np.int64))


def _query(
    timetable, sources, targets, when, *, max_transfers, max_walk_m, wheelchair, reverse
) -> list[Journey]:
    service_date, seconds = _split(when)
    tt = reversed_timetable(timetable) if reverse else timetable
    offsets = BACKWARD_OFFSETS if reverse else FORWARD_OFFSETS
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
        journeys.append(_journey(tt, timetable, raw, service_date, reverse, seconds))
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
    )


def _source_departures(tt, active, stop_ok, sources, t_from, t_to) -> np.ndarray:
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
                    shifted = row.astype(np.int64) + FORWARD_OFFSETS[d] - walk
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
) -> list[Journey]:
    """rRAPTOR: the journeys leaving in [depart, depart + window_s] that are Pareto-optimal by
    (later departure, earlier arrival, fewer rides), sorted by departure.

    One RAPTOR run per distinct time at which a vehicle can be caught at a source, latest first,
    keeping the labels between runs (Delling et al. 2012, section 4).
    """
    tt = timetable
    service_date, t0 = _split(depart)
    active = tt.active_patterns(service_date, wheelchair)
    stop_ok = _stop_ok(tt, wheelchair)
    walk_limit = _walk_limit(tt, max_walk_m)
    rounds = max_transfers + 1
    labels = _labels(tt, rounds)
    target_walk = _target_walk(tt.n_stops, targets)
    journeys: list[Journey] = []
    for tau in _source_departures(tt, active, stop_ok, sources, t0, t0 + window_s):
        before = _running_best(labels)
        _run(
            tt,
            active,
            FORWARD_OFFSETS,
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
            raw = _raw_legs(tt, labels, FORWARD_OFFSETS, k, target, walks, source_walk)
            journeys.append(_journey(tt, tt, raw, service_date, False, int(tau)))
    # A run may find that a later vehicle is as good: keep what leaves within the window.
    end = _at(service_date, t0 + window_s)
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


def departures(timetable: Timetable, stop: int | str, at: When, limit: int = 10) -> list[Departure]:
    """Next departures from a stop (a station: from its child stops) at or after `at`."""
    tt = timetable
    index = tt.stop_index(stop) if isinstance(stop, str) else int(stop)
    stops = [index, *tt.children(index).tolist()]
    service_date, seconds = _split(at)
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
                offset = int(FORWARD_OFFSETS[d])
                j = int(np.searchsorted(row, seconds - offset, side="left"))
                taken = 0
                while j < m and taken < limit:
                    if not tt.slot_disabled[slot_base + j]:
                        found.append((int(row[j]) + offset, p, j, d, s))
                        taken += 1
                    j += 1
    found.sort()
    result = []
    for t, p, j, _d, s in found[:limit]:
        trip = int(tt.slot_trip[tt.trip_slot_start[p] + j])
        result.append(
            Departure(
                route_id=tt.route_ids[tt.trip_route[trip]],
                trip_id=tt.trip_ids[trip],
                headsign=tt.trip_headsigns[trip],
                stop_id=tt.stop_ids[s],
                departure=_at(service_date, t),
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
