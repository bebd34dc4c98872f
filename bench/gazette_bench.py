"""Official Journal search benchmark: 100,000 texts, French full-text queries with snippets.

    .venv/bin/python bench/gazette_bench.py                 # SQLite, then PostgreSQL if reachable
    .venv/bin/python bench/gazette_bench.py --texts 20000   # smaller run
    .venv/bin/python bench/gazette_bench.py --database sqlite

Corpus: the npm package @socialgouv/legi-data (French codes, article by article, as JSON), fetched
once with `npm pack` into var/bench/legi (outside git). Each article becomes one text (a "loi",
"décret", "arrêté" or "ordonnance" with a number, a date and the article's section as title); the
~30,000 articles are reused with different numbers and dates to reach the count asked for. Without
npm, a generated French corpus is used instead (said in the output).

Measured in one run, per database: the importer's rate through the real service
(`import_archive_text`, texts/s), the bulk load and full-text index build time for the whole corpus,
then the latency of `search.search()` (count + ranked page of 20 + snippets) over a fixed mix of
queries: median and 95th percentile, against the targets (20 ms, 50 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench"
LEGI_DIR = CACHE / "legi"
PG_URL = os.environ.get(
    "GUICHET_BENCH_PG", "postgres://guichet:guichet@127.0.0.1:5432/guichet_bench"
)
TARGET_MEDIAN_MS = 20
TARGET_P95_MS = 50

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
]


# -- Corpus -------------------------------------------------------------------------------------


def fetch_legi() -> Path | None:
    """The package's data directory, fetched once with npm into var/bench/legi."""
    data = LEGI_DIR / "package" / "data"
    if data.exists():
        return data
    if shutil.which("npm") is None:
        return None
    LEGI_DIR.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["npm", "pack", "@socialgouv/legi-data"],
        cwd=LEGI_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        print(f"npm pack failed: {result.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    archive = next(LEGI_DIR.glob("socialgouv-legi-data-*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(LEGI_DIR, filter="data")
    return data if data.exists() else None


def legi_articles(data: Path) -> list[tuple[str, str]]:
    """(title, text) for every article of every code in the package."""
    articles = []

    def walk(node, path):
        data_ = node.get("data", {})
        if node.get("type") == "article":
            text = " ".join((data_.get("texte") or "").split())
            if text:
                title = f"{path[-1] if path else 'Dispositions'} — article {data_.get('num', '')}"
                articles.append((title[:300], text))
            return
        title = data_.get("title")
        for child in node.get("children", []):
            walk(child, [*path, title] if title else path)

    for file in sorted(data.glob("LEGITEXT*.json")):
        walk(json.loads(file.read_text(encoding="utf-8")), [])
    return articles


def generated_articles(count: int) -> list[tuple[str, str]]:
    rng = random.Random(7)
    words = [
        "loi",
        "décret",
        "arrêté",
        "ordonnance",
        "article",
        "alinéa",
        "dispositions",
        "abrogation",
        "abrogé",
        "modifié",
        "travail",
        "salarié",
        "employeur",
        "contrat",
        "licenciement",
        "indemnité",
        "sécurité",
        "sociale",
        "données",
        "personnelles",
        "commission",
        "autorité",
        "ministre",
        "administration",
        "délai",
        "recours",
        "tribunal",
        "exploitation",
        "agricole",
        "bail",
        "rural",
        "cotisations",
        "pension",
        "retraite",
        "assurance",
        "maladie",
        "accident",
        "harcèlement",
        "moral",
        "mutualité",
        "comité",
        "social",
        "économique",
        "collectivités",
        "État",
    ]
    return [
        (" ".join(rng.choices(words, k=6)), " ".join(rng.choices(words, k=rng.randint(30, 150))))
        for _ in range(count)
    ]


# -- One database ---------------------------------------------------------------------------------


def setup_django(database: str) -> None:
    run_dir = CACHE / f"run-{database}"
    run_dir.mkdir(parents=True, exist_ok=True)
    os.environ["GUICHET_DEBUG"] = "1"
    os.environ["GUICHET_VAR_DIR"] = str(run_dir)
    os.environ["GUICHET_LOG_LEVEL"] = "WARNING"
    if database == "postgres":
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ.pop("DATABASE_URL", None)
        for suffix in ("", "-wal", "-shm"):
            path = run_dir / f"guichet.sqlite3{suffix}"
            if path.exists():
                path.unlink()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    sys.path.insert(0, str(ROOT))
    if database == "postgres":
        import psycopg

        admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS guichet_bench")
            conn.execute("CREATE DATABASE guichet_bench")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def run_one(database: str, count: int, corpus: list[tuple[str, str]]) -> dict:
    setup_django(database)
    import datetime

    from django.db import connection, transaction

    from guichet.gazette import search, services
    from guichet.gazette.content import PartInput
    from guichet.gazette.models import SearchEntry, Work

    rng = random.Random(42)
    doctypes = ["loi", "decret", "arrete", "ordonnance"]
    figures: dict = {"database": database, "texts": count}

    # 1. The importer, through the real service (number parsing, citations, audit, index).
    sample = 300
    started = time.perf_counter()
    with transaction.atomic():
        for index in range(sample):
            title, text = corpus[index % len(corpus)]
            services.import_archive_text(
                actor=None,
                doctype="loi",
                number=f"1999-{index + 1}",
                signed_on=datetime.date(1999, 1, 1) + datetime.timedelta(days=index % 360),
                title=title,
                parts=[PartInput(kind="article", num="1", text=text)],
            )
    figures["importer_texts_per_s"] = sample / (time.perf_counter() - started)

    # 2. Bulk load of the rest: analysis in Python, then rows and the full-text index.
    analysed = []
    started = time.perf_counter()
    for index in range(count - sample):
        title, text = corpus[index % len(corpus)]
        year = 1960 + index % 66
        doctype = doctypes[index % 4]
        analysed.append(
            (
                index,
                year,
                doctype,
                title,
                text,
                search.analysis(f"{doctype} {title}", text),
            )
        )
    figures["analysis_s"] = time.perf_counter() - started
    started = time.perf_counter()
    batch = 5000
    for offset in range(0, len(analysed), batch):
        chunk = analysed[offset : offset + batch]
        with transaction.atomic():
            works = Work.objects.bulk_create(
                [
                    Work(
                        frbr_uri=f"/akn/ne/act/{doctype}/{year}/{index + 1}",
                        doctype=doctype,
                        number=f"{year}-{index + 1}",
                        number_normalized=f"{year}-{index + 1}",
                        year=year,
                        sequence=index + 1,
                        signed_on=datetime.date(year, 1 + index % 12, 1 + index % 28),
                        title=title,
                        status=Work.Status.PUBLISHED,
                        published_on=datetime.date(year, 1 + index % 12, 1 + index % 28),
                    )
                    for index, year, doctype, title, _text, _analysed in chunk
                ]
            )
            SearchEntry.objects.bulk_create(
                [
                    SearchEntry(
                        work=work,
                        doctype=work.doctype,
                        number_normalized=work.number_normalized,
                        authority_code="",
                        signed_on=work.signed_on,
                        title=work.title,
                        body=text,
                        stem_title=analysed_.stem_title,
                        stem_body=analysed_.stem_body,
                        word_forms=analysed_.word_forms,
                        in_force=rng.random() > 0.1,
                    )
                    for work, (_i, _y, _d, _t, text, analysed_) in zip(works, chunk, strict=True)
                ]
            )
    figures["load_s"] = time.perf_counter() - started
    # The index alone, rebuilt from the stored rows.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Rebuild through the trigger's own SQL: touch every row once.
            cursor.execute("DELETE FROM gazette_fts")
            cursor.execute("UPDATE gazette_searchentry SET in_force = in_force")
            cursor.execute("INSERT INTO gazette_fts(gazette_fts) VALUES ('optimize')")
        else:
            cursor.execute("REINDEX INDEX gazette_searchkey_document")
            cursor.execute("ANALYZE gazette_searchkey")
            cursor.execute("ANALYZE gazette_searchentry")
    figures["index_build_s"] = time.perf_counter() - started

    # 3. Queries: a warm-up pass, then five timed passes over the mix.
    latencies = []
    per_query = {}
    for query, options in QUERIES:
        filters = search.Filters(
            doctype=options.get("doctype", ""),
            status=options.get("status", ""),
            date_from=datetime.date.fromisoformat(options["date_from"])
            if "date_from" in options
            else None,
        )
        search.search(query, filters, sort=options.get("sort", "relevance"), using="default")
        times = []
        for _ in range(5):
            started = time.perf_counter()
            result = search.search(
                query, filters, sort=options.get("sort", "relevance"), using="default"
            )
            times.append((time.perf_counter() - started) * 1000)
        latencies.extend(times)
        per_query[query + (f" {options}" if options else "")] = (
            statistics.median(times),
            result.count,
        )
    # Peer in the same run: what search costs without the full-text index (LIKE over the text).
    peer = []
    with connection.cursor() as cursor:
        for word in ("licenciement", "fermage", "administration"):
            started = time.perf_counter()
            cursor.execute(
                "SELECT work_id FROM gazette_searchentry WHERE LOWER(body) LIKE %s "
                "ORDER BY signed_on DESC LIMIT 20",
                [f"%{word}%"],
            )
            cursor.fetchall()
            peer.append((time.perf_counter() - started) * 1000)
    figures["peer_like_ms"] = statistics.median(peer)
    latencies.sort()
    figures["median_ms"] = statistics.median(latencies)
    figures["p95_ms"] = latencies[int(len(latencies) * 0.95) - 1]
    figures["slowest"] = sorted(per_query.items(), key=lambda item: -item[1][0])[:5]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.database == "both":
        results = []
        for database in ("sqlite", "postgres"):
            command = [
                sys.executable,
                __file__,
                "--texts",
                str(args.texts),
                "--database",
                database,
                "--json",
            ]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"{database}: failed\n{done.stderr[-1500:]}")
                continue
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        report(results)
        return
    data = fetch_legi()
    if data is not None:
        corpus = legi_articles(data)
        source = f"@socialgouv/legi-data ({len(corpus)} articles)"
    else:
        corpus = generated_articles(30_000)
        source = "generated corpus (npm unavailable)"
    figures = run_one(args.database, args.texts, corpus)
    figures["corpus"] = source
    if args.json:
        print(json.dumps(figures))
    else:
        report([figures])


