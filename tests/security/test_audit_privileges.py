"""On PostgreSQL the application's role cannot UPDATE, DELETE or TRUNCATE the audit trail.

The owner role runs migrations; `manage.py audit_grant_app_role <role>` leaves the application role
SELECT and INSERT, plus the sequencer's one-time write of an entry's position, even after a broad
« GRANT ALL ON ALL TABLES » that operators often give.
"""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from guichet.audit import actions, services
from guichet.audit.models import AuditEntry

actions.register("tests.thing.changed")

ROLE = "guichet_audit_app_test"


@pytest.fixture
def app_role(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with connection.cursor() as cursor:
        # Created inside the test's transaction: rolled back with it.
        cursor.execute(f"CREATE ROLE {ROLE} NOSUPERUSER NOCREATEDB NOCREATEROLE")
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {ROLE}")
        cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {ROLE}")
    call_command("audit_grant_app_role", ROLE)
    return ROLE


def as_role(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {ROLE}")
        cursor.execute(sql, params)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET reason = 'x'",
        "DELETE FROM audit_auditentry",
        "TRUNCATE audit_auditentry CASCADE",
        "UPDATE audit_auditcheckpoint SET tree_size = 0",
        "DELETE FROM audit_auditcheckpoint",
        "TRUNCATE audit_auditcheckpoint",
    ],
)
def test_the_application_role_may_not_change_or_empty_the_trail(app_role, sql):
    services.record("tests.thing.changed")
    services.publish_checkpoint()
    with pytest.raises(DatabaseError, match="permission denied"):
        as_role(sql)


@pytest.mark.postgres
def test_the_application_role_may_append_and_sequence(app_role):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {ROLE}")
        entry = services.record("tests.thing.changed", data={"role": ROLE})
        assert services.sequence_pending() == 1
        checkpoint = services.publish_checkpoint()
    assert AuditEntry.objects.get(pk=entry.pk).sequence == 1 and checkpoint.tree_size == 1


@pytest.mark.postgres
def test_the_role_must_not_be_a_superuser(db):
    with pytest.raises(CommandError, match="superuser or owns the trail"):
        call_command("audit_grant_app_role", connection.settings_dict["USER"])


@pytest.mark.django_db
def test_there_is_no_role_to_restrict_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with pytest.raises(CommandError, match="Only PostgreSQL"):
        call_command("audit_grant_app_role", "anyone")
