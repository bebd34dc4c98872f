"""The trace-to-GTFS tool recovers Accra trotro routes from simulated GPS traces (no database).

Simulation: vehicles follow the source shape with the source's inter-stop times, dwell 20–60 s at each
stop, 3 s fixes with 8 m Gaussian noise, random dropouts; departures every source headway (±10 %).
Tolerances (stated in docs/transit.md): stops within 35 m, recall and precision ≥ 90 %,
running times within ±20 % (median), headway within ±15 %.
"""

import csv
import io
import json
import os
import zipfile

import numpy as np
import pytest

from guichet.transit.traces import TraceError, parse_trace, propose
from guichet.transit.traces.parse import Trace

FEED = os.path.join(
    os.environ.get("GUICHET_GTFS_DATA", "/work/shared/data/gtfs"), "accra_trotro.zip"
)
R = 6371000.0


def _feed(trip_ids):
    with zipfile.ZipFile(FEED) as z:
        rd = lambda n: list(csv.DictReader(io.TextIOWrapper(z.open(n), "utf-8-sig")))  # noqa: E731
        trips = {t["trip_id"]: t for t in rd("trips.txt") if t["trip_id"] in trip_ids}
        shapes = {}
        wanted = {t["shape_id"] for t in trips.values()}
        for r in rd("shapes.txt"):
            if r["shape_id"] in wanted:
                shapes.setdefault(r["shape_id"], []).append(
                    (
                        int(r["shape_pt_sequence"]),
                        float(r["shape_pt_lat"]),
                        float(r["shape_pt_lon"]),
                    )
                )
        st = {}
        for r in rd("stop_times.txt"):
            if r["trip_id"] in trips:
                st.setdefault(r["trip_id"], []).append(r)
        stops = {s["stop_id"]: s for s in rd("stops.txt")}
        freq = {f["trip_id"]: f for f in rd("frequencies.txt") if f["trip_id"] in trips}
    return trips, shapes, st, stops, freq


def _secs(h):
    a, b, c = map(int, h.split(":"))
    return a * 3600 + b * 60 + c


def _route(trip_id):
    trips, shapes, st, stops, freq = _feed({trip_id})
    pts = sorted(shapes[trips[trip_id]["shape_id"]])
    lat0, lon0 = pts[0][1], pts[0][2]
    kx = R * np.cos(np.radians(lat0))
    line = np.array([[np.radians(p[2] - lon0) * kx, np.radians(p[1] - lat0) * R] for p in pts])
    rows = sorted(st[trip_id], key=lambda r: int(r["stop_sequence"]))
    sxy = np.array(
        [
            [
                np.radians(float(stops[r["stop_id"]]["stop_lon"]) - lon0) * kx,
                np.radians(float(stops[r["stop_id"]]["stop_lat"]) - lat0) * R,
            ]
            for r in rows
        ]
    )
    seg = np.hypot(*np.diff(line, axis=0).T)
    cum = np.concatenate([[0], np.cumsum(seg)])
    # chainage of each stop: nearest shape vertex, kept monotone
    ch, last = [], 0
    for q in sxy:
        d = np.hypot(*(line[last:] - q).T)
        last = last + int(d.argmin())
        ch.append(cum[last])
    times = [_secs(r["arrival_time"]) for r in rows]
    # Vehicles dwell on the road: the truth is the stop's point on the shape (OSM stop nodes
    # sit up to ~70 m off the road in this feed).
    ch = np.array(ch)
    sxy = np.column_stack([np.interp(ch, cum, line[:, 0]), np.interp(ch, cum, line[:, 1])])
    return dict(
        line=line,
        cum=cum,
        ch=ch,
        sxy=sxy,
        times=times,
        lat0=lat0,
        lon0=lon0,
        kx=kx,
        stops=[stops[r["stop_id"]] for r in rows],
        headway=int(freq[trip_id]["headway_secs"]),
    )


