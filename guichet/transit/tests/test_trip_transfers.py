"""transfers.txt rows naming trips or routes reach the planner from the database: the Django
timetable passes them with their ids (they used to be filtered out before the planner)."""

import pytest

from guichet.transit import selectors

pytestmark = pytest.mark.django_db
MONDAY = "2026-12-07"
STATION = "from_stop_id,to_stop_id,from_trip_id,to_route_id,transfer_type,min_transfer_time\n"


def _arrival(feed):
    request = selectors.parse_plan_request(
        feed, {"from": "KEN", "to": "HAR", "depart": f"{MONDAY}T07:55"}
    )
    return selectors.plan(feed, request)[-1].arrival.strftime("%H:%M")


def _imported(make_feed, organisations, transfers):
    from guichet.transit.services import import_feed

    path = make_feed(transfers__txt=transfers)
    return import_feed(path, "petit", organisation=organisations["MT-DTT"]).feed


def test_the_station_minimum_alone(make_feed, organisations):
    # T1 reaches GM1 at 08:10, + 120 s at the station: F1 from GM2 at 08:12, Harobanda 08:20.
    assert _arrival(_imported(make_feed, organisations, STATION + "GM,GM,,,2,120\n")) == "08:20"


def test_a_trip_to_route_minimum_from_the_database_applies(make_feed, organisations):
    # T1 → route R2 needs 300 s at Grand Marché: the 08:12 F1 is missed, the 08:27 one taken.
    rows = STATION + "GM,GM,,,2,120\nGM1,GM2,T1,R2,2,300\n"
    assert _arrival(_imported(make_feed, organisations, rows)) == "08:35"
