"""What a query is given and what it returns: its ends (`Endpoints`) and time (`When`), the
journeys (`Journey`, made of `TransitLeg` and `WalkLeg`) and the departures of a stop board
(`Departure`), with the conversions between a query's time and naive datetimes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

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


def _split(when: When) -> tuple[date, int]:
    if isinstance(when, datetime):
        return when.date(), when.hour * 3600 + when.minute * 60 + when.second
    service_date, seconds = when
    return service_date, int(seconds)


def _at(service_date: date, seconds: int) -> datetime:
    return datetime.combine(service_date, time()) + timedelta(seconds=int(seconds))
