"""Writing to the audit trail. Every write that matters calls `record` inside its transaction.

`record` only inserts the entry (with its MAC): no lock, so concurrent requests do not queue on the
trail. Once the transaction commits, `sequence_pending` gives the committed entries their positions
and leaf hashes under a short lock (an entry of a rolled-back transaction never existed, so it is
never sequenced). `publish_checkpoint` signs the tree head and writes it outside the database; the
Celery beat entry `audit-checkpoint` runs it every minute, and in the embedded mode the same entry
runs in-process at the end of a request (guichet/periodic.py).

Lock order (docs/architecture.md): the audit sequencing lock is always taken last and alone, in its
own short transaction after the business transaction has committed, so it can never be part of a
deadlock with a business lock.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Model, Subquery
from django.utils import timezone

from guichet import after_commit, locks
from guichet.audit import actions, checkpoints, merkle
from guichet.audit.keys import audit_key
from guichet.audit.models import AuditCheckpoint, AuditEntry
from guichet.audit.sealing import entry_leaf_hash, entry_mac, mac_is_valid
from guichet.throttling import client_ip

logger = logging.getLogger(__name__)

# Any fixed 64-bit key: the advisory lock of the sequencer and of checkpoint publication.
_SEQUENCER_LOCK_KEY = 0x6775696368657401


def record(
    action: str,
    *,
    actor=None,
    organisation=None,
    target: Model | None = None,
    reason: str = "",
    request=None,
    data: dict | None = None,
    sensitive_read: bool = False,
) -> AuditEntry:
    """Append one entry: who, for which organisation, did what to which object, why, from where.

    `action` must be registered in `guichet.audit.actions` (ValueError otherwise). Call it inside
    the write's transaction: the entry is committed, then sequenced, with that write or not at all.
    """
    entry = _new_entry(
        action,
        actor=actor,
        organisation=organisation,
        target=target,
        reason=reason,
        request=request,
        data=data,
        sensitive_read=sensitive_read,
    )
    gathered = getattr(connection, _GATHERED, None)
    if gathered is not None:
        gathered.append(entry)  # written with the others when `gathered_entries` ends
        return entry
    entry.save()  # one INSERT: no savepoint needed, and no lock taken
    _sequence_after_commit()
    return entry


_GATHERED = "_guichet_audit_gathered"


@contextmanager
def gathered_entries() -> Iterator[list[AuditEntry]]:
    """Inside the block, `record` only builds its entries; they are written by one INSERT (in the
    order recorded, as `record_many` writes them) when the block ends without an error.

    For a write that records several entries through several functions (a filing: the case's
    opening, then the complaint). Use it inside the write's transaction; an entry returned by
    `record` in the block has no id until the block ends. Blocks do not nest.
    """
    if getattr(connection, _GATHERED, None) is not None:
        raise RuntimeError("gathered_entries() blocks do not nest.")
    entries: list[AuditEntry] = []
    setattr(connection, _GATHERED, entries)
    try:
        yield entries
    finally:
        setattr(connection, _GATHERED, None)
    if entries:
        AuditEntry.objects.bulk_create(entries, batch_size=_BULK_BATCH)
        _sequence_after_commit()


def record_many(entries: Iterable[Mapping]) -> list[AuditEntry]:
    """Append many entries at once: each mapping holds `record`'s arguments (`action` included).

    The same entries as that many `record` calls, in the same order (ids, hence sequence positions,
    follow the list), with the same canonical content and MAC, but written by one multi-row INSERT
    per batch instead of one statement per entry: for bulk writes such as an archive import, where
    the per-entry INSERT cost as much as the rest of the import. Every entry is checked (registered
    action, reason of a sensitive read) before anything is written. Call it inside the write's
    transaction, as `record`; the sequencer runs once after the commit.
    """
    built = [_new_entry(**arguments) for arguments in entries]
    if not built:
        return []
    # bulk_create does not go through AppendOnlyModel.save (which only refuses updates): these are
    # new rows, and the database triggers refuse any later UPDATE or DELETE just the same.
    AuditEntry.objects.bulk_create(built, batch_size=_BULK_BATCH)
    _sequence_after_commit()
    return built


# Rows per INSERT: well under SQLite's and PostgreSQL's limits on bound parameters (16 per row).
_BULK_BATCH = 1000


def _new_entry(
    action: str,
    *,
    actor=None,
    organisation=None,
    target: Model | None = None,
    reason: str = "",
    request=None,
    data: dict | None = None,
    sensitive_read: bool = False,
) -> AuditEntry:
    """The entry `record` writes, with its MAC, not yet saved (see `record` for the arguments)."""
    actions.check(action)
    reason = (reason or "").strip()
    if sensitive_read and not reason:
        raise ValueError("A sensitive read must state its reason.")
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditEntry(
        created_at=timezone.now(),
        actor=actor,
        actor_label=(actor.get_username() if actor else ""),
        organisation=organisation,
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:300] if target is not None else "",
        reason=reason,
        sensitive_read=sensitive_read,
        ip_address=client_ip(request) if request is not None else None,
        data=_as_stored_json(data or {}),
    )
    # The MAC covers the JSON and the timestamp as the database will return them, so that the MAC
    # computed now is the one recomputed when the log is verified.
    entry.mac = entry_mac(entry)
    return entry


def _sequence_after_commit() -> None:
    """Queue one sequencing run for when the outermost transaction commits (once per transaction)."""
    if any(callback is _run_sequencer for _sids, callback, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_run_sequencer, robust=True)


def _run_sequencer() -> None:
    """After a commit: wake the process's sequencer thread (inline when the mode is off).
    Checkpoints are beat's job (in-process without Redis: guichet/periodic.py)."""
    _sequencer.submit()


