"""GTFS Schedule: stop hierarchy (location_type 0–4), pickup/drop-off types, times left blank
between timepoints, and agency time zones, as the specification defines them."""

import pytest

from guichet.transit.models import StopTime
from guichet.transit.services import FeedRefused
from guichet.transit.tests.conftest import SMALL

from .spec_helpers import board, imported, plan, rides

pytestmark = pytest.mark.django_db

HEADER = "trip_id,arrival_time,departure_time,stop_id,stop_sequence"

# -- location_type ------------------------------------------------------------------------------

# Grand Marché station with its two platforms, an entrance, a generic node and a boarding area
# on platform 1 (GTFS: a boarding area's parent is a platform, the others' a station).
STATION_STOPS = SMALL["stops.txt"] + (
    "GM-E,Grand Marché entrée nord,13.5140,2.1097,2,GM\n"
    "GM-N,Grand Marché palier,,,3,GM\n"
    "GM1-B,Grand Marché quai 1 zone B,,,4,GM1\n"
)


@pytest.mark.parametrize("stop_id", ["GM", "GM-E", "GM-N", "GM1-B"])
def test_stop_times_at_a_station_entrance_node_or_boarding_area_are_refused(make_feed, stop_id):
    # GTFS: stop_times.stop_id references stops of location_type 0 (or empty) only.
    stop_times = SMALL["stop_times.txt"].replace("T1,08:10:00,08:11:00,GM1,2", "")
    stop_times += f"T1,08:10:00,08:11:00,{stop_id},2\n"
    with pytest.raises(FeedRefused) as refused:
        imported(make_feed, stops__txt=STATION_STOPS, stop_times__txt=stop_times)
    assert "location_with_unexpected_stop_time" in refused.value.report.codes()


def test_a_station_board_and_journeys_group_its_platforms_only(make_feed):
    feed = imported(make_feed, stops__txt=STATION_STOPS)
    # The station's board lists its two platforms' departures (T1 at GM1, F1 at GM2).
    rows = board(feed, "GM", "2026-12-07T08:00", limit=2)
    assert rows == [
        ("T1", "GM1", "2026-12-07T08:11:00+01:00"),
        ("F1", "GM2", "2026-12-07T08:12:00+01:00"),
    ]
    # From the station: either platform; to the station: either platform.
    (journey,) = plan(feed, "GM", "HAR", "2026-12-07T08:05", max_walk_m="0")
    assert rides(journey)[0][:2] == ("F1", "GM2")
    (journey,) = plan(feed, "KEN", "GM", "2026-12-07T07:55", max_walk_m="0")
    assert rides(journey)[0][:3] == ("T1", "KEN", "GM1")
    from guichet.transit import selectors

    # Name search offers the station, not its platforms, entrance, node or boarding area.
    assert [m.stop_id for m in selectors.search_stops(feed, "grand marche")] == ["GM"]


# -- pickup_type / drop_off_type ----------------------------------------------------------------


def test_no_boarding_where_pickup_type_is_1_and_no_alighting_where_drop_off_type_is_1(make_feed):
    # At GM1 nobody boards T1 (pickup_type 1) and nobody leaves T2 (drop_off_type 1).
    stop_times = (
        f"{HEADER},pickup_type,drop_off_type\n"
        "T1,08:00:00,08:00:00,KEN,1,0,1\n"
        "T1,08:10:00,08:11:00,GM1,2,1,0\n"
        "T1,08:30:00,08:30:00,AER,3,1,0\n"
        "T2,23:50:00,23:50:00,KEN,1,,\n"
        "T2,24:05:00,24:06:00,GM1,2,0,1\n"
        "T2,24:25:00,24:25:00,AER,3,1,\n"
        "F1,06:00:00,06:00:00,UAM,1,,\n"
        "F1,06:12:00,06:12:00,GM2,2,,\n"
        "F1,06:20:00,06:20:00,HAR,3,,\n"
    )
    feed = imported(make_feed, stop_times__txt=stop_times)
    # GM1's board at 08:00 skips T1 and shows T2, which takes people up there.
    assert board(feed, "GM1", "2026-12-07T08:00", limit=1) == [
        ("T2", "GM1", "2026-12-08T00:06:00+01:00")
    ]
    assert plan(feed, "GM1", "AER", "2026-12-07T08:00", max_walk_m="0")[0].legs[0].trip_id == "T2"
    # From Kennedy at 23:00 T2 cannot set one down at GM1: Tuesday's T1 at 08:10 does.
    journeys = plan(feed, "KEN", "GM1", "2026-12-07T23:00", max_walk_m="0")
    assert rides(journeys[-1])[0][:5] == (
        "T1",
        "KEN",
        "GM1",
        "2026-12-08T08:00",
        "2026-12-08T08:10",
    )


