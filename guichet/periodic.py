"""The periodic jobs without Celery beat (the embedded mode, no REDIS_URL).

There is one schedule: `settings.CELERY_BEAT_SCHEDULE`, which `celery -A guichet beat` reads in
production. Without beat, the end of a request (`request_finished`) runs, in-process, every job of
that schedule whose period has passed — deadline reminders and escalations, failed SMS sent again,
audit checkpoints, retention of personal data, the gazette's in-force status, the payments'
reconciliation, the heartbeat. A new beat entry therefore runs in the embedded mode too, with
nothing else to write.

- Each process looks at most once every `LOOK_EVERY` seconds (a cheap clock comparison
  otherwise), so requests are not slowed down.
- The shared cache says when each job last started (`cache.add` with the job's period as timeout):
  several server processes or threads run a job once per period between them, not once each.
- A job runs after the response has been sent (the server closes the response first). A failing
  job is logged and tried again at its next period, as beat would; it never breaks the request.
- Nothing runs when no request comes: fine for the embedded mode (a demonstration or a small
  office), where someone is using the server; production runs Celery beat.
"""

import logging
import time

from django.conf import settings

logger = logging.getLogger(__name__)

LOOK_EVERY = 30  # seconds; the shortest beat period is the heartbeat's 30 s
_next_look = 0.0


def _period_seconds(schedule) -> float:
    """A beat entry's period: a number of seconds, a timedelta or a celery schedule."""
    if isinstance(schedule, int | float):
        return float(schedule)
    if hasattr(schedule, "total_seconds"):
        return schedule.total_seconds()
    return schedule.run_every.total_seconds()


def run_due_jobs() -> list[str]:
    """Run, in-process, every job of the beat schedule whose period has passed (per the shared
    cache); returns the names of the entries run."""
    from django.core.cache import cache

    from guichet.celery import app

    app.loader.import_default_modules()  # registers every app's tasks (autodiscovery)
    ran = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        period = _period_seconds(entry["schedule"])
        if not cache.add(f"periodic-job:{name}", time.time(), timeout=max(1, int(period))):
            continue
        ran.append(name)
        try:
            app.tasks[entry["task"]].apply(
                args=entry.get("args", ()), kwargs=entry.get("kwargs", {}), throw=True
            )
        except Exception:  # the request has been answered; the next period tries again
            logger.exception("In-process periodic job %s (%s) failed", name, entry["task"])
    return ran


def run_due_jobs_now_and_then(**_signal_kwargs) -> None:
    """`request_finished` receiver (connected in accounts' AppConfig.ready)."""
    global _next_look
    if not settings.PERIODIC_JOBS_IN_PROCESS or time.monotonic() < _next_look:
        return
    _next_look = time.monotonic() + LOOK_EVERY
    run_due_jobs()
