import datetime
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from google.transit import gtfs_realtime_pb2

from guichet.transit import planner, timetables
from guichet.transit.models import RealtimeDelay

from .spec_helpers import imported, plan, rides
from .test_spec_service_days import LATE_STOP_TIMES, LATE_TRIPS

pytestmark = pytest.mark.django_db
NIAMEY = zoneinfo.ZoneInfo("Africa/Niamey")
MONDAY_0750 = datetime.datetime(2026, 12, 7, 7, 50, tzinfo=NIAMEY)


def trip_update_message(tmp_path, *, delays=(), cancelled=(), start_date=""):
    """A FeedMessage file; `start_date` (YYYYMMDD) names the instance of every trip in it."""
    message = gtfs_realtime_pb2.FeedMessage()
    message.header.gtfs_realtime_version = "2.0"
    message.header.timestamp = int(MONDAY_0750.timestamp())
    for n, (trip_id, stop_sequence, stop_id, delay) in enumerate(delays):
        entity = message.entity.add(id=f"d{n}")
        entity.trip_update.trip.trip_id = trip_id
        if start_date:
            entity.trip_update.trip.start_date = start_date
        update = entity.trip_update.stop_time_update.add()
        if stop_sequence is not None:
            update.stop_sequence = stop_sequence
        if stop_id:
            update.stop_id = stop_id
        update.departure.delay = delay
    for trip_id in cancelled:
        entity = message.entity.add(id=f"c{trip_id}")
        entity.trip_update.trip.trip_id = trip_id
        if start_date:
            entity.trip_update.trip.start_date = start_date
        entity.trip_update.trip.schedule_relationship = gtfs_realtime_pb2.TripDescriptor.CANCELED
    path = tmp_path / "rt.pb"
    path.write_bytes(message.SerializeToString())
    return path


def test_poll_stores_delays_resolving_stop_ids(small, tmp_path):
    path = trip_update_message(tmp_path, delays=[("T1", None, "GM1", 300)], cancelled=["T2"])
    call_command("poll_gtfs_rt", "petit", str(path))
    delay = RealtimeDelay.objects.get(feed=small, trip_id="T1")
    assert (delay.stop_sequence, delay.delay) == (2, 300)
    assert RealtimeDelay.objects.get(feed=small, trip_id="T2").cancelled


@time_machine.travel(MONDAY_0750, tick=False)
def test_delay_appears_on_the_stop_board_and_in_plans(client, small, tmp_path):
    path = trip_update_message(tmp_path, delays=[("T1", 2, "", 300)])
    call_command("poll_gtfs_rt", "petit", str(path))
    board = client.get("/api/transit/stops/GM1/departures", {"feed": "petit"}).json()
    t1 = next(row for row in board["departures"] if row["trip_id"] == "T1")
    assert t1["departure"] == "2026-12-07T08:16:00+01:00"  # 08:11 + 5 min
    assert t1["delay_s"] == 300
    page = client.get("/transport/petit/arrets/GM1/").content.decode()
    assert "retard 5 min" in page
    plan = client.get("/api/transit/plan", {"feed": "petit", "from": "KEN", "to": "AER"}).json()
    assert plan["journeys"][0]["arrival"] == "2026-12-07T08:35:00+01:00"


@time_machine.travel(MONDAY_0750, tick=False)
def test_cancelled_trip_is_not_planned(client, small, tmp_path):
    call_command("poll_gtfs_rt", "petit", str(trip_update_message(tmp_path, cancelled=["T1"])))
    plan = client.get("/api/transit/plan", {"feed": "petit", "from": "KEN", "to": "AER"}).json()
    assert all(leg["trip_id"] != "T1" for j in plan["journeys"] for leg in j["legs"])


def test_celery_task_polls_like_the_command(small, tmp_path):
    from guichet.transit.tasks import poll_realtime

    path = trip_update_message(tmp_path, delays=[("T1", 1, "", 120)])
    assert poll_realtime.delay("petit", str(path)).get() == 1
    assert RealtimeDelay.objects.get(feed=small).delay == 120


