"""Times on pages, SMS and USSD are the feed's own clock (agency_timezone), never Niamey's, and
say the day when it is not today."""

import datetime
import zoneinfo

import pytest
import time_machine

from guichet.transit.tests.conftest import SMALL

pytestmark = pytest.mark.django_db
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
# Monday 7 December 2026, 07:00 in New York (13:00 in Niamey).
MONDAY_0700_NY = datetime.datetime(2026, 12, 7, 7, 0, tzinfo=NEW_YORK)


@pytest.fixture
def new_york(db, make_feed, organisations):
    from guichet.transit.services import import_feed

    path = make_feed(
        agency__txt=SMALL["agency.txt"].replace("Africa/Niamey", "America/New_York"),
    )
    return import_feed(path, "nyc", organisation=organisations["MT-DTT"]).feed


@time_machine.travel(MONDAY_0700_NY, tick=False)
def test_stop_board_prints_the_feeds_clock(client, new_york):
    html = client.get("/transport/nyc/arrets/KEN/").content.decode()
    assert "08:00" in html
    assert "14:00" not in html  # 08:00 in New York is 14:00 in Niamey


@time_machine.travel(MONDAY_0700_NY, tick=False)
def test_journey_page_prints_the_feeds_clock_in_header_and_legs(client, new_york):
    html = client.get(
        "/transport/nyc/itineraire/", {"from": "kennedy", "to": "aeroport", "when": "07:55"}
    ).content.decode()
    assert "08:00 → 08:30" in html
    assert "08:00 — ligne 1" in html and "arrivée 08:30" in html
    assert "14:00" not in html and "14:30" not in html


@time_machine.travel(MONDAY_0700_NY, tick=False)
def test_a_journey_without_change_reads_direct(client, new_york):
    html = client.get(
        "/transport/nyc/itineraire/", {"from": "kennedy", "to": "aeroport", "when": "07:55"}
    ).content.decode()
    assert "direct" in html
    assert "0 correspondance" not in html


@time_machine.travel(datetime.datetime(2026, 12, 7, 23, 55, tzinfo=NEW_YORK), tick=False)
def test_after_the_last_trip_the_board_says_tomorrow(client, new_york):
    html = client.get("/transport/nyc/arrets/KEN/").content.decode()
    assert "demain 08:00" in html


@time_machine.travel(datetime.datetime(2026, 12, 7, 23, 55, tzinfo=NEW_YORK), tick=False)
def test_after_the_last_trip_the_journey_says_tomorrow(client, new_york):
    html = client.get(
        "/transport/nyc/itineraire/", {"from": "kennedy", "to": "aeroport"}
    ).content.decode()
    assert "demain 08:00 → 08:30" in html


def test_a_journey_on_another_day_gives_its_date(client, new_york):
    with time_machine.travel(MONDAY_0700_NY, tick=False):
        html = client.get(
            "/transport/nyc/itineraire/",
            {"from": "kennedy", "to": "aeroport", "date": "2026-12-09", "when": "07:55"},
        ).content.decode()
    assert "09/12 08:00 → 08:30" in html


@time_machine.travel(MONDAY_0700_NY, tick=False)
def test_sms_answers_in_the_feeds_clock(new_york, settings):
    from guichet.transit.channels import answer_bus

    settings.TRANSIT_SMS_FEED = "nyc"
    reply = answer_bus("kennedy > aeroport")
    assert reply.startswith("08:00 "), reply
    assert "arr 08:30" in reply


@time_machine.travel(datetime.datetime(2026, 12, 7, 23, 55, tzinfo=NEW_YORK), tick=False)
def test_sms_after_the_last_trip_says_tomorrow(new_york, settings):
    from guichet.transit.channels import answer_bus

    settings.TRANSIT_SMS_FEED = "nyc"
    reply = answer_bus("kennedy > aeroport")
    assert reply.startswith("demain 08:00 "), reply


# GTFS: stop_times.txt — times are measured from "noon minus 12h" of the service day, which is
# midnight except on the days daylight-saving time changes. New York falls back on Sunday
# 1 November 2026 at 02:00 EDT: 26:30:00 on Saturday's service is 01:30 EST (06:30 UTC).
DST_TRIPS = SMALL["trips.txt"] + "R1,WK,T3,Aéroport\n"
DST_STOP_TIMES = (
    SMALL["stop_times.txt"]
    + "T3,26:30:00,26:30:00,KEN,1\nT3,26:40:00,26:41:00,GM1,2\nT3,27:00:00,27:00:00,AER,3\n"
)


@pytest.fixture
def new_york_fall_back(db, make_feed, organisations):
    from guichet.transit.services import import_feed

    path = make_feed(
        agency__txt=SMALL["agency.txt"].replace("Africa/Niamey", "America/New_York"),
        trips__txt=DST_TRIPS,
        stop_times__txt=DST_STOP_TIMES,
        calendar_dates__txt="service_id,date,exception_type\nWK,20261031,1\n",
    )
    return import_feed(path, "nyc-dst", organisation=organisations["MT-DTT"]).feed


def test_a_trip_after_the_fall_back_change_is_shown_at_its_gtfs_time(client, new_york_fall_back):
    response = client.get(
        "/api/transit/stops/KEN/departures", {"feed": "nyc-dst", "at": "2026-10-31T23:00:00"}
    )
    departures = {row["trip_id"]: row["departure"] for row in response.json()["departures"]}
    assert departures["T2"] == "2026-10-31T23:50:00-04:00"
    assert departures["T3"] == "2026-11-01T01:30:00-05:00"


@pytest.mark.parametrize(
    ("depart", "leaves", "arrives"),
    [
        # The second 01:00 of the night (EST): the trip of 26:30:00 on Saturday's service.
        ("2026-11-01T01:00:00-05:00", "2026-11-01T01:30:00-05:00", "2026-11-01T02:00:00-05:00"),
        # The first 01:00 (EDT), an hour earlier: the same trip, still ahead.
        ("2026-11-01T01:00:00-04:00", "2026-11-01T01:30:00-05:00", "2026-11-01T02:00:00-05:00"),
    ],
)
def test_a_journey_on_the_fall_back_night_leaves_and_arrives_at_its_gtfs_times(
    client, new_york_fall_back, depart, leaves, arrives
):
    response = client.get(
        "/api/transit/plan", {"feed": "nyc-dst", "from": "KEN", "to": "AER", "depart": depart}
    )
    assert response.status_code == 200, response.content
    journey = response.json()["journeys"][0]
    assert (journey["departure"], journey["arrival"]) == (leaves, arrives)
