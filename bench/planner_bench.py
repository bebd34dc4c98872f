"""Journey planner: New York subway + Manhattan buses, 400 m walks, compared with pyraptor.

Per-query figures are CPU time of this one process (time.process_time), so that other work on
a shared machine does not inflate them; the wall clock is printed beside earliest arrival.
Figures (one core, one process): timetable build time and peak memory; earliest arrival median and
p95 over 200 seeded origin–destination pairs (targets: ≤ 4 ms, ≤ 10 ms); a one-hour Pareto range
query (≤ 100 ms); a stop board (≤ 5 ms).

The peer is pyraptor (PyPI). It needs pandas 1.5, which does not load next to numpy 2, so it runs
in its own venv (bench/.venv-pyraptor, created on first run) as a subprocess of this script, fed
with the same day's trips. pyraptor only knows transfers between platforms of one station with a
fixed layover, and no walks, trips of other days, pickup/drop-off types or same-stop times; so the
comparison uses a second timetable of ours restricted to exactly that model (see
`pyraptor_compatible`), on the same origin–destination pairs and times, and reports how many
earliest arrivals agree and the speed ratio.

Usage: .venv/bin/python bench/planner_bench.py [--queries 200] [--pyraptor-queries 40]
       [--feed PATH [--feed PATH …]] [--date YYYY-MM-DD]

Any feed can be benchmarked with --feed (several are merged); the default is the New York pair.
A second peer (r5py, OpenTripPlanner) needs Java and jars downloaded from outside the package
registries, which this machine cannot reach: not measured.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYRAPTOR_VENV = ROOT / "bench" / ".venv-pyraptor"
SERVICE_DATE = date(2026, 9, 15)  # a Tuesday when both feeds run
SEED = 20260915


def data_dir() -> Path:
    for candidate in (ROOT.parent / "shared/data/gtfs", os.environ.get("GUICHET_GTFS_DATA")):
        if candidate and (Path(candidate) / "subway.zip").exists():
            return Path(candidate)
    sys.exit("GTFS data not found: ../shared/data/gtfs beside the repository or $GUICHET_GTFS_DATA")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


# --- the pyraptor side (runs inside bench/.venv-pyraptor) --------------------------------------


def pyraptor_worker(path: str) -> None:
    """Build pyraptor's timetable from the exported day and run the queries; print JSON."""
    import logging

    from loguru import logger

    logger.remove()  # pyraptor logs every round at INFO
    logging.disable(logging.CRITICAL)
    from pyraptor.model.raptor import RaptorAlgorithm, best_stop_at_target_station
    from pyraptor.model.structures import (
        Routes,
        Station,
        Stations,
        Stop,
        Stops,
        Timetable,
        Transfer,
        Transfers,
        Trip,
        Trips,
        TripStopTime,
        TripStopTimes,
    )

    data = json.loads(Path(path).read_text())
    started = time.perf_counter()
    stations, stops = Stations(), Stops()
    stop_objects = []
    for stop_id, station_id, platform in zip(
        data["stop_ids"], data["station_ids"], data["platform"], strict=True
    ):
        if not platform:
            stop_objects.append(None)  # a station node: pyraptor only knows its platforms
            continue
        station = stations.add(Station(station_id, station_id))
        stop = stops.add(Stop(stop_id, stop_id, station, "?"))
        station.add_stop(stop)
        stop_objects.append(stop)
    trips, trip_stop_times = Trips(), TripStopTimes()
    for calls in data["trips"]:
        # pyraptor hashes stop times by (trip, index) and a trip by its id, which Trips.add only
        # sets at the end: give the id first, or every stop time collides in one hash bucket.
        trip = Trip(id=trips.last_id)
        for index, (stop_index, arrival, departure) in enumerate(calls):
            stop_time = TripStopTime(trip, index, stop_objects[stop_index], arrival, departure, 0)
            trip_stop_times.add(stop_time)
            trip.add_stop_time(stop_time)
        trips.add(trip)
    routes = Routes()
    for trip in trips:
        routes.add(trip)
    transfers = Transfers()
    for a, b, seconds in data["transfers"]:
        transfers.add(
            Transfer(from_stop=stop_objects[a], to_stop=stop_objects[b], layovertime=seconds)
        )
    timetable = Timetable(stations, stops, trips, trip_stop_times, routes, transfers)
    build_s = time.perf_counter() - started
    print(f"pyraptor timetable built in {build_s:.1f} s", file=sys.stderr, flush=True)

    results = []
    for origin, destination, seconds in data["queries"]:
        started = time.process_time()
        raptor = RaptorAlgorithm(timetable)
        raptor.run(timetable.stations.get(origin).stops, seconds, data["rounds"])
        # pyraptor's query script reads the labels of the last round, which stay empty when the
        # search ends early (no marked stop left): use its best labels over all rounds instead.
        best = raptor.bag_star
        target = best_stop_at_target_station(timetable.stations.get(destination).stops, best)
        arrival = best[target].earliest_arrival_time if target != 0 else None
        results.append((arrival, time.process_time() - started))
        print(f"pyraptor query {len(results)}: {results[-1][1]:.1f} s", file=sys.stderr, flush=True)
    print(json.dumps({"build_s": build_s, "results": results}))


