"""What a query is given and what it returns: its ends (`Endpoints`) and time (`When`), the
journeys (`Journey`, made of `TransitLeg` and `WalkLeg`) and the departures of a stop board
(`Departure`), with the conversions between a query's time and naive datetimes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import numpy as np

from .timetable import DAY

Endpoints = Sequence[tuple[int, int]]  # (stop index, walk seconds)
When = datetime | tuple[date, int]


@dataclass(frozen=True)
class TransitLeg:
    route_id: str
    trip_id: str
    headsign: str
    from_stop_id: str
    to_stop_id: str
    departure: datetime
    arrival: datetime
    service_date: date


@dataclass(frozen=True)
class WalkLeg:
    from_stop_id: str | None  # None: the place the journey starts from
    to_stop_id: str | None  # None: the place the journey goes to
    departure: datetime
    arrival: datetime
    seconds: int


@dataclass(frozen=True)
class Journey:
    legs: tuple[TransitLeg | WalkLeg, ...]
    departure: datetime
    arrival: datetime
    rides: int

    @property
    def transfers(self) -> int:
        return max(self.rides - 1, 0)


@dataclass(frozen=True)
class Departure:
    route_id: str
    trip_id: str
    headsign: str
    stop_id: str
    departure: datetime
    service_date: date | None = None  # the GTFS service day of the trip instance


def _split(when: When) -> tuple[date, int]:
    if isinstance(when, datetime):
        return when.date(), when.hour * 3600 + when.minute * 60 + when.second
    service_date, seconds = when
    return service_date, int(seconds)


def _at(service_date: date, seconds: int) -> datetime:
    return datetime.combine(service_date, time()) + timedelta(seconds=int(seconds))


class ServiceClock:
    """Engine seconds ↔ local clock times. GTFS counts a service day's times from « noon minus
    12 h » (reference, stop_times.txt): midnight, except on the days the clocks change, when it
    is 23:00 or 01:00. Given the network's zone, a time is read and written from that origin and
    the days before and after are as long as they are (23 or 25 h on those days); without one,
    every day starts at midnight and lasts 24 h. Local times are naive; `fold` says which of the
    two 01:30 of the night the clocks go back is meant."""

    def __init__(self, zone: tzinfo | str | None = None):
        self.zone = ZoneInfo(zone) if isinstance(zone, str) and zone else zone or None

    def origin(self, day: date) -> datetime:
        """The instant (UTC) the service day's times count from."""
        noon = datetime.combine(day, time(12), tzinfo=self.zone)
        return noon.astimezone(UTC) - timedelta(hours=12)

    def split(self, when: When) -> tuple[date, int]:
        """(service day, seconds since its origin) of a local time, or of (day, seconds)."""
        if self.zone is None or not isinstance(when, datetime):
            return _split(when)
        instant = when.replace(tzinfo=self.zone).astimezone(UTC)
        return when.date(), int((instant - self.origin(when.date())).total_seconds())

    def at(self, service_date: date, seconds: int) -> datetime:
        """The local time `seconds` after the origin of `service_date`."""
        if self.zone is None:
            return _at(service_date, seconds)
        instant = self.origin(service_date) + timedelta(seconds=int(seconds))
        return instant.astimezone(self.zone).replace(tzinfo=None)

    def offsets(self, service_date: date) -> np.ndarray:
        """Where days D-1, D and D+1 start, in seconds from the origin of D (the kernel's
        day offsets)."""
        if self.zone is None:
            return np.array([-DAY, 0, DAY], dtype=np.int32)
        day = timedelta(days=1)
        here = self.origin(service_date)
        before = (self.origin(service_date - day) - here).total_seconds()
        after = (self.origin(service_date + day) - here).total_seconds()
        return np.array([before, 0, after], dtype=np.int32)
