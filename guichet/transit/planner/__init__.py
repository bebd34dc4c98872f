"""Journey planning for Guichet's transit service: plain Python, numpy and numba, no Django.

Build a `Timetable` once from a `Feed`, then answer queries; see README.md for the contract.
"""

from importlib import import_module

from . import store
from .feed import Feed, feed_from_rows, read_feed
from .merge import merge_feeds
from .realtime import apply_delays, current_service_date
from .timetable import Timetable, build_timetable

# The query functions load numba (≈ 2 s of CPU at import): they are imported on first use, so
# processes that only read or import feeds (manage.py import_gtfs, validation) never pay it.
_QUERIES = {
    "Departure": ".journeys",
    "Journey": ".journeys",
    "TransitLeg": ".journeys",
    "WalkLeg": ".journeys",
    "departures": ".queries",
    "earliest_arrival": ".queries",
    "latest_departure": ".queries",
    "range_journeys": ".queries",
    "stop_endpoints": ".queries",
    "stops_near": ".queries",
    "warm_up": ".queries",
}


def __getattr__(name: str):
    if name in _QUERIES:
        return getattr(import_module(_QUERIES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Departure",
    "Feed",
    "Journey",
    "Timetable",
    "TransitLeg",
    "WalkLeg",
    "apply_delays",
    "build_timetable",
    "current_service_date",
    "departures",
    "earliest_arrival",
    "feed_from_rows",
    "latest_departure",
    "merge_feeds",
    "range_journeys",
    "read_feed",
    "stop_endpoints",
    "stops_near",
    "store",
    "warm_up",
]
