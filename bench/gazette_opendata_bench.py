"""Official Journal open data: `textes.zip` served as a prebuilt file, at 100,000 texts.

    .venv/bin/python bench/gazette_opendata_bench.py                   # SQLite, 100,000 texts
    .venv/bin/python bench/gazette_opendata_bench.py --texts 20000 --database postgres

Loads --texts one-article published texts (works, frozen expressions, parts: bulk rows, as
gazette_bench.py) once: the database is kept between runs (var/bench/opendata-sqlite, or
GUICHET_BENCH_OPENDATA_PG) and loaded again only when its count differs. Then, timed in CPU
(`time.process_time`) and wall: a full build (`opendata.build()`: every year rendered, the full
archive assembled from the parts) and an incremental one after one text of one year changed
(`opendata.build(years=[…])`, what the background task runs after a publication); then 30
anonymous GET /journal-officiel/donnees/textes.zip through Django's test client: time to the
response (headers, nothing built) and to the whole file read. Goal: < 100 ms.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get(
    "GUICHET_BENCH_OPENDATA_PG",
    "postgres://guichet:guichet@127.0.0.1:5432/guichet_gazette_opendata",
)
REQUESTS = 30


def load(count: int) -> None:
    from django.db import transaction
    from gazette_import_bench import corpus

    from guichet.gazette.models import Expression, Part, Work

    articles = corpus()
    doctypes = ["loi", "decret", "arrete", "ordonnance"]
    for offset in range(0, count, 5000):
        with transaction.atomic():
            works = Work.objects.bulk_create(
                [
                    Work(
                        frbr_uri=f"/akn/ne/act/{doctypes[i % 4]}/{1960 + i % 66}/{i + 1}",
                        doctype=doctypes[i % 4],
                        number=f"{1960 + i % 66}-{i + 1}",
                        number_normalized=f"{1960 + i % 66}-{i + 1}",
                        year=1960 + i % 66,
                        sequence=i + 1,
                        signed_on=datetime.date(1960 + i % 66, 1 + i % 12, 1 + i % 28),
                        title=articles[i % len(articles)][0][:300] or "Dispositions",
                        status=Work.Status.PUBLISHED,
                        published_on=datetime.date(1960 + i % 66, 1 + i % 12, 1 + i % 28),
                    )
                    for i in range(offset, min(count, offset + 5000))
                ]
            )
            expressions = Expression.objects.bulk_create(
                [Expression(work=w, date=w.signed_on, is_original=True, frozen=True) for w in works]
            )
            Part.objects.bulk_create(
                [
                    Part(
                        expression=e,
                        order=0,
                        kind="article",
                        eid="art_1",
                        num="1",
                        text=articles[(offset + k) % len(articles)][1],
                    )
                    for k, e in enumerate(expressions)
                ]
            )


def _timed(call):
    started, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - started, time.process_time() - cpu


def run(database: str, count: int) -> dict:
    from gazette_relevance_bench import setup

    # The texts loaded by the last run, kept with its database (published texts cannot be deleted).
    marker = ROOT / "var" / "bench" / f"opendata-{database}" / "texts-loaded"
    reuse = marker.exists() and marker.read_text() == str(count)
    setup(database, name="opendata", pg_url=PG_URL, fresh=not reuse)
    import zipfile

    from django.core.files.storage import default_storage
    from django.test import Client

    from guichet.gazette import opendata, selectors
    from guichet.gazette.models import Part, Work

    figures: dict = {"database": database, "texts": count}
    figures["load_s"] = 0.0
    if not reuse:
        _done, figures["load_s"], _cpu = _timed(lambda: load(count))
        marker.write_text(str(count))
    built, figures["build_s"], figures["build_cpu_s"] = _timed(opendata.build)
    figures["zip_bytes"] = built["files"]["textes.zip"]["size"]
    figures["years"] = sum(name.startswith("jo-") for name in built["files"])
    with default_storage.open(opendata.stored_file("textes.zip")[0], "rb") as handle:
        archive = zipfile.ZipFile(handle)
        assert archive.testzip() is None  # every member's CRC, ZIP64 past 65,535 members
        figures["members"] = len(archive.infolist())
    # One text of one year changed, as a publication would: only that year is rendered again.
    year = 2000
    work = Work.objects.filter(published_on__year=year).order_by("pk").first()
    Part.objects.filter(expression=selectors.expression_at(work)).update(text="Texte modifié.")
    figures["year_texts"] = Work.objects.filter(published_on__year=year).count()
    again, figures["incremental_s"], figures["incremental_cpu_s"] = _timed(
        lambda: opendata.build(years=[year])
    )
    assert again["rendered"] == [year]
    client = Client(HTTP_HOST="localhost")
    to_response, to_end = [], []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get("/journal-officiel/donnees/textes.zip")
        to_response.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        size = sum(len(chunk) for chunk in response.streaming_content)
        to_end.append((time.perf_counter() - started) * 1000)
        response.close()
        assert size == again["files"]["textes.zip"]["size"]
    first = to_response.pop(0)  # URL configuration and imports, once per process
    figures["response_first_ms"] = first
    figures["response_median_ms"] = statistics.median(to_response)
    figures["response_p95_ms"] = statistics.quantiles(to_response, n=20)[-1]
    figures["whole_file_median_ms"] = statistics.median(to_end[1:])
    figures["whole_file_p95_ms"] = statistics.quantiles(to_end[1:], n=20)[-1]
    return figures


def report(database: str, f: dict) -> str:
    return (
        f"{database}: {f['texts']} texts in {f['years']} years, textes.zip "
        f"{f['zip_bytes'] / 1e6:.1f} MB ({f['members']} members); full build "
        f"{f['build_s']:.1f} s wall / {f['build_cpu_s']:.1f} s CPU "
        f"({f['build_cpu_s'] * 1000 / f['texts']:.2f} ms CPU a text); one year changed "
        f"({f['year_texts']} texts) {f['incremental_s']:.1f} s wall / "
        f"{f['incremental_cpu_s']:.1f} s CPU (×{f['build_cpu_s'] / f['incremental_cpu_s']:.1f} "
        f"less CPU); GET textes.zip: response median {f['response_median_ms']:.1f} ms, p95 "
        f"{f['response_p95_ms']:.1f} ms (first of the process {f['response_first_ms']:.0f} ms), "
        f"whole file median {f['whole_file_median_ms']:.0f} ms, p95 "
        f"{f['whole_file_p95_ms']:.0f} ms; load {f['load_s']:.0f} s"
    )


if __name__ == "__main__":
    from per_database import main

    main(__file__, __doc__, run, report, texts=100_000, database="sqlite")
