"""GTFS Schedule validation before import, with MobilityData's notice codes.

The codes, severities and row numbering are those of MobilityData's GTFS validator (and of its
Python port, the PyPI package `gtfs-validator`, which the test suite compares with on the same
feeds). This validator covers the rules a journey planner depends on, in one streaming pass per
file: stop_times is never held in memory (per trip, only the previous row is kept).

A report with at least one ERROR refuses the feed whole; WARNING and INFO notices are kept with it.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import os
import zoneinfo
from array import array
from collections import defaultdict

import numpy as np

from guichet.transit.gtfs import (
    GtfsSource,
    collector_paused,
    is_color,
    parse_date,
    parse_time,
    quoted_fields,
)
from guichet.transit.validation_report import Report
from guichet.transit.validation_schema import (
    _PLAIN,
    EARTH_RADIUS_M,
    OTHER_GTFS_FILES,
    PRIMARY_KEYS,
    REQUIRED_FILES,
    SCHEMA,
    STOP_TO_SHAPE_BUFFER_M,
)


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


def distance_to_polyline(lat: np.ndarray, lon: np.ndarray, shape: np.ndarray) -> np.ndarray:
    """Metres from each point (lat, lon) to the polyline `shape` (n × 2: lat, lon), in a local
    equirectangular projection — precise to well under a metre at the scale of a city."""
    lat0 = math.radians(float(shape[:, 0].mean()))
    k = math.radians(1) * EARTH_RADIUS_M
    sx, sy = shape[:, 1] * k * math.cos(lat0), shape[:, 0] * k
    px, py = (lon * k * math.cos(lat0))[:, None], (lat * k)[:, None]
    if len(shape) == 1:
        return np.hypot(px[:, 0] - sx[0], py[:, 0] - sy[0])
    ax, ay, bx, by = sx[:-1], sy[:-1], sx[1:], sy[1:]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = np.where(
        length2 > 0, ((px - ax) * dx + (py - ay) * dy) / np.where(length2 > 0, length2, 1), 0
    )
    t = np.clip(t, 0, 1)
    return np.hypot(px - (ax + t * dx), py - (ay + t * dy)).min(axis=1)


class _Checker:
    def __init__(self, source: GtfsSource, report: Report) -> None:
        self.source = source
        self.report = report
        self.stops: dict[str, tuple[int, int, str, float, float, str]] = {}
        self.routes: set[str] = set()
        self.rail_routes: set[str] = set()  # route_type 2
        self.rail_trips: set[str] = set()
        # (shape_id, stop_id) → the largest distance allowed in every trip visiting it: 100 m,
        # or 400 m when it is the first or last stop of each rail trip visiting it (MobilityData's
        # ShapeToStopMatchingValidator: large stations at rail termini).
        self.shape_stop_limits: dict[tuple[str, str], float] = {}
        self.agencies: set[str] = set()
        self.trips: dict[str, tuple[int, str]] = {}  # trip_id → (row, shape_id)
        self.services: set[str] = set()
        self.shapes: dict[str, list[tuple[int, float, float]]] = {}
        self.trip_stop_counts: dict[str, int] = defaultdict(int)
        self.shape_stops: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
        self.columns: dict[str, set[str]] = {}
        self.headers: dict[str, list[str]] = {}

    # -- generic -------------------------------------------------------------------------------
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
            or (not any_row and name in (*REQUIRED_FILES, "calendar.txt", "calendar_dates.txt"))
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

    # -- files ---------------------------------------------------------------------------------
    def check_agency(self) -> None:
        timezones = set()
        for _number, row, _valid in self.file_rows("agency.txt"):
            self.agencies.add(row.get("agency_id", ""))
            if row.get("agency_timezone"):
                timezones.add(row["agency_timezone"])

    def check_stops(self) -> None:
        parents: list[tuple[int, str, int, str]] = []
        for number, row, valid in self.file_rows("stops.txt"):
            stop_id = row.get("stop_id", "")
            location_type = int(row.get("location_type") or 0) if valid else 0
            lat = lon = math.nan
            if valid and row.get("stop_lat") and row.get("stop_lon"):
                lat, lon = float(row["stop_lat"]), float(row["stop_lon"])
                if abs(lat) <= 1 and abs(lon) <= 1:
                    self.report.add(
                        "point_near_origin",
                        "stops.txt",
                        number,
                        "stop_lat",
                        entityId=stop_id,
                        latFieldValue=lat,
                        lonFieldValue=lon,
                    )
            if location_type in (0, 1, 2):
                for column in ("stop_lat", "stop_lon"):
                    if not row.get(column):
                        self.report.add("missing_required_field", "stops.txt", number, column)
                if not row.get("stop_name"):
                    self.report.add("missing_required_field", "stops.txt", number, "stop_name")
            parent = row.get("parent_station", "")
            if location_type in (2, 3, 4) and not parent:
                self.report.add(
                    "location_without_parent_station",
                    "stops.txt",
                    number,
                    "parent_station",
                    stopId=stop_id,
                    locationType=location_type,
                )
            if parent:
                parents.append((number, stop_id, location_type, parent))
            if stop_id:
                self.stops[stop_id] = (
                    number,
                    location_type,
                    row.get("stop_name", ""),
                    lat,
                    lon,
                    parent,
                )
        for number, stop_id, location_type, parent in parents:
            if not self.foreign_key(
                "stops.txt", number, "parent_station", parent, self.stops, "stops.txt", "stop_id"
            ):
                continue
            parent_type = self.stops[parent][1]
            expected = {0: 1, 2: 1, 3: 1, 4: 0, 1: None}.get(location_type)
            if expected is None or parent_type != expected:
                self.report.add(
                    "wrong_parent_location_type",
                    "stops.txt",
                    number,
                    "parent_station",
                    stopId=stop_id,
                    locationType=location_type,
                    parentStation=parent,
                    parentLocationType=parent_type,
                )

    def check_routes(self) -> None:
        for number, row, _valid in self.file_rows("routes.txt"):
            self.routes.add(row.get("route_id", ""))
            if row.get("route_type", "") == "2":
                self.rail_routes.add(row.get("route_id", ""))
            if not row.get("route_short_name") and not row.get("route_long_name"):
                self.report.add(
                    "route_both_short_and_long_name_missing",
                    "routes.txt",
                    number,
                    routeId=row.get("route_id", ""),
                )
            if (
                row.get("agency_id")
                and len(self.agencies)
                and "agency_id" in self.columns.get("agency.txt", ())
            ):
                self.foreign_key(
                    "routes.txt",
                    number,
                    "agency_id",
                    row["agency_id"],
                    self.agencies,
                    "agency.txt",
                    "agency_id",
                )

    def check_calendars(self) -> None:
        has_calendar = self.source.has("calendar.txt")
        has_dates = self.source.has("calendar_dates.txt")
        if not has_calendar and not has_dates:
            self.report.add("missing_calendar_and_calendar_date_files")
            return
        if has_calendar:
            for number, row, valid in self.file_rows("calendar.txt"):
                self.services.add(row.get("service_id", ""))
                if valid and row["start_date"] > row["end_date"]:
                    self.report.add(
                        "start_and_end_range_out_of_order",
                        "calendar.txt",
                        number,
                        "end_date",
                        entityId=row["service_id"],
                        startValue=row["start_date"],
                        endValue=row["end_date"],
                    )
        if has_dates:
            for _number, row, _valid in self.file_rows("calendar_dates.txt"):
                self.services.add(row.get("service_id", ""))

    def check_trips(self) -> None:
        for number, row, _valid in self.file_rows("trips.txt"):
            trip_id = row.get("trip_id", "")
            self.foreign_key(
                "trips.txt",
                number,
                "route_id",
                row.get("route_id", ""),
                self.routes,
                "routes.txt",
                "route_id",
            )
            self.foreign_key(
                "trips.txt",
                number,
                "service_id",
                row.get("service_id", ""),
                self.services,
                "calendar.txt",
                "service_id",
            )
            if trip_id:
                self.trips[trip_id] = (number, row.get("shape_id", ""))
                if row.get("route_id", "") in self.rail_routes:
                    self.rail_trips.add(trip_id)

    def check_shapes_file(self) -> None:
        if not self.source.has("shapes.txt"):
            return
        previous: dict[str, tuple[int, float]] = {}
        at = self.positions("shapes.txt")
        i_shape, i_sequence = at["shape_id"], at["shape_pt_sequence"]
        i_lat, i_lon, i_dist = at["shape_pt_lat"], at["shape_pt_lon"], at["shape_dist_traveled"]
        shapes = self.shapes
        for number, values, valid in self.file_values("shapes.txt"):
            if not valid:
                continue
            shape_id = values[i_shape]
            sequence = int(values[i_sequence])
            points = shapes.get(shape_id)
            if points is None:
                points = shapes[shape_id] = []
            points.append((sequence, float(values[i_lat]), float(values[i_lon])))
            if values[i_dist]:
                dist = float(values[i_dist])
                last = previous.get(shape_id)
                if last is not None and last[0] < sequence and dist < last[1]:
                    self.report.add(
                        "decreasing_shape_distance",
                        "shapes.txt",
                        number,
                        "shape_dist_traveled",
                        shapeId=shape_id,
                    )
                previous[shape_id] = (sequence, dist)
        used = {shape for _row, shape in self.trips.values() if shape}
        for shape_id in self.shapes.keys() - used:
            self.report.add("unused_shape", "shapes.txt", None, "shape_id", shapeId=shape_id)

    def check_stop_times(self) -> None:
        report = self.report
        name = "stop_times.txt"
        current: str | None = None
        # State of the trip being read: last row number, its departure, shape distance, and
        # whether the last row had both times (for missing_trip_edge at the trip's end).
        last_row = last_departure = None
        last_dist = None
        last_has_times = True
        trip_key, stop_map = 0, None  # of the current trip
        last_stop_sequence = None
        trips = self.trips
        stops = self.stops
        counts = self.trip_stop_counts
        served: set[str] = set()
        shape_stops = self.shape_stops
        # Primary key (trip_id, stop_sequence), as MobilityData's duplicate_key: one int64 per
        # row (trip number << 32 | sequence) and its row number, not a dict of tuples.
        trip_numbers: dict[str, int] = {}
        keys, key_rows = array("q"), array("q")

        calls: list[str] = []  # stops of the current trip, when it follows a shape
        limits = self.shape_stop_limits

        def close_calls():
            if calls and current is not None:
                shape = trips[current][1]
                rail = current in self.rail_trips
                last = len(calls) - 1
                for i, stop in enumerate(calls):
                    allowed = STOP_TO_SHAPE_BUFFER_M * (4 if rail and i in (0, last) else 1)
                    key = (shape, stop)
                    limits[key] = min(limits.get(key, allowed), allowed)
            calls.clear()

        def close_trip():
            close_calls()
            if current is not None and not last_has_times:
                report.add(
                    "missing_trip_edge",
                    name,
                    last_row,
                    "arrival_time",
                    tripId=current,
                    stopSequence=last_stop_sequence,
                )

        at = self.positions(name)
        i_trip, i_stop, i_sequence = at["trip_id"], at["stop_id"], at["stop_sequence"]
        i_arrival, i_departure, i_dist = (
            at["arrival_time"],
            at["departure_time"],
            at["shape_dist_traveled"],
        )
        for number, values, valid in self.file_values(name):
            trip_id, stop_id = values[i_trip], values[i_stop]
            if trip_id in trips:
                counts[trip_id] += 1  # as MobilityData: every row of the trip counts
            elif trip_id:
                self.foreign_key(name, number, "trip_id", trip_id, trips, "trips.txt", "trip_id")
                valid = False
            if stop_id and stop_id not in stops:
                self.foreign_key(name, number, "stop_id", stop_id, stops, "stops.txt", "stop_id")
                valid = False
            if stop_id in stops and stop_id not in served:
                served.add(stop_id)
                if stops[stop_id][1] != 0:
                    # Trips call at platforms (location_type 0), never at a station or entrance.
                    report.add(
                        "location_with_unexpected_stop_time",
                        name,
                        number,
                        "stop_id",
                        stopId=stop_id,
                        stopName=stops[stop_id][2],
                    )
            if not valid:
                continue
            sequence = int(values[i_sequence])
            arrival = parse_time(values[i_arrival])
            departure = parse_time(values[i_departure])
            if trip_id != current:
                close_trip()
                current, last_departure, last_dist = trip_id, None, None
                trip_key = trip_numbers.setdefault(trip_id, len(trip_numbers)) << 32
                shape_id = trips[trip_id][1]
                stop_map = shape_stops[shape_id] if shape_id else None
                if arrival is None or departure is None:
                    report.add(
                        "missing_trip_edge",
                        name,
                        number,
                        "arrival_time" if arrival is None else "departure_time",
                        tripId=trip_id,
                        stopSequence=sequence,
                    )
            if (arrival is None) != (departure is None):
                report.add(
                    "stop_time_with_only_arrival_or_departure_time",
                    name,
                    number,
                    "arrival_time" if arrival is None else "departure_time",
                    tripId=trip_id,
                    stopSequence=sequence,
                )
            if arrival is not None and last_departure is not None and arrival < last_departure:
                report.add(
                    "stop_time_with_arrival_before_previous_departure_time",
                    name,
                    number,
                    "arrival_time",
                    tripId=trip_id,
                    prevCsvRowNumber=last_row,
                    arrivalTime=values[i_arrival],
                    departureTime=last_departure,
                )
            if values[i_dist]:
                dist = float(values[i_dist])
                if last_dist is not None and dist <= last_dist:
                    report.add(
                        "decreasing_or_equal_stop_time_distance",
                        name,
                        number,
                        "shape_dist_traveled",
                        tripId=trip_id,
                        stopId=stop_id,
                        prevCsvRowNumber=last_row,
                    )
                last_dist = dist
            if departure is not None:
                last_departure = departure
            elif arrival is not None:
                last_departure = arrival
            if 0 <= sequence < 1 << 31:
                keys.append(trip_key | sequence)
                key_rows.append(number)
            last_row = number
            last_stop_sequence = sequence
            last_has_times = arrival is not None and departure is not None
            if stop_map is not None:
                if stop_id not in stop_map:
                    stop_map[stop_id] = (trip_id, number)
                calls.append(stop_id)
        close_trip()
        self.report_duplicate_stop_times(keys, key_rows, trip_numbers)
        for stop_id, (number, location_type, stop_name, *_rest) in stops.items():
            if location_type == 0 and stop_id not in served:
                report.add(
                    "stop_without_stop_time",
                    "stops.txt",
                    number,
                    "stop_id",
                    stopId=stop_id,
                    stopName=stop_name,
                )
        for trip_id, (number, _shape) in trips.items():
            n = counts.get(trip_id, 0)
            if n == 0:
                report.add("unused_trip", "trips.txt", number, "trip_id", tripId=trip_id)
            elif n == 1:
                report.add("unusable_trip", "trips.txt", number, "trip_id", tripId=trip_id)

    def report_duplicate_stop_times(self, keys, key_rows, trip_numbers: dict[str, int]) -> None:
        """duplicate_key for every row whose (trip_id, stop_sequence) an earlier row has."""
        if not keys:
            return
        values = np.frombuffer(keys, dtype=np.int64)
        rows = np.frombuffer(key_rows, dtype=np.int64)
        order = np.lexsort((rows, values))
        same = np.flatnonzero(values[order][1:] == values[order][:-1]) + 1
        if not len(same):
            return
        trip_ids = {number: trip_id for trip_id, number in trip_numbers.items()}
        for position in same:
            first = position
            while first > 0 and values[order][first - 1] == values[order][position]:
                first -= 1
            key = int(values[order[position]])
            self.report.add(
                "duplicate_key",
                "stop_times.txt",
                int(rows[order[position]]),
                "trip_id",
                oldCsvRowNumber=int(rows[order[first]]),
                newCsvRowNumber=int(rows[order[position]]),
                fieldName1="trip_id",
                fieldValue1=trip_ids[key >> 32],
                fieldName2="stop_sequence",
                fieldValue2=key & 0xFFFFFFFF,
            )

    def check_stops_far_from_shapes(self) -> None:
        for shape_id, stop_map in self.shape_stops.items():
            points = self.shapes.get(shape_id)
            if not points:
                if self.shapes or self.source.has("shapes.txt"):
                    trip_id, _row = next(iter(stop_map.values()))
                    self.report.add(
                        "foreign_key_violation",
                        "trips.txt",
                        self.trips[trip_id][0],
                        "shape_id",
                        fieldValue=shape_id,
                        parentFilename="shapes.txt",
                        parentFieldName="shape_id",
                    )
                continue
            points.sort()
            shape = np.array([(lat, lon) for _s, lat, lon in points])
            ids = [s for s in stop_map if not math.isnan(self.stops[s][3])]
            if not ids:
                continue
            lat = np.array([self.stops[s][3] for s in ids])
            lon = np.array([self.stops[s][4] for s in ids])
            distances = distance_to_polyline(lat, lon, shape)
            for stop_id, distance in zip(ids, distances, strict=True):
                limit = self.shape_stop_limits.get((shape_id, stop_id), STOP_TO_SHAPE_BUFFER_M)
                if distance > limit:
                    trip_id, row = stop_map[stop_id]
                    self.report.add(
                        "stop_too_far_from_shape",
                        "stop_times.txt",
                        row,
                        "stop_id",
                        stopId=stop_id,
                        shapeId=shape_id,
                        tripId=trip_id,
                        geoDistanceToShape=round(float(distance), 1),
                    )

    def check_frequencies(self) -> None:
        if not self.source.has("frequencies.txt"):
            return
        by_trip: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        for number, row, valid in self.file_rows("frequencies.txt"):
            self.foreign_key(
                "frequencies.txt",
                number,
                "trip_id",
                row.get("trip_id", ""),
                self.trips,
                "trips.txt",
                "trip_id",
            )
            if not valid:
                continue
            start, end = parse_time(row["start_time"]), parse_time(row["end_time"])
            if start > end:
                self.report.add(
                    "start_and_end_range_out_of_order",
                    "frequencies.txt",
                    number,
                    "end_time",
                    entityId=row["trip_id"],
                    startValue=row["start_time"],
                    endValue=row["end_time"],
                )
            by_trip[row["trip_id"]].append((start, end, number))
        for trip_id, spans in by_trip.items():
            spans.sort()
            for (_s1, end1, row1), (start2, _e2, row2) in itertools.pairwise(spans):
                if start2 < end1:
                    self.report.add(
                        "overlapping_frequency",
                        "frequencies.txt",
                        row2,
                        "start_time",
                        tripId=trip_id,
                        prevCsvRowNumber=row1,
                    )

    def check_transfers(self) -> None:
        if not self.source.has("transfers.txt"):
            return
        for number, row, _valid in self.file_rows("transfers.txt"):
            for column in ("from_stop_id", "to_stop_id"):
                self.foreign_key(
                    "transfers.txt",
                    number,
                    column,
                    row.get(column, ""),
                    self.stops,
                    "stops.txt",
                    "stop_id",
                )
            for column in ("from_route_id", "to_route_id"):
                self.foreign_key(
                    "transfers.txt",
                    number,
                    column,
                    row.get(column, ""),
                    self.routes,
                    "routes.txt",
                    "route_id",
                )
            for column in ("from_trip_id", "to_trip_id"):
                self.foreign_key(
                    "transfers.txt",
                    number,
                    column,
                    row.get(column, ""),
                    self.trips,
                    "trips.txt",
                    "trip_id",
                )

    def check_feed_info(self) -> None:
        if self.source.has("feed_info.txt"):
            for number, row, valid in self.file_rows("feed_info.txt"):
                start, end = row.get("feed_start_date"), row.get("feed_end_date")
                if valid and start and end and start > end:
                    self.report.add(
                        "start_and_end_range_out_of_order",
                        "feed_info.txt",
                        number,
                        "feed_end_date",
                        startValue=start,
                        endValue=end,
                    )


def validate(path: str | os.PathLike) -> Report:
    """Validate the GTFS feed at `path` (zip or folder)."""
    with collector_paused():
        return _validate(path)


def _validate(path: str | os.PathLike) -> Report:
    report = Report()
    try:
        source = GtfsSource(path)
    except (FileNotFoundError, OSError):
        report.add("missing_required_file", "agency.txt")
        return report
    with source:
        missing = [name for name in REQUIRED_FILES if not source.has(name)]
        for name in missing:
            report.add("missing_required_file", name)
        for name in source.names:
            if name not in SCHEMA and name not in OTHER_GTFS_FILES:
                report.add("unknown_file", name)
        if missing:
            return report
        checker = _Checker(source, report)
        checker.check_agency()
        checker.check_stops()
        checker.check_routes()
        checker.check_calendars()
        checker.check_trips()
        checker.check_shapes_file()
        checker.check_stop_times()
        checker.check_stops_far_from_shapes()
        checker.check_frequencies()
        checker.check_transfers()
        checker.check_feed_info()
    return report


__all__ = ["validate"]
