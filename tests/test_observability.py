"""Observability: /metrics for Prometheus, request ids and JSON logs, /healthz's worker and audit."""

import json
import logging
import os
import re
import time
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings

from guichet.audit.services import publish_checkpoint
from guichet.celery import WORKER_HEARTBEAT_KEY, worker_heartbeat
from guichet.notifications.services import send_sms_text
from guichet.request_log import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-for-tests"


def _scrape(client, **headers) -> str:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def test_metrics_are_refused_without_a_token_or_an_allowed_address(client):
    response = client.get("/metrics")
    assert response.status_code == 403
    assert "supervision" in response.content.decode()


@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_refuse_a_wrong_token(client):
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token").status_code == 403


@override_settings(METRICS_ALLOWED_IPS=["127.0.0.1/32"])
def test_metrics_are_served_to_an_allowed_address(client):
    assert "guichet_http_requests_total" in _scrape(client)


@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_count_requests_per_view_and_status_with_latencies(client):
    def home_requests(text: str) -> float:
        found = re.search(
            r'guichet_http_requests_total\{method="GET",status="200",view="home"\} (\S+)', text
        )
        return float(found.group(1)) if found else 0.0

    before = home_requests(_scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}"))
    client.get("/")
    client.get("/")
    text = _scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert home_requests(text) == before + 2
    assert 'guichet_http_request_duration_seconds_bucket{le="0.5",method="GET",view="home"}' in text
    # A path that matches no URL is counted under one label, not one per path.
    client.get("/no-such-page-1")
    client.get("/no-such-page-2")
    text = _scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert 'view="unresolved"' in text
    assert "no-such-page" not in text


@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_report_sms_states_and_the_audit_checkpoint_age(client):
    send_sms_text("+22790001122", "Test")
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False) as traveller:
        publish_checkpoint()
        traveller.shift(7)
        text = _scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    # Sent after the commit, which this test's transaction never reaches: still queued.
    assert re.search(r'guichet_sms_messages\{status="queued"\} [1-9]', text)
    assert 'guichet_sms_messages{status="failed"} 0.0' in text
    age = float(re.search(r"^guichet_audit_checkpoint_age_seconds (\S+)$", text, re.M).group(1))
    assert age == 7.0


@pytest.mark.redis
def test_metrics_report_the_broker_queue_length(client, settings):
    import redis

    url = os.environ["GUICHET_TEST_REDIS_URL"]
    connection = redis.Redis.from_url(url)
    queue = "guichet-test-metrics-queue"
    settings.REDIS_URL = url
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    settings.METRICS_TOKEN = TOKEN
    try:
        connection.rpush(queue, "a", "b", "c")
        text = _scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert f'guichet_celery_queue_length{{queue="{queue}"}} 3.0' in text
    finally:
        connection.delete(queue)


def test_the_heartbeat_task_writes_the_time_the_health_check_reads(client):
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False) as traveller:
        worker_heartbeat()
        traveller.shift(42)
        with (
            override_settings(REDIS_URL="redis://127.0.0.1:1/0"),
            mock.patch("guichet.views._broker_state", return_value="ok"),
        ):
            worker = client.get("/healthz").json()["worker"]
    assert worker == {"state": "ok", "heartbeat_age_seconds": 42.0}


@override_settings(REDIS_URL="redis://127.0.0.1:1/0", WORKER_HEARTBEAT_STALE_SECONDS=120)
@pytest.mark.parametrize(("age", "state"), [(None, "not seen"), (30, "ok"), (600, "stale")])
def test_healthz_reports_the_worker_heartbeat_without_failing_on_it(client, age, state):
    cache.delete(WORKER_HEARTBEAT_KEY)
    if age is not None:
        cache.set(WORKER_HEARTBEAT_KEY, time.time() - age)
    with mock.patch("guichet.views._broker_state", return_value="ok"):
        response = client.get("/healthz")
    assert response.status_code == 200  # a stopped worker delays SMS; the servers still answer
    assert response.json()["worker"]["state"] == state


def test_healthz_reports_the_age_of_the_last_audit_checkpoint(client):
    with time_machine.travel("2026-12-01 10:00:00+00:00", tick=False) as traveller:
        publish_checkpoint()
        traveller.shift(90)
        audit = client.get("/healthz").json()["audit"]
    assert audit == {"state": "ok", "last_checkpoint_age_seconds": 90.0}


def test_every_response_carries_a_request_id_and_keeps_the_proxy_s(client):
    generated = client.get("/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert client.get("/", HTTP_X_REQUEST_ID="nginx-id-0123456789")["X-Request-ID"] == (
        "nginx-id-0123456789"
    )
    # A value that is not an id (a header injection attempt, a long string) is replaced.
    forged = client.get("/", HTTP_X_REQUEST_ID="x" * 300)["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)


def test_log_lines_of_a_request_carry_its_request_id(client):
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("guichet.test")
    logger.addHandler(handler)

    def database_state():
        logger.warning("checking the database")
        return "ok"

    try:
        with mock.patch("guichet.views._database_state", side_effect=database_state):
            client.get("/healthz", HTTP_X_REQUEST_ID="req-12345678")
        logger.warning("outside any request")
    finally:
        logger.removeHandler(handler)
    assert [record.request_id for record in records] == ["req-12345678", "-"]


def test_django_s_not_found_line_carries_the_request_id(client):
    # Django logs « Not Found: … » for a 404 that a view returns once the middleware chain has
    # returned (django.core.handlers.base.BaseHandler.get_response): the line said « - ».
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get(
            "/api/transit/plan", {"feed": "nowhere"}, HTTP_X_REQUEST_ID="req-404-0001"
        )
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    assert [(r.getMessage(), r.request_id) for r in records] == [
        ("Not Found: /api/transit/plan", "req-404-0001")
    ]


def test_the_json_formatter_writes_one_object_per_line_with_the_request_id():
    record = logging.LogRecord("guichet.test", logging.WARNING, __file__, 1, "hé %s", ("là",), None)
    record.request_id = "abc12345"
    record.case = "PL-2026-0001"
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "hé là"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "guichet.test"
    assert entry["request_id"] == "abc12345"
    assert entry["case"] == "PL-2026-0001"
    assert entry["time"].endswith("+00:00")