def _simulate(rt, depart, rng, noise=8.0, step=3.0):
    """(t, x, y) of one vehicle: dwell at each stop, constant speed between stops."""
    kt, kch = [], []
    t = depart
    for i in range(len(rt["ch"])):
        d = rng.uniform(20, 60)
        kt += [t, t + d]
        kch += [rt["ch"][i], rt["ch"][i]]
        t += d
        if i + 1 < len(rt["ch"]):
            t += rt["times"][i + 1] - rt["times"][i]
    ts = np.arange(depart, kt[-1], step)
    chs = np.interp(ts, kt, kch)
    x = np.interp(chs, rt["cum"], rt["line"][:, 0]) + rng.normal(0, noise, len(ts))
    y = np.interp(chs, rt["cum"], rt["line"][:, 1]) + rng.normal(0, noise, len(ts))
    keep = np.ones(len(ts), bool)
    for s in rng.integers(0, len(ts), len(ts) // 50):  # dropouts: runs of 1–4 fixes
        keep[s : s + rng.integers(1, 5)] = False
    lat = rt["lat0"] + np.degrees(y[keep] / R)
    lon = rt["lon0"] + np.degrees(x[keep] / rt["kx"])
    return Trace(ts[keep], lat, lon)


# 2019-03-04 06:00 Africa/Accra (UTC+0)
DAY0 = 1551679200


@pytest.mark.parametrize("trip_id", ["344", "0"])
def test_recovers_accra_route_stops_times_and_headway_from_noisy_traces(trip_id):
    rng = np.random.default_rng(13)
    rt = _route(trip_id)
    departs = np.cumsum(
        [DAY0 + 3 * 3600] + [rt["headway"] * rng.uniform(0.9, 1.1) for _ in range(5)]
    )
    traces = [_simulate(rt, d, rng) for d in departs]
    prop = propose(traces, tz="Africa/Accra")
    lat0, lon0, kx = rt["lat0"], rt["lon0"], rt["kx"]
    got = np.array(
        [[np.radians(s["lon"] - lon0) * kx, np.radians(s["lat"] - lat0) * R] for s in prop.stops]
    )
    d = np.hypot(got[:, None, 0] - rt["sxy"][None, :, 0], got[:, None, 1] - rt["sxy"][None, :, 1])
    precision = (d.min(1) <= 35).mean()
    recall = (d.min(0) <= 35).mean()
    assert precision >= 0.9 and recall >= 0.9, (precision, recall, len(prop.stops), len(rt["sxy"]))
    # running times: for recovered stops matched one-to-one in order, compare with source intervals
    match = d.argmin(1)
    pattern = prop.stop_times[0]
    errs = []
    for k in range(len(match) - 1):
        if d[k].min() <= 35 and d[k + 1].min() <= 35 and match[k + 1] == match[k] + 1:
            src = rt["times"][match[k + 1]] - rt["times"][match[k]]
            run = pattern["arrival"][k + 1] - pattern["departure"][k]
            errs.append(abs(run - src) / max(src, 30))
    assert len(errs) >= 0.8 * (len(rt["sxy"]) - 1)
    assert np.median(errs) <= 0.2 and np.mean(np.array(errs) <= 0.2) >= 0.8
    ((start, end, headway),) = prop.frequencies
    assert abs(headway - rt["headway"]) <= 0.15 * rt["headway"]
    assert (start, end) == ("07:00:00", "10:00:00")  # the 09:00 departures fall in the 7–10 h band


def test_existing_stop_within_radius_is_reused():
    rng = np.random.default_rng(5)
    rt = _route("344")
    traces = [_simulate(rt, DAY0 + k * 600, rng) for k in range(4)]
    s = rt["stops"][3]
    prop = propose(
        traces,
        existing_stops=[
            {
                "stop_id": s["stop_id"],
                "name": s["stop_name"],
                "lat": float(s["stop_lat"]),
                "lon": float(s["stop_lon"]),
            }
        ],
        tz="Africa/Accra",
    )
    assert [p["stop_id"] for p in prop.stops if p["existing"]] == [s["stop_id"]]


def test_gpx_and_geojson_traces_parse_to_the_same_points():
    gpx = """<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
    <trkpt lat="13.51" lon="2.11"><time>2026-12-01T07:00:05Z</time></trkpt>
    <trkpt lat="13.50" lon="2.10"><time>2026-12-01T07:00:00Z</time></trkpt></trkseg></trk></gpx>"""
    line = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[2.10, 13.50], [2.11, 13.51]]},
        "properties": {"coordTimes": ["2026-12-01T07:00:00Z", "2026-12-01T07:00:05Z"]},
    }
    pts = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [2.11, 13.51]},
                "properties": {"time": "2026-12-01T07:00:05Z"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [2.10, 13.50]},
                "properties": {"time": "2026-12-01T07:00:00Z"},
            },
        ],
    }
    for doc in (gpx, json.dumps(line), json.dumps(pts).encode()):
        tr = parse_trace(doc)
        assert list(tr.lat) == [13.50, 13.51] and tr.t[1] - tr.t[0] == 5


@pytest.mark.parametrize(
    "doc",
    [
        "hello",
        "<gpx><trk><trkseg><trkpt lat='1' lon='2'/></trkseg></trk></gpx>",
        '{"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[1,2],[3,4]]}}',
        "<gpx",
        "{",
    ],
)
def test_invalid_trace_gets_a_french_error(doc):
    with pytest.raises(TraceError):
        parse_trace(doc)


def test_one_stop_is_not_split_in_two_by_the_dwell_knot_of_the_shape():
    """The noisy fixes of a dwelling vehicle zigzag the shape, and one stop's dwells fell on both
    sides of a chainage gap: the first six stops of trip 344 came out as nine (three twins with
    zero running time between them)."""
    rng = np.random.default_rng(7)
    rt = _route("344")
    for key in ("ch", "times", "stops"):
        rt[key] = rt[key][:6]
    traces = [_simulate(rt, DAY0 + 3 * 3600 + k * rt["headway"], rng) for k in range(4)]
    prop = propose(traces, tz="Africa/Accra")
    assert len(prop.stops) == 6
    runs = np.diff(prop.stop_times[0]["arrival"])
    assert (runs > 0).all(), runs
