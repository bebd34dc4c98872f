"""Small hand-made networks for unit tests, built through the in-memory constructor."""

from datetime import date

from guichet.transit.planner import build_timetable, feed_from_rows

DAY = date(2026, 9, 14)  # a Monday

# 0.001° of latitude ≈ 111.2 m: stops 0.001° apart are within a 400 m walk, 0.1° apart are not.


def stop(stop_id, lat, lon=2.1, **extra):
    return {"stop_id": stop_id, "stop_name": stop_id, "stop_lat": lat, "stop_lon": lon, **extra}


def trip_rows(trip_id, route_id, calls, service_id="ALL", **extra):
    """(trip row, stop_time rows) from calls [(stop_id, "HH:MM:SS"[, extra dict]), …]."""
    trip = {"trip_id": trip_id, "route_id": route_id, "service_id": service_id, **extra}
    times = []
    for sequence, call in enumerate(calls, start=1):
        stop_id, at = call[0], call[1]
        row = {
            "trip_id": trip_id,
            "stop_id": stop_id,
            "stop_sequence": sequence,
            "arrival_time": at,
            "departure_time": at,
        }
        if len(call) > 2:
            row.update(call[2])
        times.append(row)
    return trip, times


def network(
    stops, trips, *, transfers=(), frequencies=(), calendar=None, calendar_dates=(), max_walk_m=400
):
    """A timetable from stops and [(trip_id, route_id, calls, extra…)] with one service, ALL."""
    trip_table, stop_times = [], []
    routes = {}
    for spec in trips:
        trip_id, route_id, calls, *rest = spec
        extra = rest[0] if rest else {}
        trip, times = trip_rows(trip_id, route_id, calls, **extra)
        trip_table.append(trip)
        stop_times.extend(times)
        routes[route_id] = {"route_id": route_id, "route_short_name": route_id, "route_type": 3}
    if calendar is None:
        calendar = [
            {
                "service_id": "ALL",
                **dict.fromkeys(
                    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
                    1,
                ),
                "start_date": date(2026, 1, 1),
                "end_date": date(2026, 12, 31),
            }
        ]
    feed = feed_from_rows(
        stops=stops,
        routes=routes.values(),
        trips=trip_table,
        stop_times=stop_times,
        calendar=calendar,
        calendar_dates=calendar_dates,
        frequencies=frequencies,
        transfers=transfers,
    )
    return build_timetable(feed, max_walk_m=max_walk_m)


def seconds(value: str) -> int:
    h, m, s = value.split(":")
    return int(h) * 3600 + int(m) * 60 + int(s)
