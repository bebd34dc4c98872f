"""GTFS tables in compact columns: read from a zip/folder, or built from in-memory rows.

Both entry points (`read_feed`, `feed_from_rows`) go through the same per-file ingest functions,
which take an iterable of mappings keyed by GTFS field names. The file reader streams rows from
the `csv` module, so stop_times never exists as a list of Python objects: each column grows in an
`array.array` and becomes a numpy array at the end.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from array import array
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from .tables import (
    Calendar,
    CalendarDates,
    Feed,
    Frequencies,
    Routes,
    Stops,
    StopTimes,
    Transfers,
    Trips,
    TripTransfers,
)

NO_TIME = -1  # an empty arrival/departure time, interpolated later


# --- value parsing: GTFS strings or Python values -------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _int(value: Any, default: int) -> int:
    if value is None or isinstance(value, bool):
        return default if value is None else int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text:
        return default
    return int(float(text)) if "." in text else int(text)


def _float(value: Any) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    text = _text(value)
    return float(text) if text else float("nan")


def _time(value: Any) -> int:
    """GTFS time "H:MM:SS" (may exceed 24:00:00), int seconds or timedelta → seconds."""
    if value is None:
        return NO_TIME
    if isinstance(value, int):
        return value
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    text = str(value).strip()
    if not text:
        return NO_TIME
    hours, minutes, seconds = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds)


def _date(value: Any) -> int:
    """GTFS date "YYYYMMDD" or datetime.date → proleptic ordinal."""
    if isinstance(value, date):
        return value.toordinal()
    text = _text(value)
    return date(int(text[:4]), int(text[4:6]), int(text[6:8])).toordinal()


def _lookup(index: dict[str, int], key: str, file: str, row_number: int, name: str) -> int:
    try:
        return index[key]
    except KeyError:
        raise ValueError(f"{file} row {row_number}: unknown {name} {key!r}") from None


class _Services:
    """service_id → index, collected from calendar, calendar_dates and trips."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.index: dict[str, int] = {}

    def get(self, service_id: str) -> int:
        found = self.index.get(service_id)
        if found is None:
            found = self.index[service_id] = len(self.ids)
            self.ids.append(service_id)
        return found


# --- per-file ingest --------------------------------------------------------------------------


def _ingest_stops(rows: Iterable[Mapping[str, Any]]) -> Stops:
    ids: list[str] = []
    names: list[str] = []
    lat = array("d")
    lon = array("d")
    location_type = array("b")
    wheelchair = array("b")
    parent_ids: list[str] = []
    for row in rows:
        ids.append(_text(row.get("stop_id")))
        names.append(_text(row.get("stop_name")))
        # Real feeds pad coordinates with spaces (" 40.808930"); _float strips them.
        lat.append(_float(row.get("stop_lat")))
        lon.append(_float(row.get("stop_lon")))
        location_type.append(_int(row.get("location_type"), 0))
        wheelchair.append(_int(row.get("wheelchair_boarding"), 0))
        parent_ids.append(_text(row.get("parent_station")))
    index = {stop_id: i for i, stop_id in enumerate(ids)}
    if len(index) != len(ids):
        raise ValueError("stops.txt: duplicate stop_id")
    # GTFS: parent_station may reference a station defined later in the file, hence a second pass.
    parent = np.array(
        [
            _lookup(index, p, "stops.txt", i + 2, "parent_station") if p else -1
            for i, p in enumerate(parent_ids)
        ],
        dtype=np.int32,
    )
    return Stops(
        stop_id=ids,
        stop_name=names,
        lat=np.frombuffer(lat, dtype=np.float64).copy(),
        lon=np.frombuffer(lon, dtype=np.float64).copy(),
        location_type=np.frombuffer(location_type, dtype=np.int8).copy(),
        parent=parent,
        wheelchair_boarding=np.frombuffer(wheelchair, dtype=np.int8).copy(),
    )


def _ingest_routes(rows: Iterable[Mapping[str, Any]]) -> Routes:
    ids, agencies, short, long = [], [], [], []
    route_type = array("h")
    for row in rows:
        ids.append(_text(row.get("route_id")))
        agencies.append(_text(row.get("agency_id")))
        short.append(_text(row.get("route_short_name")))
        long.append(_text(row.get("route_long_name")))
        route_type.append(_int(row.get("route_type"), 3))
    return Routes(ids, agencies, short, long, np.frombuffer(route_type, dtype=np.int16).copy())


