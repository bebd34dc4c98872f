"""Trip- and route-specific transfers (GTFS Schedule reference, transfers.txt).

`from_trip_id`, `to_trip_id`, `from_route_id` and `to_route_id` make a transfers.txt row hold for
given vehicles only. The reference ranks rows by specificity, and for an ordered pair of arriving
and departing trips the most specific row that applies is used:
  1. both trip ids; 2. one trip id and the other side's route id; 3. one trip id;
  4. both route ids; 5. one route id; 6. stops only (the stop-level model of README.md §3).
A row naming a station applies to its child stops; between two rows of equal rank, the one
naming the stops themselves wins (as among stop-level rows), then the later row.

The engine applies them in two ways (README.md §3):
- **exact** rules: a trip pair whose time is no longer than the stop-level one (the timed and
  guaranteed connections railways publish): the arrival of the from-trip is kept for the rule
  itself, whatever the stop's best label, and lets the to-trip be boarded after the rule's time.
- **label** rules: everything else (forbidden pairs, longer minimums, route rules): when a
  vehicle is boarded at a stop that has some, the rule for the vehicle that brought the stop's
  best label in that round replaces the stop-level time, per candidate trip.

This module compiles the rows into arrays of the `Timetable` (trip and stop indices, stored with
it) and derives, per timetable object, the pattern/slot index the kernel scans.
"""

from __future__ import annotations

import numpy as np

from .feed import Feed

FORBIDDEN = -1
NO_RULE = -2  # `rule_seconds`: no specific row applies; the stop-level time holds

# GTFS: transfers.txt specificity ladder, least specific (stops only, 0) to most (both trips).
BOTH_TRIPS, TRIP_AND_ROUTE, ONE_TRIP, BOTH_ROUTES, ONE_ROUTE = 5, 4, 3, 2, 1

RULE_FIELDS = (
    "rule_from_stop",
    "rule_to_stop",
    "rule_from_trip",
    "rule_to_trip",
    "rule_from_route",
    "rule_to_route",
    "rule_seconds",
    "rule_rank",
    "rule_exact",
    "rule_to_start",
    "stop_rule_flag",
)


def specificity(from_trip: int, to_trip: int, from_route: int, to_route: int) -> int:
    trips = (from_trip >= 0) + (to_trip >= 0)
    if trips == 2:
        return BOTH_TRIPS
    if trips == 1:
        other_route = to_route >= 0 if from_trip >= 0 else from_route >= 0
        return TRIP_AND_ROUTE if other_route else ONE_TRIP
    return BOTH_ROUTES if (from_route >= 0) + (to_route >= 0) == 2 else ONE_ROUTE


def compile_rules(
    feed: Feed, same_stop: np.ndarray, link_seconds: dict[tuple[int, int], int]
) -> dict[str, np.ndarray]:
    """The trip-specific rows of `feed`, stations expanded, one row per (stops, trips, routes)
    key, sorted by (to_stop, from_stop), with the CSR `rule_to_start` and, per stop, whether a
    label rule leads to it (`stop_rule_flag`). `same_stop` and `link_seconds` are the stop-level
    model (FORBIDDEN or seconds; absent link = no transfer) that decides which rules are exact."""
    stops, rows = feed.stops, feed.trip_transfers
    n_stops = len(stops)
    children: dict[int, list[int]] = {}
    for child in np.flatnonzero(stops.parent >= 0):
        children.setdefault(int(stops.parent[child]), []).append(int(child))

    def expand(stop: int) -> list[int]:
        return children.get(stop, []) if stops.location_type[stop] == 1 else [stop]

    best: dict[tuple[int, ...], tuple[int, int]] = {}  # key → (rank, seconds)
    for row in range(len(rows)):
        a0, b0 = int(rows.from_stop[row]), int(rows.to_stop[row])
        ids = tuple(
            int(getattr(rows, name)[row])
            for name in ("from_trip", "to_trip", "from_route", "to_route")
        )
        exact_stops = (stops.location_type[a0] != 1) + (stops.location_type[b0] != 1)
        rank = specificity(*ids) * 4 + int(exact_stops)
        kind = int(rows.transfer_type[row])
        seconds = FORBIDDEN if kind == 3 else max(int(rows.min_transfer_time[row]), 0)
        for a in expand(a0):
            for b in expand(b0):
                key = (b, a, *ids)
                if key not in best or rank >= best[key][0]:
                    best[key] = (rank, seconds)

    frequency_trips = set(feed.frequencies.trip.tolist())
    keys = sorted(best)
    columns = {name: np.zeros(len(keys), dtype=np.int32) for name in RULE_FIELDS[:8]}
    exact = np.zeros(len(keys), dtype=np.uint8)
    flag = np.zeros(n_stops, dtype=np.uint8)
    for x, key in enumerate(keys):
        b, a, from_trip, to_trip, from_route, to_route = key
        rank, seconds = best[key]
        for name, value in zip(
            RULE_FIELDS[:8],
            (a, b, from_trip, to_trip, from_route, to_route, seconds, rank),
            strict=True,
        ):
            columns[name][x] = value
        generic = int(same_stop[a]) if a == b else link_seconds.get((a, b), FORBIDDEN)
        no_longer = generic == FORBIDDEN or seconds <= generic
        exact[x] = (
            from_trip >= 0
            and to_trip >= 0
            and seconds != FORBIDDEN
            and no_longer
            and from_trip not in frequency_trips
            and to_trip not in frequency_trips
        )
        if not exact[x]:
            flag[b] = 1
    start = np.zeros(n_stops + 1, dtype=np.int64)
    np.cumsum(np.bincount(columns["rule_to_stop"], minlength=n_stops), out=start[1:])
    return {**columns, "rule_exact": exact, "rule_to_start": start, "stop_rule_flag": flag}


