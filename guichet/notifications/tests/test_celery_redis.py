"""A real Celery worker with a Redis broker (not eager): the production path of `notify`."""

import os
import threading
import time
import uuid

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import transaction

from guichet.celery import app as guichet_app
from guichet.notifications import tasks
from guichet.notifications.models import Message
from guichet.notifications.services import notify

REDIS_URL = os.environ.get("GUICHET_TEST_REDIS_URL") or os.environ.get("REDIS_URL", "")


@pytest.fixture
def redis_worker():
    """A Celery app on Redis with its own queue, made current so `notify` uses it, and a worker
    consuming that queue in a thread of this process (so it sees the test database)."""
    queue = f"guichet-test-{uuid.uuid4().hex}"
    app = Celery("guichet-redis-test", set_as_current=False)
    app.conf.update(
        broker_url=REDIS_URL,
        result_backend=None,
        task_always_eager=False,
        task_default_queue=queue,
        broker_connection_retry_on_startup=False,
        worker_hijack_root_logger=False,
    )
    app.set_current()
    # The worker reads its task registry when it starts: the task must be registered by then.
    assert tasks.send_message.name in app.tasks
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        # The worker makes its app the process-wide default too (other threads — a live server's —
        # read it): put Guichet's back on both, or later tests queue to a broker nobody reads.
        guichet_app.set_current()
        guichet_app.set_default()
        left = _remove_queue(queue)
        assert left == [], f"Redis keys of {queue} left behind: {left}"


def _remove_queue(queue: str) -> list[str]:
    """Delete the test queue's keys and its kombu bindings; return what still names it."""
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match="*"):
        name = key.decode()
        if queue in name:
            client.delete(key)
        elif name.startswith("_kombu.binding.") and client.type(key) == b"set":
            for member in client.smembers(key):
                if queue.encode() in member:
                    client.srem(key, member)
    return [key.decode() for key in client.scan_iter(match=f"*{queue}*")] + [
        key.decode()
        for key in client.scan_iter(match="_kombu.binding.*")
        if any(queue.encode() in member for member in client.smembers(key))
    ]


@pytest.fixture
def finished_tasks():
    """The ids of the messages whose `send_message` task has finished in the worker, and an event
    set at each finish.

    The test waits on this instead of polling the row: on SQLite the test database is shared-cache
    memory, where a read still open in this thread (a thread preempted between two steps of its
    SELECT) makes the worker's claim fail at once with « database table is locked » (CI, stop 25).
    A file database in WAL mode, as deployed, has no such table lock.
    """
    finished: list[int] = []
    event = threading.Event()

    def on_postrun(sender=None, args=(), kwargs=None, **_):
        if sender is not None and sender.name == tasks.send_message.name:
            finished.append((kwargs or {}).get("message_id", args[0] if args else None))
            event.set()

    task_postrun.connect(on_postrun, weak=False)
    try:
        yield finished, event
    finally:
        task_postrun.disconnect(on_postrun)


def _wait_for_task(finished_tasks, message_id: int, seconds: float = 20) -> None:
    finished, event = finished_tasks
    deadline = time.monotonic() + seconds
    while message_id not in finished and time.monotonic() < deadline:
        event.wait(0.1)
        event.clear()
    assert message_id in finished, f"the worker did not run send_message({message_id})"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_on_redis_sends_the_message_after_commit(redis_worker, finished_tasks):
    assert not redis_worker.conf.task_always_eager
    with transaction.atomic():
        (message,) = notify(phone="+22790123456", template="tests/sms_only", context={"code": 42})
        # Still inside the transaction: nothing is sent before the commit.
        time.sleep(0.3)
        message.refresh_from_db()
        assert message.status == Message.Status.QUEUED
    _wait_for_task(finished_tasks, message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.attempts == 1
    assert message.gateway == "console"
    assert message.gateway_message_id == f"console-{message.pk}"
