import json
import subprocess
import sys

import pytest

from guichet.transit.validation import validate
from guichet.transit.validation_schema import SEVERITIES

STOP_TIMES_BACKWARDS = (
    "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    "T1,08:00:00,08:00:00,KEN,1\n"
    "T1,07:50:00,07:51:00,GM1,2\n"
    "T1,08:30:00,08:30:00,AER,3\n"
    "T2,23:50:00,23:50:00,KEN,1\n"
    "T2,24:05:00,24:06:00,GM1,2\n"
    "T2,24:25:00,24:25:00,AER,3\n"
    "F1,06:00:00,06:00:00,UAM,1\n"
    "F1,6:12,06:12:00,GM2,2\n"
    "F1,06:20:00,06:20:00,NOPE,3\n"
)


def test_valid_small_feed_has_no_error(small_feed):
    report = validate(small_feed)
    assert report.count("ERROR") == 0, report.lines()


def test_missing_required_file(make_feed):
    report = validate(make_feed(routes__txt=None))
    assert [(n.code, n.file) for n in report.errors] == [("missing_required_file", "routes.txt")]


def test_missing_calendar_files(make_feed):
    report = validate(make_feed(calendar__txt=None, calendar_dates__txt=None))
    assert "missing_calendar_and_calendar_date_files" in report.codes("ERROR")


def test_row_level_codes_carry_file_line_and_field(make_feed):
    report = validate(make_feed(stop_times__txt=STOP_TIMES_BACKWARDS))
    found = {(n.code, n.file, n.line, n.field) for n in report.samples}
    assert (
        "stop_time_with_arrival_before_previous_departure_time",
        "stop_times.txt",
        3,
        "arrival_time",
    ) in found
    assert ("invalid_time", "stop_times.txt", 9, "arrival_time") in found
    assert ("foreign_key_violation", "stop_times.txt", 10, "stop_id") in found


def test_field_codes(make_feed):
    routes = (
        "route_id,agency_id,route_short_name,route_long_name,route_type,route_color\n"
        "R1,SNTN,1,,3,GGGGGG\nR2,SNTN,,,3,\nR2,SNTN,2,,3,\n"
    )
    calendar = (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
        "start_date,end_date\nWK,1,1,1,1,1,0,0,20261301,20251231\n"
    )
    report = validate(make_feed(routes__txt=routes, calendar__txt=calendar))
    codes = report.codes("ERROR")
    assert {
        "invalid_color",
        "route_both_short_and_long_name_missing",
        "duplicate_key",
        "invalid_date",
    } <= codes


def test_stop_far_from_shape_is_a_warning(make_feed):
    trips = "route_id,service_id,trip_id,shape_id\nR1,WK,T1,SH\nR1,WK,T2,SH\nR2,WK,F1,\n"
    shapes = (
        "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\n"
        "SH,13.5230,2.1050,1\nSH,13.5137,2.1098,2\nSH,13.5000,2.1300,3\n"
    )
    report = validate(make_feed(trips__txt=trips, shapes__txt=shapes))
    assert report.count("ERROR") == 0
    far = [n for n in report.samples if n.code == "stop_too_far_from_shape"]
    assert {n.detail["stopId"] for n in far} == {"AER"}


def test_unusable_trip_warning(make_feed):
    stop_times = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,08:00:00,08:00:00,KEN,1\nT1,08:10:00,08:10:00,AER,2\n"
        "T2,09:00:00,09:00:00,KEN,1\nF1,06:00:00,06:00:00,UAM,1\n"
        "F1,06:12:00,06:12:00,GM2,2\n"
    )
    report = validate(make_feed(stop_times__txt=stop_times))
    assert "unusable_trip" in report.codes("WARNING")


# GTFS: agency.txt — every agency of a feed shares one agency_timezone.
TWO_AGENCIES = (
    "agency_id,agency_name,agency_url,agency_timezone\n"
    "SNTN,Société test,https://example.ne,Africa/Niamey\n"
    "SOTRUNI,Transports urbains,https://example.ne,Africa/Niamey\n"
)


def test_two_agencies_in_one_zone_are_valid(make_feed):
    report = validate(make_feed(agency__txt=TWO_AGENCIES))
    assert report.count("ERROR") == 0, report.lines()


def test_agencies_in_two_time_zones_are_refused(make_feed):
    report = validate(
        make_feed(agency__txt=TWO_AGENCIES.replace("Africa/Niamey", "Africa/Lagos", 1))
    )
    (notice,) = report.errors
    assert (notice.code, notice.line, notice.field) == (
        "inconsistent_agency_timezone",
        3,
        "agency_timezone",
    )
    assert notice.detail == {"expected": "Africa/Lagos", "actual": "Africa/Niamey"}


