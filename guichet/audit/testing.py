"""Test helpers: tamper with the trail the way an intruder with database access would.

`tamper(sql, params)` runs SQL with the trail's triggers out of the way (PostgreSQL: the session
replication role a DBA can set; SQLite: the triggers dropped and put back). `rehash(sequences)`
recomputes stored leaf hashes, which anyone can do: the leaf format is public, the MAC key is not.
"""

from django.db import connection

from guichet.audit.merkle import leaf_hash
from guichet.audit.models import AuditEntry
from guichet.audit.sealing import entry_leaf


def tamper(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            try:
                cursor.execute(sql, params)
            finally:
                cursor.execute("SET session_replication_role = origin")
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'audit_%'"
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            cursor.execute(sql, params)
        finally:
            for _name, trigger_sql in triggers:
                cursor.execute(trigger_sql)


def rehash(sequences=None) -> None:
    """Recompute the stored leaf hash of the given entries (all sequenced ones by default)."""
    entries = AuditEntry.objects.filter(sequence__isnull=False)
    if sequences is not None:
        entries = entries.filter(sequence__in=list(sequences))
    for entry in entries:
        tamper(
            "UPDATE audit_auditentry SET leaf_hash = %s WHERE id = %s",
            [leaf_hash(entry_leaf(entry)).hex(), entry.pk],
        )
