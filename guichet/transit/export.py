"""Writing a feed back out as a GTFS zip, streaming every table (stop_times included)."""

from __future__ import annotations

import csv
import io
import itertools
import tempfile
import zipfile

from guichet.transit.gtfs import format_date, format_time
from guichet.transit.models import (
    Agency,
    Calendar,
    CalendarDate,
    Feed,
    FeedInfo,
    Frequency,
    Route,
    ShapePoint,
    Stop,
    StopTime,
    Transfer,
    Trip,
)
from guichet.transit.validation_schema import SCHEMA

DB = "readonly"


def _num(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).removesuffix(".0") if value == int(value) else repr(value)
    return str(value)


def _tables(feed: Feed):
    qs = lambda model: model.objects.using(DB).filter(feed=feed)  # noqa: E731
    yield (
        "agency.txt",
        [
            "agency_id",
            "agency_name",
            "agency_url",
            "agency_timezone",
            "agency_lang",
            "agency_phone",
            "agency_fare_url",
            "agency_email",
        ],
        (
            [a.agency_id, a.name, a.url, a.timezone, a.lang, a.phone, a.fare_url, a.email]
            for a in qs(Agency).order_by("pk")
        ),
    )
    yield (
        "stops.txt",
        [
            "stop_id",
            "stop_code",
            "stop_name",
            "stop_desc",
            "stop_lat",
            "stop_lon",
            "zone_id",
            "stop_url",
            "location_type",
            "parent_station",
            "stop_timezone",
            "wheelchair_boarding",
            "platform_code",
        ],
        (
            [
                s.stop_id,
                s.code,
                s.name,
                s.desc,
                _num(s.lat),
                _num(s.lon),
                s.zone_id,
                s.url,
                s.location_type,
                s.parent_station,
                s.timezone,
                s.wheelchair_boarding,
                s.platform_code,
            ]
            for s in qs(Stop).order_by("pk").iterator(chunk_size=5000)
        ),
    )
    yield (
        "routes.txt",
        [
            "route_id",
            "agency_id",
            "route_short_name",
            "route_long_name",
            "route_desc",
            "route_type",
            "route_url",
            "route_color",
            "route_text_color",
            "route_sort_order",
        ],
        (
            [
                r.route_id,
                r.agency_id,
                r.short_name,
                r.long_name,
                r.desc,
                r.route_type,
                r.url,
                r.color,
                r.text_color,
                _num(r.sort_order),
            ]
            for r in qs(Route).order_by("pk")
        ),
    )
    yield (
        "trips.txt",
        [
            "route_id",
            "service_id",
            "trip_id",
            "trip_headsign",
            "trip_short_name",
            "direction_id",
            "block_id",
            "shape_id",
            "wheelchair_accessible",
            "bikes_allowed",
        ],
        (
            [*list(row[:5]), _num(row[5]), *list(row[6:])]
            for row in qs(Trip)
            .order_by("pk")
            .values_list(
                "route__route_id",
                "service_id",
                "trip_id",
                "headsign",
                "short_name",
                "direction_id",
                "block_id",
                "shape_id",
                "wheelchair_accessible",
                "bikes_allowed",
            )
            .iterator(chunk_size=5000)
        ),
    )
    trips = dict(qs(Trip).values_list("pk", "trip_id"))
    stops = dict(qs(Stop).values_list("pk", "stop_id"))
    yield (
        "stop_times.txt",
        [
            "trip_id",
            "arrival_time",
            "departure_time",
            "stop_id",
            "stop_sequence",
            "stop_headsign",
            "pickup_type",
            "drop_off_type",
            "shape_dist_traveled",
            "timepoint",
        ],
        (
            [trips[t], format_time(a), format_time(d), stops[s], seq, h, p, o, _num(dist), _num(tp)]
            for t, a, d, s, seq, h, p, o, dist, tp in qs(StopTime)
            .order_by("trip_id", "stop_sequence")
            .values_list(
                "trip_id",
                "arrival_time",
                "departure_time",
                "stop_id",
                "stop_sequence",
                "stop_headsign",
                "pickup_type",
                "drop_off_type",
                "shape_dist_traveled",
                "timepoint",
            )
            .iterator(chunk_size=20000)
        ),
    )
    days = list(Calendar.DAYS)
    yield (
        "calendar.txt",
        ["service_id", *days, "start_date", "end_date"],
        (
            [
                c.service_id,
                *(int(getattr(c, d)) for d in days),
                format_date(c.start_date),
                format_date(c.end_date),
            ]
            for c in qs(Calendar).order_by("pk")
        ),
    )
    yield (
        "calendar_dates.txt",
        ["service_id", "date", "exception_type"],
        (
            [c.service_id, format_date(c.date), c.exception_type]
            for c in qs(CalendarDate).order_by("pk")
        ),
    )
    yield (
        "frequencies.txt",
        ["trip_id", "start_time", "end_time", "headway_secs", "exact_times"],
        (
            [t, format_time(s), format_time(e), h, x]
            for t, s, e, h, x in qs(Frequency)
            .order_by("pk")
            .values_list("trip__trip_id", "start_time", "end_time", "headway_secs", "exact_times")
        ),
    )
    yield (
        "transfers.txt",
        [
            "from_stop_id",
            "to_stop_id",
            "from_route_id",
            "to_route_id",
            "from_trip_id",
            "to_trip_id",
            "transfer_type",
            "min_transfer_time",
        ],
        (
            [
                t.from_stop_id,
                t.to_stop_id,
                t.from_route_id,
                t.to_route_id,
                t.from_trip_id,
                t.to_trip_id,
                t.transfer_type,
                _num(t.min_transfer_time),
            ]
            for t in qs(Transfer).order_by("pk")
        ),
    )
    yield (
        "shapes.txt",
        ["shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence", "shape_dist_traveled"],
        (
            [p.shape_id, _num(p.lat), _num(p.lon), p.sequence, _num(p.dist_traveled)]
            for p in qs(ShapePoint).order_by("shape_id", "sequence").iterator(chunk_size=20000)
        ),
    )
    yield (
        "feed_info.txt",
        [
            "feed_publisher_name",
            "feed_publisher_url",
            "feed_lang",
            "default_lang",
            "feed_start_date",
            "feed_end_date",
            "feed_version",
            "feed_contact_email",
            "feed_contact_url",
        ],
        (
            [
                i.publisher_name,
                i.publisher_url,
                i.lang,
                i.default_lang,
                format_date(i.start_date),
                format_date(i.end_date),
                i.version,
                i.contact_email,
                i.contact_url,
            ]
            for i in qs(FeedInfo)
        ),
    )