# GTFS: stop_times.txt need not be sorted; a trip's rows are ordered by stop_sequence, not by
# their place in the file (MobilityData sorts them, and reports unsorted_stop_times as INFO).
STOP_TIMES_SHUFFLED = (
    "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    "T1,08:10:00,08:11:00,GM1,2\n"
    "F1,06:00:00,06:00:00,UAM,1\n"
    "T1,08:00:00,08:00:00,KEN,1\n"
    "T2,24:25:00,24:25:00,AER,3\n"
    "T1,08:30:00,08:30:00,AER,3\n"
    "T2,23:50:00,23:50:00,KEN,1\n"
    "F1,06:20:00,06:20:00,HAR,3\n"
    "T2,,,GM1,2\n"
    "F1,06:12:00,06:12:00,GM2,2\n"
)


def test_stop_times_in_any_row_order_are_read_by_stop_sequence(make_feed):
    report = validate(make_feed(stop_times__txt=STOP_TIMES_SHUFFLED))
    assert report.count("ERROR") == 0, report.lines()


def test_unsorted_stop_times_still_report_a_trip_going_back_in_time(make_feed):
    shuffled = STOP_TIMES_SHUFFLED.replace(
        "T1,08:30:00,08:30:00,AER,3", "T1,08:05:00,08:05:00,AER,3"
    )
    report = validate(make_feed(stop_times__txt=shuffled))
    found = [
        (n.line, n.detail["tripId"])
        for n in report.samples
        if n.code == "stop_time_with_arrival_before_previous_departure_time"
    ]
    assert found == [(6, "T1")]
    assert report.codes("ERROR") == {"stop_time_with_arrival_before_previous_departure_time"}


def test_unsorted_stop_times_still_report_a_trip_without_its_last_time(make_feed):
    shuffled = STOP_TIMES_SHUFFLED.replace("T2,24:25:00,24:25:00,AER,3", "T2,,,AER,3")
    report = validate(make_feed(stop_times__txt=shuffled))
    edges = [(n.line, n.detail["tripId"]) for n in report.samples if n.code == "missing_trip_edge"]
    assert edges == [(5, "T2")]


def test_our_codes_exist_in_mobilitydata_schema_with_same_severity():
    gv = pytest.importorskip("gtfs_validator")
    from pathlib import Path

    schema = json.loads((Path(gv.__file__).parent / "data" / "notice_schema.json").read_text())
    for code, severity in SEVERITIES.items():
        assert code in schema, code
        assert schema[code]["severityLevel"] == severity, code


def _reference_codes(path, tmp_path) -> set[str]:
    out = tmp_path / "gv"
    subprocess.run(
        [sys.executable, "-m", "gtfs_validator.cli", "-i", str(path), "-o", str(out)],
        check=False,
        capture_output=True,
        timeout=120,
    )
    report = json.loads((out / "report.json").read_text())
    return {n["code"] for n in report["notices"]}


FAULTY = {
    "times_and_keys": {"stop_times__txt": STOP_TIMES_BACKWARDS.replace("F1,6:12,", "F1,06:12:00,")},
    "routes": {
        "routes__txt": "route_id,agency_id,route_short_name,route_long_name,route_type,"
        "route_color\nR1,SNTN,1,,3,GGGGGG\nR2,SNTN,,,3,\n"
    },
    "no_calendar": {"calendar__txt": None, "calendar_dates__txt": None},
    "station_served": {
        "stop_times__txt": STOP_TIMES_BACKWARDS.replace("NOPE", "GM")
        .replace("F1,6:12,", "F1,06:12:00,")
        .replace("07:50:00,07:51:00", "08:10:00,08:11:00")
    },
    "time_format": {"stop_times__txt": STOP_TIMES_BACKWARDS.replace("NOPE", "HAR")},
    "two_timezones": {"agency__txt": TWO_AGENCIES.replace("Africa/Niamey", "Africa/Lagos", 1)},
}


@pytest.mark.parametrize("case", sorted(FAULTY))
def test_same_codes_as_gtfs_validator(case, make_feed, tmp_path):
    """On the codes this validator implements, it finds what MobilityData's port finds."""
    pytest.importorskip("gtfs_validator")
    path = make_feed(**FAULTY[case])
    ours = validate(path).codes()
    reference = _reference_codes(path, tmp_path) & set(SEVERITIES)
    if case == "time_format":
        # MobilityData skips the stop_times rules of a file that failed to parse; we still run
        # them on the rows that did parse, so we may report more, never less.
        assert reference <= ours
    else:
        assert ours == reference
