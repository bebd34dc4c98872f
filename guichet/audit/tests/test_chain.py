"""The audit trail is append-only and chained: any edit or deletion is detected."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from guichet.audit import services
from guichet.audit.models import GENESIS_HASH, AuditEntry
from guichet.audit.selectors import verify_chain


def write_entries(count: int, organisation=None):
    return [
        services.record("tests.thing.changed", organisation=organisation, data={"n": n, "é": "ü"})
        for n in range(count)
    ]


def raw_sql(sql: str, params=()):
    """Tamper the way an intruder with database access would: bypassing the ORM and triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off, as a DBA could
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


@pytest.mark.django_db
def test_entries_are_chained_from_the_genesis():
    first, second = write_entries(2)
    assert first.sequence == 1 and first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.entry_hash
    assert verify_chain() is None


@pytest.mark.django_db
def test_orm_refuses_edits_and_deletions():
    (entry,) = write_entries(1)
    entry.reason = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(reason="x")


@pytest.mark.django_db
def test_an_edited_entry_is_detected_and_named(capsys):
    write_entries(5)
    call_command("verify_audit")
    raw_sql("UPDATE audit_auditentry SET action = 'tests.hidden' WHERE sequence = 3")
    broken = verify_chain()
    assert broken.sequence == 3 and "edited" in broken.problem
    with pytest.raises(CommandError, match="#3"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_a_deleted_entry_is_detected():
    write_entries(4)
    raw_sql("DELETE FROM audit_auditentry WHERE sequence = 2")
    assert verify_chain().sequence == 2


@pytest.mark.django_db
def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_next_link():
    entries = write_entries(3)
    forged = entries[1]
    forged.reason = "forged"
    raw_sql(
        "UPDATE audit_auditentry SET reason = %s, entry_hash = %s WHERE sequence = 2",
        ["forged", forged.compute_hash()],
    )
    assert verify_chain().sequence == 3


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_itself_refuses_edits_on_postgresql():
    from django.db import DatabaseError, transaction

    write_entries(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET reason = 'x'")


@pytest.mark.django_db
def test_verify_audit_exits_non_zero_on_a_broken_chain():
    # The exit status is what an operator's cron job sees: CommandError exits with 1.
    write_entries(2)
    raw_sql("UPDATE audit_auditentry SET reason = 'x' WHERE sequence = 1")
    with pytest.raises(CommandError) as error:
        call_command("verify_audit")
    assert error.value.returncode == 1


@pytest.mark.django_db
def test_a_sensitive_read_requires_a_reason(make_agent):
    agent = make_agent("j.juge", "judge", "TGI-NIAMEY")
    with pytest.raises(ValueError):
        services.record("criminal_records.bulletin.viewed", actor=agent, sensitive_read=True)
    entry = services.record(
        "criminal_records.bulletin.viewed",
        actor=agent,
        target=agent,
        sensitive_read=True,
        reason="Instruction du dossier 2026/114",
    )
    assert entry.actor_label == "j.juge" and entry.object_type == "accounts.user"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_do_not_fork_the_chain():
    writers, per_writer = 8, 25
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def writer():
        try:
            barrier.wait()
            for n in range(per_writer):
                services.record("tests.parallel", data={"n": n})
        except BaseException as error:  # reported to the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert AuditEntry.objects.count() == writers * per_writer
    assert verify_chain() is None
