"""Streaming GTFS import: validate, then write every table of a named feed in one transaction.

Rows are read one by one from the zip and written with bulk_create in batches; only the id maps
of stops and trips (string → primary key) are held in memory, never stop_times or shapes, so
a feed of millions of stop_times imports in bounded memory.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import ngettext

from guichet import locks
from guichet.transit import validation
from guichet.transit.gtfs import GtfsSource, parse_date, parse_time
from guichet.transit.models import (
    Agency,
    Calendar,
    CalendarDate,
    Feed,
    FeedInfo,
    Frequency,
    RealtimeDelay,
    Route,
    ShapePoint,
    Stop,
    StopTime,
    Transfer,
    Trip,
    ValidationNotice,
)

BATCH = 5000

# Children first, so that raw deletes never trip a foreign key.
FEED_TABLES = (
    RealtimeDelay,
    ValidationNotice,
    StopTime,
    Frequency,
    Trip,
    Route,
    Stop,
    Transfer,
    ShapePoint,
    Calendar,
    CalendarDate,
    Agency,
    FeedInfo,
)


class FeedRefused(Exception):
    """The feed has validation errors: nothing was written."""

    def __init__(self, report: validation.Report) -> None:
        errors = report.count(validation.ERROR)
        super().__init__(
            ngettext("%(count)d erreur de validation", "%(count)d erreurs de validation", errors)
            % {"count": errors}
        )
        self.report = report


@dataclass
class ImportResult:
    feed: Feed
    report: validation.Report
    counts: dict[str, int]


def fold(text: str) -> str:
    """Lower case without accents or punctuation: the key of name search."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def _int(value: str, default: int | None = 0) -> int | None:
    return int(value) if value not in ("", None) else default


def _float(value: str) -> float | None:
    return float(value) if value not in ("", None) else None


def delete_feed_rows(feed: Feed) -> None:
    """Every GTFS row of `feed`, in one DELETE per table (no per-object cascade collection)."""
    for model in FEED_TABLES:
        model.objects.filter(feed=feed)._raw_delete(connection.alias)


def _flush(model, objects: list) -> None:
    if objects:
        model.objects.bulk_create(objects, batch_size=BATCH)
        objects.clear()


def bulk_write(model, columns: tuple[str, ...], rows) -> int:
    """Write tuples (in `columns` order) straight to the model's table, without a model
    instance per row: COPY on PostgreSQL, executemany in batches elsewhere. Returns the count."""
    fields = [model._meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)
    n = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
            return n
        # Identifiers from the model, quoted; values as parameters.
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                n += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            n += len(batch)
    return n


