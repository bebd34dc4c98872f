"""Prometheus metrics at /metrics (docs/deploy.md, "Monitoring").

- `guichet_http_requests_total{method,view,status}` and
  `guichet_http_request_duration_seconds{method,view}`: counted by `MetricsMiddleware`; `view` is
  the URL's name (a bounded set), never the path.
- At each scrape, read from the shared services: `guichet_celery_queue_length{queue}` (Redis),
  `guichet_sms_messages{status}` (SMS by delivery state), `guichet_audit_checkpoint_age_seconds`
  and `guichet_celery_worker_heartbeat_age_seconds` (see `worker_heartbeat_age`).

gunicorn runs several processes: set PROMETHEUS_MULTIPROC_DIR (an empty folder, emptied at each
start) so that the request counters of every process are added up, as prometheus-client documents.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from guichet.celery import WORKER_HEARTBEAT_KEY

logger = logging.getLogger("guichet.monitoring")

REQUESTS = Counter("guichet_http_requests", "HTTP requests answered", ["method", "view", "status"])
LATENCY = Histogram(
    "guichet_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unresolved"
        method = request.method if request.method in _METHODS else "other"
        LATENCY.labels(method, view).observe(time.perf_counter() - started)
        REQUESTS.labels(method, view, str(response.status_code)).inc()
        return response


def worker_heartbeat_age() -> float | None:
    """Seconds since a Celery worker last ran the beat's heartbeat task (None: never seen)."""
    beat = cache.get(WORKER_HEARTBEAT_KEY)
    return None if beat is None else max(0.0, time.time() - float(beat))


def audit_checkpoint_age() -> float | None:
    from guichet.audit.models import AuditCheckpoint

    last = AuditCheckpoint.objects.order_by("-published_at").values_list("published_at", flat=True)
    published = last.first()
    return None if published is None else (timezone.now() - published).total_seconds()


def queue_lengths() -> dict[str, int]:
    if not settings.REDIS_URL:
        return {}
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2)
    queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
    return {queue: int(client.llen(queue))}


class SharedStateCollector:
    """Gauges read at scrape time from the database, Redis and the cache."""

    def collect(self):
        from django.db.models import Count

        from guichet.notifications.models import Message

        sms = GaugeMetricFamily("guichet_sms_messages", "SMS by delivery state", labels=["status"])
        counts = dict(
            Message.objects.filter(channel=Message.Channel.SMS)
            .values_list("status")
            .annotate(n=Count("id"))
        )
        for status in Message.Status.values:
            sms.add_metric([status], counts.get(status, 0))
        yield sms
        queues = GaugeMetricFamily(
            "guichet_celery_queue_length", "Tasks waiting in the broker", labels=["queue"]
        )
        try:
            for queue, length in queue_lengths().items():
                queues.add_metric([queue], length)
        except Exception as error:  # Redis down: the other metrics still matter
            logger.warning("metrics: the broker's queues cannot be read: %s", error)
        yield queues
        for name, documentation, age in (
            (
                "guichet_audit_checkpoint_age_seconds",
                "Seconds since the last signed audit checkpoint",
                audit_checkpoint_age(),
            ),
            (
                "guichet_celery_worker_heartbeat_age_seconds",
                "Seconds since a Celery worker last ran the heartbeat task",
                worker_heartbeat_age(),
            ),
        ):
            if age is not None:
                yield GaugeMetricFamily(name, documentation, value=age)


def exposition() -> tuple[bytes, str]:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(SharedStateCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST


def may_read_metrics(request, client_address: str | None) -> bool:
    """A bearer token (GUICHET_METRICS_TOKEN) or an address in GUICHET_METRICS_ALLOWED_IPS."""
    import hmac

    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    if not client_address:
        return False
    address = ipaddress.ip_address(client_address)
    return any(
        address.version == network.version and address in network
        for network in (ipaddress.ip_network(n, strict=False) for n in settings.METRICS_ALLOWED_IPS)
    )
