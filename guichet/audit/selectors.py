"""Reading and checking the audit trail."""

from collections.abc import Iterator
from dataclasses import dataclass

from guichet.audit.models import GENESIS_HASH, AuditEntry


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    problem: str


def verify_chain(batch_size: int = 2000) -> ChainBreak | None:
    """Walk the whole chain; return the first entry that does not hold, or None if intact.

    Detects an edited entry (its hash no longer matches its content), a deleted entry (a gap in the
    sequence, or the next entry's previous_hash pointing at nothing), and reordering.
    """
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    for entry in _entries_in_order(batch_size):
        if entry.sequence != expected_sequence:
            return ChainBreak(expected_sequence, f"entry #{expected_sequence} is missing")
        if entry.previous_hash != expected_previous:
            return ChainBreak(entry.sequence, "previous hash does not match the entry before it")
        if entry.compute_hash() != entry.entry_hash:
            return ChainBreak(entry.sequence, "content does not match its hash (edited)")
        expected_previous = entry.entry_hash
        expected_sequence += 1
    return None


def _entries_in_order(batch_size: int) -> Iterator[AuditEntry]:
    last = 0
    while True:
        batch = list(AuditEntry.objects.filter(sequence__gt=last).order_by("sequence")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].sequence


def trail_for(target) -> list[AuditEntry]:
    """Every entry about one object, oldest first."""
    return list(
        AuditEntry.objects.filter(object_type=target._meta.label_lower, object_id=str(target.pk))
        .select_related("actor", "organisation")
        .order_by("sequence")
    )
