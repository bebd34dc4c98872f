"""Complaints API: complaints per second accepted by Open311 POST /requests.json under concurrent
clients, against gunicorn on PostgreSQL, with no lost or duplicated request.

Production settings (DEBUG off), a fresh PostgreSQL database, gunicorn bound to 127.0.0.1 only,
a bounded number of requests. Each POST files a distinct complaint with its own phone number, so
every filing runs the whole path: key check, rate limits, duplicate lookup under its advisory
lock, case opening, audit entry, the SMS notice stored and handed to the (console) gateway.

Checks: every 201 carries a distinct service_request_id, the table holds exactly as many
complaints as there were 201s, and each returned id is in it. Then the same complaint is sent
five times at once: exactly one row, one 201 and four 200 (linked duplicates).
Peer, same server, same concurrency: GET /open311/v2/services.json (a read of the categories).
After each run the audit log is checked: every entry sequenced exactly once (positions 1..n, no
gap, none pending), two entries per filing, and `manage.py verify_audit` passes (Merkle root,
signed checkpoints, consistency with the checkpoints written outside the database).

The whole run is repeated for each gunicorn worker count in BENCH_WORKERS, each on a fresh database,
so that the scaling with workers is measured in one sitting. Within a run, BENCH_ROUNDS rounds
alternate a batch of filings and a batch of peer requests on the same server; the figures are the
medians of the rounds (on a shared 2-core machine one batch can be slowed by a neighbour twice as
much as the next, and a single pair of batches made the ratio swing by ±0.05).

Environment: BENCH_PG_URL (default postgres://guichet:guichet@127.0.0.1:5432/postgres),
BENCH_REQUESTS (default 600, per round), BENCH_CLIENTS (default 16), BENCH_WORKERS (default "1,2,4"),
BENCH_ROUNDS (default 3),
BENCH_DATABASE (default guichet_complaints_bench; dropped and created for each run),
BENCH_REDIS_URL (unset: the embedded mode, counters in PostgreSQL and the notices sent by the
server's own thread; set, e.g. redis://127.0.0.1:6379/14, a database of its own that is emptied
for each run: production's mode, the cache and rate counters in Redis and the notices sent by a
Celery worker beside gunicorn, on the same cores). In production's mode the bench then waits for
the worker to have sent every notice, and reports how long after the last filing that took.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from production_server import production_server

PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://guichet:guichet@127.0.0.1:5432/postgres")
DATABASE = os.environ.get("BENCH_DATABASE", "guichet_complaints_bench")
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "600"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
WORKER_COUNTS = [int(n) for n in os.environ.get("BENCH_WORKERS", "1,2,4").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY = "bench-open311-key"

SETUP = f"""
from guichet.accounts.models import Organisation
from guichet.complaints import services
from guichet.complaints.models import Category, Open311Partner
Category.objects.get_or_create(code="transport-taxis", defaults=dict(
    name="Taxis et bus", group="Transport", organisation=Organisation.objects.get(code="MT-STU")))