def ensure_pyraptor_venv() -> Path:
    python = PYRAPTOR_VENV / "bin" / "python"
    if not python.exists():
        print(
            "creating bench/.venv-pyraptor (pyraptor needs pandas 1.5 and numpy < 2) …", flush=True
        )
        subprocess.run([sys.executable, "-m", "venv", str(PYRAPTOR_VENV)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "pyraptor==1.3.10",
                "numpy<2",
                "attrs",
            ],
            check=True,
        )
    return python


# --- our side -----------------------------------------------------------------------------------


def pyraptor_compatible(feed):
    """The feed with pyraptor's transfer model: changes only between two different platforms of
    one station, taking the station's own transfers.txt time (its row from the station to itself,
    180 s in the subway feed; 120 s, pyraptor's default, without one); nothing else: no walks, no
    same-stop time, no transfers.txt rows between stations."""
    import dataclasses

    import numpy as np

    from guichet.transit.planner.feed import Transfers

    stops = feed.stops
    own_time = {}
    for a, b, seconds in zip(
        feed.transfers.from_stop,
        feed.transfers.to_stop,
        feed.transfers.min_transfer_time,
        strict=True,
    ):
        if a == b and stops.location_type[a] == 1:
            own_time[int(a)] = max(int(seconds), 0)
    children = {}
    for child in np.flatnonzero(stops.parent >= 0):
        children.setdefault(int(stops.parent[child]), []).append(int(child))
    rows = [
        (a, b, own_time.get(station, 120))
        for station, members in children.items()
        for a in members
        for b in members
        if a != b
    ]
    transfers = Transfers(
        np.array([r[0] for r in rows], dtype=np.int32),
        np.array([r[1] for r in rows], dtype=np.int32),
        np.full(len(rows), 2, dtype=np.int8),
        np.array([r[2] for r in rows], dtype=np.int32),
    )
    return dataclasses.replace(feed, transfers=transfers), rows


