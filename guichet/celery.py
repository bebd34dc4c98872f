"""Celery application: Redis broker in production; tasks run in-process when REDIS_URL is unset."""

import os
import time

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")

app = Celery("guichet")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Beat sends this every 30 s (settings.CELERY_BEAT_SCHEDULE); the worker that runs it writes the
# time in the shared cache, which /healthz and /metrics read: beat and a worker are both alive.
WORKER_HEARTBEAT_KEY = "guichet:celery-worker-heartbeat"


@app.task(name="platform.worker_heartbeat", ignore_result=True, expires=60)
def worker_heartbeat() -> None:
    from django.core.cache import cache

    cache.set(WORKER_HEARTBEAT_KEY, time.time(), timeout=None)
