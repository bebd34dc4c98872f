"""Timetable build: RAPTOR patterns without overtaking, footpaths, the reversed timetable."""

from datetime import datetime

import numpy as np

from guichet.transit.planner import earliest_arrival, stop_endpoints
from guichet.transit.planner.timetable import reversed_timetable

from .feeds import network, stop


def _overtaking():
    # EXPRESS leaves after LOCAL and arrives before it: they cannot share a pattern.
    return network(
        [stop("A", 13.5), stop("B", 13.6), stop("C", 13.7)],
        [
            ("LOCAL", "R", [("A", "08:00:00"), ("B", "08:20:00"), ("C", "08:40:00")]),
            ("EXPRESS", "R", [("A", "08:05:00"), ("B", "08:15:00"), ("C", "08:25:00")]),
            ("LATER", "R", [("A", "08:10:00"), ("B", "08:30:00"), ("C", "08:50:00")]),
        ],
    )


def test_overtaking_trips_are_split_into_patterns():
    timetable = _overtaking()
    assert timetable.n_patterns == 2
    for p in range(timetable.n_patterns):
        n = timetable.stop_start[p + 1] - timetable.stop_start[p]
        m = timetable.trip_slot_start[p + 1] - timetable.trip_slot_start[p]
        block = timetable.arrival[timetable.time_start[p] : timetable.time_start[p] + n * m]
        assert np.all(np.diff(block.reshape(n, m), axis=1) >= 0)  # no overtaking inside


def test_the_overtaking_trip_is_found():
    timetable = _overtaking()
    journeys = earliest_arrival(
        timetable,
        [(timetable.stop_index("A"), 0)],
        [(timetable.stop_index("C"), 0)],
        datetime(2026, 9, 14, 7, 59),
    )
    assert journeys[-1].legs[0].trip_id == "EXPRESS"


def test_identical_sequences_share_a_pattern():
    timetable = network(
        [stop("A", 13.5), stop("B", 13.6)],
        [(f"T{i}", "R", [("A", f"0{i}:00:00"), ("B", f"0{i}:30:00")]) for i in range(1, 6)],
    )
    assert timetable.n_patterns == 1


def test_reversed_timetable_turns_footpaths_around():
    timetable = network(
        [stop("A", 13.5), stop("B", 13.6), stop("C", 13.7)],
        [("T", "R", [("A", "08:00:00"), ("B", "08:10:00")])],
        transfers=[
            {"from_stop_id": "B", "to_stop_id": "C", "transfer_type": 2, "min_transfer_time": 60}
        ],
    )
    assert stop_endpoints(timetable, "B") == [(1, 0), (2, 60)]
    assert stop_endpoints(timetable, "B", arriving=True) == [(1, 0)]
    assert stop_endpoints(timetable, "C", arriving=True) == [(2, 0), (1, 60)]
    backwards = reversed_timetable(timetable)
    assert backwards.departure.tolist() == [-8 * 3600 - 600, -8 * 3600]
