"""Periodic GTFS Realtime polling (Celery beat), the same work as `manage.py poll_gtfs_rt`.

Configure, e.g. in CELERY_BEAT_SCHEDULE: {"transit-rt-niamey": {"task":
"guichet.transit.tasks.poll_realtime", "schedule": 30, "args": ("niamey", "https://…/trips.pb")}}.
"""

from celery import shared_task

from guichet.transit import realtime
from guichet.transit.models import Feed
from guichet.transit.services import store_trip_updates


@shared_task(autoretry_for=(OSError,), retry_backoff=5, max_retries=3, ignore_result=True)
def poll_realtime(name: str, source: str) -> int:
    """Fetch the TripUpdates at `source` and replace feed `name`'s delays; returns the count."""
    feed = Feed.objects.get(name=name)
    return store_trip_updates(feed=feed, updates=realtime.trip_updates(realtime.fetch(source)))
