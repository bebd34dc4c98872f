"""Complaints API: the CPU one filing costs, in-process, independent of the machine's load.

`complaints_bench.py` measures complaints per second under gunicorn, a wall-clock figure that other
jobs on a shared machine distort. This one files BENCH_FILINGS complaints one after the other
through Django's whole stack (the test client sending a form, as complaints_bench.py does: every
middleware, the Open311 view, after-commit work) with production settings (DEBUG off, the embedded mode's database counters, the console
SMS gateway chosen on purpose), and reports per request:

- the CPU of this Python process (`time.process_time`), and the CPU of its PostgreSQL backend
  (read from /proc/<backend pid>/stat, the server running on this machine), and their sum;
- the number of queries (counted on a few more requests outside the clock: the debug cursor that
  logs them costs CPU);
- the same for the peer, GET /open311/v2/services.json.

The ratio peer/filing of the summed CPU is the load-independent form of the throughput goal
(a filing costing 4× the peer's CPU can reach at most 0.25 of the peer's rate on a CPU-bound
machine). The CPU of the after-commit threads (guichet/after_commit.py) is also reported on its own
(read from /proc/self/task). BENCH_PROFILE=1 prints the cProfile of the filings' request thread
(that thread's CPU time, `time.thread_time`, so the after-commit thread's work does not inflate
it; top BENCH_PROFILE_LINES=40 by BENCH_PROFILE_SORT, cumulative by default); BENCH_SHOW_QUERIES=1
prints the queries of the last request of each kind; BENCH_PROFILE_DUMP=FILE also saves the profile.

Environment: BENCH_PG_URL (default postgres://guichet:guichet@127.0.0.1:5432/postgres),
BENCH_DATABASE (default guichet_complaints_cpu; dropped and created), BENCH_FILINGS (default 200),
BENCH_CLIENTS (default 1: one request after the other; N: N threads of this process at once, each
with its own connection, so that the after-commit thread merges the work of concurrent filings).
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://guichet:guichet@127.0.0.1:5432/postgres")
DATABASE = os.environ.get("BENCH_DATABASE", "guichet_complaints_cpu")
FILINGS = int(os.environ.get("BENCH_FILINGS", "200"))
# 1: one request after the other; more: that many threads sending at once (BENCH_CLIENTS).
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "1"))
KEY = "bench-open311-key"
# Requests sent after the measured ones, with Django's debug cursor, to count the queries.
QUERY_COUNT_REQUESTS = 5
TICKS = os.sysconf("SC_CLK_TCK")

SETUP = f"""
from guichet.accounts.models import Organisation
from guichet.complaints import services
from guichet.complaints.models import Category, Open311Partner
Category.objects.get_or_create(code="transport-taxis", defaults=dict(
    name="Taxis et bus", group="Transport", organisation=Organisation.objects.get(code="MT-STU")))
partner, _key = services.issue_open311_key("Banc d'essai", key="{KEY}")
Open311Partner.objects.filter(pk=partner.pk).update(requests_per_minute=1_000_000)
"""


def production_environment(place: Path, db_url: str) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = place / "audit-key.pem"
    key.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    os.environ.update(
        {
            "GUICHET_DEBUG": "0",
            "GUICHET_SECRET_KEY": "bench-" + "x" * 60,
            "GUICHET_ALLOWED_HOSTS": "127.0.0.1,testserver",
            "GUICHET_SSL_REDIRECT": "0",
            "GUICHET_VAR_DIR": str(place),
            "GUICHET_LOG_LEVEL": "WARNING",
            "GUICHET_SMS_GATEWAY": "console",
            "GUICHET_AUDIT_SIGNING_KEY_FILE": str(key),
            "GUICHET_AUDIT_CHECKPOINT_DIR": str(place / "checkpoints"),
            "GUICHET_MEDIA_ROOT": str(place / "media"),
            "DATABASE_URL": db_url,
            "DJANGO_SETTINGS_MODULE": "guichet.settings",
        }
    )
    os.environ.pop("REDIS_URL", None)


def stat_cpu_seconds(stat: Path) -> float:
    """User + system CPU of a process or thread, from its /proc stat (fields 14 and 15)."""
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def backend_cpu_seconds(pid: int) -> float:
    """CPU of one PostgreSQL backend process."""
    return stat_cpu_seconds(Path(f"/proc/{pid}/stat"))


def backends_cpu_seconds() -> dict[int, float]:
    """pid → CPU of every PostgreSQL backend connected to this database: the request's own and
    the after-commit thread's (guichet/after_commit.py), whose work the filings caused."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        pids = [row[0] for row in cursor.fetchall()]
    found = {}
    for pid in pids:
        with contextlib.suppress(FileNotFoundError):  # ended in between
            found[pid] = backend_cpu_seconds(pid)
    return found


