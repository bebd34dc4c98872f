"""The export writes only the columns that hold a value (and the required ones)."""

import csv
import io
import zipfile

import pytest

from guichet.transit.export import write_gtfs
from guichet.transit.tests.conftest import SMALL

pytestmark = pytest.mark.django_db


def _header(path, name):
    with zipfile.ZipFile(path) as archive:
        return next(csv.reader(io.TextIOWrapper(archive.open(name), encoding="utf-8")))


def test_an_empty_optional_column_is_left_out(small, tmp_path):
    path = tmp_path / "out.zip"
    write_gtfs(small, path)
    header = _header(path, "stop_times.txt")
    assert "timepoint" not in header and "shape_dist_traveled" not in header
    assert header[:5] == ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"]
    assert "route_color" not in _header(path, "routes.txt")


def test_a_column_with_a_value_is_kept(make_feed, organisations, tmp_path):
    from guichet.transit.services import import_feed

    header, *rows = SMALL["stop_times.txt"].splitlines()
    rows = [f"{row},1" if i == 0 else f"{row}," for i, row in enumerate(rows)]
    stop_times = "\n".join([f"{header},timepoint", *rows]) + "\n"
    feed = import_feed(
        make_feed(stop_times__txt=stop_times), "tp", organisation=organisations["MT-DTT"]
    ).feed
    path = tmp_path / "out.zip"
    write_gtfs(feed, path)
    assert "timepoint" in _header(path, "stop_times.txt")


def test_the_export_revalidates_without_new_warnings(small, tmp_path):
    from guichet.transit.validation import validate

    path = tmp_path / "out.zip"
    write_gtfs(small, path)
    assert "missing_timepoint_value" not in validate(path).counts
    assert not validate(path).has_errors
