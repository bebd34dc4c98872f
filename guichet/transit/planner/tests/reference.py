"""An independent reference planner: the Connection Scan Algorithm (Dibbelt et al. 2013).

Written from the feed's plain tables only (no timetable, pattern or footpath code of the planner),
with the same transfer model as README.md section 3:
- same-stop change: min_transfer_time of a stop→itself transfers.txt row (station rows apply to
  children), else 0; transfer_type 3 forbids it;
- transfers.txt links between different stops override geometric walks (type 3 removes both);
- geometric walks between location_type 0 stops within max_walk_m: ceil(haversine × 1.3 / 1.2);
- one walk between two rides; the start and end walks are given with the query;
- walking only is a single walk: from a source reached without walking, or to a target that
  needs no walk (never a walk to a third stop and another from it);
- trips of days D-1, D and D+1 (offsets -86400, 0, +86400); frequencies expanded, starts < end_time;
- transfers.txt rows naming trips or routes (GTFS reference ranking: both trips > trip and route >
  one trip > both routes > one route > stops; among equals the row naming stops rather than their
  station, then the later row): for an arrival of trip T at A and a departure of trip T2 at B,
  the most specific row for (T, T2) replaces the stop-level time. Exact: every arrival at a stop
  that such a row leads to is kept with its trip, not only the earliest.
"""

import math
from datetime import date, timedelta

import numpy as np
from numba import njit

INF = 1 << 30


def _services_on(feed, day: date) -> np.ndarray:
    active = np.zeros(len(feed.services), dtype=bool)
    ordinal = day.toordinal()
    cal = feed.calendar
    for service, mask, start, end in zip(
        cal.service, cal.weekdays, cal.start, cal.end, strict=True
    ):
        if start <= ordinal <= end and (int(mask) >> day.weekday()) & 1:
            active[service] = True
    dates = feed.calendar_dates
    for service, when, kind in zip(dates.service, dates.date, dates.exception_type, strict=True):
        if when == ordinal:
            active[service] = kind == 1
    return active


def connections(feed, service_date: date):
    """Elementary connections of days D-1, D, D+1, sorted for the scan."""
    st = feed.stop_times
    n_trips = len(feed.trips)
    bounds = np.searchsorted(st.trip, np.arange(n_trips + 1))
    with_frequency = set(feed.frequencies.trip.tolist())
    parts = []
    instance = 0
    for offset_days in (-1, 0, 1):
        active = _services_on(feed, service_date + timedelta(days=offset_days))
        offset = offset_days * 86400
        for trip in range(n_trips):
            if not active[feed.trips.service[trip]]:
                continue
            a, b = bounds[trip], bounds[trip + 1]
            if b - a < 2:
                continue
            if trip in with_frequency:
                shifts = []
                first = st.departure[a]
                f = feed.frequencies
                for row in np.flatnonzero(f.trip == trip):
                    start = int(f.start[row])
                    while start < f.end[row]:
                        shifts.append(start - first)
                        start += int(f.headway[row])
            else:
                shifts = [0]
            for shift in shifts:
                n = b - a - 1
                parts.append(
                    np.stack(
                        [
                            st.departure[a : b - 1].astype(np.int64) + shift + offset,
                            st.arrival[a + 1 : b].astype(np.int64) + shift + offset,
                            st.stop[a : b - 1],
                            st.stop[a + 1 : b],
                            np.full(n, instance),
                            np.arange(n),
                            st.pickup_type[a : b - 1] != 1,
                            st.drop_off_type[a + 1 : b] != 1,
                            np.full(n, trip),
                        ],
                        axis=1,
                    )
                )
                instance += 1
    table = np.concatenate(parts).astype(np.int64)
    order = np.lexsort((table[:, 5], table[:, 4], table[:, 1], table[:, 0]))
    return table[order], instance