def _ingest_trips(
    rows: Iterable[Mapping[str, Any]], route_index: dict[str, int], services: _Services
) -> Trips:
    ids, headsigns = [], []
    route = array("i")
    service = array("i")
    wheelchair = array("b")
    for number, row in enumerate(rows, start=2):
        ids.append(_text(row.get("trip_id")))
        route.append(
            _lookup(route_index, _text(row.get("route_id")), "trips.txt", number, "route_id")
        )
        service.append(services.get(_text(row.get("service_id"))))
        headsigns.append(_text(row.get("trip_headsign")))
        wheelchair.append(_int(row.get("wheelchair_accessible"), 0))
    return Trips(
        trip_id=ids,
        route=np.frombuffer(route, dtype=np.int32).copy(),
        service=np.frombuffer(service, dtype=np.int32).copy(),
        headsign=headsigns,
        wheelchair_accessible=np.frombuffer(wheelchair, dtype=np.int8).copy(),
    )


def _ingest_stop_times(
    rows: Iterable[Mapping[str, Any]], trip_index: dict[str, int], stop_index: dict[str, int]
) -> StopTimes:
    trip, stop, sequence = array("i"), array("i"), array("i")
    arrival, departure = array("i"), array("i")
    pickup, drop_off = array("b"), array("b")
    last_trip_id, last_trip = None, -1
    for number, row in enumerate(rows, start=2):
        trip_id = _text(row.get("trip_id"))
        if trip_id != last_trip_id:  # rows come grouped by trip in practice: one lookup per trip
            last_trip = _lookup(trip_index, trip_id, "stop_times.txt", number, "trip_id")
            last_trip_id = trip_id
        trip.append(last_trip)
        stop.append(
            _lookup(stop_index, _text(row.get("stop_id")), "stop_times.txt", number, "stop_id")
        )
        sequence.append(_int(row.get("stop_sequence"), 0))
        arrival.append(_time(row.get("arrival_time")))
        departure.append(_time(row.get("departure_time")))
        pickup.append(_int(row.get("pickup_type"), 0))
        drop_off.append(_int(row.get("drop_off_type"), 0))
    return _sorted_stop_times(trip, stop, sequence, arrival, departure, pickup, drop_off)


def _fill_times(columns: dict[str, np.ndarray]) -> None:
    """Complete empty times: arrival ↔ departure, then linear interpolation between timepoints.

    GTFS: stop_times.txt arrival_time/departure_time may be empty for stops that are not
    timepoints; we interpolate by stop position within the trip (shape distances are not read).
    """
    arrival, departure = columns["arrival"], columns["departure"]
    only_dep = arrival == NO_TIME
    arrival[only_dep] = departure[only_dep]
    only_arr = departure == NO_TIME
    departure[only_arr] = arrival[only_arr]
    missing = np.flatnonzero(arrival == NO_TIME)
    if len(missing) == 0:
        return
    trip = columns["trip"]
    known = np.flatnonzero(arrival != NO_TIME)
    for i in missing:
        after = np.searchsorted(known, i)
        if after == 0 or after == len(known):
            raise ValueError("stop_times.txt: a trip's first and last stops need times")
        before_row, after_row = known[after - 1], known[after]
        if trip[before_row] != trip[i] or trip[after_row] != trip[i]:
            raise ValueError("stop_times.txt: a trip's first and last stops need times")
        span = after_row - before_row
        value = (
            departure[before_row]
            + (arrival[after_row] - departure[before_row]) * (i - before_row) // span
        )
        arrival[i] = departure[i] = value


def _ingest_stop_times_records(
    header: list[str],
    records: Iterable[list[str]],
    trip_index: dict[str, int],
    stop_index: dict[str, int],
) -> StopTimes:
    """The file fast path of `_ingest_stop_times`: positional columns, memoised time strings.

    stop_times is by far the largest file (1.2 M rows for Manhattan's buses); building a dict per
    row and parsing each "HH:MM:SS" again costs several times more than this loop.
    """
    position = {name: i for i, name in enumerate(header)}

    def column(name: str) -> int:
        return position.get(name, -1)

    i_trip, i_stop, i_seq = column("trip_id"), column("stop_id"), column("stop_sequence")
    i_arr, i_dep = column("arrival_time"), column("departure_time")
    i_pick, i_drop = column("pickup_type"), column("drop_off_type")
    if min(i_trip, i_stop, i_seq) < 0:
        raise ValueError("stop_times.txt: trip_id, stop_id and stop_sequence are required")
    width = len(header)
    trip, stop, sequence = array("i"), array("i"), array("i")
    arrival, departure = array("i"), array("i")
    pickup, drop_off = array("b"), array("b")
    times: dict[str, int] = {}
    small: dict[str, int] = {"": 0, "0": 0, "1": 1, "2": 2, "3": 3}
    last_trip_id, last_trip = None, -1
    for number, record in enumerate(records, start=2):
        if len(record) < width:
            record = record + [""] * (width - len(record))
        trip_id = record[i_trip].strip()
        if trip_id != last_trip_id:
            last_trip = _lookup(trip_index, trip_id, "stop_times.txt", number, "trip_id")
            last_trip_id = trip_id
        trip.append(last_trip)
        stop_id = record[i_stop]
        found = stop_index.get(stop_id)
        if found is None:
            found = _lookup(stop_index, stop_id.strip(), "stop_times.txt", number, "stop_id")
        stop.append(found)
        sequence.append(int(record[i_seq]))
        for target, index in ((arrival, i_arr), (departure, i_dep)):
            text = record[index] if index >= 0 else ""
            value = times.get(text)
            if value is None:
                value = times[text] = _time(text)
            target.append(value)
        for target, index in ((pickup, i_pick), (drop_off, i_drop)):
            text = record[index] if index >= 0 else ""
            value = small.get(text)
            target.append(value if value is not None else _int(text, 0))
    return _sorted_stop_times(trip, stop, sequence, arrival, departure, pickup, drop_off)


