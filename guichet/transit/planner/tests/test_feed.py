"""Reading GTFS: files with real-world quirks, the in-memory constructor, calendars, frequencies."""

import zipfile
from datetime import date, datetime

import numpy as np
import pytest

from guichet.transit.planner import (
    build_timetable,
    departures,
    feed_from_rows,
    merge_feeds,
    read_feed,
)
from guichet.transit.planner.timetable import service_day_bitmap

from .feeds import DAY, network, seconds, stop

QUIRKY = {
    # BOM, spaces around coordinates, empty optional columns, a blank last line
    "agency.txt": "\ufeffagency_id,agency_name,agency_url,agency_timezone\nA,Agency,http://a.ne,Africa/Niamey\n",
    "stops.txt": "\ufeffstop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,wheelchair_boarding\n"
    "S,Station,  13.5100, 2.1100,1,,1\n"
    "P1,Platform 1, 13.5101,  2.1101,,S,\n"
    "P2,Platform 2,13.5200,2.1200,0,,2\n\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\nR,A,1,,3\n",
    "trips.txt": "route_id,service_id,trip_id,trip_headsign,wheelchair_accessible\nR,WK,T1,Centre,\nR,WK,T2,,1\n",
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type\n"
    "T1,08:00:00,08:00:00,P1,1,,\n"
    "T1,,,P2,2,,\n"  # not a timepoint: interpolated
    "T1,08:20:00,08:20:00,P1,3,,1\n"
    "T2,25:10:00,25:10:00,P1,1,0,0\n"
    "T2,25:20:00,25:20:00,P2,2,0,0\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
    "WK,1,1,1,1,1,0,0,20260901,20260930\n",
    "calendar_dates.txt": "service_id,date,exception_type\nWK,20260915,2\nWK,20260919,1\n",
    "feed_info.txt": "feed_publisher_name,feed_publisher_url,feed_lang\nNiamey,http://a.ne,fr\n",
}


def _write_folder(folder):
    for name, text in QUIRKY.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_read_folder_with_bom_spaces_and_empty_columns(tmp_path):
    feed = read_feed(_write_folder(tmp_path))
    assert feed.stops.stop_id == ["S", "P1", "P2"]
    assert feed.stops.lat[0] == pytest.approx(13.51)
    assert feed.stops.lon[1] == pytest.approx(2.1101)
    assert feed.stops.location_type.tolist() == [1, 0, 0]
    assert feed.stops.parent.tolist() == [-1, 0, -1]
    assert feed.trips.wheelchair_accessible.tolist() == [0, 1]
    assert feed.agency[0]["agency_id"] == "A"
    assert feed.feed_info[0]["feed_lang"] == "fr"


def test_empty_times_are_interpolated_between_timepoints(tmp_path):
    feed = read_feed(_write_folder(tmp_path))
    assert feed.stop_times.arrival[:3].tolist() == [8 * 3600, 8 * 3600 + 600, 8 * 3600 + 1200]


def test_times_past_midnight_are_kept(tmp_path):
    feed = read_feed(_write_folder(tmp_path))
    assert feed.stop_times.departure[3] == seconds("25:10:00")


def test_read_zip_with_files_in_a_subfolder(tmp_path):
    archive = tmp_path / "feed.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name, text in QUIRKY.items():
            zf.writestr(f"gtfs/{name}", text)
    feed = read_feed(archive)
    assert len(feed.stop_times) == 5


def test_missing_required_file_is_reported(tmp_path):
    _write_folder(tmp_path)
    (tmp_path / "stop_times.txt").unlink()
    with pytest.raises(ValueError, match=r"stop_times\.txt is missing"):
        read_feed(tmp_path)


def test_unknown_stop_is_reported_with_its_row():
    with pytest.raises(ValueError, match=r"stop_times.txt row 2: unknown stop_id 'X'"):
        feed_from_rows(
            stops=[stop("A", 13.5)],
            routes=[{"route_id": "R"}],
            trips=[{"trip_id": "T", "route_id": "R", "service_id": "S"}],
            stop_times=[{"trip_id": "T", "stop_id": "X", "stop_sequence": 1}],
        )


