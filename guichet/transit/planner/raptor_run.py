"""One run of the RAPTOR kernel for a query: its inputs (service-day offsets, walk limit, stops
open to the traveller, the walks to the targets), the labels, the call itself, and the journeys
read back from the labels it leaves (raw legs, then `Journey`s in real time, per round)."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from .journeys import Endpoints, Journey, ServiceClock, TransitLeg, WalkLeg
from .raptor import FROM_SOURCE, INFINITY, new_labels, run_raptor
from .specific import exact_index
from .timetable import Timetable


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


def _journey(
    tt, forward_tt, raw, clock: ServiceClock, service_date, reverse, fallback: int
) -> Journey:
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
                    departure=clock.at(service_date, t_a),
                    arrival=clock.at(service_date, t_b),
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
                departure=clock.at(service_date, t_a),
                arrival=clock.at(service_date, t_b),
                seconds=int(t_b - t_a),
            )
        )
    if legs:
        return Journey(tuple(legs), legs[0].departure, legs[-1].arrival, rides)
    moment = clock.at(service_date, fallback)
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
