"""The checks of stop_times.txt, and of each stop's distance to the shape of its trips.

stop_times is the largest file of a feed (565,000 rows on the subway feed): it is read in one
streaming pass, never held in memory (per trip, only the previous row is kept), its primary key
checked on one int64 per row.
"""

from __future__ import annotations

import math
from array import array
from collections import defaultdict

import numpy as np

from guichet.transit.gtfs import GtfsSource, parse_time
from guichet.transit.validation_report import Report
from guichet.transit.validation_rows import FeedRows
from guichet.transit.validation_schema import EARTH_RADIUS_M, STOP_TO_SHAPE_BUFFER_M


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


class StopTimesChecks(FeedRows):
    """stop_times.txt's checks; they need the stops, trips and shapes read before them."""

    # Filled by the checks of stops.txt, trips.txt and shapes.txt (`validation._Checker`).
    stops: dict[str, tuple[int, int, str, float, float, str]]
    trips: dict[str, tuple[int, str]]  # trip_id → (row, shape_id)
    rail_trips: set[str]
    shapes: dict[str, list[tuple[int, float, float]]]

    def __init__(self, source: GtfsSource, report: Report) -> None:
        super().__init__(source, report)
        # (shape_id, stop_id) → the largest distance allowed in every trip visiting it: 100 m,
        # or 400 m when it is the first or last stop of each rail trip visiting it (MobilityData's
        # ShapeToStopMatchingValidator: large stations at rail termini).
        self.shape_stop_limits: dict[tuple[str, str], float] = {}
        self.trip_stop_counts: dict[str, int] = defaultdict(int)
        self.shape_stops: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)

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
