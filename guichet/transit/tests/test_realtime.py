import datetime
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from google.transit import gtfs_realtime_pb2

from guichet.transit.models import RealtimeDelay

pytestmark = pytest.mark.django_db
NIAMEY = zoneinfo.ZoneInfo("Africa/Niamey")
MONDAY_0750 = datetime.datetime(2026, 12, 7, 7, 50, tzinfo=NIAMEY)


def trip_update_message(tmp_path, *, delays=(), cancelled=()):
    message = gtfs_realtime_pb2.FeedMessage()
    message.header.gtfs_realtime_version = "2.0"
    message.header.timestamp = int(MONDAY_0750.timestamp())
    for n, (trip_id, stop_sequence, stop_id, delay) in enumerate(delays):
        entity = message.entity.add(id=f"d{n}")
        entity.trip_update.trip.trip_id = trip_id
        update = entity.trip_update.stop_time_update.add()
        if stop_sequence is not None:
            update.stop_sequence = stop_sequence
        if stop_id:
            update.stop_id = stop_id
        update.departure.delay = delay
    for trip_id in cancelled:
        entity = message.entity.add(id=f"c{trip_id}")
        entity.trip_update.trip.trip_id = trip_id
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