# Statements sent by every connection of this process, the after-commit thread's included
# (connection.queries only sees the calling thread's, with BEGIN and COMMIT).
_statements = [0]


def count_statements(execute, sql, params, many, context):
    _statements[0] += 1
    return execute(sql, params, many, context)


def count_every_connection() -> None:
    from django.db.backends.signals import connection_created

    def install(sender, connection, **kwargs):
        connection.execute_wrappers.append(count_statements)

    connection_created.connect(install, weak=False)


def after_commit_threads_cpu_seconds() -> float:
    """User + system CPU of this process's after-commit threads (alive now)."""
    from guichet import after_commit

    total = 0.0
    names = {runner.name for runner in list(after_commit._runners)}
    for thread in threading.enumerate():
        if thread.name in names and thread.native_id:
            with contextlib.suppress(FileNotFoundError):
                total += stat_cpu_seconds(Path(f"/proc/self/task/{thread.native_id}/stat"))
    return total


def settle() -> None:
    """Wait for the after-commit thread's work (counted with the requests that caused it)."""
    try:
        from guichet.after_commit import drain_all
    except ImportError:  # older code: the work ran inside the request
        return
    assert drain_all(timeout=60), "the after-commit thread did not finish"


def measure(label: str, count: int, send, *, profile: bool = False) -> dict:
    from django.db import connection, reset_queries

    connection.ensure_connection()
    settle()
    profiler = None
    if profile:
        import cProfile

        # This thread's CPU: process_time would charge it with the after-commit thread's work.
        profiler = cProfile.Profile(time.thread_time)
    db_before = backends_cpu_seconds()
    statements_before = _statements[0]
    cpu_before = time.process_time()
    thread_before = after_commit_threads_cpu_seconds()
    wall_before = time.perf_counter()
    if profiler:
        profiler.enable()
    if CLIENTS > 1:
        # Concurrent clients in this process (threads, each with its connection): the after-commit
        # thread then merges the work of several filings, as under gunicorn with 16 clients.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            list(pool.map(send, range(count)))
    else:
        for n in range(count):
            send(n)
    settle()
    if profiler:
        profiler.disable()
    wall = time.perf_counter() - wall_before
    cpu = time.process_time() - cpu_before
    thread_cpu = after_commit_threads_cpu_seconds() - thread_before
    statements = _statements[0] - statements_before
    db_after = backends_cpu_seconds()
    db = sum(seconds - db_before.get(pid, 0.0) for pid, seconds in db_after.items())
    # The queries of the request thread (BEGIN and COMMIT included) are counted afterwards, on a
    # few more requests outside the clock: Django's debug cursor that logs them renders every
    # statement as text (mogrify), which costs the request more CPU than some statements do.
    connection.force_debug_cursor = True  # DEBUG itself stays off
    queries, last = 0, []
    for n in range(QUERY_COUNT_REQUESTS):
        reset_queries()
        send(10 * count + n)
        queries += len(connection.queries)
        last = list(connection.queries)
    settle()
    connection.force_debug_cursor = False
    reset_queries()
    if os.environ.get("BENCH_SHOW_QUERIES") == "1":
        print(f"--- the queries of the last {label} ---")
        for query in last:
            print(" ", query["sql"][:160])
    if profiler:
        import pstats

        if dump := os.environ.get("BENCH_PROFILE_DUMP"):
            profiler.dump_stats(dump)  # for pstats: callers, callees
        print(f"--- cProfile of {count} × {label} (request thread) ---")
        pstats.Stats(profiler).sort_stats(
            os.environ.get("BENCH_PROFILE_SORT", "cumulative")
        ).print_stats(int(os.environ.get("BENCH_PROFILE_LINES", "40")))
    return {
        "label": label,
        "app_ms": 1000 * cpu / count,
        "thread_ms": 1000 * thread_cpu / count,
        "db_ms": 1000 * db / count,
        "wall_ms": 1000 * wall / count,
        "queries": queries / QUERY_COUNT_REQUESTS,
        "statements": statements / count,
    }


