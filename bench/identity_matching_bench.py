"""Identity matching of the criminal record: quality on synthetic Niger identities, and candidate
search latency on a register of 1 million persons in PostgreSQL.

(a) Quality — `guichet.criminal_records.synthetic.generate(BENCH_IDENTITIES)`: Hausa, Zarma,
    Fulfulde, Kanuri, Tuareg and Arabic-origin names, communes of the reference data, twins,
    homonyms (same names and year, other birthplace or other parents), « né vers ». Queries:
    every sampled person under one spelling variant and a ± 2-year « né vers » (10 % in swapped
    order, 30 % without parents); every homonym asking for his own record (which exists or not).
    Same blocking keys and scoring as `matching.search`, in memory.
    Figures: recall of the top candidate, over all queries and over the queries that carry a
    fact telling their person apart from every namesake of the register (`synthetic.
    indistinguishable`: the others lack it, and an ambiguity is their right answer — how they
    are handled is reported separately), recall counting an ambiguity that names the person
    among its contenders, precision of the « probable » top candidates, homonym false links
    (a homonym « probable » and not flagged as ambiguous).
(b) Latency — a fresh PostgreSQL database (BENCH_PG_URL), migrated; BENCH_PERSONS persons
    (default 1,000,000) and their blocking keys written with COPY; then `matching.search` for
    BENCH_QUERIES queries (variants of persons of the register, and persons absent from it);
    p50 / p95 / max in ms, and the blocking query's plan (index scan, no sequential scan).
    Peer: the same queries' blocking step alone (one indexed SELECT).

Environment: BENCH_PG_URL (default postgres://guichet:guichet@127.0.0.1:5432/postgres),
BENCH_IDENTITIES (default 5000), BENCH_SEEDS (default 10,1,2,3,4), BENCH_PERSONS (default
1000000), BENCH_QUERIES (default 300), BENCH_DATABASE (default guichet_identity_bench),
BENCH_SKIP_PG=1 to run (a) only, BENCH_SKIP_QUALITY=1 to run (b) only, BENCH_REUSE=1 to keep the
register after the run and to query the one an earlier run kept (when it holds BENCH_PERSONS
persons) instead of building it again, BENCH_SHOW_MISSES=1 to print the queries not found first that carried a distinguishing
fact.
"""

import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://guichet:guichet@127.0.0.1:5432/postgres")
DATABASE = os.environ.get("BENCH_DATABASE", "guichet_identity_bench")
IDENTITIES = int(os.environ.get("BENCH_IDENTITIES", "5000"))
PERSONS = int(os.environ.get("BENCH_PERSONS", "1000000"))
QUERIES = int(os.environ.get("BENCH_QUERIES", "300"))
SEEDS = [int(seed) for seed in os.environ.get("BENCH_SEEDS", "10,1,2,3,4").split(",")]


