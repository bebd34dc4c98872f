"""Official Journal import speed: the bulk archive importer against the one-text-at-a-time one.

    .venv/bin/python bench/gazette_import_bench.py                 # SQLite, then PostgreSQL
    .venv/bin/python bench/gazette_import_bench.py --texts 2000 --database sqlite

Per database, in one run: (1) the peer, `archive_import.import_archive_text` (one text per
call, as before), on 300 one-article texts; (2) `archive_import.import_archive_texts` on --texts
one-article texts (10,000 by default) in batches of 2,000; (3) one 500-article code as one text;
then the audit trail is counted (one `gazette.text.imported` entry per text). Articles are real
French articles of @socialgouv/legi-data (var/bench/legi, see gazette_bench.py), or generated ones.
Goals (issue 11): ≥ 200 texts/s on SQLite, ≥ 100 texts/s on PostgreSQL, the code in < 10 s.
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get(
    "GUICHET_BENCH_IMPORT_PG", "postgres://guichet:guichet@127.0.0.1:5432/guichet_gazette_import"
)
PEER_TEXTS = 300
BATCH = 2000


def schedstat(pid: str | int = "self") -> tuple[float, float]:
    """(seconds on a CPU, seconds waiting for one on the run queue) of a process, from Linux's
    /proc/PID/schedstat: wall − both = time blocked (disk, the database server, locks)."""
    with open(f"/proc/{pid}/schedstat") as handle:
        on_cpu, waiting, _slices = handle.read().split()
    return int(on_cpu) / 1e9, int(waiting) / 1e9


def corpus() -> list[tuple[str, str]]:
    from gazette_bench import fetch_legi, generated_articles, legi_articles

    data = fetch_legi()
    return legi_articles(data) if data is not None else generated_articles(5000)


def run(database: str, count: int) -> dict:
    from gazette_relevance_bench import setup

    setup(database, name="import", pg_url=PG_URL)
    from django.db import transaction

    from guichet.audit.models import AuditEntry
    from guichet.gazette import archive_import
    from guichet.gazette.content import PartInput, counts_of

    articles = corpus()

    def text(index: int, year: int, parts=None) -> dict:
        title, body = articles[index % len(articles)]
        parts = parts or [PartInput(kind="article", num="1", text=body)]
        return {
            "doctype": "loi",
            "number": f"{year}-{index + 1}",
            "signed_on": datetime.date(year, 1, 1) + datetime.timedelta(days=index % 360),
            "title": title,
            "parts": parts,
            "expected": counts_of(parts),
        }

    figures: dict = {"database": database, "texts": count}
    started = time.perf_counter()
    with transaction.atomic():
        for index in range(PEER_TEXTS):
            archive_import.import_archive_text(actor=None, **text(index, 1961))
    figures["one_by_one_texts_per_s"] = PEER_TEXTS / (time.perf_counter() - started)

    from django.db import connection

    server = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            server = cursor.fetchone()[0]
    started, cpu = time.perf_counter(), time.process_time()
    sched, server_sched = schedstat(), schedstat(server) if server else (0.0, 0.0)
    for offset in range(0, count, BATCH):
        batch = [
            archive_import.ArchiveText(**text(index, 1962 + index // 9000))
            for index in range(offset, min(count, offset + BATCH))
        ]
        archive_import.import_archive_texts(actor=None, texts=batch)
    wall = time.perf_counter() - started
    figures["bulk_texts_per_s"] = count / wall
    # CPU time of this process: what the machine's load does not change (the database's own work
    # is in it on SQLite, not on PostgreSQL: its server process is measured beside).
    figures["bulk_cpu_texts_per_s"] = count / (time.process_time() - cpu)
    on_cpu, waiting = (b - a for a, b in zip(sched, schedstat(), strict=True))
    figures["bulk_wall_s"], figures["bulk_on_cpu_s"], figures["bulk_runqueue_s"] = (
        wall,
        on_cpu,
        waiting,
    )
    figures["bulk_blocked_s"] = wall - on_cpu - waiting
    if server:
        server_cpu, server_wait = (
            b - a for a, b in zip(server_sched, schedstat(server), strict=True)
        )
        figures["server_cpu_s"], figures["server_runqueue_s"] = server_cpu, server_wait

    code_parts = [
        PartInput(kind="article", num=f"L. {100 + i // 10}-{1 + i % 10}", text=articles[i][1])
        for i in range(500)
    ]
    started = time.perf_counter()
    archive_import.import_archive_texts(
        actor=None, texts=[archive_import.ArchiveText(**text(0, 2020, code_parts))]
    )
    figures["code_500_articles_s"] = time.perf_counter() - started
    figures["audit_entries"] = AuditEntry.objects.filter(action="gazette.text.imported").count()
    figures["texts_imported"] = PEER_TEXTS + count + 1
    return figures


def report(database: str, f: dict) -> str:
    server = (
        f"; server process {f['server_cpu_s']:.1f} s on CPU, {f['server_runqueue_s']:.1f} s "
        "waiting for one"
        if "server_cpu_s" in f
        else ""
    )
    return (
        f"{database}: bulk {f['bulk_texts_per_s']:.0f} texts/s ({f['texts']} texts; "
        f"CPU {f['bulk_cpu_texts_per_s']:.0f} texts/s; wall {f['bulk_wall_s']:.1f} s = "
        f"{f['bulk_on_cpu_s']:.1f} s on CPU + {f['bulk_runqueue_s']:.1f} s waiting for a CPU "
        f"+ {f['bulk_blocked_s']:.1f} s blocked{server}), "
        f"one by one {f['one_by_one_texts_per_s']:.0f} texts/s "
        f"(×{f['bulk_texts_per_s'] / f['one_by_one_texts_per_s']:.1f}), "
        f"500-article code {f['code_500_articles_s']:.2f} s, "
        f"audit entries {f['audit_entries']} for {f['texts_imported']} texts"
    )


if __name__ == "__main__":
    from per_database import main

    main(__file__, __doc__, run, report, texts=10_000, database="both")
