"""One lock order, taken through one helper (docs/architecture.md, « Lock order »).

Every lock a service takes inside a transaction goes through this module, which names its rank
and refuses (LockOrderError) a lock of a lower rank than one the same transaction already holds:
the mistake that deadlocked mail registration (the audit chain, then the register counter, while
another registration took them the other way round) fails the first test that runs it instead of
one request in four hundred under load.

    KEY     named keys and register counters: `key(...)` (a transaction advisory lock on
            PostgreSQL: a complaint's fingerprint) and `rows(...)` on counter rows
            (correspondence.RegisterCounter), first in the transaction;
    ROW     case and object rows: `rows(queryset, Rank.ROW)` (select_for_update, primary-key
            order when several);
    AUDIT   the audit sequencer's lock: `audit_sequencer(...)`, taken alone in its own short
            transaction after the business one has committed (`record()` takes no lock).

A file lock between processes, `file(path)`, is a leaf: nothing is requested while it is held
(its block only writes files), so it may be taken under any rank and never closes a cycle;
asking for another lock inside it raises LockOrderError.

Locks of one rank may be taken in any number; one transaction never goes back up the list.
On SQLite every transaction holds the database's write lock from its start (IMMEDIATE): the
advisory locks are no-ops there and only the order is checked.
"""

from __future__ import annotations

import fcntl
import threading
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path

from django.db import connection, transaction


class Rank(IntEnum):
    KEY = 1
    ROW = 2
    AUDIT = 3


class LockOrderError(RuntimeError):
    """A lock requested after one of a higher rank in the same transaction."""


_STATE = "_guichet_lock_rank"


_BATCH = "_guichet_lock_batch"

# The file lock this thread holds, if any (file locks are taken outside transactions too).
_FILE = threading.local()


@contextmanager
def batch_transaction():
    """One transaction around several operations that each keep the order on their own (a demo
    load, run alone): the order restarts at each operation's own atomic block."""
    block = transaction.atomic()
    setattr(block, _BATCH, True)
    with block:
        yield


def _transaction():
    """The atomic block that began the current operation's transaction: the outermost one,
    leaving out the blocks Django's TestCase opens around a whole test and `batch_transaction`'s
    (several operations run inside one of those)."""
    for block in connection.atomic_blocks:
        if not (getattr(block, "_from_testcase", False) or getattr(block, _BATCH, False)):
            return block
    return None


def _enter(rank: Rank, what: str) -> None:
    if getattr(_FILE, "held", None):
        raise LockOrderError(f"{what} requested while the file lock {_FILE.held} is held.")
    if not connection.in_atomic_block:
        raise LockOrderError(f"{what}: a lock is only held inside a transaction.")
    outermost = _transaction()
    if outermost is None:
        return  # directly in a test's or a batch's block: no operation of ours to order
    held_in, held = getattr(connection, _STATE, (None, 0))
    if held_in is not outermost:
        held = 0  # a new transaction: nothing held
    if rank < held:
        raise LockOrderError(
            f"{what} ({rank.name}) requested after a {Rank(held).name} lock in the same "
            "transaction: see docs/architecture.md, « Lock order »."
        )
    setattr(connection, _STATE, (outermost, max(rank, held)))


def held_rank() -> int:
    """The highest rank held by the current transaction (0: none); for tests and assertions."""
    if not connection.in_atomic_block:
        return 0
    outermost = _transaction()
    held_in, held = getattr(connection, _STATE, (None, 0))
    return held if outermost is not None and held_in is outermost else 0


def key(namespace: int, value: str) -> None:
    """Lock the name `value` of `namespace` until the transaction ends (rank KEY)."""
    _enter(Rank.KEY, f"key lock {namespace}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, %s))", [value, namespace]
            )


def rows(queryset, rank: Rank = Rank.ROW):
    """`queryset.select_for_update()`, ordered by primary key, after checking the order.

    Counter rows (a register's next number) are rank KEY; case and object rows rank ROW.
    """
    _enter(rank, f"rows of {queryset.model._meta.label}")
    locked = queryset.select_for_update()
    if not locked.query.order_by:
        locked = locked.order_by("pk")
    return locked


def audit_sequencer(lock_id: int, *, wait: bool, durable: bool) -> bool:
    """The audit sequencer's lock (rank AUDIT), with the commit's durability in one round trip;
    False if `wait` is off and another sequencer holds it."""
    _enter(Rank.AUDIT, "audit sequencer")
    if connection.vendor != "postgresql":
        return True
    lock = "pg_advisory_xact_lock(%s) IS NULL" if wait else "pg_try_advisory_xact_lock(%s)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {lock}, set_config('synchronous_commit', %s, true)",
            [lock_id, "on" if durable else "off"],
        )
        acquired = cursor.fetchone()[0]
    return wait or acquired


@contextmanager
def file(path: Path):
    """Hold an exclusive lock on the file `path` between processes (`fcntl.flock`) for the
    block; a leaf lock (see above): no other lock, file or database, may be requested inside."""
    if getattr(_FILE, "held", None):
        raise LockOrderError(f"file lock {path} requested while {_FILE.held} is held.")
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _FILE.held = str(path)
        try:
            yield
        finally:
            _FILE.held = None
            fcntl.flock(handle, fcntl.LOCK_UN)
