"""Walk-only journeys follow the model: one walk of at most max_walk_m, never two walks chained
through a third stop (README.md, section 3)."""

import math
from datetime import datetime

from guichet.transit.planner import WalkLeg, earliest_arrival, latest_departure, stop_endpoints
from guichet.transit.planner.geo import haversine_m

from .feeds import network, stop

METRE = 1 / 111195  # degrees of latitude per metre


def _chain():
    # A —200 m— C —196 m— B: A and B are 396 m apart, each within 300 m of C.
    return network(
        [stop("A", 13.5), stop("C", 13.5 + 200 * METRE), stop("B", 13.5 + 396 * METRE)],
        [("BUS", "R1", [("A", "08:20:00"), ("B", "08:30:00")])],
        max_walk_m=400,
    )


def _ends(tt, a, b, walk):
    return (
        stop_endpoints(tt, a, max_walk_m=walk),
        stop_endpoints(tt, b, max_walk_m=walk, arriving=True),
    )


def test_two_walks_through_a_third_stop_are_not_a_journey():
    tt = _chain()
    sources, targets = _ends(tt, "A", "B", 300)
    journeys = earliest_arrival(tt, sources, targets, datetime(2026, 9, 14, 8, 0), max_walk_m=300)
    assert [j.arrival.strftime("%H:%M") for j in journeys] == ["08:30"]
    assert journeys[0].rides == 1


def test_two_walks_chained_are_not_an_arrive_by_journey_either():
    tt = _chain()
    sources, targets = _ends(tt, "A", "B", 300)
    journeys = latest_departure(tt, sources, targets, datetime(2026, 9, 14, 8, 40), max_walk_m=300)
    assert [j.departure.strftime("%H:%M") for j in journeys] == ["08:20"]


def test_a_single_walk_within_the_limit_is_a_journey():
    tt = _chain()
    sources, targets = _ends(tt, "A", "B", 400)
    journeys = earliest_arrival(tt, sources, targets, datetime(2026, 9, 14, 8, 0), max_walk_m=400)
    walk = journeys[0]
    assert walk.rides == 0 and len(walk.legs) == 1 and isinstance(walk.legs[0], WalkLeg)
    metres = haversine_m(13.5, 2.1, 13.5 + 396 * METRE, 2.1)
    assert walk.legs[0].seconds == math.ceil(metres * 1.3 / 1.2)
    assert walk.legs[0].from_stop_id == "A"  # to the destination, stop B


def test_a_walk_from_a_place_then_a_walk_to_the_stop_is_not_a_journey():
    # The place is 250 m south of A; A is 200 m from C: place → A → C is two walks.
    tt = _chain()
    from guichet.transit.planner import stops_near

    sources = stops_near(tt, 13.5 - 250 * METRE, 2.1, 300)
    assert [tt.stop_ids[s] for s, _ in sources] == ["A"]
    targets = stop_endpoints(tt, "C", max_walk_m=300, arriving=True)
    journeys = earliest_arrival(tt, sources, targets, datetime(2026, 9, 14, 8, 0), max_walk_m=300)
    assert all(j.rides > 0 for j in journeys)