def _sorted_stop_times(trip, stop, sequence, arrival, departure, pickup, drop_off) -> StopTimes:
    columns = {
        "trip": np.frombuffer(trip, dtype=np.int32),
        "stop": np.frombuffer(stop, dtype=np.int32),
        "sequence": np.frombuffer(sequence, dtype=np.int32),
        "arrival": np.frombuffer(arrival, dtype=np.int32),
        "departure": np.frombuffer(departure, dtype=np.int32),
        "pickup_type": np.frombuffer(pickup, dtype=np.int8),
        "drop_off_type": np.frombuffer(drop_off, dtype=np.int8),
    }
    order = np.lexsort((columns["sequence"], columns["trip"]))
    sorted_columns = {name: values[order] for name, values in columns.items()}
    _fill_times(sorted_columns)
    return StopTimes(**sorted_columns)


def _ingest_calendar(rows: Iterable[Mapping[str, Any]], services: _Services) -> Calendar:
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    service, weekdays, start, end = array("i"), array("B"), array("i"), array("i")
    for row in rows:
        service.append(services.get(_text(row.get("service_id"))))
        mask = 0
        for bit, name in enumerate(days):
            if _int(row.get(name), 0) == 1:
                mask |= 1 << bit
        weekdays.append(mask)
        start.append(_date(row.get("start_date")))
        end.append(_date(row.get("end_date")))
    return Calendar(
        np.frombuffer(service, dtype=np.int32).copy(),
        np.frombuffer(weekdays, dtype=np.uint8).copy(),
        np.frombuffer(start, dtype=np.int32).copy(),
        np.frombuffer(end, dtype=np.int32).copy(),
    )


def _ingest_calendar_dates(rows: Iterable[Mapping[str, Any]], services: _Services) -> CalendarDates:
    service, day, kind = array("i"), array("i"), array("b")
    for row in rows:
        service.append(services.get(_text(row.get("service_id"))))
        day.append(_date(row.get("date")))
        kind.append(_int(row.get("exception_type"), 1))
    return CalendarDates(
        np.frombuffer(service, dtype=np.int32).copy(),
        np.frombuffer(day, dtype=np.int32).copy(),
        np.frombuffer(kind, dtype=np.int8).copy(),
    )


def _ingest_frequencies(
    rows: Iterable[Mapping[str, Any]], trip_index: dict[str, int]
) -> Frequencies:
    trip, start, end, headway, exact = array("i"), array("i"), array("i"), array("i"), array("b")
    for number, row in enumerate(rows, start=2):
        trip.append(
            _lookup(trip_index, _text(row.get("trip_id")), "frequencies.txt", number, "trip_id")
        )
        start.append(_time(row.get("start_time")))
        end.append(_time(row.get("end_time")))
        step = _int(row.get("headway_secs"), 0)
        if step <= 0:
            raise ValueError(f"frequencies.txt row {number}: headway_secs must be positive")
        headway.append(step)
        exact.append(_int(row.get("exact_times"), 0))
    return Frequencies(
        np.frombuffer(trip, dtype=np.int32).copy(),
        np.frombuffer(start, dtype=np.int32).copy(),
        np.frombuffer(end, dtype=np.int32).copy(),
        np.frombuffer(headway, dtype=np.int32).copy(),
        np.frombuffer(exact, dtype=np.int8).copy(),
    )