# -- blank times between timepoints ---------------------------------------------------------------


def test_blank_times_of_a_non_timepoint_stop_are_interpolated(make_feed):
    stop_times = SMALL["stop_times.txt"].replace("T1,08:10:00,08:11:00,GM1,2", "T1,,,GM1,2")
    feed = imported(make_feed, stop_times__txt=stop_times)
    stored = StopTime.objects.get(feed=feed, trip__trip_id="T1", stop_sequence=2)
    assert (stored.arrival_time, stored.departure_time) == (None, None)
    # Halfway between 08:00 (KEN) and 08:30 (AER) by position: 08:15.
    assert board(feed, "GM1", "2026-12-07T08:00", limit=1) == [
        ("T1", "GM1", "2026-12-07T08:15:00+01:00")
    ]
    (journey,) = plan(feed, "KEN", "GM1", "2026-12-07T07:55", max_walk_m="0")
    assert rides(journey)[0][4] == "2026-12-07T08:15"


@pytest.mark.parametrize("row", ["T1,,,KEN,1", "T1,,,AER,3"])
def test_the_first_and_last_stop_times_of_a_trip_are_required(make_feed, row):
    stop_id = row.split(",")[3]
    original = next(
        line
        for line in SMALL["stop_times.txt"].splitlines()
        if line.startswith("T1,") and f",{stop_id}," in line
    )
    with pytest.raises(FeedRefused) as refused:
        imported(make_feed, stop_times__txt=SMALL["stop_times.txt"].replace(original, row))
    assert "missing_trip_edge" in refused.value.report.codes()


def test_a_timepoint_without_times_is_refused(make_feed):
    # GTFS: arrival_time and departure_time are required where timepoint is 1 (exact times).
    stop_times = (
        f"{HEADER},timepoint\n" + SMALL["stop_times.txt"].split("\n", 1)[1].replace("\n", ",1\n")
    ).replace("T1,08:10:00,08:11:00,GM1,2,1", "T1,,,GM1,2,1")
    with pytest.raises(FeedRefused) as refused:
        imported(make_feed, stop_times__txt=stop_times)
    assert "stop_time_timepoint_without_times" in refused.value.report.codes()


# -- agency time zones -----------------------------------------------------------------------------


def _zoned(make_feed, zone: str, name: str, **files):
    agency = SMALL["agency.txt"].replace("Africa/Niamey", zone)
    return imported(make_feed, name, agency__txt=agency, **files)


def test_times_are_read_on_the_agencys_clock_without_daylight_saving(make_feed):
    feed = _zoned(make_feed, "Asia/Kolkata", "kolkata")
    assert feed.timezone == "Asia/Kolkata"
    assert board(feed, "KEN", "2026-12-07T07:00", limit=1) == [
        ("T1", "KEN", "2026-12-07T08:00:00+05:30")
    ]
    # 02:00 UTC is 07:30 in Kolkata: T1 at 08:00 local.
    (journey,) = plan(feed, "KEN", "AER", "2026-12-07T02:00:00+00:00")
    assert rides(journey)[0][3:5] == ("2026-12-07T08:00", "2026-12-07T08:30")


# New York springs forward on Sunday 8 March 2026 at 02:00 EST (07:00 UTC). The service day's
# times count from noon minus 12 h = 23:00 EST on Saturday 7: 08:00:00 is 08:00 EDT, 01:30:00
# is 00:30 EST. Saturday 7's 25:30:00 counts from its own midnight: 01:30 EST on Sunday 8.
SPRING_TRIPS = "route_id,service_id,trip_id,trip_headsign\nR1,SUN,S1,A\nR1,SUN,S2,A\nR1,SAT,S3,A\n"
SPRING_STOP_TIMES = (
    f"{HEADER}\n"
    "S1,08:00:00,08:00:00,KEN,1\nS1,08:30:00,08:30:00,AER,2\n"
    "S2,01:30:00,01:30:00,KEN,1\nS2,01:50:00,01:50:00,AER,2\n"
    "S3,25:30:00,25:30:00,KEN,1\nS3,26:30:00,26:30:00,AER,2\n"
)


