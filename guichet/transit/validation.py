"""GTFS Schedule validation before import, with MobilityData's notice codes.

The codes, severities and row numbering are those of MobilityData's GTFS validator (and of its
Python port, the PyPI package `gtfs-validator`, which the test suite compares with on the same
feeds). This validator covers the rules a journey planner depends on, in one streaming pass per
file: stop_times is never held in memory (per trip, only the previous row is kept).

A report with at least one ERROR refuses the feed whole; WARNING and INFO notices are kept with it.
The generic row checks are in `validation_rows`, those of stop_times.txt in
`validation_stop_times`, the report in `validation_report`, the schema in `validation_schema`.
"""

from __future__ import annotations

import itertools
import math
import os
from collections import defaultdict

from guichet.transit.gtfs import GtfsSource, collector_paused, parse_time
from guichet.transit.validation_report import Report
from guichet.transit.validation_schema import OTHER_GTFS_FILES, REQUIRED_FILES, SCHEMA
from guichet.transit.validation_stop_times import StopTimesChecks


class _Checker(StopTimesChecks):
    def __init__(self, source: GtfsSource, report: Report) -> None:
        super().__init__(source, report)
        self.stops: dict[str, tuple[int, int, str, float, float, str]] = {}
        self.routes: set[str] = set()
        self.rail_routes: set[str] = set()  # route_type 2
        self.rail_trips: set[str] = set()
        self.agencies: set[str] = set()
        self.trips: dict[str, tuple[int, str]] = {}  # trip_id → (row, shape_id)
        self.trip_routes: dict[str, str] = {}
        self.services: set[str] = set()
        self.shapes: dict[str, list[tuple[int, float, float]]] = {}

    # -- files ---------------------------------------------------------------------------------
    def check_agency(self) -> None:
        # GTFS: agency.txt — every agency of a feed has the same agency_timezone (the stop
        # times of all its trips are read in it); the first row's is the one expected.
        expected = None
        for number, row, _valid in self.file_rows("agency.txt"):
            self.agencies.add(row.get("agency_id", ""))
            timezone = row.get("agency_timezone")
            if not timezone:
                continue
            if expected is None:
                expected = timezone
            elif timezone != expected:
                self.report.add(
                    "inconsistent_agency_timezone",
                    "agency.txt",
                    number,
                    "agency_timezone",
                    expected=expected,
                    actual=timezone,
                )

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
        # GTFS: each of the two is required only without the other. A header-only file beside
        # the other's rows is valid; the feed has no service day only when neither has a row.
        present = [n for n in ("calendar.txt", "calendar_dates.txt") if self.source.has(n)]
        if not any(self.report.row_counts.get(n, 0) for n in present):
            for name in present:
                if self.headers.get(name):  # a file without a header is reported already
                    self.report.add("empty_file", name)

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
                self.trip_routes[trip_id] = row.get("route_id", "")
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

    def note_transfer_trips(self) -> None:
        """The trips transfers.txt names, read before stop_times.txt so that its scan keeps
        the stops they serve (and only theirs)."""
        if self.source.has("transfers.txt"):
            for _number, row in self.source.rows("transfers.txt"):
                self.transfer_trips.update(
                    row[c] for c in ("from_trip_id", "to_trip_id") if row.get(c)
                )

    def check_transfer_trips(self, number: int, row: dict) -> None:
        """GTFS: a trip named with a route belongs to it; one named with a stop serves it (or
        a child stop of the station named). Otherwise the row would never apply."""
        for side in ("from", "to"):
            trip_id = row.get(f"{side}_trip_id", "")
            if trip_id not in self.trips:
                continue
            route_id = row.get(f"{side}_route_id", "")
            if route_id in self.routes and self.trip_routes[trip_id] != route_id:
                self.report.add(
                    "transfer_with_invalid_trip_and_route",
                    "transfers.txt",
                    number,
                    f"{side}_route_id",
                    tripId=trip_id,
                    routeId=route_id,
                    expectedRouteId=self.trip_routes[trip_id],
                )
            stop_id = row.get(f"{side}_stop_id", "")
            if stop_id not in self.stops:
                continue
            served = self.trip_stops.get(trip_id, set())
            if stop_id not in served and not any(
                self.stops[s][5] == stop_id for s in served if s in self.stops
            ):
                self.report.add(
                    "transfer_with_invalid_trip_and_stop",
                    "transfers.txt",
                    number,
                    f"{side}_stop_id",
                    tripId=trip_id,
                    stopId=stop_id,
                )

    def check_transfers(self) -> None:
        if not self.source.has("transfers.txt"):
            return
        for number, row, _valid in self.file_rows("transfers.txt"):
            kind = row.get("transfer_type", "")
            if kind:
                # GTFS: in-seat transfers (4, 5) name the two trips; the others, the two stops.
                needed = ("from_trip_id", "to_trip_id") if kind in ("4", "5") else STOP_ENDS
                for column in needed:
                    if not row.get(column):
                        self.report.add("missing_required_field", "transfers.txt", number, column)
            for column in STOP_ENDS:
                stop_id = row.get(column, "")
                known = self.foreign_key(
                    "transfers.txt", number, column, stop_id, self.stops, "stops.txt", "stop_id"
                )
                if stop_id and known and self.stops[stop_id][1] not in (0, 1):
                    # GTFS: a transfer begins and ends at a stop (0) or a station (1).
                    self.report.add(
                        "transfer_with_invalid_stop_location_type",
                        "transfers.txt",
                        number,
                        column,
                        stopId=stop_id,
                        locationTypeValue=self.stops[stop_id][1],
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
            self.check_transfer_trips(number, row)

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


STOP_ENDS = ("from_stop_id", "to_stop_id")


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
        checker.note_transfer_trips()
        checker.check_stop_times()
        checker.check_stops_far_from_shapes()
        checker.check_frequencies()
        checker.check_transfers()
        checker.check_feed_info()
    return report


__all__ = ["validate"]
