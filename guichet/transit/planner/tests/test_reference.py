"""Acceptance: RAPTOR's earliest arrivals equal an independent connection scan on real feeds.

Hundreds of seeded random queries (stop to stop, and place to place through `stops_near`), with
and without geometric walks, over New York's subway (stations, station-level transfers.txt,
trips past midnight) and Accra's trotro network (frequency-based trips).
"""

import random
from datetime import date, datetime, time, timedelta

import numpy as np
import pytest

from guichet.transit.planner import (
    TransitLeg,
    WalkLeg,
    build_timetable,
    earliest_arrival,
    read_feed,
    stops_near,
)
from tests.conditions import missing_requirement

from . import reference

FEEDS = {
    # feed file, service dates (a weekday, a Sunday, a day with calendar_dates exceptions)
    "subway.zip": [date(2026, 9, 15), date(2026, 9, 13), date(2026, 9, 7)],
    "accra_trotro.zip": [date(2019, 6, 12)],
}
QUERIES = {"subway.zip": 200, "accra_trotro.zip": 100}


@pytest.fixture(scope="module", params=sorted(FEEDS))
def real_feed(request, gtfs_dir):
    path = gtfs_dir / request.param
    if not path.exists():
        missing_requirement(f"{path} is absent")
    feed = read_feed(path)
    return request.param, feed, build_timetable(feed, max_walk_m=400)


def _served_stops(feed) -> list[int]:
    return sorted(set(np.unique(feed.stop_times.stop).tolist()))


def _check_legs(journey, timetable, depart: datetime) -> None:
    """The reconstructed legs form a journey: chronological, leaving after `depart`."""
    assert journey.departure >= depart
    previous = journey.departure
    for leg in journey.legs:
        assert isinstance(leg, TransitLeg | WalkLeg)
        assert leg.departure >= previous, journey
        assert leg.arrival >= leg.departure
        previous = leg.arrival
    assert previous == journey.arrival
    assert sum(isinstance(leg, TransitLeg) for leg in journey.legs) == journey.rides


@pytest.mark.parametrize("max_walk_m", [400, 0])
def test_earliest_arrival_equals_connection_scan(real_feed, max_walk_m):
    name, feed, timetable = real_feed
    rng = random.Random(f"{name}-{max_walk_m}")
    served = _served_stops(feed)
    model = reference.transfer_model(feed, max_walk_m)
    networks = {}
    for day in FEEDS[name]:
        table, n_instances = reference.connections(feed, day)
        networks[day] = (table, n_instances, len(feed.stops))
    mismatches = []
    reachable = 0
    for q in range(QUERIES[name]):
        day = rng.choice(FEEDS[name])
        seconds = rng.randrange(4 * 3600, 25 * 3600)  # past midnight too
        if q % 4 == 3:
            # places: coordinates near two random stops, reached by walking
            a, b = rng.sample(served, 2)
            jitter = lambda: rng.uniform(-0.002, 0.002)  # noqa: E731
            sources = stops_near(
                timetable, feed.stops.lat[a] + jitter(), feed.stops.lon[a] + jitter(), 400
            )
            targets = stops_near(
                timetable, feed.stops.lat[b] + jitter(), feed.stops.lon[b] + jitter(), 400
            )
            if not sources or not targets:
                continue
        else:
            a, b = rng.sample(served, 2)
            sources, targets = [(a, 0)], [(b, 0)]
        expected = reference.earliest_arrival_seconds(
            networks[day], model, sources, targets, seconds
        )
        depart = datetime.combine(day, time()) + timedelta(seconds=seconds)
        journeys = earliest_arrival(
            timetable, sources, targets, depart, max_transfers=20, max_walk_m=max_walk_m
        )
        if journeys:
            got = int((journeys[-1].arrival - datetime.combine(day, time())).total_seconds())
            for journey in journeys:
                _check_legs(journey, timetable, depart)
        else:
            got = reference.INF
        if got != expected:
            mismatches.append((day, seconds, sources[:3], targets[:3], got, expected))
        reachable += expected < reference.INF
    assert not mismatches, f"{len(mismatches)} mismatches, first: {mismatches[:3]}"
    assert reachable >= QUERIES[name] // 2  # the test exercises real journeys
