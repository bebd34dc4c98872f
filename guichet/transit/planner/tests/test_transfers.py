"""The transfer model of README.md §3, one rule per test, on hand-made networks."""

from datetime import datetime

import pytest

from guichet.transit.planner import earliest_arrival, stop_endpoints
from guichet.transit.planner.geo import haversine_m, walk_seconds

from .feeds import network, stop

MONDAY_8 = datetime(2026, 9, 14, 7, 55)


def _arrival(timetable, source, target, **options):
    journeys = earliest_arrival(
        timetable,
        [(timetable.stop_index(source), 0)],
        [(timetable.stop_index(target), 0)],
        MONDAY_8,
        **options,
    )
    return journeys[-1].arrival.strftime("%H:%M:%S") if journeys else None


def _same_stop_network(transfers=(), extra=()):
    return network(
        [stop("A", 13.5), stop("B", 13.6), stop("C", 13.7)],
        [
            ("T1", "R1", [("A", "08:00:00"), ("B", "08:10:00")]),
            ("T2", "R2", [("B", "08:11:00"), ("C", "08:20:00")]),
            ("T3", "R2", [("B", "08:15:00"), ("C", "08:25:00")]),
            *extra,
        ],
        transfers=transfers,
    )


def test_same_stop_change_takes_no_time_without_a_row():
    assert _arrival(_same_stop_network(), "A", "C") == "08:20:00"


def test_same_stop_change_takes_min_transfer_time():
    rows = [{"from_stop_id": "B", "to_stop_id": "B", "transfer_type": 2, "min_transfer_time": 120}]
    assert _arrival(_same_stop_network(rows), "A", "C") == "08:25:00"


def test_same_stop_change_forbidden_by_transfer_type_3():
    rows = [{"from_stop_id": "B", "to_stop_id": "B", "transfer_type": 3}]
    assert _arrival(_same_stop_network(rows), "A", "C") is None


def _two_stop_network(transfers=(), **options):
    # B2 is 0.001° (111.2 m) north of B: a 121 s walk.
    return network(
        [stop("A", 13.5), stop("B", 13.6), stop("B2", 13.601), stop("C", 13.7)],
        [
            ("T1", "R1", [("A", "08:00:00"), ("B", "08:10:00")]),
            ("T2", "R2", [("B2", "08:13:00"), ("C", "08:20:00")]),
            ("T3", "R2", [("B2", "08:20:00"), ("C", "08:30:00")]),
        ],
        transfers=transfers,
        **options,
    )


def test_walk_formula():
    distance = haversine_m(13.6, 2.1, 13.601, 2.1)
    assert distance == pytest.approx(111.195, abs=0.001)
    assert walk_seconds(distance) == 121  # ceil(111.195 × 1.3 / 1.2)


def test_geometric_walk_between_nearby_stops():
    assert _arrival(_two_stop_network(), "A", "C") == "08:20:00"


def test_no_geometric_walk_when_max_walk_is_zero():
    assert _arrival(_two_stop_network(), "A", "C", max_walk_m=0) is None
    assert _arrival(_two_stop_network(max_walk_m=0), "A", "C") is None


def test_query_max_walk_filters_longer_walks():
    assert _arrival(_two_stop_network(), "A", "C", max_walk_m=100) is None
    assert _arrival(_two_stop_network(), "A", "C", max_walk_m=120) == "08:20:00"


def test_query_max_walk_cannot_exceed_the_build_value():
    with pytest.raises(ValueError, match="exceeds"):
        _arrival(_two_stop_network(), "A", "C", max_walk_m=500)


def test_transfers_row_wins_over_the_geometric_walk():
    rows = [{"from_stop_id": "B", "to_stop_id": "B2", "transfer_type": 2, "min_transfer_time": 300}]
    assert _arrival(_two_stop_network(rows), "A", "C") == "08:30:00"


def test_transfers_row_is_kept_when_walks_are_disabled():
    rows = [{"from_stop_id": "B", "to_stop_id": "B2", "transfer_type": 0}]
    assert _arrival(_two_stop_network(rows), "A", "C", max_walk_m=0) == "08:20:00"