REQUIRED = ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt")


def _required_columns(name: str) -> set[str]:
    return {column for column, (_kind, required) in SCHEMA.get(name, {}).items() if required}


def write_gtfs(feed: Feed, target) -> None:
    """Write `feed` as a GTFS zip to `target` (a path or a binary file object). Optional files
    with no rows are left out, as the specification expects, and so are optional columns with
    no value in any row (an empty `timepoint` column would read as « not a timepoint »
    everywhere: MobilityData's missing_timepoint_value); times past midnight stay past
    24:00:00. Rows are spooled once to a temporary file to learn which columns are used."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, header, rows in _tables(feed):
            rows = iter(rows)
            first = next(rows, None)
            if first is None and name not in REQUIRED:
                continue
            required = _required_columns(name)
            used = [column in required for column in header]
            with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
                spooled = csv.writer(spool, lineterminator="\n")
                for row in itertools.chain([first] if first is not None else [], rows):
                    for index, value in enumerate(row):
                        if not used[index] and value not in ("", None):
                            used[index] = True
                    spooled.writerow(row)
                spool.seek(0)
                keep = [i for i, flag in enumerate(used) if flag]
                buffer = io.StringIO()
                writer = csv.writer(buffer, lineterminator="\n")
                writer.writerow([header[i] for i in keep])
                with archive.open(name, "w") as member:
                    for row in csv.reader(spool):
                        writer.writerow([row[i] for i in keep])
                        if buffer.tell() > 1 << 20:
                            member.write(buffer.getvalue().encode())
                            buffer.seek(0)
                            buffer.truncate()
                    member.write(buffer.getvalue().encode())