# GTFS Schedule reference, transfers.txt: transfer_type 0 recommended, 1 timed, 2 minimum time,
# 3 not possible (between stops, routes or trips); 4 in-seat, 5 in-seat not allowed (between two
# trips only, from_trip_id and to_trip_id required).
TRANSFER_TYPES = range(6)
SPECIFIC_TRANSFER_FIELDS = ("from_trip_id", "to_trip_id", "from_route_id", "to_route_id")


SPECIFIC_MODES = ("apply", "ignore", "refuse")


def _ingest_transfers(
    rows: Iterable[Mapping[str, Any]],
    indexes: tuple[dict[str, int], dict[str, int], dict[str, int]],
    specific: list[dict[str, str]],
    mode: str,
) -> tuple[Transfers, TripTransfers]:
    """Stop-level rows, and rows naming trips or routes, into arrays.

    A trip-to-trip or route-to-route row holds only for those vehicles, so it is kept apart from
    the stop-level rows (reading it as stop-wide would replace the station's minimum transfer
    time for every other vehicle). Mode "apply" keeps it in `TripTransfers`; "ignore" sets it
    aside in `specific` as the raw row; "refuse" raises ValueError naming it. In-seat rows
    (types 4 and 5) are set aside in every mode but "refuse": the planner has no in-seat model.
    """
    if mode not in SPECIFIC_MODES:
        raise ValueError(f"specific_transfers must be one of {SPECIFIC_MODES}, not {mode!r}")
    stop_index, trip_index, route_index = indexes
    from_stop, to_stop, kind, seconds = array("i"), array("i"), array("b"), array("i")
    trip_columns = [array("i") for _ in range(8)]
    for number, row in enumerate(rows, start=2):
        transfer_type = _int(row.get("transfer_type"), 0)
        if transfer_type not in TRANSFER_TYPES:
            raise ValueError(
                f"transfers.txt row {number}: transfer_type {transfer_type} is not one of 0–5"
            )
        named = [f for f in SPECIFIC_TRANSFER_FIELDS if _text(row.get(f))]
        if transfer_type in (4, 5) or (named and mode != "apply"):
            if mode == "refuse":
                what = ", ".join(f"{f}={_text(row.get(f))}" for f in named) or "no trip ids"
                raise ValueError(
                    f"transfers.txt row {number}: a transfer for given trips or routes ({what}, "
                    f"transfer_type {transfer_type}) is outside the planner's stop-level model"
                )
            specific.append({key: _text(value) for key, value in row.items()})
            continue
        from_id, to_id = _text(row.get("from_stop_id")), _text(row.get("to_stop_id"))
        if not from_id or not to_id:
            continue  # GTFS: stops are required for types 1–3; nothing to apply without them
        a = _lookup(stop_index, from_id, "transfers.txt", number, "from_stop_id")
        b = _lookup(stop_index, to_id, "transfers.txt", number, "to_stop_id")
        minimum = _int(row.get("min_transfer_time"), -1)
        if not named:
            from_stop.append(a)
            to_stop.append(b)
            kind.append(transfer_type)
            seconds.append(minimum)
            continue
        ids = []
        for name, index in zip(
            SPECIFIC_TRANSFER_FIELDS,
            (trip_index, trip_index, route_index, route_index),
            strict=True,
        ):
            value = _text(row.get(name))
            ids.append(_lookup(index, value, "transfers.txt", number, name) if value else -1)
        for column, value in zip(trip_columns, (a, b, *ids, transfer_type, minimum), strict=True):
            column.append(value)

    def as_array(values: array, dtype) -> np.ndarray:
        return np.array(values, dtype=dtype)

    return (
        Transfers(
            as_array(from_stop, np.int32),
            as_array(to_stop, np.int32),
            as_array(kind, np.int8),
            as_array(seconds, np.int32),
        ),
        TripTransfers(
            *(as_array(column, np.int32) for column in trip_columns[:6]),
            as_array(trip_columns[6], np.int8),
            as_array(trip_columns[7], np.int32),
        ),
    )


