"""First journey after a restart: a fresh process maps a stored timetable and answers.

Compiles the feed once (`planner.store.save`, as an import does), then starts N fresh Python
processes, each one: import the planner and load its compiled kernels (process start, measured
apart: in the service this happens in a thread while the worker starts), then map the stored
timetable and answer one earliest-arrival query between seeded stops — the figure that matters,
goal ≤ 200 ms for the Manhattan buses (1.17 M stop_times). The peer in the same run is the old
path: rebuilding the timetable from the feed's rows (here read_feed + build_timetable; from the
database it is slower still).

Usage: .venv/bin/python bench/transit_restart_bench.py [--feed PATH] [--runs 5]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, random, sys, time
from datetime import datetime, timedelta
t0 = time.perf_counter()
from guichet.transit import planner
planner.warm_up()
t1 = time.perf_counter()
tt = planner.store.load(sys.argv[1])
rng = random.Random(int(sys.argv[2]))
served = sorted({int(s) for s in tt.pattern_stops})
a, b = rng.sample(served, 2)
day = tt.first_date + timedelta(days=7)
when = datetime(day.year, day.month, day.day, 8, 0)
journeys = planner.earliest_arrival(
    tt, planner.stop_endpoints(tt, a), planner.stop_endpoints(tt, b, arriving=True), when
)
t2 = time.perf_counter()
print(json.dumps({"start_s": t1 - t0, "first_plan_ms": (t2 - t1) * 1000, "found": len(journeys)}))
"""


def data_dir() -> Path:
    for candidate in (ROOT.parent / "shared/data/gtfs", os.environ.get("GUICHET_GTFS_DATA")):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    sys.exit("GTFS data not found: ../shared/data/gtfs or $GUICHET_GTFS_DATA")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed", type=Path, default=None, help="GTFS zip (default bus_m.zip)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = args.feed or data_dir() / "bus_m.zip"
    from guichet.transit import planner

    began = time.perf_counter()
    feed = planner.read_feed(path)
    read_s = time.perf_counter() - began
    began = time.perf_counter()
    timetable = planner.build_timetable(feed)
    build_s = time.perf_counter() - began
    print(
        f"{path.name}: {len(feed.stop_times)} stop_times; read {read_s:.1f} s, build {build_s:.1f} s"
    )
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        stored = planner.store.save(timetable, Path(folder) / "tt")
        size = sum(f.stat().st_size for f in stored.rglob("*") if f.is_file())
        print(f"stored in {time.perf_counter() - began:.2f} s, {size / 1e6:.0f} MB on disk")
        results = []
        for run in range(args.runs):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(stored), str(run)],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    firsts = [r["first_plan_ms"] for r in results]
    starts = [r["start_s"] for r in results]
    print(
        f"fresh process: kernels loaded in {statistics.median(starts):.2f} s (at start), "
        f"first plan (map + query) median {statistics.median(firsts):.0f} ms, "
        f"max {max(firsts):.0f} ms over {len(firsts)} runs (goal ≤ 200 ms)"
    )
    rebuild_ms = (read_s + build_s) * 1000
    print(
        f"peer (rebuild from the feed's rows): {rebuild_ms:.0f} ms — "
        f"{rebuild_ms / statistics.median(firsts):.0f}× slower"
    )
    print(f"load: {os.getloadavg()[0]:.1f} (1 min)")


if __name__ == "__main__":
    main()
