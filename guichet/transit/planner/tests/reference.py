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
- trips of days D-1, D and D+1 (offsets -86400, 0, +86400); frequencies expanded, starts < end_time.
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
                        ],
                        axis=1,
                    )
                )
                instance += 1
    table = np.concatenate(parts).astype(np.int64)
    order = np.lexsort((table[:, 5], table[:, 4], table[:, 1], table[:, 0]))
    return table[order], instance


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
def _scan(
    table, n_instances, n_stops, same, pointer, targets, durations, sources, starts, walks, walk_out
):
    board = np.full(n_stops, INF, dtype=np.int64)
    arrival = np.full(n_stops, INF, dtype=np.int64)
    reached = np.zeros(n_instances, dtype=np.uint8)
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
        trip = table[c, 4]
        if not reached[trip]:
            if table[c, 6] and board[table[c, 2]] <= dep:
                reached[trip] = 1
            else:
                continue
        if not table[c, 7]:
            continue
        to = table[c, 3]
        a = table[c, 1]
        if a >= arrival[to]:
            continue
        arrival[to] = a
        if walk_out[to] < INF and a + walk_out[to] < best:
            best = a + walk_out[to]
        if same[to] >= 0 and a + same[to] < board[to]:
            board[to] = a + same[to]
        for f in range(pointer[to], pointer[to + 1]):
            b = targets[f]
            if a + durations[f] < board[b]:
                board[b] = a + durations[f]
    return best


def earliest_arrival_seconds(network, model, sources, targets, depart: int) -> int:
    """Earliest arrival (seconds from service-day midnight), or INF when unreachable."""
    table, n_instances, n_stops = network
    same, pointer, foot_targets, durations = model
    walk_out = np.full(n_stops, INF, dtype=np.int64)
    for s, w in targets:
        walk_out[s] = min(walk_out[s], w)
    return int(
        _scan(
            table,
            n_instances,
            n_stops,
            same,
            pointer,
            foot_targets,
            durations,
            np.array([s for s, _ in sources], dtype=np.int64),
            np.array([depart + w for _, w in sources], dtype=np.int64),
            np.array([w for _, w in sources], dtype=np.int64),
            walk_out,
        )
    )
