"""One network from several feeds (e.g. subway + buses)."""

from __future__ import annotations

import numpy as np

from .tables import (
    Calendar,
    CalendarDates,
    Feed,
    Frequencies,
    Routes,
    Stops,
    StopTimes,
    Transfers,
    Trips,
    TripTransfers,
)


def merge_feeds(*feeds: Feed) -> Feed:
    """One network from several feeds; ids (stop, route, trip, service) must not clash."""
    if not feeds:
        raise ValueError("merge_feeds needs at least one feed")

    def ids_once(kind: str, lists: list[list[str]]) -> list[str]:
        merged: list[str] = []
        seen: set[str] = set()
        for ids in lists:
            for value in ids:
                if value in seen:
                    raise ValueError(f"merge_feeds: {kind} {value!r} appears in two feeds")
                seen.add(value)
            merged.extend(ids)
        return merged

    stop_offsets = np.cumsum([0] + [len(f.stops) for f in feeds])
    route_offsets = np.cumsum([0] + [len(f.routes) for f in feeds])
    trip_offsets = np.cumsum([0] + [len(f.trips) for f in feeds])
    service_offsets = np.cumsum([0] + [len(f.services) for f in feeds])

    def cat(getter, offsets=None):
        parts = []
        for i, f in enumerate(feeds):
            values = getter(f)
            parts.append(values + offsets[i] if offsets is not None else values)
        return np.concatenate(parts)

    def shifted_parent(i: int, f: Feed) -> np.ndarray:
        return np.where(f.stops.parent >= 0, f.stops.parent + stop_offsets[i], -1).astype(np.int32)

    stops = Stops(
        stop_id=ids_once("stop_id", [f.stops.stop_id for f in feeds]),
        stop_name=[name for f in feeds for name in f.stops.stop_name],
        lat=cat(lambda f: f.stops.lat),
        lon=cat(lambda f: f.stops.lon),
        location_type=cat(lambda f: f.stops.location_type),
        parent=np.concatenate([shifted_parent(i, f) for i, f in enumerate(feeds)]),
        wheelchair_boarding=cat(lambda f: f.stops.wheelchair_boarding),
    )
    routes = Routes(
        route_id=ids_once("route_id", [f.routes.route_id for f in feeds]),
        agency_id=[a for f in feeds for a in f.routes.agency_id],
        short_name=[a for f in feeds for a in f.routes.short_name],
        long_name=[a for f in feeds for a in f.routes.long_name],
        route_type=cat(lambda f: f.routes.route_type),
    )
    trips = Trips(
        trip_id=ids_once("trip_id", [f.trips.trip_id for f in feeds]),
        route=cat(lambda f: f.trips.route, route_offsets).astype(np.int32),
        service=cat(lambda f: f.trips.service, service_offsets).astype(np.int32),
        headsign=[h for f in feeds for h in f.trips.headsign],
        wheelchair_accessible=cat(lambda f: f.trips.wheelchair_accessible),
    )
    stop_times = StopTimes(
        trip=cat(lambda f: f.stop_times.trip, trip_offsets).astype(np.int32),
        stop=cat(lambda f: f.stop_times.stop, stop_offsets).astype(np.int32),
        sequence=cat(lambda f: f.stop_times.sequence),
        arrival=cat(lambda f: f.stop_times.arrival),
        departure=cat(lambda f: f.stop_times.departure),
        pickup_type=cat(lambda f: f.stop_times.pickup_type),
        drop_off_type=cat(lambda f: f.stop_times.drop_off_type),
    )
    return Feed(
        stops=stops,
        routes=routes,
        trips=trips,
        stop_times=stop_times,
        services=ids_once("service_id", [f.services for f in feeds]),
        calendar=Calendar(
            cat(lambda f: f.calendar.service, service_offsets).astype(np.int32),
            cat(lambda f: f.calendar.weekdays),
            cat(lambda f: f.calendar.start),
            cat(lambda f: f.calendar.end),
        ),
        calendar_dates=CalendarDates(
            cat(lambda f: f.calendar_dates.service, service_offsets).astype(np.int32),
            cat(lambda f: f.calendar_dates.date),
            cat(lambda f: f.calendar_dates.exception_type),
        ),
        frequencies=Frequencies(
            cat(lambda f: f.frequencies.trip, trip_offsets).astype(np.int32),
            cat(lambda f: f.frequencies.start),
            cat(lambda f: f.frequencies.end),
            cat(lambda f: f.frequencies.headway),
            cat(lambda f: f.frequencies.exact_times),
        ),
        transfers=Transfers(
            cat(lambda f: f.transfers.from_stop, stop_offsets).astype(np.int32),
            cat(lambda f: f.transfers.to_stop, stop_offsets).astype(np.int32),
            cat(lambda f: f.transfers.transfer_type),
            cat(lambda f: f.transfers.min_transfer_time),
        ),
        agency=[a for f in feeds for a in f.agency],
        feed_info=[a for f in feeds for a in f.feed_info],
        trip_transfers=_merged_trip_transfers(feeds, stop_offsets, trip_offsets, route_offsets),
        specific_transfers=[t for f in feeds for t in f.specific_transfers],
    )


def _merged_trip_transfers(feeds, stop_offsets, trip_offsets, route_offsets) -> TripTransfers:
    def cat(name: str, offsets) -> np.ndarray:
        parts = []
        for i, f in enumerate(feeds):
            values = getattr(f.trip_transfers, name)
            parts.append(
                np.where(values >= 0, values + offsets[i], -1) if offsets is not None else values
            )
        return np.concatenate(parts).astype(getattr(feeds[0].trip_transfers, name).dtype)

    return TripTransfers(
        cat("from_stop", stop_offsets),
        cat("to_stop", stop_offsets),
        cat("from_trip", trip_offsets),
        cat("to_trip", trip_offsets),
        cat("from_route", route_offsets),
        cat("to_route", route_offsets),
        cat("transfer_type", None),
        cat("min_transfer_time", None),
    )
