"""The three reference feeds, imported through the validator and the database, answer as an
independent brute force does: a Dijkstra over the imported stop_times (time-expanded: each
vehicle of each service day is a chain of timed events), with the GTFS rules written here
from the specification — service days from calendar.txt and calendar_dates.txt, times from
« noon minus 12 h » in the agency's zone, frequencies expanded (end_time excluded), boarding
only where pickup_type ≠ 1 and alighting only where drop_off_type ≠ 1, transfers.txt rows
(a station's row for its child stops, the stop's own row winning; type 3 forbids; the time is
min_transfer_time), no geometric walks (max_walk_m=0)."""

from __future__ import annotations

import bisect
import datetime
import heapq
import itertools
import random
import zoneinfo
from collections import defaultdict

import pytest

from guichet.transit import planner, timetables
from guichet.transit.models import Calendar, CalendarDate, Frequency, Stop, StopTime, Transfer, Trip

from .conftest import real_feed

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
DAY = datetime.timedelta(days=1)


def _origin(day: datetime.date, zone) -> datetime.datetime:
    """GTFS: a service day's times count from noon minus 12 h, local time."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=zone).astimezone(UTC) - (
        datetime.timedelta(hours=12)
    )


def _runs(feed, day: datetime.date) -> set[str]:
    weekday = Calendar.DAYS[day.weekday()]
    services = {
        c["service_id"]
        for c in Calendar.objects.filter(feed=feed, start_date__lte=day, end_date__gte=day).values(
            "service_id", weekday
        )
        if c[weekday]
    }
    for service_id, kind in CalendarDate.objects.filter(feed=feed, date=day).values_list(
        "service_id", "exception_type"
    ):
        (services.add if kind == 1 else services.discard)(service_id)
    return services


class BruteForce:
    """Earliest arrival (UTC instant) from one stop to another, rides only at both ends."""

    def __init__(self, feed, day: datetime.date) -> None:
        zone = zoneinfo.ZoneInfo(feed.timezone)
        stop_ids = dict(Stop.objects.filter(feed=feed).values_list("pk", "stop_id"))
        calls = defaultdict(list)
        for trip, stop, seq, arr, dep, pick, drop in (
            StopTime.objects.filter(feed=feed)
            .order_by("trip_id", "stop_sequence")
            .values_list(
                "trip_id",
                "stop_id",
                "stop_sequence",
                "arrival_time",
                "departure_time",
                "pickup_type",
                "drop_off_type",
            )
            .iterator(chunk_size=20000)
        ):
            calls[trip].append((stop_ids[stop], arr, dep, pick != 1, drop != 1))
        frequencies = defaultdict(list)
        for trip, start, end, headway in Frequency.objects.filter(feed=feed).values_list(
            "trip_id", "start_time", "end_time", "headway_secs"
        ):
            frequencies[trip].append((start, end, headway))
        service = dict(Trip.objects.filter(feed=feed).values_list("pk", "service_id"))
        self.vehicles: list[list[tuple]] = []
        self.events: dict[str, list[tuple[float, int, int]]] = defaultdict(list)
        for d in (day - DAY, day, day + DAY):
            origin = _origin(d, zone).timestamp()
            running = _runs(feed, d)
            for trip, trip_calls in calls.items():
                if service[trip] not in running or len(trip_calls) < 2:
                    continue
                first = trip_calls[0][2]
                shifts = [0]
                if trip in frequencies:
                    shifts = [
                        start - first
                        for s, e, h in frequencies[trip]
                        for start in range(s, e, h)  # end_time excluded
                    ]
                for shift in shifts:
                    vehicle = [
                        (stop, origin + arr + shift, origin + dep + shift, pick, drop)
                        for stop, arr, dep, pick, drop in trip_calls
                    ]
                    number = len(self.vehicles)
                    self.vehicles.append(vehicle)
                    for position, call in enumerate(vehicle[:-1]):
                        if call[3]:
                            self.events[call[0]].append((call[2], number, position))
        for events in self.events.values():
            events.sort()
        self._transfers(feed)

    def _transfers(self, feed) -> None:
        stops = Stop.objects.filter(feed=feed)
        kind = dict(stops.values_list("stop_id", "location_type"))
        children = defaultdict(list)
        for stop_id, parent in stops.exclude(parent_station="").values_list(
            "stop_id", "parent_station"
        ):
            children[parent].append(stop_id)

        def expand(stop_id):
            return children[stop_id] if kind.get(stop_id) == 1 else [stop_id]

        rows = list(
            Transfer.objects.filter(feed=feed, from_trip_id="", to_trip_id="")
            .filter(from_route_id="", to_route_id="")
            .order_by("pk")
            .values_list("from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time")
        )
        # A row naming the stops themselves wins over their station's.
        rows.sort(key=lambda r: (kind.get(r[0]) != 1) + (kind.get(r[1]) != 1))
        self.change: dict[str, int | None] = {}
        self.links: dict[str, dict[str, int | None]] = defaultdict(dict)
        for a_id, b_id, transfer_type, minimum in rows:
            seconds = None if transfer_type == 3 else (minimum or 0)
            for a in expand(a_id):
                for b in expand(b_id):
                    if a == b:
                        self.change[a] = seconds
                    else:
                        self.links[a][b] = seconds

    def earliest(self, source: str, target: str, depart: float, rides: int = 9) -> float | None:
        """Dijkstra by time over (stop, how one got there, rides so far); boarding a stop's
        vehicles one by one in departure order, so that only events before the answer are
        seen. A label is dominated by one reached no later with no more rides."""
        counter = itertools.count()
        queue = [(depart, next(counter), "start", source, 0, None)]
        done: dict[tuple[str, str], int] = {}  # (stop, mode) → fewest rides settled
        boarded: dict[int, list[tuple[int, int]]] = defaultdict(list)  # vehicle → (rides, pos)
        while queue:
            t, _n, kind, stop, k, at = heapq.heappop(queue)
            if kind == "board":
                events = self.events[stop]
                _dep, vehicle, position = events[at]
                if at + 1 < len(events):
                    queue_item = (events[at + 1][0], next(counter), "board", stop, k, at + 1)
                    heapq.heappush(queue, queue_item)
                calls = self.vehicles[vehicle]
                end = len(calls)
                for r, p in boarded[vehicle]:
                    if r <= k + 1:
                        end = min(end, p)
                if position >= end:
                    continue
                boarded[vehicle].append((k + 1, position))
                for later in calls[position + 1 : end]:
                    if later[4]:
                        heapq.heappush(queue, (later[1], next(counter), "ride", later[0], k + 1, 0))
                continue
            if done.get((stop, kind), rides + 1) <= k:
                continue
            done[(stop, kind)] = k
            if stop == target and kind == "ride":
                return t
            board = t
            if kind == "ride":
                change = self.change.get(stop, 0)
                board = None if change is None else t + change
                for other, seconds in self.links[stop].items():
                    if seconds is not None:
                        heapq.heappush(queue, (t + seconds, next(counter), "walk", other, k, 0))
            events = self.events.get(stop)
            if board is None or not events or k >= rides:
                continue
            first = bisect.bisect_left(events, (board, -1, -1))
            if first < len(events):
                heapq.heappush(queue, (events[first][0], next(counter), "board", stop, k, first))
        return None


CASES = {
    "accra_trotro.zip": datetime.date(2019, 10, 16),
    "subway.zip": datetime.date(2026, 10, 14),
    "bus_m.zip": datetime.date(2026, 10, 14),
}


@pytest.mark.parametrize("name", list(CASES))
def test_imported_reference_feed_answers_as_a_brute_force(name):
    from guichet.transit.services import import_feed

    feed = import_feed(real_feed(name), name.split(".")[0].replace("_", "-")).feed
    day = CASES[name]
    brute = BruteForce(feed, day)
    timetable = timetables.timetable_for(feed)
    zone = zoneinfo.ZoneInfo(feed.timezone)
    served = sorted(brute.events)
    rng = random.Random(20261206)
    answered = 0
    for _ in range(8):
        source, target = rng.sample(served, 2)
        depart = datetime.datetime.combine(day, datetime.time(rng.randrange(5, 22)))
        depart += datetime.timedelta(minutes=rng.randrange(60))
        journeys = planner.earliest_arrival(
            timetable,
            [(timetable.stop_index(source), 0)],
            [(timetable.stop_index(target), 0)],
            depart,
            max_walk_m=0,
            zone=zone,
        )
        found = journeys[-1].arrival.replace(tzinfo=zone).timestamp() if journeys else None
        expected = brute.earliest(source, target, depart.replace(tzinfo=zone).timestamp())
        assert found == expected, (source, target, depart, found, expected)
        answered += expected is not None
    assert answered >= 4