def trip_rules(feed, model):
    """Trip-specific rows resolved per (from stop, to stop, from trip, to trip), every trip pair
    a row covers enumerated: (sorted keys, seconds or -1, rule-stop flags, extra links)."""
    stops, rows = feed.stops, feed.trip_transfers
    n, n_trips = len(stops), len(feed.trips)
    children = {}
    for i in range(n):
        if stops.parent[i] >= 0:
            children.setdefault(int(stops.parent[i]), []).append(i)

    def members(s):
        return children.get(s, []) if stops.location_type[s] == 1 else [s]

    def trips(trip, route):
        if trip >= 0:
            return [trip]
        if route >= 0:
            return [int(t) for t in np.flatnonzero(feed.trips.route == route)]
        return list(range(n_trips))

    resolved = {}
    for r in range(len(rows)):
        ft, tt, fr, tr = (
            int(x[r]) for x in (rows.from_trip, rows.to_trip, rows.from_route, rows.to_route)
        )
        n_trip_ids = (ft >= 0) + (tt >= 0)
        n_route_ids = (fr >= 0) + (tr >= 0)
        if n_trip_ids == 2:
            level = 5
        elif n_trip_ids == 1:
            level = 4 if (tr >= 0 if ft >= 0 else fr >= 0) else 3
        else:
            level = 2 if n_route_ids == 2 else 1
        a0, b0 = int(rows.from_stop[r]), int(rows.to_stop[r])
        rank = (level, (stops.location_type[a0] != 1) + (stops.location_type[b0] != 1))
        secs = -1 if rows.transfer_type[r] == 3 else max(int(rows.min_transfer_time[r]), 0)
        for a in members(a0):
            for b in members(b0):
                for t1 in trips(ft, fr):
                    for t2 in trips(tt, tr):
                        key = (a, b, t1, t2)
                        if key not in resolved or rank >= resolved[key][0]:
                            resolved[key] = (rank, secs)
    codes = {
        ((a * n + b) * n_trips + t1) * n_trips + t2: v[1] for (a, b, t1, t2), v in resolved.items()
    }
    keys = np.array(sorted(codes), dtype=np.int64)
    values = np.array([codes[k] for k in keys.tolist()], dtype=np.int64)
    flag = np.zeros(n, dtype=np.uint8)
    extra = {}
    for a, b, _, _ in resolved:
        flag[b] = 1
        extra.setdefault(a, set()).add(b)
    # Per stop A: the rule stops one change away (itself, footpaths, rule links), with the
    # stop-level seconds of that change (-1: none).
    same, pointer, targets, durations = model
    out = {}
    for a in range(n):
        found = {}
        if flag[a]:
            found[a] = int(same[a])
        for f in range(pointer[a], pointer[a + 1]):
            if flag[targets[f]]:
                found[int(targets[f])] = int(durations[f])
        for b in extra.get(a, ()):
            found.setdefault(b, -1)
        out[a] = sorted(found.items())
    out_pointer = np.zeros(n + 1, dtype=np.int64)
    out_to, out_secs = [], []
    for a in range(n):
        for b, secs in out[a]:
            out_to.append(b)
            out_secs.append(secs)
        out_pointer[a + 1] = len(out_to)
    return (
        keys,
        values,
        flag,
        out_pointer,
        np.array(out_to, dtype=np.int64),
        np.array(out_secs, dtype=np.int64),
    )


def no_trip_rules(n_stops):
    empty = np.zeros(0, dtype=np.int64)
    return (
        empty,
        empty,
        np.zeros(n_stops, dtype=np.uint8),
        np.zeros(n_stops + 1, dtype=np.int64),
        empty,
        empty,
    )


def transfer_model(feed, max_walk_m: float):
    """(same-stop seconds per stop, footpaths {from: [(to, seconds)]}) built from scratch."""
    stops = feed.stops
    n = len(stops)
    same = np.zeros(n, dtype=np.int64)
    links = {}
    if max_walk_m > 0:
        platforms = [i for i in range(n) if stops.location_type[i] == 0]
        lat = np.radians(stops.lat[platforms])
        lon = np.radians(stops.lon[platforms])
        for x, a in enumerate(platforms):
            h = (
                np.sin((lat - lat[x]) / 2) ** 2
                + np.cos(lat[x]) * np.cos(lat) * np.sin((lon - lon[x]) / 2) ** 2
            )
            d = 2 * 6371000.0 * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
            for y in np.flatnonzero(d <= max_walk_m):
                if platforms[y] != a:
                    links[(a, platforms[y])] = math.ceil(float(d[y]) * 1.3 / 1.2)
    children = {}
    for i in range(n):
        if stops.parent[i] >= 0:
            children.setdefault(int(stops.parent[i]), []).append(i)

    def members(s):
        return children.get(s, []) if stops.location_type[s] == 1 else [s]

    rows = list(range(len(feed.transfers.from_stop)))
    tr = feed.transfers
    rows.sort(
        key=lambda r: (
            (stops.location_type[tr.from_stop[r]] != 1) + (stops.location_type[tr.to_stop[r]] != 1)
        )
    )
    for r in rows:
        kind = int(tr.transfer_type[r])
        secs = max(int(tr.min_transfer_time[r]), 0)
        for a in members(int(tr.from_stop[r])):
            for b in members(int(tr.to_stop[r])):
                if a == b:
                    same[a] = -1 if kind == 3 else secs
                else:
                    links[(a, b)] = None if kind == 3 else secs
    footpaths = {}
    for (a, b), secs in links.items():
        if secs is not None:
            footpaths.setdefault(a, []).append((b, secs))
    pointer = np.zeros(n + 1, dtype=np.int64)
    targets, durations = [], []
    for s in range(n):
        for b, secs in footpaths.get(s, []):
            targets.append(b)
            durations.append(secs)
        pointer[s + 1] = len(targets)
    return same, pointer, np.array(targets, dtype=np.int64), np.array(durations, dtype=np.int64)


