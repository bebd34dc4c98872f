"""Official Journal open data: `textes.zip` served as a prebuilt file, at 100,000 texts.

    .venv/bin/python bench/gazette_opendata_bench.py                   # SQLite, 100,000 texts
    .venv/bin/python bench/gazette_opendata_bench.py --texts 20000 --database postgres

Loads --texts one-article published texts (works, frozen expressions, parts: bulk rows, as
gazette_bench.py), builds the open data once (`opendata.build`, what the background task runs
after a publication: the peer, i.e. what every anonymous request cost before issue 11), then
times 30 anonymous GET /journal-officiel/donnees/textes.zip through Django's test client: time
to the response (headers, nothing built) and to the whole file read. Goal: < 100 ms.
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


def run(database: str, count: int) -> dict:
    from gazette_relevance_bench import setup

    setup(database, name="opendata", pg_url=PG_URL)
    from django.test import Client

    from guichet.gazette import opendata

    figures: dict = {"database": database, "texts": count}
    started = time.perf_counter()
    load(count)
    figures["load_s"] = time.perf_counter() - started
    started = time.perf_counter()
    built = opendata.build()
    figures["build_s"] = time.perf_counter() - started
    figures["zip_bytes"] = built["files"]["textes.zip"]["size"]
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
        assert size == figures["zip_bytes"]
    figures["response_median_ms"] = statistics.median(to_response)
    figures["response_max_ms"] = max(to_response)
    figures["whole_file_median_ms"] = statistics.median(to_end)
    return figures


def report(database: str, f: dict) -> str:
    return (
        f"{database}: {f['texts']} texts, textes.zip {f['zip_bytes'] / 1e6:.1f} MB; "
        f"build (background task) {f['build_s']:.1f} s; GET: response median "
        f"{f['response_median_ms']:.1f} ms (max {f['response_max_ms']:.1f}), whole file "
        f"{f['whole_file_median_ms']:.1f} ms; build / response ×"
        f"{f['build_s'] * 1000 / f['response_median_ms']:.0f}"
    )


if __name__ == "__main__":
    from per_database import main

    main(__file__, __doc__, run, report, texts=100_000, database="sqlite")
