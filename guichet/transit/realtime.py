"""GTFS Realtime TripUpdates: read a FeedMessage (URL or file) into per-trip/stop delays."""

from __future__ import annotations

import datetime
import urllib.request
from pathlib import Path

from google.transit import gtfs_realtime_pb2

TIMEOUT_S = 20
SCHEDULED, CANCELED = (
    gtfs_realtime_pb2.TripDescriptor.SCHEDULED,
    gtfs_realtime_pb2.TripDescriptor.CANCELED,
)


def fetch(source: str) -> bytes:
    """The bytes of a GTFS-RT feed at an http(s) URL or a file path."""
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=TIMEOUT_S) as response:
            return response.read()
    return Path(source).read_bytes()


def trip_updates(payload: bytes) -> list[dict]:
    """Rows for RealtimeDelay from a serialized FeedMessage.

    GTFS-RT: a StopTimeUpdate's delay holds from its stop until the next update of the trip
    (propagation is the consumer's job, done by the planner); a CANCELED trip runs nowhere.
    Only departure delays are kept (arrival when no departure is given)."""
    message = gtfs_realtime_pb2.FeedMessage()
    message.ParseFromString(payload)
    rows: list[dict] = []
    for entity in message.entity:
        if not entity.HasField("trip_update"):
            continue
        update = entity.trip_update
        trip = update.trip
        if not trip.trip_id:
            continue
        start_date = (
            datetime.datetime.strptime(trip.start_date, "%Y%m%d").date()
            if trip.start_date
            else None
        )
        if trip.schedule_relationship == CANCELED:
            rows.append(
                {
                    "trip_id": trip.trip_id,
                    "stop_sequence": None,
                    "stop_id": "",
                    "delay": 0,
                    "cancelled": True,
                    "start_date": start_date,
                }
            )
            continue
        for stu in update.stop_time_update:
            if stu.HasField("departure") and stu.departure.HasField("delay"):
                delay = stu.departure.delay
            elif stu.HasField("arrival") and stu.arrival.HasField("delay"):
                delay = stu.arrival.delay
            elif update.HasField("delay"):
                delay = update.delay
            else:
                continue
            rows.append(
                {
                    "trip_id": trip.trip_id,
                    "stop_sequence": stu.stop_sequence if stu.HasField("stop_sequence") else None,
                    "stop_id": stu.stop_id,
                    "delay": delay,
                    "cancelled": False,
                    "start_date": start_date,
                }
            )
        if not update.stop_time_update and update.HasField("delay"):
            rows.append(
                {
                    "trip_id": trip.trip_id,
                    "stop_sequence": None,
                    "stop_id": "",
                    "delay": update.delay,
                    "cancelled": False,
                    "start_date": start_date,
                }
            )
    return rows