def write_feed_tables(feed: Feed, source: GtfsSource) -> dict[str, int]:
    """Write every table of `source` under `feed` (which has no rows). Returns the counts."""
    counts: dict[str, int] = {}

    def stream(model, name: str, make) -> None:
        if not source.has(name):
            counts[name] = 0
            return
        batch, n = [], 0
        for _number, row in source.rows(name):
            obj = make(row)
            if obj is None:
                continue
            batch.append(obj)
            n += 1
            if len(batch) >= BATCH:
                _flush(model, batch)
        _flush(model, batch)
        counts[name] = n

    timezone = ""

    def agency(row):
        nonlocal timezone
        timezone = timezone or row.get("agency_timezone", "")
        return Agency(
            feed=feed,
            agency_id=row.get("agency_id", ""),
            name=row.get("agency_name", ""),
            url=row.get("agency_url", ""),
            timezone=row.get("agency_timezone", ""),
            lang=row.get("agency_lang", ""),
            phone=row.get("agency_phone", ""),
            fare_url=row.get("agency_fare_url", ""),
            email=row.get("agency_email", ""),
        )

    stream(Agency, "agency.txt", agency)
    if timezone:
        feed.timezone = timezone

    stream(
        Stop,
        "stops.txt",
        lambda row: Stop(
            feed=feed,
            stop_id=row["stop_id"],
            code=row.get("stop_code", ""),
            name=row.get("stop_name", ""),
            desc=row.get("stop_desc", ""),
            lat=_float(row.get("stop_lat", "")),
            lon=_float(row.get("stop_lon", "")),
            zone_id=row.get("zone_id", ""),
            url=row.get("stop_url", ""),
            location_type=_int(row.get("location_type", "")),
            parent_station=row.get("parent_station", ""),
            timezone=row.get("stop_timezone", ""),
            wheelchair_boarding=_int(row.get("wheelchair_boarding", "")),
            platform_code=row.get("platform_code", ""),
            search_name=fold(row.get("stop_name", "")),
        ),
    )
    stream(
        Route,
        "routes.txt",
        lambda row: Route(
            feed=feed,
            route_id=row["route_id"],
            agency_id=row.get("agency_id", ""),
            short_name=row.get("route_short_name", ""),
            long_name=row.get("route_long_name", ""),
            desc=row.get("route_desc", ""),
            route_type=_int(row.get("route_type", ""), 3),
            url=row.get("route_url", ""),
            color=row.get("route_color", "").upper(),
            text_color=row.get("route_text_color", "").upper(),
            sort_order=_int(row.get("route_sort_order", ""), None),
        ),
    )
    routes = dict(Route.objects.filter(feed=feed).values_list("route_id", "pk"))
    stream(
        Trip,
        "trips.txt",
        lambda row: Trip(
            feed=feed,
            trip_id=row["trip_id"],
            route_id=routes[row["route_id"]],
            service_id=row["service_id"],
            headsign=row.get("trip_headsign", ""),
            short_name=row.get("trip_short_name", ""),
            direction_id=_int(row.get("direction_id", ""), None),
            block_id=row.get("block_id", ""),
            shape_id=row.get("shape_id", ""),
            wheelchair_accessible=_int(row.get("wheelchair_accessible", "")),
            bikes_allowed=_int(row.get("bikes_allowed", "")),
        ),
    )
    stops = dict(Stop.objects.filter(feed=feed).values_list("stop_id", "pk"))
    trips = dict(Trip.objects.filter(feed=feed).values_list("trip_id", "pk"))
    feed_id = feed.pk

    def stop_time_rows():
        # The validator has checked every value: parse straight from the CSV records, without a
        # dict or a model instance per row.
        records = source.records("stop_times.txt")
        _n, header = next(records, (0, []))
        position = {name.strip(): i for i, name in enumerate(header)}
        width = len(header)

        def column(name):
            return position.get(name, width)  # past the end: the empty value

        i_trip, i_stop, i_seq = column("trip_id"), column("stop_id"), column("stop_sequence")
        i_arr, i_dep, i_head = (
            column("arrival_time"),
            column("departure_time"),
            column("stop_headsign"),
        )
        i_pick, i_drop = column("pickup_type"), column("drop_off_type")
        i_dist, i_tp = column("shape_dist_traveled"), column("timepoint")
        for _number, values in records:
            if not values or len(values) != width:
                continue  # blank line (a malformed row would have failed validation)
            values.append("")
            pick, drop, tp = values[i_pick].strip(), values[i_drop].strip(), values[i_tp].strip()
            dist = values[i_dist].strip()
            yield (
                feed_id,
                trips[values[i_trip].strip()],
                stops[values[i_stop].strip()],
                int(values[i_seq]),
                parse_time(values[i_arr]),
                parse_time(values[i_dep]),
                values[i_head].strip(),
                int(pick) if pick else 0,
                int(drop) if drop else 0,
                float(dist) if dist else None,
                int(tp) if tp else None,
            )

    counts["stop_times.txt"] = (
        bulk_write(
            StopTime,
            (
                "feed",
                "trip",
                "stop",
                "stop_sequence",
                "arrival_time",
                "departure_time",
                "stop_headsign",
                "pickup_type",
                "drop_off_type",
                "shape_dist_traveled",
                "timepoint",
            ),
            stop_time_rows(),
        )
        if source.has("stop_times.txt")
        else 0
    )
    stream(
        Frequency,
        "frequencies.txt",
        lambda row: Frequency(
            feed=feed,
            trip_id=trips[row["trip_id"]],
            start_time=parse_time(row["start_time"]),
            end_time=parse_time(row["end_time"]),
            headway_secs=int(row["headway_secs"]),
            exact_times=_int(row.get("exact_times", "")),
        ),
    )
    days = Calendar.DAYS
    stream(
        Calendar,
        "calendar.txt",
        lambda row: Calendar(
            feed=feed,
            service_id=row["service_id"],
            start_date=parse_date(row["start_date"]),
            end_date=parse_date(row["end_date"]),
            **{day: row[day] == "1" for day in days},
        ),
    )
    stream(
        CalendarDate,
        "calendar_dates.txt",
        lambda row: CalendarDate(
            feed=feed,
            service_id=row["service_id"],
            date=parse_date(row["date"]),
            exception_type=int(row["exception_type"]),
        ),
    )
    stream(
        Transfer,
        "transfers.txt",
        lambda row: Transfer(
            feed=feed,
            from_stop_id=row.get("from_stop_id", ""),
            to_stop_id=row.get("to_stop_id", ""),
            from_route_id=row.get("from_route_id", ""),
            to_route_id=row.get("to_route_id", ""),
            from_trip_id=row.get("from_trip_id", ""),
            to_trip_id=row.get("to_trip_id", ""),
            transfer_type=_int(row.get("transfer_type", "")),
            min_transfer_time=_int(row.get("min_transfer_time", ""), None),
        ),
    )

    def shape_rows():
        for _number, row in source.rows("shapes.txt"):
            yield (
                feed_id,
                row["shape_id"],
                float(row["shape_pt_lat"]),
                float(row["shape_pt_lon"]),
                int(row["shape_pt_sequence"]),
                _float(row.get("shape_dist_traveled", "")),
            )

    counts["shapes.txt"] = (
        bulk_write(
            ShapePoint,
            ("feed", "shape_id", "lat", "lon", "sequence", "dist_traveled"),
            shape_rows(),
        )
        if source.has("shapes.txt")
        else 0
    )
    stream(
        FeedInfo,
        "feed_info.txt",
        lambda row: FeedInfo(
            feed=feed,
            publisher_name=row.get("feed_publisher_name", ""),
            publisher_url=row.get("feed_publisher_url", ""),
            lang=row.get("feed_lang", ""),
            default_lang=row.get("default_lang", ""),
            start_date=parse_date(row.get("feed_start_date", "")),
            end_date=parse_date(row.get("feed_end_date", "")),
            version=row.get("feed_version", ""),
            contact_email=row.get("feed_contact_email", ""),
            contact_url=row.get("feed_contact_url", ""),
        ),
    )
    return counts


