"""From several traces of one route: shape, dwell stops, inter-stop times and headways by hour band."""

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np

R = 6371000.0


@dataclass
class Params:
    max_speed: float = 30.0  # m/s; faster jumps are GPS noise, dropped
    window: float = 10.0  # s each side for the smoothed speed
    dwell_speed: float = 1.5  # m/s; below = dwelling
    min_dwell: float = 10.0  # s
    cluster_gap: float = 40.0  # m along the route between dwells of one stop
    min_support: float = 0.5  # share of traces that dwell there
    merge_radius: float = 30.0  # m to an existing stop
    dp_tolerance: float = 10.0  # m, Douglas–Peucker
    same_stop: float = 20.0  # m between the centres of two consecutive clusters of one stop
    bands: tuple = ((0, 7), (7, 10), (10, 16), (16, 20), (20, 24))


@dataclass
class Proposal:
    stops: list = field(default_factory=list)  # dicts: stop_id, name, lat, lon, existing
    shape: list = field(default_factory=list)  # (lat, lon)
    # per band: {"band": (h0, h1), "arrival": [s...], "departure": [s...]} offsets from first stop
    stop_times: list = field(default_factory=list)
    frequencies: list = field(default_factory=list)  # (start_time, end_time, headway_secs)


def _xy(lat, lon, lat0, lon0):
    return np.column_stack(
        [np.radians(lon - lon0) * R * np.cos(np.radians(lat0)), np.radians(lat - lat0) * R]
    )


def _clean(t, xy, max_speed):
    keep = [0]
    for i in range(1, len(t)):
        j = keep[-1]
        if np.hypot(*(xy[i] - xy[j])) <= max_speed * (t[i] - t[j]) + 20:
            keep.append(i)
    return np.array(keep)


def _dwells(t, xy, p):
    """Runs where the smoothed speed is below ``dwell_speed`` for ``min_dwell`` s: (t0, t1, x, y)."""
    n = len(t)
    slow = np.zeros(n, bool)
    for i in range(n):
        before = xy[(t >= t[i] - p.window) & (t <= t[i])]
        after = xy[(t >= t[i]) & (t <= t[i] + p.window)]
        span = max(t[min(np.searchsorted(t, t[i] + p.window, "right"), n) - 1] - t[i], 0) + max(
            t[i] - t[np.searchsorted(t, t[i] - p.window)], 0
        )
        if span <= 0:
            continue
        d = np.hypot(*(after.mean(0) - before.mean(0)))
        slow[i] = d / max(span / 2, 1.0) < p.dwell_speed
    out, i = [], 0
    while i < n:
        if slow[i]:
            j = i
            while j + 1 < n and slow[j + 1]:
                j += 1
            if t[j] - t[i] >= p.min_dwell:
                c = xy[i : j + 1].mean(0)
                out.append((t[i], t[j], c[0], c[1]))
            i = j + 1
        else:
            i += 1
    return out


def _nearest(a, b, block=512):
    """For each point of ``a``: index of and distance to its nearest point of ``b``, computed in
    blocks so that memory stays at ``block × len(b)`` (two 10,000-point traces: 40 MB, not 800)."""
    idx = np.empty(len(a), dtype=np.intp)
    dist = np.empty(len(a))
    for k in range(0, len(a), block):
        part = a[k : k + block]
        d = np.hypot(part[:, None, 0] - b[None, :, 0], part[:, None, 1] - b[None, :, 1])
        idx[k : k + block] = d.argmin(1)
        dist[k : k + block] = d[np.arange(len(part)), idx[k : k + block]]
    return idx, dist


def _chainage(line, pts):
    """Distance along polyline ``line`` of each point's projection."""
    a, b = line[:-1], line[1:]
    ab = b - a
    seg = np.hypot(ab[:, 0], ab[:, 1])
    cum = np.concatenate([[0], np.cumsum(seg)])
    res = []
    for q in pts:
        u = np.clip(((q - a) * ab).sum(1) / np.maximum(seg**2, 1e-9), 0, 1)
        proj = a + ab * u[:, None]
        k = int(np.argmin(np.hypot(*(proj - q).T)))
        res.append(cum[k] + u[k] * seg[k])
    return np.array(res)


