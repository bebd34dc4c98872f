"""A Guichet server as production runs it, for benchmarks: DEBUG off, gunicorn on 127.0.0.1 only.

    with production_server(database_url=..., workers=2) as base_url:
        ...  # load it

Migrates the database, runs optional set-up code (`manage.py shell -c`), collects static files,
starts gunicorn, waits for /healthz, and stops the server and removes its files afterwards.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def production_server(
    *,
    database_url: str | None = None,
    workers: int = 2,
    setup_code: str = "",
    redis_url: str | None = None,
) -> Iterator[str]:
    workdir = Path(tempfile.mkdtemp(prefix="guichet-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "GUICHET_DEBUG": "0",
        "GUICHET_SECRET_KEY": "bench-" + "x" * 60,
        "GUICHET_ALLOWED_HOSTS": "127.0.0.1",
        "GUICHET_SSL_REDIRECT": "0",
        "GUICHET_VAR_DIR": str(workdir),
        "GUICHET_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
    }
    # Without redis_url, the embedded mode (tasks in-process, counters in the database); with it,
    # production's: Redis for the cache and the rate counters, a Celery worker for the tasks.
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    # DEBUG is off: the audit trail needs its signing key; a bench may name one, else a throw-away.
    env.setdefault("GUICHET_AUDIT_GENERATED_KEY", "1")
    python = sys.executable

    def manage(*args: str) -> None:
        subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=True)

    manage("migrate", "-v0")
    if setup_code:
        manage("shell", "-c", setup_code)
    manage("collectstatic", "--no-input", "-v0")
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "guichet.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    worker = None
    if redis_url:
        worker = subprocess.Popen(
            [
                python,
                *[
                    "-m",
                    "celery",
                    "-A",
                    "guichet",
                    "-q",
                    "worker",
                    "--loglevel",
                    "WARNING",
                    "--concurrency",
                    "1",
                ],
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(base_url + "/healthz", timeout=5):
                    break
            except OSError:
                time.sleep(0.2)
        yield base_url
    finally:
        if worker is not None:
            _stop(worker)
        _stop(server)
        shutil.rmtree(workdir, ignore_errors=True)


def _stop(process: subprocess.Popen) -> None:
    """A graceful stop, or the end of it: on a loaded machine gunicorn (or the Celery worker) may
    not finish its graceful stop in time, and the figures are taken already."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
