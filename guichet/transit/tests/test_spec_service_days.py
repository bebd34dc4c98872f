"""GTFS Schedule: service days, times past midnight, calendars and frequencies, as the
specification defines them, through the import, the stop boards and the planner.

SMALL runs WK Monday to Friday, without Friday 25 December 2026 (calendar_dates exception 2)
and with Saturday 26 December (exception 1); T2 leaves Kennedy at 23:50 and reaches the
airport at 24:25:00 of its service day."""

import re

import pytest

from guichet.transit.tests.conftest import SMALL

from .spec_helpers import board, imported, plan, rides

pytestmark = pytest.mark.django_db

# T3 is still running 20 minutes after midnight: it leaves Grand Marché at 24:25:00 and
# reaches the airport at 25:30:00 of the day before.
LATE_TRIPS = SMALL["trips.txt"] + "R1,WK,T3,Aéroport\n"
LATE_STOP_TIMES = (
    SMALL["stop_times.txt"]
    + "T3,23:30:00,23:30:00,KEN,1\nT3,24:25:00,24:25:00,GM1,2\nT3,25:30:00,25:30:00,AER,3\n"
)


@pytest.fixture
def late(make_feed):
    return imported(make_feed, "tard", trips__txt=LATE_TRIPS, stop_times__txt=LATE_STOP_TIMES)


def test_after_midnight_the_board_shows_the_previous_service_days_trip_on_the_next_date(late):
    # Tuesday 00:00: Monday's T2 (24:06:00) and T3 (24:25:00) leave Grand Marché at 00:06, 00:25.
    assert board(late, "GM1", "2026-12-08T00:00", limit=2) == [
        ("T2", "GM1", "2026-12-08T00:06:00+01:00"),
        ("T3", "GM1", "2026-12-08T00:25:00+01:00"),
    ]


def test_saturday_after_midnight_has_fridays_trips_and_monday_has_none_of_sundays(late):
    assert board(late, "GM1", "2026-12-12T00:00", limit=1) == [
        ("T2", "GM1", "2026-12-12T00:06:00+01:00")
    ]
    # No service on Sunday: on Monday the first departure is T1 at 08:11.
    assert board(late, "GM1", "2026-12-07T00:00", limit=1) == [
        ("T1", "GM1", "2026-12-07T08:11:00+01:00")
    ]


def test_a_removed_friday_has_no_trip_after_midnight_and_an_added_saturday_has_them(late):
    # Friday 25 December is removed (exception 2): nothing after midnight on Saturday 26;
    # Saturday 26 is added (exception 1): its T2 leaves at 00:06 on Sunday 27.
    assert board(late, "GM1", "2026-12-26T00:00", limit=1) == [
        ("T1", "GM1", "2026-12-26T08:11:00+01:00")
    ]
    assert board(late, "GM1", "2026-12-27T00:00", limit=1) == [
        ("T2", "GM1", "2026-12-27T00:06:00+01:00")
    ]


def test_a_query_at_0020_finds_the_previous_days_trip_still_running(late):
    journeys = plan(late, "GM1", "AER", "2026-12-08T00:20")
    assert rides(journeys[-1]) == [
        ("T3", "GM1", "AER", "2026-12-08T00:25", "2026-12-08T01:30", "2026-12-07")
    ]


def test_a_journey_planned_before_midnight_arrives_after_it(late):
    (journey,) = plan(late, "KEN", "AER", "2026-12-11T23:45")
    assert rides(journey) == [
        ("T2", "KEN", "AER", "2026-12-11T23:50", "2026-12-12T00:25", "2026-12-11")
    ]


def test_arrive_by_after_midnight_takes_the_previous_days_trip(late):
    # The latest departure from Grand Marché arriving by 01:40 is Monday's T3 (24:25:00).
    journeys = plan(late, "GM1", "AER", arrive="2026-12-08T01:40")
    assert rides(journeys[0]) == [
        ("T3", "GM1", "AER", "2026-12-08T00:25", "2026-12-08T01:30", "2026-12-07")
    ]


# -- calendar_dates.txt alone ----------------------------------------------------------------


@pytest.fixture
def dates_only(make_feed):
    # GTFS: calendar.txt is conditionally required; a feed may define every service day in
    # calendar_dates.txt alone (exception_type 1).
    return imported(
        make_feed,
        "dates",
        calendar__txt=None,
        calendar_dates__txt="service_id,date,exception_type\nWK,20261207,1\nWK,20261209,1\n",
    )


