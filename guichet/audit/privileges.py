"""PostgreSQL privileges of the application's role on the trail (docs/deploy.md, « Journal d'audit »).

The owner role runs the migrations; the application connects with another role that may read and
append to the trail and set an entry's position once (the sequencer), but never UPDATE its content,
DELETE or TRUNCATE. Run `manage.py audit_grant_app_role <role>` as the owner after each `migrate`
(or set `GUICHET_AUDIT_APP_ROLE`, and `migrate` does it).
"""

from django.db import connection as default_connection
from psycopg import sql

TABLES = ("audit_auditentry", "audit_auditcheckpoint")
# The only columns the sequencer writes (the trigger also allows it only from NULL, once).
SEQUENCER_COLUMNS = ("sequence", "leaf_hash")


class NotApplicable(Exception):
    pass


def statements(role: str) -> list:
    role_id = sql.Identifier(role)
    tables = sql.SQL(", ").join(sql.Identifier(t) for t in TABLES)
    return [
        sql.SQL("REVOKE ALL ON {} FROM {}").format(tables, role_id),
        sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(tables, role_id),
        sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(
            sql.SQL(", ").join(sql.Identifier(c) for c in SEQUENCER_COLUMNS),
            sql.Identifier("audit_auditentry"),
            role_id,
        ),
        *(
            sql.SQL("GRANT USAGE, SELECT ON SEQUENCE {} TO {}").format(
                sql.Identifier(f"{table}_id_seq"), role_id
            )
            for table in TABLES
        ),
    ]


def grant_app_role(role: str, connection=default_connection) -> list[str]:
    """Give `role` exactly the rights the application needs on the trail; return the SQL run."""
    if connection.vendor != "postgresql":
        raise NotApplicable("Only PostgreSQL has roles and privileges.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.rolsuper, c.relowner = r.oid FROM pg_roles r, pg_class c "
            "WHERE r.rolname = %s AND c.relname = 'audit_auditentry'",
            [role],
        )
        row = cursor.fetchone()
        if row is None:
            raise NotApplicable(f"No PostgreSQL role named {role!r}.")
        if row[0] or row[1]:
            raise NotApplicable(
                f"Role {role!r} is a superuser or owns the trail: the application must use another role."
            )
        done = []
        for statement in statements(role):
            cursor.execute(statement)
            done.append(statement.as_string(cursor.connection))
    return done