def _plain(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    return [{key: _text(value) for key, value in row.items()} for row in rows]


def feed_from_rows(
    *,
    stops: Iterable[Mapping[str, Any]],
    routes: Iterable[Mapping[str, Any]],
    trips: Iterable[Mapping[str, Any]],
    stop_times: Iterable[Mapping[str, Any]],
    calendar: Iterable[Mapping[str, Any]] = (),
    calendar_dates: Iterable[Mapping[str, Any]] = (),
    frequencies: Iterable[Mapping[str, Any]] = (),
    transfers: Iterable[Mapping[str, Any]] = (),
    agency: Iterable[Mapping[str, Any]] = (),
    feed_info: Iterable[Mapping[str, Any]] = (),
    specific_transfers: str = "apply",
) -> Feed:
    """Build a Feed from mappings keyed by GTFS field names (see README.md, section 1).

    `specific_transfers`: transfers.txt rows for given trips or routes are applied per pair of
    vehicles ("apply", README.md §3), set aside in `Feed.specific_transfers` ("ignore"), or
    refused with a ValueError naming the first one ("refuse"). In-seat rows (types 4, 5) are
    set aside unless refused.
    """
    services = _Services()
    stop_table = _ingest_stops(stops)
    stop_index = {stop_id: i for i, stop_id in enumerate(stop_table.stop_id)}
    route_table = _ingest_routes(routes)
    route_index = {route_id: i for i, route_id in enumerate(route_table.route_id)}
    calendar_table = _ingest_calendar(calendar, services)
    dates_table = _ingest_calendar_dates(calendar_dates, services)
    trip_table = _ingest_trips(trips, route_index, services)
    trip_index = {trip_id: i for i, trip_id in enumerate(trip_table.trip_id)}
    if len(trip_index) != len(trip_table):
        raise ValueError("trips.txt: duplicate trip_id")
    specific: list[dict[str, str]] = []
    transfer_table, trip_transfers = _ingest_transfers(
        transfers, (stop_index, trip_index, route_index), specific, specific_transfers
    )
    return Feed(
        stops=stop_table,
        routes=route_table,
        trips=trip_table,
        stop_times=(
            _ingest_stop_times_records(*stop_times, trip_index, stop_index)
            if isinstance(stop_times, _Records)
            else _ingest_stop_times(stop_times, trip_index, stop_index)
        ),
        services=services.ids,
        calendar=calendar_table,
        calendar_dates=dates_table,
        frequencies=_ingest_frequencies(frequencies, trip_index),
        transfers=transfer_table,
        agency=_plain(agency),
        feed_info=_plain(feed_info),
        trip_transfers=trip_transfers,
        specific_transfers=specific,
    )


# --- files ------------------------------------------------------------------------------------


class _Records(tuple):
    """(header, iterator of lists): how read_feed hands stop_times to the fast path."""


class _Source:
    """A GTFS zip or folder; files may sit in a sub-folder of the zip."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.zip = zipfile.ZipFile(self.path) if self.path.is_file() else None
        if self.zip is not None:
            self.names = {Path(name).name: name for name in self.zip.namelist()}
        elif self.path.is_dir():
            self.names = {child.name: str(child) for child in self.path.iterdir()}
        else:
            raise FileNotFoundError(f"GTFS feed not found: {self.path}")

    def records(self, name: str, required: bool = False) -> Iterator[list[str]]:
        """The header first, then each non-blank record."""
        member = self.names.get(name)
        if member is None:
            if required:
                raise ValueError(f"{self.path}: {name} is missing")
            return
        raw = self.zip.open(member) if self.zip is not None else open(member, "rb")  # noqa: SIM115
        with raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
            reader = csv.reader(text)
            header = next(reader, None)
            if header is None:
                return
            yield [column.strip().lstrip("\ufeff") for column in header]
            for record in reader:
                if not record or (len(record) == 1 and not record[0].strip()):
                    continue  # blank lines occur at the end of real files
                yield record

    def rows(self, name: str, required: bool = False) -> Iterator[dict[str, str]]:
        records = self.records(name, required)
        header = next(records, None)
        if header is None:
            return
        for record in records:
            yield dict(zip(header, record, strict=False))

    def stop_times(self) -> _Records:
        records = self.records("stop_times.txt", required=True)
        header = next(records, None) or []
        return _Records((header, records))

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def read_feed(path: str | os.PathLike, *, specific_transfers: str = "apply") -> Feed:
    """Read a GTFS zip or folder into compact tables (streaming, one pass per file).

    Trip- and route-specific transfers.txt rows: see `feed_from_rows`."""
    source = _Source(path)
    try:
        return feed_from_rows(
            stops=source.rows("stops.txt", required=True),
            routes=source.rows("routes.txt", required=True),
            trips=source.rows("trips.txt", required=True),
            stop_times=source.stop_times(),
            calendar=source.rows("calendar.txt"),
            calendar_dates=source.rows("calendar_dates.txt"),
            frequencies=source.rows("frequencies.txt"),
            transfers=source.rows("transfers.txt"),
            agency=source.rows("agency.txt"),
            feed_info=source.rows("feed_info.txt"),
            specific_transfers=specific_transfers,
        )
    finally:
        source.close()
