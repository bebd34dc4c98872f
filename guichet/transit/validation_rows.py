"""The generic checks of a GTFS file's rows: columns, types, whitespace, primary keys.

`FeedRows.file_values` reads one file in a streaming pass and yields each data row with these
checks done; the checks of each file's own rules (`validation`, `validation_stop_times`) read
their files through it, with MobilityData's codes and row numbering.
"""

from __future__ import annotations

import functools
import itertools
import operator
import zoneinfo
from collections import defaultdict

from guichet.transit.gtfs import GtfsSource, is_color, parse_date, parse_time, quoted_fields
from guichet.transit.validation_report import Report
from guichet.transit.validation_schema import _PLAIN, PRIMARY_KEYS, REQUIRED_FILES, SCHEMA


@functools.cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


# Values found valid, per file, remembered so that a time or a sequence number repeated on
# thousands of rows is parsed once; bounded so that memory stays flat on any feed.
CHECKED_VALUES = 100_000


def _getter(indices: list[int]):
    """A function returning the tuple of a row's values at `indices` (itemgetter, always a tuple)."""
    if len(indices) > 1:
        return operator.itemgetter(*indices)
    if indices:
        (index,) = indices
        return lambda row: (row[index],)
    return lambda row: ()


class FeedRows:
    """The rows of a feed's files, read with every generic check done, notices into `report`."""

    def __init__(self, source: GtfsSource, report: Report) -> None:
        self.source = source
        self.report = report
        self.columns: dict[str, set[str]] = {}
        self.headers: dict[str, list[str]] = {}

    def positions(self, name: str) -> dict[str, int]:
        """Column → index in the lists `file_values` yields; a missing column maps to the index
        past the header, where every list holds an empty value."""
        try:
            header = self.source.header(name)
        except UnicodeDecodeError:
            header = []  # file_values reports it and yields nothing
        width = len(header)
        return defaultdict(lambda: width, {c: i for i, c in enumerate(header)})

    def file_rows(self, name: str):
        """As `file_values`, each row as a {column: value} dict (for the small files)."""
        header = None
        for number, values, valid in self.file_values(name):
            if header is None:
                header = self.headers[name]
            yield number, dict(zip(header, values, strict=False)), valid

    def file_values(self, name: str):
        """(row number, stripped values + one trailing "", valid) for each data row of `name`,
        with every generic check done (columns, types, whitespace, keys).

        The fast path: a row whose typed values were all seen valid before in the same column
        (times, sequence numbers repeat on thousands of rows) is checked by C loops only
        (`itemgetter`, `map`, `all`); any other row goes through `check_value`, which reports
        exactly what it finds, in column order."""
        report = self.report
        schema = SCHEMA[name]
        header: list[str] | None = None
        seen_keys: dict[tuple, int] = {}
        key_fields = PRIMARY_KEYS.get(name)
        any_row = False
        data_rows = 0
        # Whitespace between quotes is reported, so the raw text is needed only in a file
        # that has a quote somewhere.
        if self.source.contains(name, b'"'):
            records = (((n, v), text) for n, v, text in self.source.records_with_text(name))
        else:
            records = zip(self.source.iter_records(name), itertools.repeat(""))
        try:
            for (number, values), text in records:
                if header is None:
                    header = [v.strip() for v in values]
                    self.headers[name] = header
                    self.columns[name] = set(header)
                    width = len(header)
                    # Columns the schema types, as (index, column, kind, required).
                    typed = [(i, c, *schema[c]) for i, c in enumerate(header) if c in schema]
                    for index, column in enumerate(header):
                        if column not in schema:
                            report.add("unknown_column", name, 1, column, index=index)
                    for column, (_kind, required) in schema.items():
                        if required and column not in header:
                            report.add("missing_required_column", name, None, column)
                    formatted = [t for t in typed if t[2] not in _PLAIN]
                    # Per formatted column, the values found valid ("" when it is optional).
                    checked = [{""} if not t[3] else set() for t in formatted]
                    known_values = dict(zip((t[0] for t in formatted), checked, strict=True))
                    remembered = 0
                    formatted_values = _getter([t[0] for t in formatted])
                    required_values = _getter([t[0] for t in typed if t[2] in _PLAIN and t[3]])
                    key_values = None
                    if key_fields and all(k in header for k in key_fields):
                        last = {c: i for i, c in enumerate(header)}  # as a dict of the row
                        key_values = _getter([last[k] for k in key_fields])
                    continue
                stripped = list(map(str.strip, values))
                if not any(stripped):
                    report.add("empty_row", name, number)
                    continue
                any_row = True
                data_rows += 1
                if len(values) != width:
                    report.add(
                        "invalid_row_length",
                        name,
                        number,
                        headerCount=width,
                        rowLength=len(values),
                    )
                    continue
                valid = True
                # MobilityData's parser (univocity, default settings) trims unquoted fields
                # silently; only whitespace kept between quotes is reported.
                if '"' in text:
                    quoted = quoted_fields(text)
                    if len(quoted) == len(values):
                        for index, column, _kind, _required in typed:
                            raw, value = values[index], stripped[index]
                            if value != raw and value and quoted[index]:
                                report.add(
                                    "leading_or_trailing_whitespaces",
                                    name,
                                    number,
                                    column,
                                    fieldValue=raw,
                                )
                if not (
                    all(required_values(stripped))
                    and all(map(operator.contains, checked, formatted_values(stripped)))
                ):
                    # The slow path: every typed column in order, as MobilityData reports them.
                    for index, column, kind, required in typed:
                        value = stripped[index]
                        if not value:
                            if required:
                                report.add("missing_required_field", name, number, column)
                                valid = False
                            continue
                        known = known_values.get(index)
                        if known is None or value in known:
                            continue  # a kind with no format, or a value seen valid
                        if self.check_value(name, number, column, kind, value):
                            if remembered < CHECKED_VALUES:
                                known.add(value)
                                remembered += 1
                        else:
                            valid = False
                if key_values is not None:
                    key = key_values(stripped)
                    if all(key):
                        previous = seen_keys.get(key)
                        if previous is not None:
                            report.add(
                                "duplicate_key",
                                name,
                                number,
                                key_fields[0],
                                oldCsvRowNumber=previous,
                                fieldValue1=key[0],
                            )
                            valid = False
                        else:
                            seen_keys[key] = number
                stripped.append("")
                yield number, stripped, valid
        except UnicodeDecodeError as error:
            report.add("csv_parsing_failed", name, None, message=str(error))
            return
        finally:
            report.row_counts[name] = data_rows
        if (
            header is None
            or (not header and not any_row)
            or (not any_row and name in REQUIRED_FILES)
        ):
            report.add("empty_file", name)

    def check_value(self, name: str, number: int, column: str, kind: str, value: str) -> bool:
        report = self.report
        try:
            if kind == "time":
                parse_time(value)
            elif kind == "date":
                parse_date(value)
            elif kind == "color":
                if not is_color(value):
                    report.add("invalid_color", name, number, column, fieldValue=value)
                    return False
            elif kind == "tz":
                if value not in _timezones():
                    report.add("invalid_timezone", name, number, column, fieldValue=value)
                    return False
            elif kind in ("lat", "lon") or kind.startswith("float"):
                try:
                    number_value = float(value)
                except ValueError:
                    report.add("invalid_float", name, number, column, fieldValue=value)
                    return False
                limit = 90 if kind == "lat" else 180 if kind == "lon" else None
                low = -limit if limit else float(kind.split(":")[1])
                if (limit and abs(number_value) > limit) or number_value < low:
                    report.add(
                        "number_out_of_range",
                        name,
                        number,
                        column,
                        fieldType=kind,
                        fieldValue=value,
                    )
                    return False
            elif kind.startswith("int"):
                try:
                    number_value = int(value)
                except ValueError:
                    report.add("invalid_integer", name, number, column, fieldValue=value)
                    return False
                _, low, high = kind.split(":")
                if number_value < int(low) or (high and number_value > int(high)):
                    report.add(
                        "number_out_of_range",
                        name,
                        number,
                        column,
                        fieldType=kind,
                        fieldValue=value,
                    )
                    return False
        except ValueError:
            code = "invalid_time" if kind == "time" else "invalid_date"
            report.add(code, name, number, column, fieldValue=value)
            return False
        return True

    def foreign_key(self, name, number, column, value, known, parent_file, parent_field) -> bool:
        if value and value not in known:
            self.report.add(
                "foreign_key_violation",
                name,
                number,
                column,
                fieldValue=value,
                parentFilename=parent_file,
                parentFieldName=parent_field,
            )
            return False
        return True