def reversed_rules(tt) -> dict[str, np.ndarray]:
    """The rules of `tt` with time running backwards: an arrival of the from-trip becomes a
    boarding of it, so from and to swap (stops, trips, routes)."""
    swapped = {
        "rule_from_stop": tt.rule_to_stop,
        "rule_to_stop": tt.rule_from_stop,
        "rule_from_trip": tt.rule_to_trip,
        "rule_to_trip": tt.rule_from_trip,
        "rule_from_route": tt.rule_to_route,
        "rule_to_route": tt.rule_from_route,
        "rule_seconds": tt.rule_seconds,
        "rule_rank": tt.rule_rank,
        "rule_exact": tt.rule_exact,
    }
    order = np.lexsort((swapped["rule_from_stop"], swapped["rule_to_stop"]))
    out = {name: np.ascontiguousarray(values[order]) for name, values in swapped.items()}
    n_stops = len(tt.stop_ids)
    start = np.zeros(n_stops + 1, dtype=np.int64)
    np.cumsum(np.bincount(out["rule_to_stop"], minlength=n_stops), out=start[1:])
    flag = np.zeros(n_stops, dtype=np.uint8)
    flag[out["rule_to_stop"][out["rule_exact"] == 0]] = 1
    return {**out, "rule_to_start": start, "stop_rule_flag": flag}


def exact_index(tt) -> dict[str, np.ndarray]:
    """Per timetable object (patterns change with realtime overlays): for each exact rule, where
    its from-trip alights (pattern, position, slot) and its to-trip boards, as CSR by pattern
    sorted by position. Cached in `tt._cache`."""
    cached = tt._cache.get("exact_rules")
    if cached is not None:
        return cached
    n_patterns = len(tt.pattern_service)
    slot_counts = np.diff(tt.trip_slot_start)
    slot_pattern = np.repeat(np.arange(n_patterns, dtype=np.int64), slot_counts)
    slot_of_trip: dict[int, int] = {}
    for slot, trip in enumerate(tt.slot_trip.tolist()):
        slot_of_trip.setdefault(trip, slot)  # exact rules name non-frequency trips: one slot

    def place(trip: int, stop: int) -> tuple[int, int, int] | None:
        slot = slot_of_trip.get(trip)
        if slot is None or tt.slot_disabled[slot]:
            return None
        p = int(slot_pattern[slot])
        stops = tt.pattern_stops[tt.stop_start[p] : tt.stop_start[p + 1]]
        positions = np.flatnonzero(stops == stop)
        if len(positions) == 0:
            return None
        return p, int(positions[0]), slot - int(tt.trip_slot_start[p])

    rules, froms, tos = [], [], []
    for r in np.flatnonzero(tt.rule_exact):
        alight = place(int(tt.rule_from_trip[r]), int(tt.rule_from_stop[r]))
        board = place(int(tt.rule_to_trip[r]), int(tt.rule_to_stop[r]))
        if alight is None or board is None:
            continue
        x = len(rules)
        rules.append(int(r))
        froms.append((*alight, x))
        tos.append((*board, x))

    def csr(entries: list[tuple[int, int, int, int]]) -> tuple[np.ndarray, ...]:
        entries.sort()
        table = np.array(entries, dtype=np.int64).reshape(-1, 4)
        start = np.zeros(n_patterns + 1, dtype=np.int64)
        np.cumsum(np.bincount(table[:, 0], minlength=n_patterns), out=start[1:])
        return start, table[:, 1].astype(np.int32), table[:, 2].astype(np.int32), table[:, 3]

    rule_ids = np.array(rules, dtype=np.int64)
    from_start, from_position, from_slot, from_rule = csr(froms)
    to_start, to_position, to_slot, to_rule = csr(tos)
    index = {
        "from_start": from_start,
        "from_position": from_position,
        "from_slot": from_slot,
        "from_rule": from_rule.astype(np.int32),
        "to_start": to_start,
        "to_position": to_position,
        "to_slot": to_slot,
        "to_rule": to_rule.astype(np.int32),
        "stop_from": tt.rule_from_stop[rule_ids].astype(np.int32),
        "stop_to": tt.rule_to_stop[rule_ids].astype(np.int32),
        "seconds": tt.rule_seconds[rule_ids].astype(np.int32),
    }
    tt._cache["exact_rules"] = index
    return index
