"""What happens between transactional tests, made cheap: emptying only the tables that hold rows,
and putting the migrations' reference rows back with one statement per table.

Django's flush truncates every table, about 230, after each transactional test: 0.4 to 1.4 s on
PostgreSQL even when they are empty. The flush here empties only the tables that hold rows — a
TRUNCATE for those no foreign key points to (the audit trail's among them, which refuse DELETE),
a DELETE for the others, whose foreign keys are deferred to the end of the flush's transaction —
and leaves the same database: every table empty, sequences untouched.

Serialized rollback (see the root conftest) reloads those rows — organisations, roles, communes,
holidays, authorities, content types and permissions, about 630 — before every transactional
test. Django saves them one by one, an UPDATE then an INSERT each: 0.85 s on PostgreSQL, times the
94 transactional tests of a suite. This loader reads the serialized string once per process and
writes each table with one upsert, with the same result: rows already present are overwritten,
missing ones inserted, pre_save/post_save sent with raw=True (caches such as the holiday table
listen to them), many-to-many relations set as Django sets them, constraints checked at the end.
tests/test_flush_and_reload.py compares the database they leave with Django's own flush and loader.
"""

from collections import defaultdict
from functools import lru_cache

from django.apps import apps
from django.core import serializers
from django.db import transaction
from django.db.models import signals

# SQLite allows 500 terms in one compound SELECT.
_TABLES_PER_QUERY = 200


@lru_cache(maxsize=1)
def _referenced_tables() -> frozenset:
    """Tables some foreign key points to (PostgreSQL truncates those only with their referrers)."""
    return frozenset(
        field.related_model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.is_relation and field.db_constraint and field.related_model is not None
    )


def _tables_with_rows(connection, tables) -> list:
    quote = connection.ops.quote_name
    tables = list(tables)
    found = set()
    with connection.cursor() as cursor:
        for start in range(0, len(tables), _TABLES_PER_QUERY):
            chunk = tables[start : start + _TABLES_PER_QUERY]
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in chunk
                ),
                chunk,
            )
            found.update(row[0] for row in cursor.fetchall())
    return [table for table in tables if table in found]


def _flush_statements(original, ops, style, tables, reset_sequences, allow_cascade) -> list:
    if reset_sequences or allow_cascade:
        return original(
            ops, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    tables = _tables_with_rows(ops.connection, tables)
    if ops.connection.vendor != "postgresql":
        return original(ops, style, tables)
    referenced = _referenced_tables()
    alone = [table for table in tables if table not in referenced]
    quote = ops.quote_name
    return original(ops, style, alone) + [
        f"DELETE FROM {quote(table)};" for table in tables if table in referenced
    ]


@lru_cache(maxsize=4)
def _parsed(data: str) -> tuple:
    """The serialized rows grouped by model, in their order (parents before children)."""
    by_model: dict = defaultdict(list)
    for deserialized in serializers.deserialize("json", data):
        by_model[type(deserialized.object)].append(deserialized)
    return tuple(by_model.items())


def _field_values(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


def _upsert(model, rows: list, using: str) -> None:
    meta = model._meta
    instances = [model(**_field_values(row.object)) for row in rows]
    for instance in instances:
        signals.pre_save.send(model, instance=instance, raw=True, using=using, update_fields=None)
    others = [f.name for f in meta.concrete_fields if not f.primary_key]
    manager = model._base_manager.using(using)
    if others:
        manager.bulk_create(
            instances, update_conflicts=True, unique_fields=[meta.pk.name], update_fields=others
        )
    else:
        manager.bulk_create(instances, ignore_conflicts=True)
    for instance in instances:
        signals.post_save.send(
            model, instance=instance, created=True, update_fields=None, raw=True, using=using
        )


def load(creation, data: str) -> None:
    """`BaseDatabaseCreation.deserialize_db_from_string`, one upsert per table."""
    connection = creation.connection
    using = connection.alias
    table_names = set()
    with transaction.atomic(using=using):
        with connection.constraint_checks_disabled():
            _write(_parsed(data), using, table_names)
        connection.check_constraints(table_names=table_names)


def _write(models_rows, using: str, table_names: set) -> None:
    for model, rows in models_rows:
        if model._meta.parents:  # multi-table inheritance: bulk_create cannot write it
            for row in rows:
                row.save(using=using)
        else:
            _upsert(model, rows, using)
        for row in rows:
            for accessor, related_pks in row.m2m_data.items():
                getattr(row.object, accessor).set(related_pks)
        table_names.add(model._meta.db_table)


def install() -> None:
    """Replace Django's flush and loader in this test process (called from the root conftest)."""
    from importlib import import_module

    from django.db.backends.base.creation import BaseDatabaseCreation

    if getattr(BaseDatabaseCreation.deserialize_db_from_string, "_guichet", False):
        return

    def deserialize_db_from_string(self, data):
        load(self, data)

    deserialize_db_from_string._guichet = True
    BaseDatabaseCreation.deserialize_db_from_string = deserialize_db_from_string

    for backend in ("postgresql", "sqlite3"):
        operations = import_module(f"django.db.backends.{backend}.base").DatabaseWrapper.ops_class
        original = operations.sql_flush

        def sql_flush(
            self, style, tables, *, reset_sequences=False, allow_cascade=False, _original=original
        ):
            return _flush_statements(_original, self, style, tables, reset_sequences, allow_cascade)

        operations.sql_flush = sql_flush
