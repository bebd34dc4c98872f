"""Attack suite, issue 9: every lock of the platform is taken through `guichet.locks`.

The order that `guichet.locks` checks (docs/architecture.md, « Lock order ») only protects the
locks it sees: a service that calls `select_for_update()` itself, or locks a file with `fcntl`,
escapes the check, and two such sites taken in opposite orders deadlock again under load. This
test reads the source of every module (tests and migrations aside) and names each lock taken
outside `guichet/locks.py`.
"""

import ast
from pathlib import Path

import pytest
from django.db import transaction

import guichet
from guichet import locks

ROOT = Path(guichet.__file__).parent
LOCK_MODULE = ROOT / "locks.py"
# Calls that take a lock: row locks, file locks between processes, and PostgreSQL advisory locks
# written as SQL.
LOCKING_ATTRIBUTES = {"select_for_update", "flock", "lockf"}
LOCKING_SQL = ("pg_advisory", "for update", "lock table")


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if path == LOCK_MODULE or "tests" in parts or "migrations" in parts:
            continue
        yield path


def _docstrings(tree) -> set[int]:
    """The ids of the docstring nodes: prose may name a lock without taking one."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def direct_locks(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    prose = _docstrings(tree)
    where = path.relative_to(ROOT.parent) if path.is_relative_to(ROOT.parent) else path.name
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in LOCKING_ATTRIBUTES:
            found.append((node.lineno, f"{where}:{node.lineno} .{node.attr}"))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in prose
            and any(sql in node.value.lower() for sql in LOCKING_SQL)
        ):
            found.append((node.lineno, f"{where}:{node.lineno} SQL lock"))
    return [site for _line, site in sorted(found)]


def test_no_lock_is_taken_outside_guichet_locks():
    found = [site for path in _sources() for site in direct_locks(path)]
    assert found == [], "take these locks through guichet.locks:\n" + "\n".join(found)


def test_the_check_sees_a_direct_lock(tmp_path):
    # The test above must be able to fail: a direct row lock and an SQL advisory lock are named.
    module = tmp_path / "module.py"
    module.write_text(
        '"""A docstring may say SELECT ... FOR UPDATE."""\n'
        "def f(Model, cursor):\n"
        "    Model.objects.select_for_update().get(pk=1)\n"
        "    cursor.execute('SELECT pg_advisory_xact_lock(1)')\n",
        encoding="utf-8",
    )
    assert [site.split(" ", 1)[1] for site in direct_locks(module)] == [
        ".select_for_update",
        "SQL lock",
    ]


@pytest.mark.django_db
def test_no_lock_is_requested_inside_a_file_lock(tmp_path):
    from guichet.audit.models import AuditEntry

    with locks.file(tmp_path / ".lock"):
        with pytest.raises(locks.LockOrderError, match="file lock"):
            with locks.file(tmp_path / ".other"):
                pass
        with transaction.atomic(), pytest.raises(locks.LockOrderError, match="file lock"):
            locks.rows(AuditEntry.objects.all())
    with transaction.atomic():
        list(locks.rows(AuditEntry.objects.all()))  # released: locks are taken again
