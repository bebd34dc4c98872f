"""The compact GTFS tables a `Feed` is made of: numpy columns and lists of strings."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Stops:
    stop_id: list[str]
    stop_name: list[str]
    lat: np.ndarray  # float64
    lon: np.ndarray  # float64
    location_type: (
        np.ndarray
    )  # int8; GTFS: 0 stop/platform, 1 station, 2 entrance, 3 node, 4 boarding area
    parent: np.ndarray  # int32, index of parent_station or -1
    wheelchair_boarding: np.ndarray  # int8; 0 unknown/inherit, 1 possible, 2 not possible

    def __len__(self) -> int:
        return len(self.stop_id)


@dataclass
class Routes:
    route_id: list[str]
    agency_id: list[str]
    short_name: list[str]
    long_name: list[str]
    route_type: np.ndarray  # int16

    def __len__(self) -> int:
        return len(self.route_id)


@dataclass
class Trips:
    trip_id: list[str]
    route: np.ndarray  # int32 index into Routes
    service: np.ndarray  # int32 index into Feed.services
    headsign: list[str]
    wheelchair_accessible: np.ndarray  # int8; 0 unknown, 1 accessible, 2 not

    def __len__(self) -> int:
        return len(self.trip_id)


@dataclass
class StopTimes:
    """Sorted by (trip, stop_sequence); `trip_start` gives each trip's slice."""

    trip: np.ndarray  # int32
    stop: np.ndarray  # int32
    sequence: np.ndarray  # int32
    arrival: np.ndarray  # int32 seconds since service-day midnight (noon minus 12 h)
    departure: np.ndarray  # int32
    pickup_type: np.ndarray  # int8
    drop_off_type: np.ndarray  # int8

    def __len__(self) -> int:
        return len(self.trip)

    def trip_start(self, n_trips: int) -> np.ndarray:
        """Offsets: trip t's rows are [start[t], start[t + 1])."""
        counts = np.bincount(self.trip, minlength=n_trips)
        start = np.zeros(n_trips + 1, dtype=np.int64)
        np.cumsum(counts, out=start[1:])
        return start


@dataclass
class Calendar:
    service: np.ndarray  # int32
    weekdays: np.ndarray  # uint8 bit mask, bit 0 = Monday … bit 6 = Sunday
    start: np.ndarray  # int32 date ordinal
    end: np.ndarray  # int32 date ordinal (inclusive)


@dataclass
class CalendarDates:
    service: np.ndarray  # int32
    date: np.ndarray  # int32 date ordinal
    exception_type: np.ndarray  # int8; 1 added, 2 removed


@dataclass
class Frequencies:
    trip: np.ndarray  # int32
    start: np.ndarray  # int32 seconds
    end: np.ndarray  # int32 seconds
    headway: np.ndarray  # int32 seconds
    exact_times: np.ndarray  # int8


@dataclass
class Transfers:
    from_stop: np.ndarray  # int32
    to_stop: np.ndarray  # int32
    transfer_type: np.ndarray  # int8
    min_transfer_time: np.ndarray  # int32, -1 when empty


@dataclass
class TripTransfers:
    """transfers.txt rows naming trips or routes (GTFS Schedule reference, transfers.txt), applied
    per pair of vehicles by the planner (README.md §3). Indices, -1 where the field is empty."""

    from_stop: np.ndarray  # int32
    to_stop: np.ndarray  # int32
    from_trip: np.ndarray  # int32
    to_trip: np.ndarray  # int32
    from_route: np.ndarray  # int32
    to_route: np.ndarray  # int32
    transfer_type: np.ndarray  # int8, 0–3
    min_transfer_time: np.ndarray  # int32, -1 when empty

    def __len__(self) -> int:
        return len(self.from_stop)

    @classmethod
    def empty(cls) -> TripTransfers:
        i32 = np.zeros(0, dtype=np.int32)
        return cls(i32, i32, i32, i32, i32, i32, np.zeros(0, dtype=np.int8), i32)


@dataclass
class Feed:
    stops: Stops
    routes: Routes
    trips: Trips
    stop_times: StopTimes
    services: list[str]
    calendar: Calendar
    calendar_dates: CalendarDates
    frequencies: Frequencies
    transfers: Transfers
    agency: list[dict[str, str]] = field(default_factory=list)
    feed_info: list[dict[str, str]] = field(default_factory=list)
    # transfers.txt rows for given trips or routes, applied per pair of vehicles (README.md §3).
    trip_transfers: TripTransfers = field(default_factory=TripTransfers.empty)
    # transfers.txt rows set aside: in-seat rows (types 4 and 5, not modelled), and every row
    # naming trips or routes when read with specific_transfers="ignore".
    specific_transfers: list[dict[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.stops)} stops, {len(self.routes)} routes, {len(self.trips)} trips, "
            f"{len(self.stop_times)} stop times, {len(self.frequencies.trip)} frequencies, "
            f"{len(self.transfers.from_stop)} transfers"
        )