def _sequence(_items: list) -> None:
    sequence_pending(wait=False)


# One sequencing run orders every entry committed by this process's requests meanwhile (and any
# other process's: it takes whatever is pending). See guichet/after_commit.py.
_sequencer = after_commit.Coalescing(
    "audit-sequencer",
    _sequence,
    delay=settings.AFTER_COMMIT_DELAY,
)


def _lock_sequencer(*, wait: bool = True, durable: bool = True) -> bool:
    """Take the sequencer's lock until the surrounding (short) transaction ends; False if `wait`
    is off and another sequencer holds it. `durable` off: this transaction's commit does not wait
    for the disk (synchronous_commit off).

    On PostgreSQL a transaction-level advisory lock; on SQLite every transaction already takes the
    write lock up front (settings: transaction_mode IMMEDIATE). The unique `sequence` is the last guard.
    """
    return locks.audit_sequencer(_SEQUENCER_LOCK_KEY, wait=wait, durable=durable)


def _pending_exists() -> bool:
    return AuditEntry.objects.filter(sequence__isnull=True).exists()


# The log's size: the highest position (the unique index on `sequence` answers it).
_LAST_POSITION = (
    AuditEntry.objects.filter(sequence__isnull=False).order_by("-sequence").values("sequence")[:1]
)


def sequence_pending(batch_size: int = 5000, *, wait: bool = True) -> int:
    """Give every committed, unsequenced entry its position and leaf hash; return how many.

    An entry whose MAC does not hold was not written by `record` (a forged insertion): it is left
    out of the log and reported by `verify_audit`.

    With `wait` off (the after-commit call of each request) a busy lock means another sequencer is
    at work: this one leaves. No entry is left behind: ours committed before we tried the lock,
    and every sequencer looks for pending entries once more after releasing it, so the holder (or
    whoever takes the lock after it) sees ours. That call also commits without waiting for the
    disk (synchronous_commit off): a crash can only lose positions that no checkpoint covers yet
    (a checkpoint's own synchronous commit flushes them first), and the entries are then sequenced
    again.
    """
    done = 0
    while True:
        with transaction.atomic():
            if not _lock_sequencer(wait=wait, durable=wait):
                return done
            # The log's size comes with the pending entries: one round trip instead of two (the
            # lock is held, so no other sequencer moves it in between).
            pending = list(
                AuditEntry.objects.filter(sequence__isnull=True)
                .annotate(log_size=Subquery(_LAST_POSITION))
                .order_by("id")[:batch_size]
            )
            if not pending:
                return done
            last = pending[0].log_size or 0
            rows = []
            for entry in pending:
                if not mac_is_valid(entry):
                    logger.error("Audit entry id=%s has no valid MAC: not sequenced.", entry.pk)
                    continue
                last += 1
                rows.append((entry.pk, last, entry_leaf_hash(entry, last).hex()))
            if not rows:
                return done
            _assign_positions(rows)
            done += len(rows)
        # The lock is released: look once more (see above), without a transaction.
        if not _pending_exists():
            return done


