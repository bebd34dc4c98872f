"""Database-side guards of the trail: SQLite functions its triggers call, the flush exception for
test suites, and the post-migrate grant of `GUICHET_AUDIT_APP_ROLE`."""

import threading
from contextlib import contextmanager

from django.conf import settings

_erase = threading.local()


def _may_erase() -> int:
    return 1 if getattr(_erase, "allowed", False) else 0


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """SQLite's triggers on the trail call `guichet_audit_may_erase()`: 0 unless a test flush runs.

    A connection that lacks the function (the sqlite3 shell) gets an error from the trigger, which
    refuses the deletion just the same.
    """
    if connection.vendor == "sqlite":
        connection.connection.create_function("guichet_audit_may_erase", 0, _may_erase)


@contextmanager
def erasable_for_test_flush():
    """Let the test runner's flush (DELETE on SQLite) empty the trail; nothing else may."""
    _erase.allowed = True
    try:
        yield
    finally:
        _erase.allowed = False


# PostgreSQL: TRUNCATE is refused unless a superuser's session sets this (what a superuser could
# do anyway by disabling triggers); the test runner's flush sets it for its own transaction.
PG_TRUNCATE_SETTING = "guichet.allow_audit_truncate"


def install_test_flush_permission() -> None:
    """Patch `execute_sql_flush` so that Django's flush between transactional tests may empty the
    trail (called from the root conftest only)."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    original = BaseDatabaseOperations.execute_sql_flush
    if getattr(original, "_guichet_audit", False):
        return

    def execute_sql_flush(self, sql_list):
        if self.connection.vendor == "postgresql":
            sql_list = [f"SET LOCAL {PG_TRUNCATE_SETTING} = 'on'", *sql_list]
        with erasable_for_test_flush():
            return original(self, sql_list)

    execute_sql_flush._guichet_audit = True
    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush


def grant_configured_app_role(sender, using="default", **kwargs) -> None:
    role = getattr(settings, "AUDIT_APP_DB_ROLE", "")
    if not role:
        return
    from django.db import connections

    from guichet.audit.privileges import grant_app_role

    grant_app_role(role, connections[using])