def main() -> int:
    import psycopg

    place = Path(tempfile.mkdtemp(prefix="guichet-cpu-"))
    db_url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{DATABASE}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    try:
        production_environment(place, db_url)
        for args in (["migrate", "-v0"], ["shell", "-c", SETUP]):
            subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        count_every_connection()
        from django.test import Client

        clients = threading.local()

        def client_of_thread() -> Client:
            if not hasattr(clients, "client"):
                clients.client = Client(REMOTE_ADDR="127.0.0.1")
            return clients.client

        def file(n: int, text: str = "plainte numéro") -> None:
            # A form, as complaints_bench.py and Open311 clients send it (the test client's
            # default would be multipart).
            form = {
                "api_key": KEY,
                "service_code": "transport-taxis",
                "lat": "13.5116",
                "long": "2.1254",
                "description": f"Banc d'essai : {text} {n}, le bus ne passe plus.",
                "phone": f"+2279{n:07d}",
            }
            response = client_of_thread().post(
                "/open311/v2/requests.json",
                urlencode(form),
                content_type="application/x-www-form-urlencoded",
            )
            assert response.status_code == 201, response.content

        def peer(_n: int) -> None:
            response = client_of_thread().get("/open311/v2/services.json")
            assert response.status_code == 200, response.content

        # Warm-up (URLconf, templates, translations, content types): not counted.
        for n in range(5):
            file(FILINGS + n, "préchauffage")
            peer(n)
        profile = os.environ.get("BENCH_PROFILE") == "1"
        rows = [
            measure("filing (POST requests.json)", FILINGS, file, profile=profile),
            measure("peer (GET services.json)", FILINGS, peer),
        ]
    finally:
        shutil.rmtree(place, ignore_errors=True)
        from django.db import connections

        connections.close_all()
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    how = "one after the other" if CLIENTS == 1 else f"{CLIENTS} clients at once (threads)"
    print(f"{FILINGS} requests each, {how}; load average {load()}")
    print(
        "request | app CPU ms (of which after-commit threads) | PostgreSQL CPU ms | total CPU ms | "
        "wall ms | "
        "queries of the request thread (with BEGIN/COMMIT) | statements of every thread"
    )
    for row in rows:
        total = row["app_ms"] + row["db_ms"]
        print(
            f"{row['label']} | {row['app_ms']:.2f} ({row['thread_ms']:.2f}) | "
            f"{row['db_ms']:.2f} | {total:.2f} | "
            f"{row['wall_ms']:.2f} | {row['queries']:.1f} | {row['statements']:.1f}"
        )
    filing, peer_row = rows
    ratio = (peer_row["app_ms"] + peer_row["db_ms"]) / (filing["app_ms"] + filing["db_ms"])
    print(f"ratio of CPU per request, peer / filing: {ratio:.3f} (goal ≥ 0.25)")
    return 0


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    sys.exit(main())