def _assign_positions(rows: list[tuple[int, int, str]]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Only placeholders are joined into the text; every value is a parameter.
            values = ", ".join(["(%s::bigint, %s::bigint, %s)"] * len(rows))
            statement = (
                "UPDATE audit_auditentry AS e SET sequence = v.sequence, leaf_hash = v.leaf_hash "  # noqa: S608
                "FROM (VALUES " + values + ") AS v(id, sequence, leaf_hash) "
                "WHERE e.id = v.id AND e.sequence IS NULL"
            )
            cursor.execute(statement, [value for row in rows for value in row])
        else:
            cursor.executemany(
                "UPDATE audit_auditentry SET sequence = %s, leaf_hash = %s "
                "WHERE id = %s AND sequence IS NULL",
                [(sequence, leaf, pk) for pk, sequence, leaf in rows],
            )


def publish_checkpoint(*, min_age: dt.timedelta | None = None) -> AuditCheckpoint | None:
    """Sequence what is pending, sign the tree head, store it and write it outside the database.

    With `min_age`, do nothing when the last checkpoint is younger than that or the log has not grown
    since (the periodic and in-process calls); without it, always publish (verify_audit, load_demo).
    """
    sequence_pending()
    with transaction.atomic():
        _lock_sequencer()
        last = AuditCheckpoint.objects.order_by("-id").first()
        size = AuditEntry.objects.aggregate(last=Max("sequence"))["last"] or 0
        now = timezone.now()
        if min_age is not None and not _due(last, size, now, min_age):
            return None
        frontier = _frontier_at(last, size)
        key = audit_key()
        signed = checkpoints.sign(key, frontier.size, frontier.root(), now)
        checkpoint = AuditCheckpoint(
            tree_size=signed.tree_size,
            root_hash=signed.root.hex(),
            published_at=now,
            key_id=signed.key_id,
            text=signed.text,
            frontier=[value.hex() for value in frontier.hashes],
        )
        checkpoint.save()
    # Written once the checkpoint is committed (its synchronous commit also makes durable every
    # position it covers). A crash in between leaves a stored checkpoint without its copies, which
    # verify_audit reports (a rare false alarm that names the checkpoint, rather than a silent gap).
    checkpoints.write_external(signed)
    return checkpoint


def _due(last: AuditCheckpoint | None, size: int, now, min_age: dt.timedelta) -> bool:
    return last is None or (last.tree_size != size and now - last.published_at >= min_age)


def _frontier_at(last: AuditCheckpoint | None, size: int) -> merkle.Frontier:
    """The tree's right edge at `size`, extended from the last checkpoint's when it is a prefix."""
    if last is not None and last.tree_size <= size:
        try:
            frontier = merkle.Frontier.from_hashes(
                last.tree_size, [bytes.fromhex(value) for value in last.frontier]
            )
            start = last.tree_size
        except ValueError:
            frontier, start = merkle.Frontier(), 0
    else:
        frontier, start = merkle.Frontier(), 0
    hashes = (
        AuditEntry.objects.filter(sequence__gt=start, sequence__lte=size)
        .order_by("sequence")
        .values_list("leaf_hash", flat=True)
    )
    for value in hashes.iterator(chunk_size=5000):
        frontier.append(bytes.fromhex(value))
    return frontier


def _as_stored_json(data: dict) -> dict:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