def export_day(feed, rows, queries, rounds, path: Path) -> None:
    """The service day's trips, stations and transfers, in plain JSON for the pyraptor worker."""
    import numpy as np

    from guichet.transit.planner.timetable import service_day_bitmap

    first, bitmap = service_day_bitmap(feed)
    running = bitmap[:, (SERVICE_DATE - first).days]
    st = feed.stop_times
    start = st.trip_start(len(feed.trips))
    trips = []
    f = feed.frequencies
    for trip in np.flatnonzero(running[feed.trips.service]):
        a, b = start[trip], start[trip + 1]
        if b - a < 2:
            continue
        # frequencies.txt: one instance per headway from start_time while < end_time, shifted
        # from the template's first departure (pyraptor knows only explicit trips).
        shifts = [0]
        rows_of_trip = np.flatnonzero(f.trip == trip)
        if len(rows_of_trip):
            first_departure = int(st.departure[a])
            shifts = [
                t - first_departure
                for r in rows_of_trip
                for t in range(int(f.start[r]), int(f.end[r]), int(f.headway[r]))
            ]
        for shift in shifts:
            trips.append(
                list(
                    zip(
                        st.stop[a:b].tolist(),
                        (st.arrival[a:b] + shift).tolist(),
                        (st.departure[a:b] + shift).tolist(),
                        strict=True,
                    )
                )
            )
    stations = [
        feed.stops.stop_id[p] if p >= 0 else stop_id
        for stop_id, p in zip(feed.stops.stop_id, feed.stops.parent.tolist(), strict=True)
    ]
    path.write_text(
        json.dumps(
            {
                "stop_ids": feed.stops.stop_id,
                "station_ids": stations,
                "platform": (feed.stops.location_type == 0).tolist(),
                "trips": trips,
                "transfers": rows,
                "queries": queries,
                "rounds": rounds,
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    # pyraptor takes seconds per query on this network (it deep-copies every label each round),
    # so by default it answers the first 40 pairs; --pyraptor-queries 200 runs them all (~30 min).
    parser.add_argument("--pyraptor-queries", type=int, default=40)
    parser.add_argument("--pyraptor-worker", help=argparse.SUPPRESS)
    parser.add_argument(
        "--feed",
        type=Path,
        action="append",
        help="GTFS zip or folder (repeat to merge several); default subway.zip + bus_m.zip",
    )
    parser.add_argument(
        "--date", type=date.fromisoformat, help="service day (default: the busiest of the feed)"
    )
    args = parser.parse_args()
    if args.pyraptor_worker:
        pyraptor_worker(args.pyraptor_worker)
        return 0

    sys.path.insert(0, str(ROOT))
    import random

    import numpy as np

    from guichet.transit.planner import (
        build_timetable,
        departures,
        earliest_arrival,
        merge_feeds,
        range_journeys,
        read_feed,
    )

    global SERVICE_DATE
    paths = args.feed or [data_dir() / "subway.zip", data_dir() / "bus_m.zip"]
    baseline_mb = peak_rss_mb()
    started = time.perf_counter()
    feeds = [read_feed(path) for path in paths]
    feed = merge_feeds(*feeds) if len(feeds) > 1 else feeds[0]
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    timetable = build_timetable(feed, max_walk_m=400)
    build_s = time.perf_counter() - started
    memory_mb = peak_rss_mb()
    if args.date:
        SERVICE_DATE = args.date
    elif args.feed:
        # The busiest day of the feed's first year: most patterns running.
        days = timetable.service_days[timetable.pattern_service][:, :366].sum(axis=0)
        SERVICE_DATE = timetable.first_date + timedelta(days=int(np.argmax(days)))
    print(f"feeds: {', '.join(p.name for p in paths)}; service day {SERVICE_DATE}")
    print(f"network: {feed.summary()}")
    print(f"timetable: {timetable.n_patterns} patterns, {len(timetable.foot_to)} footpaths ≤ 400 m")
    print(f"read GTFS          {read_s:7.2f} s")
    print(f"build timetable    {build_s:7.2f} s")
    print(f"peak memory (RSS)  {memory_mb:7.0f} MB ({baseline_mb:.0f} MB before reading)")

    rng = random.Random(SEED)
    served = sorted(set(timetable.pattern_stops.tolist()))
    pairs = []
    for _ in range(args.queries):
        a, b = rng.sample(served, 2)
        pairs.append((a, b, 7 * 3600 + rng.randrange(12 * 3600)))

    def at(seconds: int) -> datetime:
        return datetime.combine(SERVICE_DATE, datetime.min.time()) + timedelta(seconds=seconds)

    earliest_arrival(timetable, [(served[0], 0)], [(served[1], 0)], at(8 * 3600))  # compile/load
    timings, walls, reached = [], [], 0
    for a, b, seconds in pairs:
        t, w = time.process_time(), time.perf_counter()
        journeys = earliest_arrival(timetable, [(a, 0)], [(b, 0)], at(seconds))
        timings.append(time.process_time() - t)
        walls.append(time.perf_counter() - w)
        reached += bool(journeys)
    ea_median, ea_p95 = statistics.median(timings) * 1e3, percentile(timings, 95) * 1e3
    print(
        f"earliest arrival   median {ea_median:6.2f} ms   p95 {ea_p95:6.2f} ms   "
        f"({len(pairs)} queries, {reached} reachable; targets 4 / 10 ms)"
    )
    print(
        f"  (wall clock      median {statistics.median(walls) * 1e3:6.2f} ms   "
        f"p95 {percentile(walls, 95) * 1e3:6.2f} ms, load average {os.getloadavg()[0]:.1f})"
    )

    range_timings, range_counts = [], []
    for a, b, seconds in pairs[:50]:
        t = time.process_time()
        journeys = range_journeys(timetable, [(a, 0)], [(b, 0)], at(seconds), window_s=3600)
        range_timings.append(time.process_time() - t)
        range_counts.append(len(journeys))
    range_median = statistics.median(range_timings) * 1e3
    range_p95 = percentile(range_timings, 95) * 1e3
    print(
        f"range, one hour    median {range_median:6.2f} ms   p95 {range_p95:6.2f} ms   "
        f"(50 queries, {statistics.mean(range_counts):.1f} Pareto journeys each; target 100 ms)"
    )

    board_timings = []
    for a, _, seconds in pairs:
        t = time.process_time()
        departures(timetable, a, at(seconds), limit=10)
        board_timings.append(time.process_time() - t)
    board_median = statistics.median(board_timings) * 1e3
    board_p95 = percentile(board_timings, 95) * 1e3
    print(
        f"stop board         median {board_median:6.3f} ms   p95 {board_p95:6.3f} ms   (target 5 ms)"
    )

    # --- the same pairs against pyraptor, both sides on pyraptor's transfer model -------------
    if args.pyraptor_queries <= 0:
        print("\npyraptor not run (--pyraptor-queries 0)")
        return 0
    compatible_feed, rows = pyraptor_compatible(feed)
    compatible = build_timetable(compatible_feed, max_walk_m=0)
    stations = [
        int(p) if p >= 0 else s for s, p in enumerate(compatible_feed.stops.parent.tolist())
    ]

    def platforms(station: int) -> list[tuple[int, int]]:
        members = np.flatnonzero(compatible_feed.stops.parent == station).tolist()
        return [(s, 0) for s in (members or [station])]

    rounds = 9  # max_transfers 8 on our side
    compared = pairs[: args.pyraptor_queries]
    ours, our_timings = [], []
    for a, b, seconds in compared:
        t = time.process_time()
        journeys = earliest_arrival(
            compatible, platforms(stations[a]), platforms(stations[b]), at(seconds), max_transfers=8
        )
        our_timings.append(time.process_time() - t)
        ours.append(int((journeys[-1].arrival - at(0)).total_seconds()) if journeys else None)
    queries = [
        (feed.stops.stop_id[stations[a]], feed.stops.stop_id[stations[b]], s)
        for a, b, s in compared
    ]
    python = ensure_pyraptor_venv()
    with tempfile.TemporaryDirectory() as tmp:
        exported = Path(tmp) / "day.json"
        export_day(compatible_feed, rows, queries, rounds, exported)
        started = time.perf_counter()
        output = subprocess.run(
            [str(python), __file__, "--pyraptor-worker", str(exported)],
            capture_output=True,
            text=True,
        )
        if output.returncode != 0:
            sys.exit(f"pyraptor worker failed:\n{output.stderr[-3000:]}")
        output = output.stdout
        worker_s = time.perf_counter() - started
    peer = json.loads(output)
    theirs = [arrival for arrival, _ in peer["results"]]
    their_timings = [seconds for _, seconds in peer["results"]]
    agree = sum(x == y for x, y in zip(ours, theirs, strict=True))
    ours_earlier = sum(
        x is not None and (y is None or x < y) for x, y in zip(ours, theirs, strict=True)
    )
    theirs_earlier = sum(
        y is not None and (x is None or y < x) for x, y in zip(ours, theirs, strict=True)
    )
    our_median = statistics.median(our_timings) * 1e3
    their_median = statistics.median(their_timings) * 1e3
    print(
        f"\npyraptor 1.3.10 (own venv), pyraptor's transfer model on both sides, {len(compared)} queries"
    )
    print(f"  pyraptor build     {peer['build_s']:7.2f} s (worker total {worker_s:.1f} s)")
    print(
        f"  earliest arrival   ours median {our_median:8.2f} ms   pyraptor median {their_median:8.2f} ms"
    )
    print(f"  speed ratio        {their_median / our_median:8.0f}× (pyraptor / ours, medians)")
    print(
        f"  agreement          {agree}/{len(compared)} identical earliest arrivals; "
        f"ours earlier in {ours_earlier}, pyraptor earlier in {theirs_earlier}"
    )
    for (a, b, s), x, y in zip(compared, ours, theirs, strict=True):
        if x != y:
            print(
                f"    differs: {feed.stops.stop_id[a]} → {feed.stops.stop_id[b]} at {at(s):%H:%M:%S}: "
                f"ours {x}, pyraptor {y}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