@njit(cache=True)
def _rule(keys, values, code):
    at = np.searchsorted(keys, code)
    if at < len(keys) and keys[at] == code:
        return values[at]
    return -2


@njit(cache=True)
def _scan(
    table,
    n_instances,
    n_stops,
    n_trips,
    same,
    pointer,
    targets,
    durations,
    rules,
    sources,
    starts,
    walks,
    walk_out,
):
    keys, values, rule_stop, out_pointer, out_to, out_secs = rules
    board = np.full(n_stops, INF, dtype=np.int64)
    arrival = np.full(n_stops, INF, dtype=np.int64)
    reached = np.zeros(n_instances, dtype=np.uint8)
    # arrivals kept with their trip at stops a trip-specific row leads to (linked lists)
    capacity = 1 + len(table) * max(1, int(np.max(np.diff(out_pointer))) if n_stops else 1)
    head = np.full(n_stops, -1, dtype=np.int64)
    following = np.empty(capacity, dtype=np.int64)
    entry_trip = np.empty(capacity, dtype=np.int64)
    entry_from = np.empty(capacity, dtype=np.int64)
    entry_time = np.empty(capacity, dtype=np.int64)
    entry_secs = np.empty(capacity, dtype=np.int64)
    n_entries = 0
    best = INF
    earliest = INF
    for i in range(len(sources)):
        s = sources[i]
        if starts[i] < board[s]:
            board[s] = starts[i]
        if starts[i] < earliest:
            earliest = starts[i]
        single = walks[i] == 0 or walk_out[s] == 0
        if walk_out[s] < INF and single and starts[i] + walk_out[s] < best:
            best = starts[i] + walk_out[s]
    lo, hi = 0, len(table)
    while lo < hi:  # skip connections leaving before anyone can be anywhere
        mid = (lo + hi) // 2
        if table[mid, 0] < earliest:
            lo = mid + 1
        else:
            hi = mid
    for c in range(lo, len(table)):
        dep = table[c, 0]
        if dep >= best:
            break
        instance = table[c, 4]
        if not reached[instance]:
            ok = False
            if table[c, 6]:
                b = table[c, 2]
                ok = board[b] <= dep
                if not ok and rule_stop[b]:
                    trip = table[c, 8]
                    e = head[b]
                    while e >= 0 and not ok:
                        code = (
                            (entry_from[e] * n_stops + b) * n_trips + entry_trip[e]
                        ) * n_trips + trip
                        secs = _rule(keys, values, code)
                        if secs == -2:
                            secs = entry_secs[e]
                        ok = secs >= 0 and entry_time[e] + secs <= dep
                        e = following[e]
            if ok:
                reached[instance] = 1
            else:
                continue
        if not table[c, 7]:
            continue
        to = table[c, 3]
        a = table[c, 1]
        for f in range(out_pointer[to], out_pointer[to + 1]):
            e = n_entries
            n_entries += 1
            entry_trip[e] = table[c, 8]
            entry_from[e] = to
            entry_time[e] = a
            entry_secs[e] = out_secs[f]
            following[e] = head[out_to[f]]
            head[out_to[f]] = e
        if a >= arrival[to]:
            continue
        arrival[to] = a
        if walk_out[to] < INF and a + walk_out[to] < best:
            best = a + walk_out[to]
        if not rule_stop[to] and same[to] >= 0 and a + same[to] < board[to]:
            board[to] = a + same[to]
        for f in range(pointer[to], pointer[to + 1]):
            b = targets[f]
            if not rule_stop[b] and a + durations[f] < board[b]:
                board[b] = a + durations[f]
    return best


def earliest_arrival_seconds(network, model, sources, targets, depart: int, rules=None) -> int:
    """Earliest arrival (seconds from service-day midnight), or INF when unreachable.
    `rules`: `trip_rules(feed, model)` when the feed has trip- or route-specific rows."""
    table, n_instances, n_stops = network[:3]
    n_trips = network[3] if len(network) > 3 else 1
    same, pointer, foot_targets, durations = model
    walk_out = np.full(n_stops, INF, dtype=np.int64)
    for s, w in targets:
        walk_out[s] = min(walk_out[s], w)
    return int(
        _scan(
            table,
            n_instances,
            n_stops,
            n_trips,
            same,
            pointer,
            foot_targets,
            durations,
            rules if rules is not None else no_trip_rules(n_stops),
            np.array([s for s, _ in sources], dtype=np.int64),
            np.array([depart + w for _, w in sources], dtype=np.int64),
            np.array([w for _, w in sources], dtype=np.int64),
            walk_out,
        )
    )
