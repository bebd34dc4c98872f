"""Writing the large GTFS tables (trips, stop_times, shapes) straight from the CSV records.

A file is read in batches of records; each batch is turned into columns (`zip(*batch)`), each
column converted by `map` over a C callable (a dict look-up, `int`, `float`, the time parser's
cache, a memo of the converted values), and the columns zipped back into rows. No dict or model
instance is made per row, so the Python interpreter runs a few lines per batch, not per value.
A column absent from the file is not read at all: its default is written by the INSERT itself.
The validator has checked every value before: a conversion here never meets a malformed one.

Rows go to the table by COPY on PostgreSQL and by executemany on SQLite. On SQLite, when a feed
brings more rows to a table than it holds, the table's indexes are dropped and built again
after the rows, in the same transaction (one sort instead of a B-tree insertion per row and
index): the import stays atomic, and other connections read the last committed state meanwhile.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection

from guichet.transit.gtfs import GtfsSource

BATCH = 5000
# A memo of converted values is emptied past this size: memory stays flat on any feed.
MEMO_SIZE = 100_000


class Memo(dict):
    """value → convert(value), computed once per distinct value; `memo.__getitem__` is the C
    callable that `map` applies (a miss calls `convert` from `__missing__`)."""

    def __init__(self, convert: Callable[[str], object]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, value: str) -> object:
        if len(self) >= MEMO_SIZE:
            self.clear()
        converted = self[value] = self.convert(value)
        return converted


def optional(convert: Callable[[str], object], default: object = None) -> Callable[[str], object]:
    """The C callable converting a GTFS value that may be empty (then `default`)."""
    return Memo(lambda value: convert(value) if value else default).__getitem__


@dataclass(frozen=True)
class Column:
    """Model field `field` from GTFS column `source`, converted by `convert` (None: the
    stripped text); `default` when the file has no such column."""

    field: str
    source: str
    convert: Callable[[str], object] | None = None
    default: object = ""


def column_batches(
    source: GtfsSource, name: str, columns: Iterable[Column]
) -> tuple[list[Column], dict[str, object], Iterator[Iterator[tuple]]]:
    """(the columns present in file `name`, {field: default} of the absent ones, batches of
    rows: iterators of tuples in the order of the present columns)."""
    records = source.iter_records(name)
    _number, header = next(records, (0, []))
    position = {column.strip(): i for i, column in enumerate(header)}
    width = len(header)
    present = [c for c in columns if c.source in position]
    absent = {c.field: c.default for c in columns if c.source not in position}
    indices = [position[c.source] for c in present]

    def batches() -> Iterator[Iterator[tuple]]:
        lines = map(operator.itemgetter(1), records)
        while batch := list(itertools.islice(lines, BATCH)):
            if set(map(len, batch)) != {width}:
                # Blank lines, which the validator only warned about (a malformed row would
                # have refused the feed).
                batch = [values for values in batch if len(values) == width]
                if not batch:
                    continue
            table = list(zip(*batch, strict=True))
            converted = []
            for column, index in zip(present, indices, strict=True):
                values = map(str.strip, table[index])
                converted.append(map(column.convert, values) if column.convert else values)
            yield zip(*converted, strict=True)

    return present, absent, batches()


def _literal(value: object) -> str:
    """A default written into the INSERT: NULL, a number or the empty string only."""
    if value is None:
        return "NULL"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(value)
    if isinstance(value, str):
        if value:
            raise ValueError(value)
        return "''"
    return repr(value)


def bulk_write(model, columns: Iterable[str], batches: Iterable[Iterable[tuple]], constants=None):
    """Write batches of tuples (in `columns` order) straight to the model's table, each row
    completed by the `constants` ({field: value}, the same on every row): COPY on PostgreSQL,
    one executemany per batch elsewhere. Returns the count of rows."""
    constants = constants or {}
    columns = list(columns)
    fields = [model._meta.get_field(name) for name in (*columns, *constants)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)
    n = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tail = tuple(constants.values())
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for batch in batches:
                    for row in batch:
                        copy.write_row(row + tail)
                        n += 1
            return n
        # Identifiers from the model, quoted; values as parameters, constants as literals.
        values = ", ".join(["%s"] * len(columns) + [_literal(v) for v in constants.values()])
        sql = f"INSERT INTO {table} ({names}) VALUES ({values})"  # noqa: S608
        for batch in batches:
            cursor.executemany(sql, batch)
            n += cursor.rowcount
    return n


@contextmanager
def indexes_built_after(model, incoming: int):
    """On SQLite, when `incoming` rows outnumber those of the model's table, drop its plain
    indexes for the block and create them again after it (same transaction, same SQL)."""
    if connection.vendor != "sqlite":
        yield
        return
    table = model._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
        (existing,) = cursor.fetchone()
        indexes = []
        if incoming > existing:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql LIKE 'CREATE INDEX %%'",
                [table],
            )
            indexes = cursor.fetchall()
        for index, _sql in indexes:
            cursor.execute(f"DROP INDEX {quote(index)}")
    yield
    with connection.cursor() as cursor:
        for _index, sql in indexes:
            cursor.execute(sql)