partner, _key = services.issue_open311_key("Banc d'essai", key="{KEY}")
Open311Partner.objects.filter(pk=partner.pk).update(requests_per_minute=1_000_000)
"""


def call(url: str, data: dict | None = None) -> tuple[int, bytes]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(url, data=body, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def run_many(function, items) -> tuple[float, list]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(function, items))
    return time.perf_counter() - started, results


def phone(n: int) -> str:
    return f"+2279{n:07d}"


def audit_key_and_copies() -> str:
    """One signing key and one checkpoint directory shared by the server and verify_audit."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    place = tempfile.mkdtemp(prefix="guichet-bench-audit-")
    key = os.path.join(place, "audit-key.pem")
    with open(key, "wb") as out:
        out.write(
            Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    os.environ["GUICHET_AUDIT_SIGNING_KEY_FILE"] = key
    os.environ["GUICHET_AUDIT_CHECKPOINT_DIR"] = os.path.join(place, "checkpoints")
    os.environ["GUICHET_MEDIA_ROOT"] = os.path.join(place, "media")
    return place


def verify_audit(db_url: str) -> tuple[bool, str]:
    env = {
        **os.environ,
        "GUICHET_DEBUG": "0",
        "GUICHET_SECRET_KEY": "bench-" + "x" * 60,
        "GUICHET_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": db_url,
        "GUICHET_LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "verify_audit"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    lines = (done.stdout + done.stderr).strip().splitlines()
    return done.returncode == 0, lines[0] if lines else ""


def wait_for_notices(db_url: str, timeout: float = 300) -> tuple[float, int]:
    """(seconds waited, notices still queued or sending): the Celery worker's backlog, drained."""
    import psycopg

    started = time.perf_counter()
    while True:
        with psycopg.connect(db_url) as conn:
            (unsent,) = conn.execute(
                "SELECT count(*) FROM notifications_message WHERE status IN ('queued', 'sending')"
            ).fetchone()
        waited = time.perf_counter() - started
        if not unsent or waited > timeout:
            return waited, unsent
        time.sleep(0.2)


def main() -> int:
    import shutil

    # DEBUG is off: the console gateway must be chosen on purpose, or every notice fails.
    os.environ["GUICHET_SMS_GATEWAY"] = "console"
    place = audit_key_and_copies()
    results = []
    try:
        for workers in WORKER_COUNTS:
            results.append(run(workers))
    finally:
        shutil.rmtree(place, ignore_errors=True)
    print()
    mode = "production (Redis, Celery worker)" if REDIS_URL else "embedded (no Redis)"
    print(f"mode: {mode}")
    print("workers | complaints/s | peer req/s | ratio | audit verified | lost/duplicated")
    for row in results:
        print(
            f"{row['workers']:>7} | {row['rate']:>12.1f} | {row['peer_rate']:>10.1f} | "
            f"{row['ratio']:>5.2f} | {'yes' if row['audit_ok'] else 'NO':>14} | "
            f"{'0' if row['ok'] else 'YES'}"
        )
    return 0 if all(row["ok"] and row["audit_ok"] for row in results) else 1


def run(workers: int) -> dict:
    import shutil

    import psycopg

    # A fresh log for each run: checkpoints of the previous run's database do not apply.
    for name in ("GUICHET_AUDIT_CHECKPOINT_DIR", "GUICHET_MEDIA_ROOT"):
        shutil.rmtree(os.environ[name], ignore_errors=True)

    db_url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{DATABASE}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    if REDIS_URL:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
    try:
        with production_server(
            database_url=db_url, workers=workers, setup_code=SETUP, redis_url=REDIS_URL or None
        ) as root:
            base = root + "/open311/v2"

            def post(n: int, text: str = "plainte numéro"):
                return call(
                    base + "/requests.json",
                    {
                        "api_key": KEY,
                        "service_code": "transport-taxis",
                        "lat": "13.5116",
                        "long": "2.1254",
                        "description": f"Banc d'essai : {text} {n}, le bus ne passe plus.",
                        "phone": phone(n),
                    },
                )

            # Warm-up (each worker loads the URLconf on its first request); not counted.
            total = REQUESTS * ROUNDS
            run_many(lambda n: post(n, "préchauffage"), range(total, total + 2 * workers))
            created, others, rates, peer_rates, peer_ok = [], [], [], [], 0
            for round_ in range(ROUNDS):
                numbers = range(round_ * REQUESTS, (round_ + 1) * REQUESTS)
                elapsed, results = run_many(post, numbers)
                accepted = [
                    json.loads(body)[0]["service_request_id"]
                    for code, body in results
                    if code == 201
                ]
                created += accepted
                others += [code for code, _body in results if code != 201]
                peer_elapsed, peer = run_many(
                    lambda _n: call(base + "/services.json"), range(REQUESTS)
                )
                answered = sum(1 for code, _body in peer if code == 200)
                peer_ok += answered
                rates.append(len(accepted) / elapsed)
                peer_rates.append(answered / peer_elapsed)
                print(
                    f"  round {round_ + 1}: {rates[-1]:.1f} complaints/s, peer "
                    f"{peer_rates[-1]:.1f} req/s, ratio {rates[-1] / peer_rates[-1]:.2f}"
                )

            same = {
                "api_key": KEY,
                "service_code": "transport-taxis",
                "address_string": "Niamey",
                "description": "Banc d'essai : la même plainte envoyée cinq fois.",
                "phone": "+22799999999",
            }
            _dup_elapsed, duplicates = run_many(
                lambda _n: call(base + "/requests.json", same), range(5)
            )
            with psycopg.connect(db_url) as conn:
                rows = conn.execute(
                    "SELECT public_id FROM complaints_complaint WHERE description LIKE %s",
                    ["Banc d'essai : plainte numéro %"],
                ).fetchall()
                same_rows = conn.execute(
                    "SELECT count(*), max(duplicate_count) FROM complaints_complaint "
                    "WHERE description = %s",
                    [same["description"]],
                ).fetchone()
            stored = {row[0] for row in rows}
            rows_for_run = len(stored)
            lost = len(set(created) - stored)
            rate = statistics.median(rates)
            peer_rate = statistics.median(peer_rates)
            ratio = statistics.median(r / p for r, p in zip(rates, peer_rates, strict=True))
            print(
                f"Open311 POST: {REQUESTS} requests, {CLIENTS} concurrent clients, "
                f"{workers} gunicorn workers, PostgreSQL"
            )
            print(
                f"  accepted (201): {len(created)} of {total}, median of {ROUNDS} rounds "
                f"{rate:.1f} complaints/s; other statuses: {sorted(set(others)) or 'none'} "
                f"({len(others)})"
            )
            print(
                f"  distinct ids among 201s: {len(set(created))}; rows stored for the run: "
                f"{rows_for_run}; ids answered but not stored: {lost}"
            )
            codes = sorted(code for code, _body in duplicates)
            print(
                f"  same complaint sent 5 times at once: statuses {codes}; rows {same_rows[0]}, "
                f"duplicates linked {same_rows[1]}"
            )
            print(f"peer GET services.json: {peer_ok}/{total} ok, median {peer_rate:.1f} req/s")
            print(f"ratio POST/GET (median of the rounds' ratios): {ratio:.2f}")
            ok = (
                len(created) == total
                and len(set(created)) == len(created)
                and rows_for_run == len(created)
                and lost == 0
                and codes == [200, 200, 200, 200, 201]
                and same_rows[0] == 1
            )
            print("no lost or duplicated request: " + ("yes" if ok else "NO"))
            drained_after = None
            if REDIS_URL:
                drained_after, unsent = wait_for_notices(db_url)
                print(
                    f"  notices (Celery worker): every one sent {drained_after:.1f} s after the "
                    f"last filing"
                    if not unsent
                    else f"  notices: {unsent} NOT sent after {drained_after:.0f} s"
                )
                ok = ok and not unsent
            # The audit log, once the last after-commit sequencing has run.
            time.sleep(1)
            with psycopg.connect(db_url) as conn:
                entries, sequenced, distinct, low, high = conn.execute(
                    "SELECT count(*), count(sequence), count(DISTINCT sequence), min(sequence), "
                    "max(sequence) FROM audit_auditentry"
                ).fetchone()
            audit_ok, verdict = verify_audit(db_url)
            contiguous = sequenced == distinct == entries and (
                entries == 0 or (low, high) == (1, entries)
            )
            print(
                f"  audit: {entries} entries, {sequenced} sequenced, positions "
                f"{low}..{high} {'contiguous' if contiguous else 'NOT contiguous'}; verify_audit: "
                f"{verdict}"
            )
            return {
                "workers": workers,
                "rate": rate,
                "peer_rate": peer_rate,
                "ratio": ratio,
                "ok": ok,
                "audit_ok": audit_ok and contiguous,
            }
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