def test_transfer_type_3_forbids_the_pair_and_its_walk():
    rows = [{"from_stop_id": "B", "to_stop_id": "B2", "transfer_type": 3}]
    assert _arrival(_two_stop_network(rows), "A", "C") is None


def test_transfers_rows_are_directed():
    rows = [{"from_stop_id": "B2", "to_stop_id": "B", "transfer_type": 3}]
    assert _arrival(_two_stop_network(rows), "A", "C") == "08:20:00"


def test_station_rows_apply_to_child_stops():
    stops = [
        stop("A", 13.5),
        stop("S", 13.6, location_type=1),
        stop("B", 13.6, parent_station="S"),
        stop("B2", 13.601, parent_station="S"),
        stop("C", 13.7),
    ]
    trips = [
        ("T1", "R1", [("A", "08:00:00"), ("B", "08:10:00")]),
        ("T2", "R2", [("B2", "08:13:00"), ("C", "08:20:00")]),
        ("T3", "R2", [("B2", "08:20:00"), ("C", "08:30:00")]),
        ("T4", "R3", [("B", "08:12:00"), ("C", "08:22:00")]),
    ]
    plain = network(stops, trips)
    assert _arrival(plain, "A", "C") == "08:20:00"
    rows = [{"from_stop_id": "S", "to_stop_id": "S", "transfer_type": 2, "min_transfer_time": 300}]
    with_station_rule = network(stops, trips, transfers=rows)
    # B → B2 takes 300 s (not the 121 s walk), and B → B too: T4 at 08:12 is missed.
    assert _arrival(with_station_rule, "A", "C") == "08:30:00"


def test_walks_are_not_chained():
    # B → B2 and B2 → B3 are each 333 m, B → B3 is 667 m: no way to walk B → B3.
    stops = [
        stop("A", 13.5),
        stop("B", 13.6),
        stop("B2", 13.603),
        stop("B3", 13.606),
        stop("C", 13.7),
    ]
    trips = [
        ("T1", "R1", [("A", "08:00:00"), ("B", "08:10:00")]),
        ("T2", "R2", [("B3", "09:00:00"), ("C", "09:10:00")]),
    ]
    assert _arrival(network(stops, trips), "A", "C") is None
    assert _arrival(network(stops, trips, max_walk_m=700), "A", "C") == "09:10:00"


def test_no_walk_before_the_first_ride_beyond_the_given_sources():
    timetable = _two_stop_network()
    # From B (not B2) at 08:12, T2 leaves B2: only reachable if the caller lists B2 as a source.
    journeys = earliest_arrival(
        timetable, [(timetable.stop_index("B"), 0)], [(timetable.stop_index("C"), 0)], MONDAY_8
    )
    assert journeys == []
    sources = stop_endpoints(timetable, "B")
    assert (timetable.stop_index("B2"), 121) in sources
    journeys = earliest_arrival(timetable, sources, [(timetable.stop_index("C"), 0)], MONDAY_8)
    access = journeys[-1].legs[0]
    assert (access.from_stop_id, access.to_stop_id, access.seconds) == (None, "B2", 121)


def _pickup_network(pickup_b, drop_off_b):
    return network(
        [stop("A", 13.5), stop("B", 13.6), stop("C", 13.7)],
        [
            (
                "T1",
                "R1",
                [
                    ("A", "08:00:00"),
                    ("B", "08:10:00", {"pickup_type": pickup_b, "drop_off_type": drop_off_b}),
                    ("C", "08:20:00"),
                ],
            )
        ],
    )


def test_no_alighting_where_drop_off_type_is_1():
    assert _arrival(_pickup_network(0, 1), "A", "B") is None
    assert _arrival(_pickup_network(0, 1), "A", "C") == "08:20:00"


def test_no_boarding_where_pickup_type_is_1():
    assert _arrival(_pickup_network(1, 0), "B", "C") is None
    assert _arrival(_pickup_network(1, 0), "A", "B") == "08:10:00"
