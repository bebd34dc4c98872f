"""Work a request hands to a thread of its own process once its transaction has committed.

The audit sequencer and, without a Celery broker (the embedded mode), the sending of notices ran
inside the request that committed: every filing paid for its own sequencing transaction and its
own notice, one after the other, while the client waited. A `Coalescing` runner instead wakes a
per-process daemon thread; calls that arrive while the thread is waiting (`delay`) or working are
merged into its next run, so one short sequencing transaction orders the entries of every request
committed meanwhile, and one claim sends their notices.

Guarantees kept: the work is only handed over after the commit (callers register `submit` with
`transaction.on_commit`), and nothing depends on the thread surviving: entries left unsequenced by
a process that dies are sequenced by the next sequencer of any process (or `publish_checkpoint`,
`verify_audit`), and notices left queued are sent again by `retry_failed_messages`. At a normal
exit the thread is drained (atexit).

`settings.AFTER_COMMIT_IN_THREAD` off (tests, by default) runs the work inline, in the caller's
thread, as before; `drain_all()` waits until every runner of the process is idle (benchmarks,
tests of the threaded mode).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from typing import Any

logger = logging.getLogger("guichet.after_commit")

_runners: weakref.WeakSet[Coalescing] = weakref.WeakSet()


def threaded() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "AFTER_COMMIT_IN_THREAD", False))


class Coalescing:
    """Runs `work(items)` in one background thread per process, merging what is submitted meanwhile.

    `submit(items)` adds items (message ids, or nothing: a plain wake-up) and wakes the thread,
    which waits `delay` seconds to gather more, then calls `work` once with every item gathered
    (in submission order, without repeats). An exception in `work` is logged, never raised: the
    request that submitted has long answered.
    """

    def __init__(self, name: str, work: Callable[[list], None], *, delay: float = 0.0) -> None:
        self.name = name
        self.work = work
        self.delay = delay
        self._condition = threading.Condition()
        self._items: dict[Any, None] = {}
        self._requested = False
        self._busy = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._pid = 0
        _runners.add(self)

    def submit(self, items: Iterable = ()) -> None:
        if not threaded():
            self._run(list(dict.fromkeys(items)))
            return
        with self._condition:
            self._items.update(dict.fromkeys(items))
            self._requested = True
            self._start()
            self._condition.notify()

    def drain(self, timeout: float = 30.0) -> bool:
        """Wait until nothing is pending or running; False if `timeout` passed first."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while self._requested or self._busy:
                left = deadline - time.monotonic()
                if left <= 0 or not self._alive():
                    return False
                self._condition.wait(left)
        return True

    def stop(self, timeout: float = 30.0) -> bool:
        """Drain, then end the thread, which closes its database connections (a later `submit`
        starts a new one); False if it did not end within `timeout`."""
        drained = self.drain(timeout)
        with self._condition:
            thread = self._thread if self._alive() else None
            self._stopping = True
            self._condition.notify_all()
        if thread is not None:
            thread.join(timeout)
        with self._condition:
            self._stopping = False
        return drained and (thread is None or not thread.is_alive())

    def _alive(self) -> bool:
        return self._thread is not None and self._pid == os.getpid() and self._thread.is_alive()

    def _start(self) -> None:
        # Called with the condition held. A forked child (a gunicorn worker) inherits the object
        # but not the thread: it starts its own.
        if self._alive():
            return
        self._pid = os.getpid()
        self._busy = False
        self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        from django.db import connections

        while True:
            with self._condition:
                while not self._requested and not self._stopping:
                    self._condition.wait()
                if self._stopping and not self._requested:
                    self._thread = None
                    connections.close_all()  # this thread's own
                    return
            if self.delay:
                time.sleep(self.delay)
            with self._condition:
                items, self._items = list(self._items), {}
                self._requested = False
                self._busy = True
            try:
                self._run(items, own_connection=True)
            finally:
                with self._condition:
                    self._busy = False
                    self._condition.notify_all()

    def _run(self, items: list, *, own_connection: bool = False) -> None:
        from django.db import close_old_connections

        if own_connection:
            # As Django does around a request: drop a connection that is too old or broken.
            close_old_connections()
        try:
            when_unlocked(lambda: self.work(items))
        except Exception:
            logger.exception("%s: the work after commit failed", self.name)
        finally:
            if own_connection:
                close_old_connections()


# SQLite refuses a write at once when another connection holds the table (« database table is
# locked », shared cache) or after its busy timeout (« database is locked »): the work of this
# thread and of the requests' threads meet there. The work is safe to run again — a notice is
# claimed before it is sent, so one already sent is not sent twice, and sequencing takes what is
# still pending — so it is tried again after these pauses (seconds) instead of leaving the
# notices queued until `retry_failed_messages`.
LOCKED_RETRY_PAUSES = (0.05, 0.2, 0.5, 1.0)


def _database_locked(error: Exception) -> bool:
    from django.db import OperationalError

    return isinstance(error, OperationalError) and "locked" in str(error)


def when_unlocked(write: Callable[[], Any]) -> Any:
    """Run `write`, again after LOCKED_RETRY_PAUSES while SQLite says the database is locked: the
    runner's whole work, and inside it a step that must not be lost to a retry of that work, such
    as storing that a message already claimed and sent was sent (a second run would find it
    claimed)."""
    for pause in (*LOCKED_RETRY_PAUSES, None):
        try:
            return write()
        except Exception as error:
            if pause is None or not _database_locked(error):
                raise
            time.sleep(pause)
    raise AssertionError("unreachable: the last attempt returns or raises")


def drain_all(timeout: float = 30.0) -> bool:
    """Wait for every runner of this process (True if all became idle in time)."""
    return all([runner.drain(timeout) for runner in list(_runners)])


def stop_all(timeout: float = 30.0) -> bool:
    """Drain and end every runner's thread (closing their connections): tests, exit."""
    return all([runner.stop(timeout) for runner in list(_runners)])


@atexit.register
def _stop_at_exit() -> None:
    stop_all(timeout=5.0)
