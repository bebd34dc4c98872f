"""Times the Official Journal search of one checkout of the code over an existing database.

    .venv/bin/python bench/gazette_search_timing.py --code . --database sqlite --run-dir DIR
    .venv/bin/python bench/gazette_search_timing.py --code ../old-checkout --database postgres

Run by `gazette_bench.py` for the code under test and for an older checkout (the peer), one after
the other and in turns, against the same database files: both searches are measured in one run,
under the same load. `--code` is put first on sys.path, so `guichet` is that checkout's package;
the database must already be built (by gazette_bench.py) and is only read.

Per query and pass, three figures: wall time (`time.perf_counter`), CPU time of this process
(`time.process_time`: Python and, on SQLite, the database engine itself) and, on PostgreSQL, the
CPU time of the server process serving the connection (its `/proc/PID/schedstat`, in ns). The same
three for the API (`GET /api/gazette/search` through Django's test client: URL routing,
middleware, DRF validation and serialisation, JSON). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

# The mix of gazette_bench.QUERIES: (query, options). Kept here so that this script runs alone.
QUERIES = [
    ("abrogation", {}),
    ("données personnelles", {}),
    ("licenciement", {}),
    ("contrat de travail", {}),
    ('"contrat de travail"', {}),
    ("salarié employeur", {}),
    ("cotisations sociales", {}),
    ("sécurité sociale", {}),
    ("securite sociale", {}),
    ("exploitation agricole", {}),
    ("bail rural", {}),
    ("administration", {}),
    ("décret", {}),
    ("délai de recours", {}),
    ("indemnité", {"sort": "date"}),
    ("assurance maladie", {"doctype": "decret"}),
    ("travail", {"status": "in_force"}),
    ("pension de retraite", {}),
    ("mutualité", {}),
    ("prud'hommes", {}),
    ("harcèlement moral", {}),
    ("accident du travail", {"date_from": "2000-01-01"}),
    ("fermage", {}),
    ("comité social et économique", {}),
    ("2015-123", {}),
    # Inflected forms and typos over common stems: the ranking by levels of word forms.
    ("salariés licenciés", {}),
    ("attribuent", {}),
    ("cotisatoins", {}),
]


def _server_cpu_ns(pid: int | None) -> int:
    if pid is None:
        return 0
    with open(f"/proc/{pid}/schedstat") as stat:
        return int(stat.read().split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", required=True, help="root of the checkout to time")
    parser.add_argument("--database", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--run-dir", required=True, help="GUICHET_VAR_DIR of the SQLite file")
    parser.add_argument("--pg-url", default="")
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()

    sys.path.insert(0, str(Path(args.code).resolve()))
    os.environ.update(
        GUICHET_DEBUG="1",
        GUICHET_VAR_DIR=args.run_dir,
        GUICHET_LOG_LEVEL="WARNING",
        GUICHET_ALLOWED_HOSTS="testserver",
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "guichet.settings"
    if args.database == "postgres":
        os.environ["DATABASE_URL"] = args.pg_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections
    from django.test import Client

    import guichet.gazette.search as search

    settings.DEBUG = False  # no query log: as in production (same middleware either way)
    readonly = connections["readonly"]
    readonly.settings_dict["CONN_MAX_AGE"] = None  # one server process for the whole run
    readonly.ensure_connection()
    pid = None
    if readonly.vendor == "postgresql":
        with readonly.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
    client = Client()

    def filters_of(options):
        return search.Filters(
            doctype=options.get("doctype", ""),
            status=options.get("status", ""),
            date_from=datetime.date.fromisoformat(options["date_from"])
            if "date_from" in options
            else None,
        )

    def api_params(query, options):
        params = {"q": query}
        for key, name in (("doctype", "type"), ("status", "status"), ("sort", "sort")):
            if key in options:
                params[name] = options[key]
        if "date_from" in options:
            params["from"] = options["date_from"]
        return params

    def timed(call):
        wall, cpu, server = time.perf_counter(), time.process_time(), _server_cpu_ns(pid)
        value = call()
        return value, (
            (time.perf_counter() - wall) * 1000,
            (time.process_time() - cpu) * 1000,
            (_server_cpu_ns(pid) - server) / 1e6,
        )

    per_query = {}
    for query, options in QUERIES:  # warm-up: caches, dictionary, prepared plans
        search.search(query, filters_of(options), sort=options.get("sort", "relevance"))
        client.get("/api/gazette/search", api_params(query, options))
    for _ in range(args.passes):
        for query, options in QUERIES:
            key = query + (f" {options}" if options else "")
            entry = per_query.setdefault(key, {"search": [], "api": [], "count": 0, "top": []})
            result, figures = timed(
                lambda q=query, o=options: search.search(
                    q, filters_of(o), sort=o.get("sort", "relevance")
                )
            )
            entry["search"].append(figures)
            entry["count"] = result.count
            entry["top"] = [hit.work_id for hit in result.hits]
            response, figures = timed(
                lambda q=query, o=options: client.get("/api/gazette/search", api_params(q, o))
            )
            if response.status_code != 200:
                sys.exit(f"API {response.status_code} for {key!r}: {response.content[:300]!r}")
            entry["api"].append(figures)
    if pid is not None:
        with readonly.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] == pid, "the server process changed during the run"
    print(json.dumps({"code": args.code, "database": args.database, "queries": per_query}))


if __name__ == "__main__":
    main()