def report(results: list[dict]) -> None:
    for figures in results:
        verdict = (
            "OK"
            if figures["median_ms"] < TARGET_MEDIAN_MS and figures["p95_ms"] < TARGET_P95_MS
            else "ABOVE TARGET"
        )
        print(f"\n== {figures['database']} — {figures['texts']:,} texts — {figures['corpus']}")
        print(f"importer (service, one by one): {figures['importer_texts_per_s']:.0f} texts/s")
        print(f"analysis (stemming):            {figures['analysis_s']:.1f} s")
        print(f"bulk load (rows + index):       {figures['load_s']:.1f} s")
        print(f"full-text index build:          {figures['index_build_s']:.1f} s")
        print(
            f"search median: {figures['median_ms']:.1f} ms (target {TARGET_MEDIAN_MS}), "
            f"p95: {figures['p95_ms']:.1f} ms (target {TARGET_P95_MS}) — {verdict}"
        )
        print(
            f"peer, LIKE scan without index:  {figures['peer_like_ms']:.1f} ms "
            f"(ratio to search median {figures['peer_like_ms'] / figures['median_ms']:.0f}x)"
        )
        for query, (median, count) in figures["slowest"]:
            print(f"   slowest: {query!r}: {median:.1f} ms, {count:,} hits")
    if len(results) == 2:
        a, b = results
        print(
            f"\nratio {b['database']}/{a['database']}: median "
            f"{b['median_ms'] / a['median_ms']:.2f}x, p95 {b['p95_ms'] / a['p95_ms']:.2f}x"
        )


if __name__ == "__main__":
    main()
