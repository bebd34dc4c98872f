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
from guichet.transit import bulk, validation
from guichet.transit.bulk import Column, optional
from guichet.transit.gtfs import GtfsSource, collector_paused, parse_date, parse_time
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
from guichet.transit.validation_report import Report
from guichet.transit.validation_schema import ERROR

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

    def __init__(self, report: Report) -> None:
        errors = report.count(ERROR)
        super().__init__(
            ngettext("%(count)d erreur de validation", "%(count)d erreurs de validation", errors)
            % {"count": errors}
        )
        self.report = report


@dataclass
class ImportResult:
    feed: Feed
    report: Report
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


def write_feed_tables(
    feed: Feed, source: GtfsSource, row_counts: dict[str, int] | None = None
) -> dict[str, int]:
    """Write every table of `source` under `feed` (which has no rows). Returns the counts.
    `row_counts` (the validator's, per file) lets the write choose how to build indexes."""
    row_counts = row_counts or {}
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

    def write_file(model, name: str, columns) -> None:
        if not source.has(name):
            counts[name] = 0
            return
        present, absent, batches = bulk.column_batches(source, name, columns)
        counts[name] = bulk.bulk_write(
            model, [c.field for c in present], batches, {"feed": feed.pk, **absent}
        )

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
    # Trips, stop_times and shapes: straight from the CSV records (see guichet.transit.bulk).
    small_int = optional(int, 0)
    write_file(
        Trip,
        "trips.txt",
        (
            Column("trip_id", "trip_id"),
            Column("route", "route_id", routes.__getitem__),
            Column("service_id", "service_id"),
            Column("headsign", "trip_headsign"),
            Column("short_name", "trip_short_name"),
            Column("direction_id", "direction_id", optional(int), None),
            Column("block_id", "block_id"),
            Column("shape_id", "shape_id"),
            Column("wheelchair_accessible", "wheelchair_accessible", small_int, 0),
            Column("bikes_allowed", "bikes_allowed", small_int, 0),
        ),
    )
    stops = dict(Stop.objects.filter(feed=feed).values_list("stop_id", "pk"))
    trips = dict(Trip.objects.filter(feed=feed).values_list("trip_id", "pk"))

    with bulk.indexes_built_after(StopTime, row_counts.get("stop_times.txt", 0)):
        write_file(
            StopTime,
            "stop_times.txt",
            (
                Column("trip", "trip_id", trips.__getitem__),
                Column("stop", "stop_id", stops.__getitem__),
                Column("stop_sequence", "stop_sequence", int),
                Column("arrival_time", "arrival_time", parse_time, None),
                Column("departure_time", "departure_time", parse_time, None),
                Column("stop_headsign", "stop_headsign"),
                Column("pickup_type", "pickup_type", small_int, 0),
                Column("drop_off_type", "drop_off_type", small_int, 0),
                Column("shape_dist_traveled", "shape_dist_traveled", optional(float), None),
                Column("timepoint", "timepoint", optional(int), None),
            ),
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

    with bulk.indexes_built_after(ShapePoint, row_counts.get("shapes.txt", 0)):
        write_file(
            ShapePoint,
            "shapes.txt",
            (
                Column("shape_id", "shape_id"),
                Column("lat", "shape_pt_lat", float),
                Column("lon", "shape_pt_lon", float),
                Column("sequence", "shape_pt_sequence", int),
                Column("dist_traveled", "shape_dist_traveled", optional(float), None),
            ),
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


def store_notices(feed: Feed, report: Report) -> None:
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
    with collector_paused():
        return _import_path(path, name, before_commit, feed_fields)


def _import_path(path, name: str, before_commit, feed_fields: dict) -> ImportResult:
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
        counts = write_feed_tables(feed, source, report.row_counts)
        feed.source = Feed.Source.IMPORT
        feed.stop_time_count = counts.get("stop_times.txt", 0)
        feed.validation_summary = report.summary()
        feed.save()
        store_notices(feed, report)
        if before_commit is not None:
            before_commit(feed)
    return ImportResult(feed, report, counts)
