"""`make prod` (deploy/run-local.sh) runs the production layout of docs/deploy.md and its smoke test.

nginx (TLS) → two gunicorn servers → PostgreSQL, Redis, a Celery worker and beat, and an S3 store
(moto's server). The smoke test (deploy/smoke.py) signs a citizen in on server A and continues on
server B, counts the sign-in code limits across both, uploads a photo through A into the bucket and
reads it through B, and kills the worker (SIGKILL) while it holds a message: every message is
delivered exactly once after the restart (a visibility timeout of 5 s brings the held task back).
About 40 s on a quiet 2-core machine (docs/benchmarks.md); the limit is counted in quiet-machine
seconds (tests/load_clock.py), so a loaded CI machine does not fail it.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests import load_clock
from tests.conditions import missing_requirement
from tests.production_env import clean_environment, postgres_url

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.postgres
QUIET_LIMIT = 240  # seconds of a quiet 2-core machine


def test_the_production_stack_starts_and_passes_its_smoke_test():
    for tool in ("nginx", "redis-server", "psql"):
        if not (shutil.which(tool) or Path("/usr/sbin", tool).exists()):
            missing_requirement(f"{tool} is not installed (Debian package; .ci/run installs it)")
    environment = clean_environment(
        GUICHET_STACK_ADMIN_URL=postgres_url("postgres"),
        GUICHET_STACK_DB=f"guichet_stack_test_{os.getpid()}",
    )
    # 240 s of a quiet machine (about 40 s there): a loaded CI machine gets proportionally more
    # wall time (tests/load_clock.py), a hang is still stopped; never more than an hour of wall.
    run = load_clock.run_within(
        [str(ROOT / "deploy" / "run-local.sh"), "--check"],
        env=environment,
        quiet_seconds=QUIET_LIMIT,
        wall_ceiling=3600,
    )
    if run.stopped:
        pytest.fail(
            f"the stack did not finish within {QUIET_LIMIT} s of a quiet machine ({run.wall:.0f} s "
            f"of wall time, load up to {run.peak_slowdown:.1f} per core):\n{run.stdout}\n{run.stderr}"
        )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-6000:]
    for check in (
        "nginx",
        "signed in on A, continued on B",
        "counted across A and B",
        "read through B",
        "worker killed mid-task, all delivered after restart, each exactly once",
    ):
        assert check in run.stdout
