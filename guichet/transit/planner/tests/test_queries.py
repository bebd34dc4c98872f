"""Queries: Pareto sets, arrive-by, range (rRAPTOR), past midnight, wheelchair, stop boards."""

import random
from datetime import date, datetime, time, timedelta

import numpy as np
import pytest

from guichet.transit.planner import (
    TransitLeg,
    build_timetable,
    departures,
    earliest_arrival,
    latest_departure,
    range_journeys,
    read_feed,
    stops_near,
)

from .feeds import network, stop


def _ends(timetable, source, target):
    return [(timetable.stop_index(source), 0)], [(timetable.stop_index(target), 0)]


def _pareto_network():
    return network(
        [stop("A", 13.5), stop("B", 13.6), stop("D", 13.8)],
        [
            ("SLOW", "R1", [("A", "08:00:00"), ("D", "10:00:00")]),
            ("FAST1", "R2", [("A", "08:05:00"), ("B", "08:15:00")]),
            ("FAST2", "R3", [("B", "08:20:00"), ("D", "08:40:00")]),
        ],
    )


def test_pareto_set_by_arrival_and_rides():
    timetable = _pareto_network()
    journeys = earliest_arrival(
        timetable, *_ends(timetable, "A", "D"), datetime(2026, 9, 14, 7, 50)
    )
    assert [(j.rides, j.arrival.strftime("%H:%M")) for j in journeys] == [
        (1, "10:00"),
        (2, "08:40"),
    ]
    assert [leg.trip_id for leg in journeys[1].legs] == ["FAST1", "FAST2"]
    assert journeys[1].transfers == 1


def test_max_transfers_limits_rides():
    timetable = _pareto_network()
    journeys = earliest_arrival(
        timetable, *_ends(timetable, "A", "D"), datetime(2026, 9, 14, 7, 50), max_transfers=0
    )
    assert [j.rides for j in journeys] == [1]


def _line():
    return network(
        [stop("A", 13.5), stop("C", 13.7)],
        [
            (f"T{h}{m:02d}", "R", [("A", f"{h:02d}:{m:02d}:00"), ("C", f"{h:02d}:{m + 20:02d}:00")])
            for h, m in ((8, 0), (8, 30), (9, 0))
        ],
    )


def test_arrive_by_gives_the_latest_departure():
    timetable = _line()
    journeys = latest_departure(timetable, *_ends(timetable, "A", "C"), datetime(2026, 9, 14, 9, 0))
    assert len(journeys) == 1
    assert journeys[0].departure == datetime(2026, 9, 14, 8, 30)
    assert journeys[0].arrival == datetime(2026, 9, 14, 8, 50)
    assert journeys[0].legs[0].trip_id == "T830"


def test_arrive_by_pareto_set_on_a_change():
    timetable = _pareto_network()
    journeys = latest_departure(
        timetable, *_ends(timetable, "A", "D"), datetime(2026, 9, 14, 10, 0)
    )
    assert [(j.rides, j.departure.strftime("%H:%M")) for j in journeys] == [
        (1, "08:00"),
        (2, "08:05"),
    ]


def test_arrive_by_with_walks_at_both_ends():
    timetable = _line()
    sources = [(timetable.stop_index("A"), 60)]
    targets = [(timetable.stop_index("C"), 90)]
    journeys = latest_departure(timetable, sources, targets, datetime(2026, 9, 14, 8, 51, 30))
    legs = journeys[0].legs
    assert journeys[0].departure == datetime(2026, 9, 14, 8, 29)
    assert journeys[0].arrival == datetime(2026, 9, 14, 8, 51, 30)
    assert [type(leg).__name__ for leg in legs] == ["WalkLeg", "TransitLeg", "WalkLeg"]


def test_range_query_lists_each_departure():
    timetable = _line()
    journeys = range_journeys(
        timetable, *_ends(timetable, "A", "C"), datetime(2026, 9, 14, 7, 45), window_s=3600
    )
    assert [j.departure.strftime("%H:%M") for j in journeys] == ["08:00", "08:30"]


def test_trip_of_previous_day_after_midnight():
    timetable = network(
        [stop("A", 13.5), stop("C", 13.7)],
        [("NIGHT", "R", [("A", "24:30:00"), ("C", "25:00:00")], {"service_id": "MON"})],
        calendar=[
            {
                "service_id": "MON",
                "monday": 1,
                "start_date": date(2026, 9, 1),
                "end_date": date(2026, 9, 30),
            }
        ],
    )
    tuesday = earliest_arrival(timetable, *_ends(timetable, "A", "C"), datetime(2026, 9, 15, 0, 10))
    leg = tuesday[0].legs[0]
    assert (leg.departure, leg.arrival) == (datetime(2026, 9, 15, 0, 30), datetime(2026, 9, 15, 1))
    assert leg.service_date == date(2026, 9, 14)
    # Monday 00:10: Sunday did not run, so the next one is Monday's own, the night after.
    monday = earliest_arrival(timetable, *_ends(timetable, "A", "C"), datetime(2026, 9, 14, 0, 10))
    assert monday[0].arrival == datetime(2026, 9, 15, 1)


