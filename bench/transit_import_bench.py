"""GTFS import throughput: stop_times per second of CPU, on SQLite and PostgreSQL.

Runs `manage.py import_gtfs` in a child process on a scratch SQLite file and on PostgreSQL
(DATABASE_URL, default the transit helper's database), after `migrate`; reports wall time, CPU
time of the child (user + system, what the machine's other load does not inflate), stop_times
per CPU second (goal ≥ 40,000), the same for the import alone as the command prints it (its
CPU without the process's start-up), and peak RSS (memory stays flat: rows are streamed). The
validator runs first inside the import; its share is measured apart in the same run.

Usage: .venv/bin/python bench/transit_import_bench.py [--feed PATH] [--only sqlite|postgresql]
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://guichet:guichet@127.0.0.1:5432/guichet_transit"


def data_dir() -> Path:
    for candidate in (ROOT.parent / "shared/data/gtfs", os.environ.get("GUICHET_GTFS_DATA")):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    sys.exit("GTFS data not found")


def child(args: list[str], env: dict) -> tuple[float, float, float, str]:
    """(wall s, cpu s, peak RSS MB, stdout) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    out = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode:
        sys.exit(out.stdout + out.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024, out.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feed", type=Path, default=None, help="GTFS zip (default subway.zip)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    args = parser.parse_args()
    feed = args.feed or data_dir() / "subway.zip"
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        targets = {
            "sqlite": f"sqlite:///{folder}/bench.sqlite3",
            "postgresql": os.environ.get("DATABASE_URL", DEFAULT_PG),
        }
        env0 = {**os.environ, "GUICHET_TRANSIT_TIMETABLE_DIR": "", "GUICHET_DEBUG": "1"}
        code = (
            "import sys, time, resource; from guichet.transit.validation import validate; "
            "t = time.process_time(); r = validate(sys.argv[1]); "
            "print(time.process_time() - t, r.summary())"
        )
        wall, cpu, _rss, out = child([python, "-c", code, str(feed)], env0)
        validate_cpu = float(out.split()[0])
        print(f"{feed.name}: validation alone {validate_cpu:.1f} s CPU")
        for name, url in targets.items():
            if args.only and name != args.only:
                continue
            env = {**env0, "DATABASE_URL": url}
            child([python, "manage.py", "migrate", "-v", "0"], env)
            wall, cpu, rss, out = child(
                [python, "manage.py", "import_gtfs", str(feed), "--name", "bench-import"], env
            )
            count = int(out.rsplit("stop_times.txt ", 1)[1].split(",")[0])
            # The command's own figure: validation + import, without the process's start-up
            # (Python, Django, Celery, numpy: ≈ 2 s), which an upload through a running server
            # does not pay.
            import_cpu = float(out.rsplit(" s de CPU)", 1)[0].rsplit("(", 1)[1])
            print(
                f"{name}: {count} stop_times in {wall:.1f} s wall, {cpu:.1f} s CPU — "
                f"{count / cpu:,.0f} stop_times/s of CPU (goal ≥ 40,000); "
                f"the import itself (validation included) {import_cpu:.1f} s CPU → "
                f"{count / import_cpu:,.0f}/s; "
                f"without validation {count / max(cpu - validate_cpu, 1e-9):,.0f}/s; "
                f"peak RSS {rss:.0f} MB"
            )
    print(f"load: {os.getloadavg()[0]:.1f} (1 min)")


if __name__ == "__main__":
    main()