def store_notices(feed: Feed, report: validation.Report) -> None:
    ValidationNotice.objects.bulk_create(
        [
            ValidationNotice(
                feed=feed,
                code=n.code,
                severity=n.severity,
                file=n.file,
                line=n.line,
                field=n.field,
                count=report.counts[n.code],
                detail={
                    k: v if isinstance(v, int | float | str) else str(v)
                    for k, v in n.detail.items()
                },
            )
            for n in report.samples
        ],
        batch_size=BATCH,
    )


def import_path(
    path: str | os.PathLike, name: str, *, before_commit=None, **feed_fields
) -> ImportResult:
    """Validate `path`, then replace (or create) feed `name` with it in one transaction.

    With validation errors, raise FeedRefused before any write. `before_commit(feed)` runs
    inside the transaction (the service layer writes its audit entry there)."""
    report = validation.validate(path)
    if report.has_errors:
        raise FeedRefused(report)
    with GtfsSource(path) as source, transaction.atomic():
        feed = locks.rows(Feed.objects.filter(name=name)).first()
        if feed is None:
            feed = Feed.objects.create(name=name, **feed_fields)
        else:
            delete_feed_rows(feed)
            feed.version += 1
            for key, value in feed_fields.items():
                setattr(feed, key, value)
        counts = write_feed_tables(feed, source)
        feed.source = Feed.Source.IMPORT
        feed.stop_time_count = counts.get("stop_times.txt", 0)
        feed.validation_summary = report.summary()
        feed.save()
        store_notices(feed, report)
        if before_commit is not None:
            before_commit(feed)
    return ImportResult(feed, report, counts)
