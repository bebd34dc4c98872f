"""Writing to the audit trail. Every write that matters calls `record` inside its transaction."""

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from guichet.audit.models import GENESIS_HASH, AuditEntry
from guichet.throttling import client_ip

# Any fixed 64-bit key: the advisory lock that serialises appends to the chain on PostgreSQL.
_CHAIN_LOCK_KEY = 0x6775696368657401


def _lock_chain() -> None:
    """Take the chain's lock until the surrounding transaction ends.

    Two writers reading the same last entry would fork the chain. On PostgreSQL a transaction-level
    advisory lock queues them; on SQLite every transaction already takes the write lock up front
    (settings: transaction_mode IMMEDIATE). The unique sequence and hash are the last guard.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


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
    """Append one entry: who, for which organisation, did what to which object, why, from where."""
    reason = (reason or "").strip()
    if sensitive_read and not reason:
        raise ValueError("A sensitive read must state its reason.")
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-sequence").only("sequence", "entry_hash").first()
        entry = AuditEntry(
            sequence=(last.sequence + 1) if last else 1,
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
            data=data or {},
            previous_hash=last.entry_hash if last else GENESIS_HASH,
        )
        # Round-trip the JSON and the timestamp as the database will return them, so that the hash
        # computed now is the one recomputed when the chain is verified.
        entry.data = _as_stored_json(entry.data)
        entry.entry_hash = entry.compute_hash()
        entry.save()
    return entry


def _as_stored_json(data: dict) -> dict:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