def test_a_feed_with_calendar_dates_only_runs_on_its_dates(dates_only):
    (journey,) = plan(dates_only, "KEN", "AER", "2026-12-07T07:55")
    assert rides(journey)[0][3:] == ("2026-12-07T08:00", "2026-12-07T08:30", "2026-12-07")
    # Tuesday 8 is not listed: the next trip is Wednesday's.
    journeys = plan(dates_only, "KEN", "AER", "2026-12-08T07:55")
    assert [rides(j)[0][5] for j in journeys] == ["2026-12-09"]
    assert board(dates_only, "KEN", "2026-12-08T06:00", limit=1) == [
        ("T1", "KEN", "2026-12-09T08:00:00+01:00")
    ]


def test_calendar_exceptions_remove_and_add_days(make_feed):
    feed = imported(make_feed)
    # Friday 25 December removed: the next trip is Saturday 26's, which is added.
    assert [rides(j)[0][5] for j in plan(feed, "KEN", "AER", "2026-12-25T07:55")] == ["2026-12-26"]
    assert rides(plan(feed, "KEN", "AER", "2026-12-26T07:55")[0])[0][3] == "2026-12-26T08:00"


# -- frequencies.txt ---------------------------------------------------------------------------

# F1's own times (10:07) only give its running times (12 min to GM2, 20 min to HAR).
FREQ_STOP_TIMES = SMALL["stop_times.txt"].replace("06:00:00,06:00:00,UAM", "10:07:00,10:07:00,UAM")
FREQ_STOP_TIMES = FREQ_STOP_TIMES.replace("06:12:00,06:12:00,GM2", "10:19:00,10:19:00,GM2")
FREQ_STOP_TIMES = FREQ_STOP_TIMES.replace("06:20:00,06:20:00,HAR", "10:27:00,10:27:00,HAR")


@pytest.mark.parametrize("exact_times", ["0", "1", ""])
def test_frequencies_start_at_start_time_every_headway_and_end_time_is_excluded(
    make_feed, exact_times
):
    # Peak every 10 min until 09:00, then every 30 min until 21:00: the vehicle of 09:00 is the
    # second row's (end_time is excluded, so it is not there twice), the last leaves at 20:30.
    feed = imported(
        make_feed,
        f"freq{exact_times or 'x'}",
        stop_times__txt=FREQ_STOP_TIMES,
        frequencies__txt="trip_id,start_time,end_time,headway_secs,exact_times\n"
        f"F1,06:00:00,09:00:00,600,{exact_times}\n"
        f"F1,09:00:00,21:00:00,1800,{exact_times}\n",
    )
    times = [row[2][11:16] for row in board(feed, "UAM", "2026-12-07T08:45", limit=4)]
    assert times == ["08:50", "09:00", "09:30", "10:00"]
    # No vehicle at the template's own 10:07, none at 21:00: after 20:30, Tuesday's 06:00.
    assert [row[2][11:16] for row in board(feed, "UAM", "2026-12-07T10:01", limit=1)] == ["10:30"]
    assert [row[2] for row in board(feed, "UAM", "2026-12-07T20:31", limit=1)] == [
        "2026-12-08T06:00:00+01:00"
    ]
    # Running times are the template's: the 20:30 vehicle is at Harobanda at 20:50.
    (journey,) = plan(feed, "UAM", "HAR", "2026-12-07T20:25")
    assert rides(journey)[0][3:5] == ("2026-12-07T20:30", "2026-12-07T20:50")


def test_the_stop_page_dates_a_trip_past_midnight_by_its_clock_day(client, late):
    import datetime
    import zoneinfo

    import time_machine

    niamey = zoneinfo.ZoneInfo("Africa/Niamey")
    with time_machine.travel(datetime.datetime(2026, 12, 7, 23, 58, tzinfo=niamey), tick=False):
        html = client.get("/transport/tard/arrets/GM1/").content.decode()
    assert "demain 00:06" in html  # Monday's 24:06:00, on Tuesday's clock
    with time_machine.travel(datetime.datetime(2026, 12, 8, 0, 2, tzinfo=niamey), tick=False):
        html = client.get("/transport/tard/arrets/GM1/").content.decode()
    # Monday's T2 and T3 are today's 00:06 and 00:25; Tuesday's tomorrow's; Wednesday's
    # on Thursday 10.
    assert re.findall(r'data-label="Heure">([^<]*)<', html) == [
        "00:06",
        "00:25",
        "08:11",
        "demain 00:06",
        "demain 00:25",
        "demain 08:11",
        "10/12 00:06",
        "10/12 00:25",
    ]