def test_rows_accept_python_values_and_any_order():
    feed = feed_from_rows(
        stops=[stop("A", 13.5), stop("B", 13.6)],
        routes=[{"route_id": "R", "route_type": 3}],
        trips=[{"trip_id": "T", "route_id": "R", "service_id": "S"}],
        stop_times=[
            {"trip_id": "T", "stop_id": "B", "stop_sequence": 2, "arrival_time": 30000},
            {"trip_id": "T", "stop_id": "A", "stop_sequence": 1, "departure_time": "08:00:00"},
        ],
        calendar_dates=[{"service_id": "S", "date": DAY, "exception_type": 1}],
    )
    assert feed.stop_times.stop.tolist() == [0, 1]
    assert feed.stop_times.departure.tolist() == [28800, 30000]


def test_calendar_dates_remove_and_add_days(tmp_path):
    feed = read_feed(_write_folder(tmp_path))
    first, bitmap = service_day_bitmap(feed)
    runs = {first.fromordinal(first.toordinal() + d) for d in np.flatnonzero(bitmap[0])}
    assert date(2026, 9, 14) in runs  # a Monday
    assert date(2026, 9, 15) not in runs  # removed (exception_type 2)
    assert date(2026, 9, 19) in runs  # a Saturday, added (exception_type 1)
    assert date(2026, 9, 20) not in runs  # Sunday


def test_stop_board_follows_the_calendar(tmp_path):
    timetable = build_timetable(read_feed(_write_folder(tmp_path)))
    assert departures(timetable, "P1", datetime(2026, 9, 14, 7, 0))
    removed = departures(timetable, "P1", datetime(2026, 9, 15, 0, 30), limit=2)
    # Tuesday is removed: Monday's 25:10 trip still runs on Tuesday night, then Wednesday's.
    assert [d.departure for d in removed] == [
        datetime(2026, 9, 15, 1, 10),
        datetime(2026, 9, 16, 8, 0),
    ]


def test_previous_day_trip_after_midnight_is_offered(tmp_path):
    timetable = build_timetable(read_feed(_write_folder(tmp_path)))
    board = departures(timetable, "P1", datetime(2026, 9, 17, 0, 30))
    assert board[0].trip_id == "T2"
    assert board[0].departure == datetime(2026, 9, 17, 1, 10)


@pytest.mark.parametrize("exact_times", [0, 1])
def test_frequencies_expand_into_trips(exact_times):
    timetable = network(
        [stop("A", 13.5), stop("B", 13.6)],
        [("T", "R", [("A", "06:00:00"), ("B", "06:12:00")])],
        frequencies=[
            {
                "trip_id": "T",
                "start_time": "07:00:00",
                "end_time": "08:00:00",
                "headway_secs": 900,
                "exact_times": exact_times,
            }
        ],
    )
    board = departures(timetable, "A", datetime(2026, 9, 14, 0, 0), limit=5)
    # GTFS: starts at start_time + k × headway_secs while before end_time; then the next day.
    assert [d.departure.strftime("%d %H:%M") for d in board] == [
        "14 07:00",
        "14 07:15",
        "14 07:30",
        "14 07:45",
        "15 07:00",
    ]
    assert {d.trip_id for d in board} == {"T"}


def test_merge_feeds_keeps_both_networks(tmp_path):
    one = read_feed(_write_folder(tmp_path))
    other = feed_from_rows(
        stops=[stop("Z1", 13.5), stop("Z2", 13.6)],
        routes=[{"route_id": "ZR"}],
        trips=[{"trip_id": "ZT", "route_id": "ZR", "service_id": "ZS"}],
        stop_times=[
            {"trip_id": "ZT", "stop_id": "Z1", "stop_sequence": 1, "arrival_time": "09:00:00"},
            {"trip_id": "ZT", "stop_id": "Z2", "stop_sequence": 2, "arrival_time": "09:10:00"},
        ],
        calendar_dates=[{"service_id": "ZS", "date": DAY, "exception_type": 1}],
    )
    merged = merge_feeds(one, other)
    assert len(merged.stops) == 5 and merged.stops.parent.tolist() == [-1, 0, -1, -1, -1]
    timetable = build_timetable(merged)
    assert departures(timetable, "Z1", datetime(2026, 9, 14, 8))[0].trip_id == "ZT"
    with pytest.raises(ValueError, match="appears in two feeds"):
        merge_feeds(one, one)
