"""Validation notices as MobilityData's validator gives them (its Python port is the judge)."""

import pytest

from guichet.transit.tests.conftest import SMALL
from guichet.transit.validation import validate


def _codes(report, code):
    return [n for n in report.samples if n.code == code], report.counts.get(code, 0)


def test_whitespace_around_an_unquoted_value_is_not_reported(make_feed):
    # univocity (MobilityData's CSV parser) trims unquoted fields before any check.
    routes = "route_id,agency_id,route_short_name,route_long_name,route_type\n"
    routes += "R1, SNTN ,1 ,Kennedy - Aéroport,3\nR2,SNTN,2,Université - Harobanda,3\n"
    report = validate(make_feed(routes__txt=routes))
    assert _codes(report, "leading_or_trailing_whitespaces")[1] == 0


def test_whitespace_inside_quotes_is_reported(make_feed):
    routes = "route_id,agency_id,route_short_name,route_long_name,route_type\n"
    routes += 'R1,SNTN,"1 ",Kennedy - Aéroport,3\nR2,SNTN,2,"Université, Harobanda",3\n'
    notices, count = _codes(
        validate(make_feed(routes__txt=routes)), "leading_or_trailing_whitespaces"
    )
    assert count == 1 and notices[0].line == 2 and notices[0].field == "route_short_name"


# KEN (13.5230, 2.1050) → GM1 (13.5137, 2.1098) → AER (13.4815, 2.1836): the shape follows the
# first two exactly and ends 250 m north of AER (0.00225° of latitude).
SHAPE = (
    "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\n"
    "S1,13.5230,2.1050,1\nS1,13.5137,2.1098,2\nS1,13.48375,2.1836,3\n"
)
TRIPS = "route_id,service_id,trip_id,trip_headsign,shape_id\nR1,WK,T1,Aéroport,S1\n"
TRIPS += "R1,WK,T2,Aéroport,S1\nR2,WK,F1,Harobanda,\n"


def _routes(route_type: int) -> str:
    return (
        "route_id,agency_id,route_short_name,route_long_name,route_type\n"
        f"R1,SNTN,1,Kennedy - Aéroport,{route_type}\nR2,SNTN,2,Université - Harobanda,3\n"
    )


@pytest.mark.parametrize(("route_type", "expected"), [(2, 0), (3, 1)])
def test_a_rail_terminus_may_be_four_times_farther_from_the_shape(make_feed, route_type, expected):
    report = validate(
        make_feed(routes__txt=_routes(route_type), trips__txt=TRIPS, shapes__txt=SHAPE)
    )
    notices, count = _codes(report, "stop_too_far_from_shape")
    assert count == expected, [n.detail for n in notices]
    if expected:
        assert notices[0].detail["stopId"] == "AER"


def test_an_intermediate_rail_stop_keeps_the_100_m_limit(make_feed):
    # GM1 250 m off the shape, in the middle of the trip.
    shape = SHAPE.replace("S1,13.5137,2.1098,2", "S1,13.51595,2.1098,2").replace(
        "S1,13.48375,2.1836,3", "S1,13.4815,2.1836,3"
    )
    report = validate(make_feed(routes__txt=_routes(2), trips__txt=TRIPS, shapes__txt=shape))
    notices, count = _codes(report, "stop_too_far_from_shape")
    assert count == 1 and notices[0].detail["stopId"] == "GM1"


def test_the_small_feed_still_validates_cleanly(make_feed):
    assert not validate(make_feed()).has_errors
    assert SMALL  # the fixture feed is unchanged