# -- Trip instances (GTFS-RT TripDescriptor.start_date) -------------------------------------------
# In the "tard" feed T3 (service WK, Monday to Friday) leaves Kennedy at 23:30, Grand Marché at
# 24:25 and reaches the airport at 25:30. At 00:20 on Tuesday 8 December, Monday's T3 is on its
# way; Tuesday's leaves in the evening.
TUESDAY_0020 = datetime.datetime(2026, 12, 8, 0, 20, tzinfo=NIAMEY)
MONDAY, TUESDAY = datetime.date(2026, 12, 7), datetime.date(2026, 12, 8)


@pytest.fixture
def late(make_feed):
    return imported(make_feed, "tard", trips__txt=LATE_TRIPS, stop_times__txt=LATE_STOP_TIMES)


def poll(feed, tmp_path, **updates):
    call_command("poll_gtfs_rt", feed.name, str(trip_update_message(tmp_path, **updates)))


def t3_on_board(feed, stop_id, at):
    """(departure, delay_s, cancelled) of the T3 rows of the stop board at `at`."""
    from guichet.transit import selectors

    stop = selectors.stop_by_id(feed, stop_id)
    when = selectors.parse_when(feed, at, "at")
    return [
        (row.departure.isoformat(), row.delay_s, row.cancelled)
        for row in selectors.departures(feed, stop, when)
        if row.trip_id == "T3"
    ]


@time_machine.travel(TUESDAY_0020, tick=False)
@pytest.mark.parametrize("start_date", ["20261207", ""], ids=["start_date", "current instance"])
def test_a_delay_of_yesterdays_instance_past_midnight_leaves_todays_alone(
    late, tmp_path, start_date
):
    # Without start_date, the instance running when the update is received is Monday's.
    poll(late, tmp_path, delays=[("T3", 2, "", 600)], start_date=start_date)
    assert timetables.realtime_delays(late) == {("T3", MONDAY): {2: 600}}
    # planned at 00:20: Monday's T3, ten minutes late at Grand Marché
    journey = plan(late, "GM1", "AER", "2026-12-08T00:20")[0]
    assert rides(journey) == [
        ("T3", "GM1", "AER", "2026-12-08T00:35", "2026-12-08T01:40", "2026-12-07")
    ]
    assert t3_on_board(late, "GM1", "2026-12-08T00:20")[:1] == [
        ("2026-12-08T00:35:00+01:00", 600, False)
    ]
    # Tuesday's T3 keeps its schedule, on the live timetable as on the board
    assert t3_on_board(late, "KEN", "2026-12-08T23:00")[0] == (
        "2026-12-08T23:30:00+01:00",
        None,
        False,
    )
    live, applied = timetables.live_timetable(late)
    after_midnight = planner.departures(live, "GM1", datetime.datetime(2026, 12, 9, 0, 10), limit=1)
    assert applied and [(d.trip_id, d.departure, d.service_date) for d in after_midnight] == [
        ("T3", datetime.datetime(2026, 12, 9, 0, 25), TUESDAY)
    ]


@time_machine.travel(TUESDAY_0020, tick=False)
def test_cancelling_todays_instance_keeps_yesterdays_running_past_midnight(late, tmp_path):
    poll(late, tmp_path, cancelled=["T3"], start_date="20261208")
    assert timetables.realtime_delays(late) == {("T3", TUESDAY): None}
    journey = plan(late, "GM1", "AER", "2026-12-08T00:20")[0]
    assert rides(journey) == [
        ("T3", "GM1", "AER", "2026-12-08T00:25", "2026-12-08T01:30", "2026-12-07")
    ]
    assert t3_on_board(late, "GM1", "2026-12-08T00:20")[:1] == [
        ("2026-12-08T00:25:00+01:00", None, False)
    ]
    # Tuesday's T3 does not run: the next one is Wednesday's
    assert t3_on_board(late, "KEN", "2026-12-08T23:00")[0][0] == "2026-12-09T23:30:00+01:00"


@time_machine.travel(datetime.datetime(2026, 12, 8, 12, 0, tzinfo=NIAMEY), tick=False)
def test_an_update_without_start_date_between_instances_is_about_the_next_one(late, tmp_path):
    poll(late, tmp_path, delays=[("T3", 1, "", 300)])
    assert timetables.realtime_delays(late) == {("T3", TUESDAY): {1: 300}}
    # Tuesday's instance is late, Wednesday's is not
    assert t3_on_board(late, "KEN", "2026-12-08T12:00")[:2] == [
        ("2026-12-08T23:35:00+01:00", 300, False),
        ("2026-12-09T23:30:00+01:00", None, False),
    ]
