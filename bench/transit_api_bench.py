"""Transit: the plan API end to end, the stop-board API, and the GTFS importer's rate and memory.

1. Importer: `manage.py import_gtfs` in a child process on a fresh SQLite database (validation
   included), for each feed in BENCH_IMPORT_FEEDS (default accra_trotro.zip,subway.zip):
   stop_times per second and the child's peak resident memory.
2. API: GET /api/transit/plan through Django's full stack (URL routing, DRF, parameter parsing,
   timetable cache lookup, RAPTOR, JSON) with the test client, on the subway feed after its
   timetable is built: BENCH_QUERIES (default 200) seeded origin–destination pairs of stops with
   service, departures between 06:00 and 22:00 on a weekday; median and 95th percentile
   (target ≤ 50 ms). Peer in the same run: the planner's earliest_arrival called directly on the
   same queries, so the ratio is the cost of the web layer. Then the stop-board API.

Environment: GUICHET_GTFS_DATA (default ../shared/data/gtfs), BENCH_QUERIES, BENCH_IMPORT_FEEDS,
BENCH_API_FEED (default subway.zip), BENCH_API_DB + BENCH_API_NAME (reuse a database
already holding the feed), BENCH_SKIP_IMPORT=1.
"""

import datetime
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("GUICHET_GTFS_DATA", ROOT.parent / "shared" / "data" / "gtfs"))
QUERIES = int(os.environ.get("BENCH_QUERIES", "200"))
IMPORT_FEEDS = os.environ.get("BENCH_IMPORT_FEEDS", "accra_trotro.zip,subway.zip").split(",")
API_FEED = os.environ.get("BENCH_API_FEED", "subway.zip")
NAME = os.environ.get("BENCH_API_NAME", "bench")


def env_for(db: Path) -> dict:
    env = dict(os.environ)
    env.update(GUICHET_DEBUG="1", DATABASE_URL=f"sqlite:///{db}", PYTHONPATH=str(ROOT))
    return env


def manage(db: Path, *args) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env_for(db),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return result.stdout


def bench_import(folder: Path) -> None:
    print("== Importer (validation + streaming import, SQLite) ==")
    for name in IMPORT_FEEDS:
        path = DATA / name
        if not path.exists():
            print(f"{name}: absent, skipped")
            continue
        db = folder / f"import-{name}.sqlite3"
        manage(db, "migrate", "-v0")
        started = time.perf_counter()
        out = subprocess.run(
            [
                "/usr/bin/time",
                "-f",
                "MAXRSS %M",
                sys.executable,
                str(ROOT / "manage.py"),
                "import_gtfs",
                str(path),
                "--name",
                "bench",
            ],
            env=env_for(db),
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        elapsed = time.perf_counter() - started
        counts = re.search(r"stop_times\.txt (\d+)", out.stdout)
        rss = re.search(r"MAXRSS (\d+)", out.stderr)
        stop_times = int(counts.group(1)) if counts else 0
        peak = int(rss.group(1)) / 1024 if rss else float("nan")
        print(
            f"{name}: {stop_times} stop_times in {elapsed:.1f} s → "
            f"{stop_times / elapsed:,.0f} stop_times/s (whole command), peak RSS {peak:.0f} MB"
        )


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_api(folder: Path) -> None:
    path = DATA / API_FEED
    if not path.exists():
        print(f"{API_FEED}: absent, API bench skipped")
        return
    if os.environ.get("BENCH_API_DB"):
        db = Path(os.environ["BENCH_API_DB"])  # a database already holding feed BENCH_API_NAME
    else:
        db = folder / "api.sqlite3"
        manage(db, "migrate", "-v0")
        manage(db, "import_gtfs", str(path), "--name", NAME)
    os.environ.update(env_for(db))
    os.environ["DJANGO_SETTINGS_MODULE"] = "guichet.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from guichet.transit import planner, selectors, timetables
    from guichet.transit.models import Feed

    setup_test_environment()
    feed = Feed.objects.get(name=NAME)
    started = time.perf_counter()
    tt = timetables.timetable_for(feed)
    print(f"== Plan API on {API_FEED} ==")
    print(f"timetable built from the database in {time.perf_counter() - started:.1f} s")
    rng = random.Random(42)
    stops = [s for s, lt in zip(tt.stop_ids, tt.location_type, strict=True) if lt == 0]
    day = tt.first_date
    while day.weekday() != 2:  # a Wednesday inside the feed
        day += datetime.timedelta(days=1)
    queries = []
    for _ in range(QUERIES):
        a, b = rng.sample(stops, 2)
        seconds = rng.randrange(6 * 3600, 22 * 3600)
        depart = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(
            seconds=seconds
        )
        queries.append((a, b, depart))
    client = Client()
    client.get(
        "/api/transit/plan",
        {
            "feed": NAME,
            "from": queries[0][0],
            "to": queries[0][1],
            "depart": queries[0][2].isoformat(),
        },
    )
    api_ms, direct_ms, found = [], [], 0
    for a, b, depart in queries:
        t0 = time.perf_counter()
        response = client.get(
            "/api/transit/plan", {"feed": NAME, "from": a, "to": b, "depart": depart.isoformat()}
        )
        api_ms.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.content
        found += bool(response.json()["journeys"])
        t0 = time.perf_counter()
        planner.earliest_arrival(
            tt, planner.stop_endpoints(tt, a), planner.stop_endpoints(tt, b, arriving=True), depart
        )
        direct_ms.append((time.perf_counter() - t0) * 1000)
    print(f"{QUERIES} queries, {found} with a journey")
    print(
        f"API end to end: median {statistics.median(api_ms):.1f} ms, "
        f"p95 {percentile(api_ms, 0.95):.1f} ms (target ≤ 50 ms)"
    )
    print(
        f"planner alone (peer): median {statistics.median(direct_ms):.1f} ms, "
        f"p95 {percentile(direct_ms, 0.95):.1f} ms; web layer ratio "
        f"{statistics.median(api_ms) / max(statistics.median(direct_ms), 1e-6):.1f}×"
    )
    board_ms = []
    for a, _b, depart in queries[:100]:
        t0 = time.perf_counter()
        response = client.get(
            f"/api/transit/stops/{a}/departures", {"feed": NAME, "at": depart.isoformat()}
        )
        board_ms.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    print(
        f"stop board API: median {statistics.median(board_ms):.1f} ms, "
        f"p95 {percentile(board_ms, 0.95):.1f} ms"
    )
    del selectors


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="transit-bench-") as folder:
        if os.environ.get("BENCH_SKIP_IMPORT") != "1":
            bench_import(Path(folder))
        bench_api(Path(folder))


if __name__ == "__main__":
    main()
