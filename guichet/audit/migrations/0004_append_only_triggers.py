"""The database itself keeps the trail append-only (issue 9).

PostgreSQL: row triggers refuse UPDATE and DELETE on entries and checkpoints, except the sequencer's
one-time write of an entry's position and leaf hash (NULL → value, every other column unchanged);
statement triggers refuse TRUNCATE, unless a superuser's session sets guichet.allow_audit_truncate
(the test runner's flush; a superuser could disable the triggers anyway, which verify_audit reveals).
SQLite: the same rules, the deletion exception asked of the connection's guichet_audit_may_erase().
Caution: a later migration that makes SQLite rebuild one of these tables drops its triggers; such a
migration must run this one's SQLite statements again.
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION audit_entry_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.sequence IS NULL AND NEW.sequence IS NOT NULL
     AND OLD.leaf_hash = '' AND NEW.leaf_hash <> ''
     AND (to_jsonb(OLD) - 'sequence' - 'leaf_hash') = (to_jsonb(NEW) - 'sequence' - 'leaf_hash') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION audit_trail_refuse() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' AND current_setting('guichet.allow_audit_truncate', true) = 'on'
     AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
  FOR EACH ROW EXECUTE FUNCTION audit_entry_guard();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
  FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_refuse();
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
  FOR EACH ROW EXECUTE FUNCTION audit_trail_refuse();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_auditcheckpoint
  FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_refuse();
"""

PG_DROP = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_auditcheckpoint;
DROP TRIGGER IF EXISTS audit_checkpoint_no_truncate ON audit_auditcheckpoint;
DROP FUNCTION IF EXISTS audit_entry_guard();
DROP FUNCTION IF EXISTS audit_trail_refuse();
"""

_UNCHANGED = " AND ".join(
    f"NEW.{column} IS OLD.{column}"
    for column in (
        "id", "uid", "created_at", "actor_id", "actor_label", "organisation_id", "action",
        "object_type", "object_id", "object_repr", "reason", "sensitive_read", "ip_address",
        "data", "mac",
    )
)

SQLITE_CREATE = [
    "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry "
    "WHEN NOT guichet_audit_may_erase() "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only (DELETE refused)'); END",
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
    "WHEN NOT (OLD.sequence IS NULL AND NEW.sequence IS NOT NULL AND OLD.leaf_hash = '' "
    f"AND NEW.leaf_hash <> '' AND {_UNCHANGED}) "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only (UPDATE refused)'); END",
    "CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_auditcheckpoint "
    "WHEN NOT guichet_audit_may_erase() "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditcheckpoint is append-only (DELETE refused)'); END",
    "CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_auditcheckpoint "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditcheckpoint is append-only (UPDATE refused)'); END",
]

SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "audit_entry_no_delete",
        "audit_entry_no_update",
        "audit_checkpoint_no_delete",
        "audit_checkpoint_no_update",
    )
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_merkle_log")]

    operations = [migrations.RunPython(create, drop)]
