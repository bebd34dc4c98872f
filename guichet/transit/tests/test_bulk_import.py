"""The write of the large tables (guichet.transit.bulk): values, defaults, indexes, atomicity."""

import gc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.transit import bulk, validation
from guichet.transit.gtfs import collector_paused
from guichet.transit.importer import import_path
from guichet.transit.models import ShapePoint, StopTime, Trip

STOP_TIMES_WITH_OPTIONS = (
    "trip_id,arrival_time,departure_time,stop_id,stop_sequence,stop_headsign,pickup_type,"
    "drop_off_type,shape_dist_traveled,timepoint\n"
    "T1,07:00:00,07:00:00,GM1,1, Vers Koira ,,1, 0.0 ,1\n"
    "T1,07:15:00,07:16:00,KEN,2,,2,,1.5,\n"
    "T1,07:30:00,07:30:00,AER,3,,,,3,0\n"
    "   \n"
)


SHAPES = "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\nS1, 13.51,2.11,1\nS1,13.52,2.12,2\n"


def _indexes(table: str) -> dict[str, tuple]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        name: (tuple(c["columns"]), c["unique"]) for name, c in constraints.items() if c["index"]
    }


def test_stop_time_columns_absent_from_the_file_get_their_defaults(small):
    late = StopTime.objects.get(feed=small, trip__trip_id="T2", stop_sequence=3)
    assert (late.stop_headsign, late.pickup_type, late.drop_off_type) == ("", 0, 0)
    assert late.shape_dist_traveled is None and late.timepoint is None
    assert late.stop.stop_id and late.trip.trip_id == "T2"


def test_optional_stop_time_values_are_converted_or_left_to_their_defaults(db, make_feed):
    feed = import_path(make_feed(stop_times__txt=STOP_TIMES_WITH_OPTIONS), "options").feed
    rows = list(
        StopTime.objects.filter(feed=feed, trip__trip_id="T1")
        .order_by("stop_sequence")
        .values_list(
            "stop__stop_id",
            "arrival_time",
            "departure_time",
            "stop_headsign",
            "pickup_type",
            "drop_off_type",
            "shape_dist_traveled",
            "timepoint",
        )
    )
    assert rows == [
        ("GM1", 7 * 3600, 7 * 3600, "Vers Koira", 0, 1, 0.0, 1),
        ("KEN", 7 * 3600 + 900, 7 * 3600 + 960, "", 2, 0, 1.5, None),
        ("AER", 7 * 3600 + 1800, 7 * 3600 + 1800, "", 0, 0, 3.0, 0),
    ]  # the blank line (a warning) is not a row


def test_trips_and_shapes_are_written_from_their_records(db, make_feed):
    feed = import_path(
        make_feed(
            trips__txt="route_id,service_id,trip_id,direction_id,shape_id,bikes_allowed\n"
            "R1,WK,T1,1,S1,\nR1,WK,T2,,,2\nR2,WK,F1,0,S1,1\n",
            shapes__txt=SHAPES,
        ),
        "formes",
    ).feed
    trips = {
        t.trip_id: (t.route.route_id, t.direction_id, t.shape_id, t.bikes_allowed, t.headsign)
        for t in Trip.objects.filter(feed=feed).select_related("route")
    }
    assert trips == {
        "T1": ("R1", 1, "S1", 0, ""),
        "T2": ("R1", None, "", 2, ""),
        "F1": ("R2", 0, "S1", 1, ""),
    }
    points = ShapePoint.objects.filter(feed=feed).order_by("sequence")
    assert [(p.lat, p.lon, p.sequence, p.dist_traveled) for p in points] == [
        (13.51, 2.11, 1, None),
        (13.52, 2.12, 2, None),
    ]


def test_stop_times_and_shapes_keep_the_same_indexes_after_an_import(db, make_feed):
    tables = (StopTime._meta.db_table, ShapePoint._meta.db_table)
    before = {table: _indexes(table) for table in tables}
    assert len(before[StopTime._meta.db_table]) >= 4
    import_path(make_feed(shapes__txt=SHAPES), "petit")
    assert ShapePoint.objects.count() == 2
    assert {table: _indexes(table) for table in tables} == before


def test_a_failed_import_keeps_the_indexes_and_the_previous_rows(small, make_feed):
    before = _indexes(StopTime._meta.db_table)

    def fail(feed):
        raise RuntimeError("after the rows, before the commit")

    with pytest.raises(RuntimeError):
        import_path(make_feed(name="v2.zip"), "petit", before_commit=fail)
    assert _indexes(StopTime._meta.db_table) == before
    assert StopTime.objects.filter(feed=small).count() == 9


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only: COPY elsewhere")
def test_indexes_are_built_after_the_rows_only_when_the_feed_outnumbers_the_table(
    db, small_feed, make_feed
):
    with CaptureQueriesContext(connection) as first:
        import_path(small_feed, "petit")
    assert any(q["sql"].startswith("DROP INDEX") for q in first.captured_queries)
    smaller = make_feed(
        name="small.zip",
        trips__txt="route_id,service_id,trip_id\nR1,WK,T1\n",
        stop_times__txt="trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,09:00:00,09:00:00,KEN,1\nT1,09:20:00,09:20:00,AER,2\n",
        frequencies__txt=None,
    )
    with CaptureQueriesContext(connection) as second:
        import_path(smaller, "autre")  # 2 rows into a table of 9: indexes kept
    assert not any(q["sql"].startswith("DROP INDEX") for q in second.captured_queries)


def test_the_validator_counts_the_data_rows_of_each_file(small_feed):
    report = validation.validate(small_feed)
    assert report.row_counts["stop_times.txt"] == 9
    assert report.row_counts["trips.txt"] == 3


def test_a_memo_of_converted_values_stays_bounded(monkeypatch):
    monkeypatch.setattr(bulk, "MEMO_SIZE", 3)
    convert = bulk.optional(int, 0)
    assert list(map(convert, ["", "1", "2", "3", "4", "1"])) == [0, 1, 2, 3, 4, 1]
    assert len(convert.__self__) <= 3


def test_the_garbage_collector_is_paused_during_an_import_only(db, small_feed):
    seen = []
    import_path(small_feed, "petit", before_commit=lambda feed: seen.append(gc.isenabled()))
    assert seen == [False]
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError
    assert gc.isenabled()
