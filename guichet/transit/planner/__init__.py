"""Journey planning for Guichet's transit service: plain Python, numpy and numba, no Django.

Build a `Timetable` once from a `Feed`, then answer queries; see README.md for the contract.
"""

from . import store
from .feed import Feed, feed_from_rows, read_feed
from .merge import merge_feeds
from .queries import (
    Departure,
    Journey,
    TransitLeg,
    WalkLeg,
    departures,
    earliest_arrival,
    latest_departure,
    range_journeys,
    stop_endpoints,
    stops_near,
    warm_up,
)
from .realtime import apply_delays
from .timetable import Timetable, build_timetable

__all__ = [
    "Departure",
    "Feed",
    "Journey",
    "Timetable",
    "TransitLeg",
    "WalkLeg",
    "apply_delays",
    "build_timetable",
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
