"""Helpers of the GTFS Schedule specification tests: import a hand-made feed, read its boards
and plan on it through the selectors, as pages, API and SMS do."""

from __future__ import annotations

from guichet.transit import selectors


def imported(make_feed, name: str = "spec", **files):
    """Import SMALL with `files` replaced (make_feed's keyword names) as feed `name`."""
    from guichet.transit.services import import_feed

    return import_feed(make_feed(name=f"{name}.zip", **files), name).feed


def board(feed, stop_id: str, at: str, limit: int = 10) -> list[tuple[str, str, str]]:
    """(trip_id, stop_id, departure ISO 8601 with offset) of the stop board at `at`."""
    stop = selectors.stop_by_id(feed, stop_id)
    when = selectors.parse_when(feed, at, "at")
    return [
        (row.trip_id, row.stop_id, row.departure.isoformat())
        for row in selectors.departures(feed, stop, when, limit=limit)
    ]


def plan(feed, origin: str, destination: str, depart: str = "", *, arrive: str = "", **params):
    """The journeys leaving at `depart`, or arriving by `arrive`."""
    when = {"arrive": arrive} if arrive else {"depart": depart}
    request = selectors.parse_plan_request(
        feed, {"from": origin, "to": destination, **when, **params}
    )
    return selectors.plan(feed, request)


def rides(journey) -> list[tuple]:
    """(trip_id, from, to, departure, arrival, service_date) of each ride, ISO strings."""
    from guichet.transit import planner

    return [
        (
            leg.trip_id,
            leg.from_stop_id,
            leg.to_stop_id,
            leg.departure.isoformat(timespec="minutes"),
            leg.arrival.isoformat(timespec="minutes"),
            leg.service_date.isoformat(),
        )
        for leg in journey.legs
        if isinstance(leg, planner.TransitLeg)
    ]