def quality(seed: int) -> None:
    from guichet.criminal_records import matching, synthetic

    started = time.perf_counter()
    data = synthetic.generate(IDENTITIES, seed=seed)
    index, identities = defaultdict(set), dict(data.register)
    for pk, identity in data.register:
        for key in matching.blocking_keys(identity):
            index[key].add(pk)

    def search(query):
        block = set().union(*(index.get(key, set()) for key in matching.query_keys(query)))
        # As matching.search: at most MAX_SCORED of the block, in prerank order.
        ordered = sorted(block, key=lambda pk: (matching.prerank(query, identities[pk]), pk))
        known = ((pk, identities[pk]) for pk in ordered[: matching.MAX_SCORED])
        return matching.rank(query, known)

    lacking = synthetic.indistinguishable(data)
    top_right = among_contenders = probable_tops = probable_right = 0
    told_right = told_total = 0
    lacking_flagged = lacking_top = lacking_wrong_link = 0
    for i, (query, expected) in enumerate(data.variant_queries):
        result = search(query)
        top = result.candidates[0] if result.candidates else None
        right = bool(top and top.person == expected)
        flagged = expected in [c.person for c in result.contenders]
        top_right += right
        among_contenders += not right and flagged
        if top and top.probable and not result.ambiguous:
            probable_tops += 1
            probable_right += top.person == expected
        if i in lacking:
            lacking_top += right
            lacking_flagged += flagged or right
            lacking_wrong_link += bool(top and not right and top.probable and not result.ambiguous)
        else:
            told_total += 1
            told_right += right
            if not right and os.environ.get("BENCH_SHOW_MISSES") == "1":
                print("    miss:", query, "expected", identities[expected], result.candidates[:3])
    false_links = {"birthplace": 0, "parents": 0}
    asked = {"birthplace": 0, "parents": 0}
    own_first = own_total = 0
    for query, expected, what in data.homonym_queries:
        result = search(query)
        top = result.candidates[0] if result.candidates else None
        asked[what] += 1
        if expected is not None:
            own_total += 1
            own_first += bool(top and top.person == expected)
        if top and top.person != expected:
            if top.probable and not result.ambiguous:
                false_links[what] += 1
        elif top and top.probable and not result.ambiguous:
            probable_tops += 1
            probable_right += 1
    n = len(data.variant_queries)
    print(
        f"(a) seed {seed}: register {len(data.register)} synthetic identities, {n} variant "
        f"queries, {len(data.homonym_queries)} homonym queries, "
        f"{time.perf_counter() - started:.1f} s"
    )
    print(
        f"    recall of the top candidate (variant + ±2-year né vers), all queries: "
        f"{top_right}/{n} = {100 * top_right / n:.2f} %"
    )
    print(
        f"    … queries carrying a fact that tells their person apart: "
        f"{told_right}/{told_total} = {100 * told_right / max(told_total, 1):.2f} %"
    )
    print(
        f"    … queries lacking it (a namesake differing only by a fact not asked): "
        f"{len(lacking)}; the person first or among the contenders of an ambiguity "
        f"{lacking_flagged}, "
        f"person first {lacking_top}, someone else linked « probable » {lacking_wrong_link}"
    )
    print(
        f"    counting ambiguities naming the person among contenders: "
        f"{top_right + among_contenders}/{n} = {100 * (top_right + among_contenders) / n:.2f} %"
    )
    print(
        f"    precision of « probable » top candidates: {probable_right}/{probable_tops} = "
        f"{100 * probable_right / max(probable_tops, 1):.2f} %"
    )
    print(f"    homonyms whose own record comes first: {own_first}/{own_total}")
    for what in ("birthplace", "parents"):
        print(f"    homonym false links, differing by {what}: {false_links[what]}/{asked[what]}")


def qualities() -> None:
    for seed in SEEDS:
        quality(seed)


def _bench_db_url() -> str:
    parts = urlsplit(PG_ADMIN_URL)
    return urlunsplit(parts._replace(path=f"/{DATABASE}"))


def _register_size() -> int | None:
    """Persons in the register an earlier run left, or None when there is none."""
    import psycopg

    try:
        with psycopg.connect(_bench_db_url()) as conn:
            return conn.execute("SELECT count(*) FROM criminal_records_person").fetchone()[0]
    except psycopg.Error:
        return None


