"""The entry point the Official Journal benches share: one fresh process per database.

`main(script, doc, run, report, …)` parses `--texts`, `--database` (sqlite, postgres or both) and
the hidden `--one DATABASE`; with `--one` it prints `run(database, texts)` as JSON (the child),
otherwise it runs the script once per database in a fresh process and prints `report(database,
figures)` for each, between the load averages before and after (figures are read beside them).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable


def per_database(script: str, databases: list[str], extra: list[str]):
    """Run `script --one DATABASE …` in a fresh process per database; yield (database, figures)."""
    for database in databases:
        done = subprocess.run(
            [sys.executable, script, "--one", database, *extra],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            sys.exit(1)
        yield database, json.loads(done.stdout.strip().splitlines()[-1])


def main(
    script: str,
    doc: str,
    run: Callable[[str, int], dict],
    report: Callable[[str, dict], str],
    *,
    texts: int,
    database: str,
) -> None:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--texts", type=int, default=texts)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default=database)
    parser.add_argument("--one", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run(args.one, args.texts)))
        return
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    print(f"load average before: {os.getloadavg()}")
    for name, figures in per_database(script, databases, ["--texts", str(args.texts)]):
        print(report(name, figures))
    print(f"load average after: {os.getloadavg()}")