def _wheelchair_network():
    return network(
        [
            stop("A", 13.5),
            stop("C", 13.7),
            stop("S", 13.8, location_type=1, wheelchair_boarding=2),
            stop("S1", 13.8, parent_station="S"),  # inherits "not possible"
        ],
        [
            ("OLD", "R", [("A", "07:50:00"), ("C", "08:10:00"), ("S1", "08:20:00")]),
            (
                "NEW",
                "R",
                [("A", "08:00:00"), ("C", "08:20:00"), ("S1", "08:30:00")],
                {"wheelchair_accessible": 1},
            ),
        ],
    )


def test_wheelchair_uses_only_accessible_trips():
    timetable = _wheelchair_network()
    depart = datetime(2026, 9, 14, 7, 45)
    assert (
        earliest_arrival(timetable, *_ends(timetable, "A", "C"), depart)[0].legs[0].trip_id == "OLD"
    )
    journeys = earliest_arrival(timetable, *_ends(timetable, "A", "C"), depart, wheelchair=True)
    assert journeys[0].legs[0].trip_id == "NEW"


def test_wheelchair_avoids_stops_marked_not_possible():
    timetable = _wheelchair_network()
    depart = datetime(2026, 9, 14, 7, 45)
    assert earliest_arrival(timetable, *_ends(timetable, "A", "S1"), depart)
    assert earliest_arrival(timetable, *_ends(timetable, "A", "S1"), depart, wheelchair=True) == []


def test_stops_near_a_place_with_walk_seconds():
    timetable = _line()
    near = stops_near(timetable, 13.501, 2.1, 400)
    assert near == [(timetable.stop_index("A"), 121)]


def test_departures_board():
    timetable = _line()
    board = departures(timetable, "A", datetime(2026, 9, 14, 8, 10), limit=2)
    assert [(d.trip_id, d.departure.strftime("%H:%M")) for d in board] == [
        ("T830", "08:30"),
        ("T900", "09:00"),
    ]


# --- on a real feed ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def subway(gtfs_dir):
    return build_timetable(read_feed(gtfs_dir / "subway.zip"))


def _key(journey):
    return (journey.departure, journey.arrival, journey.rides)


def test_range_query_equals_repeated_earliest_arrival_queries(subway):
    rng = random.Random(7)
    served = sorted(set(subway.pattern_stops.tolist()))
    day = date(2026, 9, 15)
    for _ in range(4):
        a, b = rng.sample(served, 2)
        # NYC times are on 30-second marks: stepping by 30 s from a mark sees every departure.
        start = datetime.combine(day, time(8)) + timedelta(seconds=30 * rng.randrange(0, 240))
        window = 1800
        sources, targets = [(a, 0)], [(b, 0)]
        fast = range_journeys(subway, sources, targets, start, window_s=window)
        brute = []
        for step in range(0, window + 1, 30):
            brute += earliest_arrival(subway, sources, targets, start + timedelta(seconds=step))
        end = start + timedelta(seconds=window)
        brute = [j for j in brute if start <= j.departure <= end and j.rides > 0]
        pareto = {
            _key(j)
            for j in brute
            if not any(
                k.departure >= j.departure
                and k.arrival <= j.arrival
                and k.rides <= j.rides
                and _key(k) != _key(j)
                for k in brute
            )
        }
        assert {_key(j) for j in fast} == pareto


def test_arrive_by_is_consistent_with_earliest_arrival(subway):
    rng = random.Random(11)
    served = sorted(set(subway.pattern_stops.tolist()))
    day = date(2026, 9, 15)
    checked = 0
    for _ in range(30):
        a, b = rng.sample(served, 2)
        depart = datetime.combine(day, time(7)) + timedelta(seconds=rng.randrange(0, 36000))
        forward = earliest_arrival(subway, [(a, 0)], [(b, 0)], depart)
        if not forward:
            continue
        best = forward[-1]
        backward = latest_departure(subway, [(a, 0)], [(b, 0)], best.arrival)
        # Leaving no earlier than the forward journey, one still arrives in time …
        assert backward[-1].departure >= best.departure
        assert backward[-1].arrival <= best.arrival
        # … and leaving after the latest departure cannot arrive by then.
        later = earliest_arrival(
            subway, [(a, 0)], [(b, 0)], backward[-1].departure + timedelta(seconds=1)
        )
        assert not later or later[-1].arrival > best.arrival
        for leg in backward[-1].legs:
            if isinstance(leg, TransitLeg):
                assert leg.departure < leg.arrival or leg.departure == leg.arrival
        checked += 1
    assert checked > 10


def test_stop_board_lists_the_next_ten_departures_in_order(subway):
    # Its speed is measured in bench/planner_bench.py (« stop board »), never in a unit test.
    station = subway.stop_index("127")  # Times Sq-42 St
    board = departures(subway, station, datetime(2026, 9, 15, 8))
    assert len(board) == 10
    assert np.all(np.diff([d.departure.timestamp() for d in board]) >= 0)
