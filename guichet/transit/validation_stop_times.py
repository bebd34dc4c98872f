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

from guichet.transit.gtfs import GtfsSource, format_time, parse_time
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


class _Scan:
    """What the reading of stop_times.txt in file order gathers for the checks of the whole
    file: the primary keys (one int64 per row: trip number << 32 | sequence, and its row
    number, not a dict of tuples, for MobilityData's duplicate_key), the stops served, and
    whether each trip's rows come together by increasing stop_sequence."""

    def __init__(self) -> None:
        self.trip_numbers: dict[str, int] = {}
        self.keys, self.key_rows = array("q"), array("q")
        self.served: set[str] = set()
        self.sorted = True


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
        # The stops served by the trips that transfers.txt names (its trip-and-stop check).
        self.transfer_trips: set[str] = set()
        self.trip_stops: dict[str, set[str]] = defaultdict(set)
        self.shape_stops: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)

    def check_stop_times(self) -> None:
        """Every check of stop_times.txt. The file is read once; the checks that follow a trip
        stop after stop (`_check_trips_in_order`) see its rows as they come and send their
        notices aside. GTFS does not require the rows sorted: when a trip's rows are not
        together and by increasing stop_sequence, those notices are dropped and the checks run
        again on the rows sorted by (trip, stop_sequence), as MobilityData's validator reads
        them; otherwise they are kept."""
        scan = _Scan()
        in_file_order = Report()
        self._check_trips_in_order(in_file_order, self._stop_time_rows(scan))
        if scan.sorted:
            self.report.merge(in_file_order)
        else:
            self.shape_stop_limits.clear()
            self._check_trips_in_order(self.report, self._sorted_stop_time_rows())
        self.report_duplicate_stop_times(scan.keys, scan.key_rows, scan.trip_numbers)
        report = self.report
        for stop_id, (number, location_type, stop_name, *_rest) in self.stops.items():
            if location_type == 0 and stop_id not in scan.served:
                report.add(
                    "stop_without_stop_time",
                    "stops.txt",
                    number,
                    "stop_id",
                    stopId=stop_id,
                    stopName=stop_name,
                )
        counts = self.trip_stop_counts
        for trip_id, (number, _shape) in self.trips.items():
            n = counts.get(trip_id, 0)
            if n == 0:
                report.add("unused_trip", "trips.txt", number, "trip_id", tripId=trip_id)
            elif n == 1:
                report.add("unusable_trip", "trips.txt", number, "trip_id", tripId=trip_id)

    def _stop_time_rows(self, scan: _Scan):
        """The checks of each row on its own (keys, references, lone times), in file order;
        yields (row, trip_id, stop_id, sequence, arrival, departure, shape distance text) for
        each valid row, noting in `scan` whether the file is sorted."""
        report = self.report
        name = "stop_times.txt"
        trips = self.trips
        stops = self.stops
        counts = self.trip_stop_counts
        served = scan.served
        shape_stops = self.shape_stops
        trip_numbers = scan.trip_numbers
        transfer_trips, trip_stops = self.transfer_trips, self.trip_stops
        keys, key_rows = scan.keys, scan.key_rows
        current: str | None = None
        trip_key, stop_map, last_sequence = 0, None, -1
        at = self.positions(name)
        i_trip, i_stop, i_sequence = at["trip_id"], at["stop_id"], at["stop_sequence"]
        i_arrival, i_departure, i_dist = (
            at["arrival_time"],
            at["departure_time"],
            at["shape_dist_traveled"],
        )
        i_timepoint = at["timepoint"]
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
            if trip_id in transfer_trips:
                trip_stops[trip_id].add(stop_id)
            sequence = int(values[i_sequence])
            arrival = parse_time(values[i_arrival])
            departure = parse_time(values[i_departure])
            if trip_id != current:
                if trip_id in trip_numbers:
                    scan.sorted = False  # the trip's rows are not together
                current = trip_id
                trip_key = trip_numbers.setdefault(trip_id, len(trip_numbers)) << 32
                shape_id = trips[trip_id][1]
                stop_map = shape_stops[shape_id] if shape_id else None
            elif sequence < last_sequence:
                scan.sorted = False
            last_sequence = sequence
            if (arrival is None) != (departure is None):
                report.add(
                    "stop_time_with_only_arrival_or_departure_time",
                    name,
                    number,
                    "arrival_time" if arrival is None else "departure_time",
                    tripId=trip_id,
                    stopSequence=sequence,
                )
            if values[i_timepoint] == "1" and (arrival is None or departure is None):
                # GTFS: both times are required where timepoint is 1 (the times are exact).
                for field, value in (("arrival_time", arrival), ("departure_time", departure)):
                    if value is None:
                        report.add(
                            "stop_time_timepoint_without_times",
                            name,
                            number,
                            field,
                            tripId=trip_id,
                            stopSequence=sequence,
                        )
            if 0 <= sequence < 1 << 31:
                keys.append(trip_key | sequence)
                key_rows.append(number)
            if stop_map is not None and stop_id not in stop_map:
                stop_map[stop_id] = (trip_id, number)
            yield number, trip_id, stop_id, sequence, arrival, departure, values[i_dist]

    def _sorted_stop_time_rows(self):
        """The valid rows of stop_times.txt as `_stop_time_rows` yields them, sorted by
        (trip, stop_sequence, row): a second reading, its generic notices (already reported by
        the first) discarded; one compact column per value while sorting."""
        numbers, trip_numbers, sequences = array("q"), array("q"), array("q")
        arrivals, departures, distances = array("q"), array("q"), array("d")
        stop_ids: list[str] = []
        trip_ids: dict[str, int] = {}
        scan = _Scan()
        report, self.report = self.report, Report()
        trip_stop_counts, self.trip_stop_counts = self.trip_stop_counts, defaultdict(int)
        shape_stops, self.shape_stops = self.shape_stops, defaultdict(dict)
        try:
            for (
                number,
                trip_id,
                stop_id,
                sequence,
                arrival,
                departure,
                dist,
            ) in self._stop_time_rows(scan):
                numbers.append(number)
                trip_numbers.append(trip_ids.setdefault(trip_id, len(trip_ids)))
                sequences.append(sequence)
                arrivals.append(-1 if arrival is None else arrival)
                departures.append(-1 if departure is None else departure)
                distances.append(float(dist) if dist else math.nan)
                stop_ids.append(stop_id)
        finally:
            self.report = report
            self.trip_stop_counts = trip_stop_counts
            self.shape_stops = shape_stops
        names = list(trip_ids)
        order = np.lexsort(
            (
                np.frombuffer(numbers, dtype=np.int64),
                np.frombuffer(sequences, dtype=np.int64),
                np.frombuffer(trip_numbers, dtype=np.int64),
            )
        )
        for i in order.tolist():
            arrival, departure, dist = arrivals[i], departures[i], distances[i]
            yield (
                numbers[i],
                names[trip_numbers[i]],
                stop_ids[i],
                sequences[i],
                None if arrival < 0 else arrival,
                None if departure < 0 else departure,
                "" if math.isnan(dist) else repr(dist),
            )

    def _check_trips_in_order(self, report: Report, rows) -> None:
        """The checks that follow each trip stop after stop — its first and last times, times
        and shape distances going back, and the stops at the ends of rail trips (for
        stop_too_far_from_shape) — on `rows` as `_stop_time_rows` yields them, a trip's rows
        together by increasing stop_sequence."""
        name = "stop_times.txt"
        trips = self.trips
        current: str | None = None
        # State of the trip being read: last row number, its departure, shape distance, and
        # whether the last row had both times (for missing_trip_edge at the trip's end).
        last_row = last_departure = last_dist = last_stop_sequence = None
        last_has_times = True
        follows_shape = False
        calls: list[str] = []  # stops of the current trip, when it follows a shape
        limits = self.shape_stop_limits

        def close_trip():
            if calls and current is not None:
                shape = trips[current][1]
                rail = current in self.rail_trips
                last = len(calls) - 1
                for i, stop in enumerate(calls):
                    allowed = STOP_TO_SHAPE_BUFFER_M * (4 if rail and i in (0, last) else 1)
                    key = (shape, stop)
                    limits[key] = min(limits.get(key, allowed), allowed)
            calls.clear()
            if current is not None and not last_has_times:
                report.add(
                    "missing_trip_edge",
                    name,
                    last_row,
                    "arrival_time",
                    tripId=current,
                    stopSequence=last_stop_sequence,
                )

        for number, trip_id, stop_id, sequence, arrival, departure, dist_text in rows:
            if trip_id != current:
                close_trip()
                current, last_departure, last_dist = trip_id, None, None
                follows_shape = bool(trips[trip_id][1])
                if arrival is None or departure is None:
                    report.add(
                        "missing_trip_edge",
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
                    arrivalTime=format_time(arrival),
                    departureTime=last_departure,
                )
            if dist_text:
                dist = float(dist_text)
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
            last_row = number
            last_stop_sequence = sequence
            last_has_times = arrival is not None and departure is not None
            if follows_shape:
                calls.append(stop_id)
        close_trip()

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