def douglas_peucker(xy, tol):
    """Indices kept by Douglas–Peucker with tolerance ``tol`` metres."""
    keep = np.zeros(len(xy), bool)
    keep[[0, -1]] = True
    stack = [(0, len(xy) - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, b = xy[i], xy[j]
        ab = b - a
        n = np.hypot(*ab)
        seg = xy[i + 1 : j] - a
        d = np.abs(ab[0] * seg[:, 1] - ab[1] * seg[:, 0]) / n if n > 0 else np.hypot(*seg.T)
        k = int(np.argmax(d))
        if d[k] > tol:
            keep[i + 1 + k] = True
            stack += [(i, i + 1 + k), (i + 1 + k, j)]
    return np.flatnonzero(keep)


def _band(ts, tz, bands):
    h = datetime.fromtimestamp(ts, tz)
    hour = h.hour + h.minute / 60
    return next((b for b in bands if b[0] <= hour < b[1]), None)


def _hms(h):
    return f"{int(h):02d}:{round((h % 1) * 60):02d}:00"


def propose(traces, existing_stops=(), tz="Africa/Niamey", params=None):
    """Proposal for one route from ``traces`` (same direction); ``existing_stops`` are dicts
    with stop_id, name, lat, lon. Times of day are read in ``tz`` (the feed's timezone)."""
    p = params or Params()
    tzinfo = ZoneInfo(tz)
    if len(traces) == 0:
        raise ValueError("Aucune trace.")
    lat0, lon0 = float(traces[0].lat[0]), float(traces[0].lon[0])
    cleaned = []
    for tr in traces:
        xy = _xy(tr.lat, tr.lon, lat0, lon0)
        k = _clean(tr.t, xy, p.max_speed)
        cleaned.append((tr.t[k], xy[k]))
    # Shape: the trace with the smallest largest gap, each point averaged with the nearest
    # point of every other trace within 40 m (noise falls as 1/sqrt(traces)), then Douglas–Peucker.
    ref_i = min(range(len(cleaned)), key=lambda i: np.diff(cleaned[i][0]).max())
    ref = cleaned[ref_i][1]
    acc, cnt = ref.copy(), np.ones(len(ref))
    for i, (_, xy) in enumerate(cleaned):
        if i == ref_i:
            continue
        j, dmin = _nearest(ref, xy)
        ok = dmin < 40
        acc[ok] += xy[j[ok]]
        cnt[ok] += 1
    line = acc / cnt[:, None]
    line = line[douglas_peucker(line, p.dp_tolerance)]
    # Stops: dwells of every trace, placed along the shape, clustered by chainage.
    events = []
    for ti, (t, xy) in enumerate(cleaned):
        for t0, t1, x, y in _dwells(t, xy, p):
            events.append((ti, t0, t1, x, y))
    ch = _chainage(line, np.array([[e[3], e[4]] for e in events])) if events else np.array([])
    order = np.argsort(ch)
    clusters, cur = [], []
    for k in order:
        if cur and ch[k] - ch[cur[-1]] > p.cluster_gap:
            clusters.append(cur)
            cur = []
        cur.append(k)
    if cur:
        clusters.append(cur)
    # A dwelling vehicle's fixes are a cloud of noise that ties a small knot in the shape; its
    # zigzags can split one stop's dwells into two clusters by chainage. Consecutive clusters
    # whose centres are within ``same_stop`` m are one stop.
    merged = []
    for c in clusters:
        centre = np.median([[events[k][3], events[k][4]] for k in c], axis=0)
        if merged and np.hypot(*(centre - merged[-1][1])) <= p.same_stop:
            merged[-1][0].extend(c)
            merged[-1][1] = np.median([[events[k][3], events[k][4]] for k in merged[-1][0]], 0)
        else:
            merged.append([list(c), centre])
    clusters = [
        c for c, _centre in merged if len({events[k][0] for k in c}) >= p.min_support * len(traces)
    ]
    prop = Proposal()
    ex = list(existing_stops)
    ex_xy = (
        _xy(np.array([s["lat"] for s in ex]), np.array([s["lon"] for s in ex]), lat0, lon0)
        if ex
        else None
    )
    for n, c in enumerate(clusters):
        x, y = np.median([[events[k][3], events[k][4]] for k in c], axis=0)
        lat = lat0 + np.degrees(y / R)
        lon = lon0 + np.degrees(x / (R * np.cos(np.radians(lat0))))
        stop = {
            "stop_id": f"new-{n + 1}",
            "name": "",
            "lat": float(lat),
            "lon": float(lon),
            "existing": False,
        }
        if ex:
            d = np.hypot(ex_xy[:, 0] - x, ex_xy[:, 1] - y)
            m = int(d.argmin())
            if d[m] <= p.merge_radius:
                stop = {**ex[m], "existing": True}
        prop.stops.append(stop)
    # Times: per trace, arrival/departure at each stop; running and dwell times by band (median).
    per = {}
    starts = []
    for ti in range(len(traces)):
        seen = {}
        for si, c in enumerate(clusters):
            mine = [events[k] for k in c if events[k][0] == ti]
            if mine:
                seen[si] = (min(e[1] for e in mine), max(e[2] for e in mine))
        starts.append(float(cleaned[ti][0][0]))
        for si in range(len(clusters) - 1):
            if si in seen and si + 1 in seen:
                b = _band(seen[si][1], tzinfo, p.bands)
                run = seen[si + 1][0] - seen[si][1]
                per.setdefault(b, {}).setdefault(si, []).append((run, seen[si][1] - seen[si][0]))
    for b in p.bands:
        if b not in per:
            continue
        arr, dep, t = [0.0], [], 0.0
        for si in range(len(clusters) - 1):
            vals = per[b].get(si) or [v for bb in per.values() for v in bb.get(si, [])]
            run = float(np.median([v[0] for v in vals])) if vals else 0.0
            dwell = 0.0 if si == 0 else float(np.median([v[1] for v in vals])) if vals else 0.0
            dep.append(t + dwell)
            t = t + dwell + run
            arr.append(t)
        dep.append(arr[-1])
        prop.stop_times.append(
            {"band": b, "arrival": [round(a) for a in arr], "departure": [round(d) for d in dep]}
        )
    # Headways: consecutive traces' start times on the same day, median per band.
    starts.sort()
    gaps = {}
    for a, b2 in itertools.pairwise(starts):
        if datetime.fromtimestamp(a, tzinfo).date() == datetime.fromtimestamp(b2, tzinfo).date():
            gaps.setdefault(_band(a, tzinfo, p.bands), []).append(b2 - a)
    for b in p.bands:
        if b in gaps:
            prop.frequencies.append((_hms(b[0]), _hms(b[1]), round(float(np.median(gaps[b])))))
    prop.shape = [
        (
            float(lat0 + np.degrees(y / R)),
            float(lon0 + np.degrees(x / (R * np.cos(np.radians(lat0))))),
        )
        for x, y in line
    ]
    return prop