def latency() -> None:
    import psycopg

    reused = os.environ.get("BENCH_REUSE") == "1" and _register_size() == PERSONS
    if not reused:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
            admin.execute(f'CREATE DATABASE "{DATABASE}"')
    os.environ["DATABASE_URL"] = _bench_db_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    os.environ.setdefault("GUICHET_SECRET_KEY", "bench-only-" + "x" * 50)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"(b) migrated in {time.perf_counter() - started:.0f} s")

    from guichet.accounts.models import Commune
    from guichet.criminal_records import matching, synthetic
    from guichet.criminal_records.identity_comparison import Identity

    communes = list(Commune.objects.select_related("region").order_by("pk"))
    data = synthetic.generate(min(PERSONS, 20000), seed=11)
    pool = [identity for _, identity in data.register]
    key_cache: dict[tuple[str, str], set[str]] = {}

    def rows():
        for pk in range(1, PERSONS + 1):
            base = pool[pk % len(pool)]
            commune = communes[(pk * 7919) % len(communes)]
            # Variety beyond the pool: the year and commune shift with the row number.
            year = 1940 + (base.birth_year + pk) % 67
            yield pk, base, commune, year

    def person_line(pk, base, commune, year) -> str:
        values = [
            str(pk),
            base.last_name,
            base.first_names,
            "",
            base.sex,
            str(year),
            str(base.birth_month or r"\N"),
            str(base.birth_day or r"\N"),
            str(base.birth_year_margin),
            str(commune.pk),
            "",
            "",
            base.father_name,
            base.mother_name,
            "nigérienne",
            "",
            r"\N",
            "2026-12-01 00:00:00+00",
            r"\N",
        ]
        return "\t".join(values) + "\n"

    def keys_of(base, year) -> set[str]:
        names = (base.last_name, base.first_names)
        if names not in key_cache:
            key_cache[names] = matching.blocking_keys(
                Identity(last_name=names[0], first_names=names[1])
            )
        # As blocking_keys with the birth year: the last name's keys once more, with the year.
        keys = key_cache[names]
        return keys | {f"{key}:{year}" for key in keys if key.startswith("l:")}

    columns = (
        "id, last_name, first_names, other_spellings, sex, birth_year, birth_month, birth_day, "
        "birth_year_margin, birth_commune_id, birth_place, birth_country, father_name, "
        "mother_name, nationality, id_documents, merged_into_id, created_at, created_by_id"
    )
    if not reused:
        started = time.perf_counter()
        connection.ensure_connection()
        raw = connection.connection
        with raw.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE criminal_records_personnamekey DROP CONSTRAINT person_name_key_unique"
            )
            cursor.execute("DROP INDEX person_name_key_prerank")
            with cursor.copy(f"COPY criminal_records_person ({columns}) FROM STDIN") as copy:
                buffer = []
                for row in rows():
                    buffer.append(person_line(*row))
                    if len(buffer) >= 10000:
                        copy.write("".join(buffer))
                        buffer = []
                copy.write("".join(buffer))
            with cursor.copy(
                "COPY criminal_records_personnamekey "
                "(person_id, key, birth_year, birth_commune_id, sex) FROM STDIN"
            ) as copy:
                buffer = []
                for pk, base, commune, year in rows():
                    facts = f"{year}\t{commune.pk}\t{base.sex}"
                    buffer.extend(f"{pk}\t{key}\t{facts}\n" for key in keys_of(base, year))
                    if len(buffer) >= 50000:
                        copy.write("".join(buffer))
                        buffer = []
                copy.write("".join(buffer))
            copied = time.perf_counter() - started
            cursor.execute(
                "ALTER TABLE criminal_records_personnamekey ADD CONSTRAINT person_name_key_unique "
                "UNIQUE (key, person_id)"
            )
            cursor.execute(
                "CREATE INDEX person_name_key_prerank ON criminal_records_personnamekey "
                "(key, birth_year, person_id, birth_commune_id, sex)"
            )
            cursor.execute("SELECT setval('criminal_records_person_id_seq', %s)", [PERSONS])
        raw.commit()
        raw.autocommit = True
        with raw.cursor() as cursor:
            # As autovacuum does after a bulk load: the visibility map lets the key index answer
            # alone (index-only scan).
            cursor.execute("VACUUM ANALYZE criminal_records_person")
            cursor.execute("VACUUM ANALYZE criminal_records_personnamekey")
            cursor.execute("SELECT count(*) FROM criminal_records_personnamekey")
            n_keys = cursor.fetchone()[0]
        raw.autocommit = False
        print(
            f"    {PERSONS:,} persons and {n_keys:,} blocking keys: generated and copied in "
            f"{copied:.0f} s, indexes built and vacuumed in "
            f"{time.perf_counter() - started - copied:.0f} s"
        )
    else:
        print(f"    {PERSONS:,} persons: the register of an earlier run, reused (BENCH_REUSE=1)")

    import random

    rng = random.Random(3)
    queries = []
    for i in range(QUERIES):
        if i % 2 == 0:  # a person of the register, as a citizen would declare them
            pk = rng.randint(1, PERSONS)
            base = pool[pk % len(pool)]
            commune = communes[(pk * 7919) % len(communes)]
            year = 1940 + (base.birth_year + pk) % 67 + rng.randint(-2, 2)
        else:  # someone with no record
            base, commune, year = rng.choice(pool), rng.choice(communes), rng.randint(1940, 2006)
        queries.append(
            Identity(
                last_name=synthetic.spelling_variant(base.last_name, rng)
                if i % 4 < 2
                else base.last_name,
                first_names=base.first_names if i % 10 else "",  # 10 %: no first name given
                sex=base.sex,
                birth_year=year,
                birth_year_margin=2,
                birth_commune_id=commune.pk,
                birth_region_id=commune.region_id,
                birth_commune_name=commune.name,
                father_name=base.father_name,
            )
        )
    matching.search(queries[0])  # warm-up
    cold, timings, blocks, found = [], [], [], 0
    for query in queries:  # first pass: pages of the register not yet in the cache
        t0 = time.perf_counter()
        matching.search(query)
        cold.append((time.perf_counter() - t0) * 1000)
    cpu = []
    for query in queries:  # second pass: the measure
        t0, c0 = time.perf_counter(), time.process_time()
        result = matching.search(query)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)  # this process only: the machine is shared
        found += bool(result.candidates)
    from guichet.criminal_records.models import PersonNameKey

    for query in queries:
        t0 = time.perf_counter()
        list(
            PersonNameKey.objects.filter(key__in=sorted(matching.query_keys(query)))
            .values_list("person_id", flat=True)
            .distinct()[: matching.MAX_SCORED * 20]
        )
        blocks.append((time.perf_counter() - t0) * 1000)
    plans = [matching.candidate_keys(q).explain() for q in queries[:20]]
    plan = plans[1]
    index_only = sum("Index Only Scan" in p for p in plans)
    heap_of_register = sum("criminal_records_person " in p for p in plans)

    def pct(values, p):
        return sorted(values)[min(len(values) - 1, int(len(values) * p))]

    print(
        f"    matching.search over {QUERIES} queries ({found} with candidates): "
        f"p50 {statistics.median(timings):.1f} ms, p95 {pct(timings, 0.95):.1f} ms, "
        f"max {max(timings):.1f} ms"
    )
    print(
        f"    CPU time of this process per search (Python side, excludes waiting for the CPU "
        f"and PostgreSQL): p50 {statistics.median(cpu):.1f} ms, p95 {pct(cpu, 0.95):.1f} ms"
    )
    print(
        f"    first pass (cold cache): p50 {statistics.median(cold):.1f} ms, "
        f"p95 {pct(cold, 0.95):.1f} ms"
    )
    print(
        f"    peer, blocking SELECT alone: p50 {statistics.median(blocks):.1f} ms, "
        f"p95 {pct(blocks, 0.95):.1f} ms"
    )
    print(
        f"    ratio search / blocking (p95): {pct(timings, 0.95) / max(pct(blocks, 0.95), 0.01):.1f}"
    )
    print("    plan of the candidate query:\n      " + plan.replace("\n", "\n      "))
    print(
        f"    of 20 candidate queries' plans: {index_only} use an index-only scan of the keys, "
        f"{heap_of_register} read the register's table, "
        f"{sum('Seq Scan on criminal_records_' in p for p in plans)} scan a criminal_records "
        "table sequentially"
    )
    connection.close()
    if os.environ.get("BENCH_REUSE") == "1":
        return  # kept for the next run (a measure on a quieter machine)
    import psycopg as _psycopg

    with _psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    if os.environ.get("BENCH_SKIP_PG") == "1":
        os.environ.setdefault("GUICHET_TESTING", "1")
        import django

        django.setup()
        qualities()
        return 0
    latency_first = os.environ.get("BENCH_SKIP_QUALITY") == "1"
    if latency_first:
        latency()
        return 0
    # Django is set up once, against the bench database, then both parts run.
    latency_and_quality()
    return 0


def latency_and_quality() -> None:
    latency()
    qualities()


if __name__ == "__main__":
    sys.exit(main())