def test_on_the_spring_forward_day_times_count_from_noon_minus_12_hours(make_feed):
    feed = _zoned(
        make_feed,
        "America/New_York",
        "nyc-spring",
        trips__txt=SPRING_TRIPS,
        stop_times__txt=SPRING_STOP_TIMES,
        calendar__txt=None,
        calendar_dates__txt="service_id,date,exception_type\nSUN,20260308,1\nSAT,20260307,1\n",
        frequencies__txt=None,
        transfers__txt=None,
    )
    assert board(feed, "KEN", "2026-03-08T00:00", limit=3) == [
        ("S2", "KEN", "2026-03-08T00:30:00-05:00"),
        ("S3", "KEN", "2026-03-08T01:30:00-05:00"),
        ("S1", "KEN", "2026-03-08T08:00:00-04:00"),
    ]
    # S3 runs an hour of wall clock (25:30 → 26:30) across the change: 01:30 EST → 03:30 EDT.
    journeys = plan(feed, "KEN", "AER", "2026-03-08T01:00:00-05:00")
    assert rides(journeys[-1]) == [
        ("S3", "KEN", "AER", "2026-03-08T01:30", "2026-03-08T03:30", "2026-03-07")
    ]


def test_on_the_eve_of_spring_forward_the_next_service_day_starts_at_2300(make_feed):
    # Sunday 8's times count from 23:00 EST on Saturday 7: its 00:40:00 is 23:40 on Saturday.
    stop_times = SPRING_STOP_TIMES.replace("01:30:00,01:30:00,KEN", "00:40:00,00:40:00,KEN")
    feed = _zoned(
        make_feed,
        "America/New_York",
        "nyc-eve",
        trips__txt=SPRING_TRIPS,
        stop_times__txt=stop_times,
        calendar__txt=None,
        calendar_dates__txt="service_id,date,exception_type\nSUN,20260308,1\nSAT,20260307,1\n",
        frequencies__txt=None,
        transfers__txt=None,
    )
    assert board(feed, "KEN", "2026-03-07T23:30", limit=1) == [
        ("S2", "KEN", "2026-03-07T23:40:00-05:00")
    ]
    journeys = plan(feed, "KEN", "AER", "2026-03-07T23:30")
    assert rides(journeys[-1])[0][3:] == ("2026-03-07T23:40", "2026-03-08T00:50", "2026-03-08")


def test_before_the_origin_of_the_fall_back_day_the_previous_days_trips_are_found(make_feed):
    # Sunday 1 November 2026 counts from 01:00 EDT (noon EST minus 12 h): at 00:20 EDT, before
    # that origin, Saturday's 24:30:00 (00:30 EDT) and Sunday's 00:10:00 (01:10 EDT) are ahead.
    trips = "route_id,service_id,trip_id,trip_headsign\nR1,SAT,L1,A\nR1,SUN,L2,A\n"
    stop_times = (
        f"{HEADER}\n"
        "L1,24:30:00,24:30:00,KEN,1\nL1,24:50:00,24:50:00,AER,2\n"
        "L2,00:10:00,00:10:00,KEN,1\nL2,00:30:00,00:30:00,AER,2\n"
    )
    feed = _zoned(
        make_feed,
        "America/New_York",
        "nyc-fall",
        trips__txt=trips,
        stop_times__txt=stop_times,
        calendar__txt=None,
        calendar_dates__txt="service_id,date,exception_type\nSAT,20261031,1\nSUN,20261101,1\n",
        frequencies__txt=None,
        transfers__txt=None,
    )
    assert board(feed, "KEN", "2026-11-01T00:20:00-04:00", limit=2) == [
        ("L1", "KEN", "2026-11-01T00:30:00-04:00"),
        ("L2", "KEN", "2026-11-01T01:10:00-04:00"),
    ]
    journeys = plan(feed, "KEN", "AER", "2026-11-01T00:20:00-04:00")
    assert rides(journeys[-1])[0][0] == "L1"
    journeys = plan(feed, "KEN", "AER", "2026-11-01T00:35:00-04:00")
    assert rides(journeys[-1])[0][::5] == ("L2", "2026-11-01")


@pytest.mark.parametrize("stop_id", ["GM-E", "GM-N", "GM1-B"])
def test_a_transfer_at_an_entrance_node_or_boarding_area_is_refused(make_feed, stop_id):
    # GTFS: transfers.txt from_stop_id / to_stop_id are stops (0) or stations (1).
    transfers = f"from_stop_id,to_stop_id,transfer_type,min_transfer_time\n{stop_id},GM2,2,60\n"
    with pytest.raises(FeedRefused) as refused:
        imported(make_feed, stops__txt=STATION_STOPS, transfers__txt=transfers)
    (notice,) = [
        n
        for n in refused.value.report.samples
        if n.code == "transfer_with_invalid_stop_location_type"
    ]
    assert (notice.field, notice.detail["stopId"]) == ("from_stop_id", stop_id)


def test_a_transfer_between_a_station_and_a_platform_is_valid(make_feed):
    transfers = "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nGM,GM2,2,60\n"
    imported(make_feed, stops__txt=STATION_STOPS, transfers__txt=transfers)
