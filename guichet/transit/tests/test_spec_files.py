"""GTFS Schedule file format (RFC 4180 CSV, UTF-8 with or without BOM, CRLF or LF, columns in
any order, unknown columns ignored, header-only optional files) and transfers.txt types 0–3,
through the import, the stop boards and the planner."""

import pytest

from guichet.transit.models import Route, Stop, StopTime, Transfer
from guichet.transit.tests.conftest import SMALL

from .spec_helpers import board, imported, plan, rides

pytestmark = pytest.mark.django_db


def _crlf(text: str, bom: bool = True) -> str:
    return ("\ufeff" if bom else "") + text.replace("\n", "\r\n")


# Columns shuffled, an unknown column, quoted values holding commas, doubled quotes and a
# line break, spaces after unquoted values, a BOM and CRLF line endings on every file.
FORMATTED = {
    "agency.txt": _crlf(
        "agency_timezone,agency_name,x_note,agency_url,agency_id\n"
        'Africa/Niamey,"Société ""test"", Niamey",interne,https://example.ne,SNTN\n'
    ),
    "stops.txt": _crlf(
        "parent_station,stop_lon,location_type,stop_id,x_extra,stop_lat,stop_name\n"
        ',2.1098,1,GM,,13.5137,"Grand Marché, centre"\n'
        'GM,2.1098,0,GM1,a,13.5137,"Grand Marché ""quai 1"""\n'
        "GM,2.1099,0,GM2,b,13.5138,Grand Marché quai 2\n"
        ",2.1050,0,KEN ,c,13.5230,Rond-point Kennedy \n"
        ',2.0890,0,UAM,"d, e",13.5010,Université Abdou Moumouni\n'
        ",2.1836,0,AER,,13.4815,Aéroport\n"
        ",2.1190,0,HAR,,13.4940,Harobanda\n"
    ),
    "routes.txt": _crlf(
        "route_type,route_long_name,route_short_name,route_id,agency_id,route_desc\n"
        '3,"Kennedy - Aéroport, par le marché",1,R1,SNTN,"ligne ""express""\nde jour"\n'
        "3,Université - Harobanda,2,R2,SNTN,\n"
    ),
    "trips.txt": _crlf(
        "trip_headsign,trip_id,x_depot,service_id,route_id\n"
        '"Aéroport, terminal",T1,nord,WK,R1\n'
        "Aéroport,T2,nord,WK,R1\n"
        "Harobanda,F1,sud,WK,R2\n",
        bom=False,
    ),
    "stop_times.txt": _crlf(
        "stop_sequence,stop_id,departure_time,arrival_time,trip_id,x_platform\n"
        "1,KEN,08:00:00,08:00:00,T1,\n"
        '2,GM1,08:11:00,08:10:00,T1,"voie 1, côté nord"\n'
        "3,AER,08:30:00,08:30:00,T1 ,\n"
        "1,KEN,23:50:00,23:50:00,T2,\n"
        "2,GM1,24:06:00,24:05:00,T2,\n"
        "3,AER,24:25:00,24:25:00,T2,\n"
        "1,UAM,06:00:00,06:00:00,F1,\n"
        "2,GM2,06:12:00,06:12:00,F1,\n"
        "3,HAR,06:20:00,06:20:00,F1,\n"
    ),
    "calendar.txt": _crlf(
        "start_date,end_date,service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday\n"
        "20260101,20271231,WK,1,1,1,1,1,0,0\n"
    ),
    # Optional files holding their header only.
    "calendar_dates.txt": _crlf("service_id,date,exception_type\n"),
    "frequencies.txt": _crlf("trip_id,start_time,end_time,headway_secs,exact_times\n"),
    "transfers.txt": _crlf("from_stop_id,to_stop_id,transfer_type,min_transfer_time\n"),
    "feed_info.txt": SMALL["feed_info.txt"],
}


def test_a_feed_in_any_csv_form_the_spec_allows_imports_and_plans(make_feed):
    feed = imported(make_feed, "format", **{k.replace(".", "__"): v for k, v in FORMATTED.items()})
    assert Stop.objects.get(feed=feed, stop_id="GM1").name == 'Grand Marché "quai 1"'
    assert Stop.objects.get(feed=feed, stop_id="GM").name == "Grand Marché, centre"
    assert Stop.objects.get(feed=feed, stop_id="KEN").name == "Rond-point Kennedy"
    route = Route.objects.get(feed=feed, route_id="R1")
    assert (route.long_name, route.desc) == (
        "Kennedy - Aéroport, par le marché",
        'ligne "express"\r\nde jour',
    )
    gm1 = StopTime.objects.get(feed=feed, trip__trip_id="T1", stop_sequence=2)
    assert (gm1.arrival_time, gm1.departure_time) == (8 * 3600 + 600, 8 * 3600 + 660)
    assert not Transfer.objects.filter(feed=feed).exists()
    assert board(feed, "GM", "2026-12-07T08:00", limit=1) == [
        ("T1", "GM1", "2026-12-07T08:11:00+01:00")
    ]
    (journey,) = plan(feed, "KEN", "AER", "2026-12-07T07:55")
    assert rides(journey) == [
        ("T1", "KEN", "AER", "2026-12-07T08:00", "2026-12-07T08:30", "2026-12-07")
    ]


# -- transfers.txt ---------------------------------------------------------------------------------

# T1 reaches GM1 at 08:10; F1 leaves GM2 at 08:12 (then 08:27, 08:42: every 15 min) and
# reaches Harobanda 8 minutes later. The platforms are 15 m apart (a 17 s walk).
TRANSFERS = "from_stop_id,to_stop_id,transfer_type,min_transfer_time\n"


@pytest.mark.parametrize(
    ("rows", "arrival"),
    [
        ("", "08:20"),  # no row: the walk between platforms
        ("GM1,GM2,0,\n", "08:20"),  # recommended
        ("GM1,GM2,1,\n", "08:20"),  # timed
        ("GM1,GM2,2,180\n", "08:35"),  # 3 min needed: the 08:12 is missed
        ("GM1,GM2,2,90\n", "08:20"),
        ("GM1,GM2,3,\n", None),  # not possible, and no other way
        ("GM,GM,2,300\n", "08:35"),  # the station's minimum applies to its platforms
        ("GM,GM,3,\n", None),  # no change at all at Grand Marché
    ],
)
def test_transfer_types_and_minimum_times_are_honoured(make_feed, rows, arrival):
    feed = imported(make_feed, "corresp", transfers__txt=TRANSFERS + rows)
    journeys = plan(feed, "KEN", "HAR", "2026-12-07T07:55", max_walk_m="400")
    two_rides = [j for j in journeys if j.rides == 2]
    if arrival is None:
        assert not two_rides
        return
    assert two_rides[-1].arrival.strftime("%H:%M") == arrival


# -- calendar files holding their header only ------------------------------------------------------


@pytest.mark.parametrize(
    "files",
    [
        {"calendar_dates__txt": "service_id,date,exception_type\n"},
        {
            "calendar__txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,"
            "sunday,start_date,end_date\n",
            "calendar_dates__txt": "service_id,date,exception_type\nWK,20261207,1\n",
        },
    ],
    ids=["dates-empty", "calendar-empty"],
)
def test_a_header_only_calendar_file_beside_the_others_rows_is_valid(make_feed, files):
    # GTFS: calendar_dates.txt is required only when calendar.txt is omitted, and calendar.txt
    # only when every service is in calendar_dates.txt: an empty one beside the other is fine.
    feed = imported(make_feed, "vide", **files)
    (journey,) = plan(feed, "KEN", "AER", "2026-12-07T07:55")
    assert rides(journey)[0][3] == "2026-12-07T08:00"


def test_calendar_files_without_any_row_are_refused(make_feed):
    from guichet.transit.validation import validate

    report = validate(
        make_feed(
            calendar__txt="service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
            "start_date,end_date\n",
            calendar_dates__txt="service_id,date,exception_type\n",
        )
    )
    assert [n.file for n in report.samples if n.code == "empty_file"] == [
        "calendar.txt",
        "calendar_dates.txt",
    ]


@pytest.mark.parametrize(
    ("rows", "missing"),
    [
        # Types 0–3 hold between two stops: both are required (GTFS transfers.txt).
        ("from_trip_id,to_trip_id,transfer_type,min_transfer_time\nT1,F1,2,300\n", 2),
        ("from_stop_id,to_stop_id,transfer_type\nGM1,,3\n", 1),
        ("from_stop_id,to_stop_id,from_trip_id,to_trip_id,transfer_type\n,,T1,F1,1\n", 2),
        # In-seat types 4 and 5 hold between two trips: both are required.
        ("from_stop_id,to_stop_id,from_trip_id,to_trip_id,transfer_type\nAER,AER,T1,,4\n", 1),
        ("from_trip_id,to_trip_id,transfer_type\n,T2,5\n", 1),
    ],
)
def test_a_transfer_without_the_stops_or_trips_its_type_needs_is_refused(make_feed, rows, missing):
    from guichet.transit.services import FeedRefused

    with pytest.raises(FeedRefused) as refused:
        imported(make_feed, "incomplet", transfers__txt=rows)
    notices = [n for n in refused.value.report.samples if n.code == "missing_required_field"]
    assert len(notices) == missing and {n.file for n in notices} == {"transfers.txt"}


def test_in_seat_transfers_between_two_trips_need_no_stops(make_feed):
    rows = "from_trip_id,to_trip_id,transfer_type\nT1,T2,4\nT2,T1,5\n"
    feed = imported(make_feed, "assis", transfers__txt=rows)
    assert Transfer.objects.filter(feed=feed).count() == 2
    (journey,) = plan(feed, "KEN", "AER", "2026-12-07T07:55")
    assert rides(journey)[0][0] == "T1"


TRIP_ROWS = "from_stop_id,to_stop_id,from_trip_id,to_trip_id,from_route_id,transfer_type\n"


@pytest.mark.parametrize(
    ("row", "refused"),
    [
        ("GM1,GM2,T1,F1,,1", None),
        ("GM,GM,T1,F1,R1,2", None),  # T1 serves GM1, a platform of the station named
        ("GM2,GM2,T1,F1,,3", ("transfer_with_invalid_trip_and_stop", "from_stop_id")),
        ("GM1,HAR,T1,T2,,2", ("transfer_with_invalid_trip_and_stop", "to_stop_id")),
        ("GM1,GM2,T1,F1,R2,3", ("transfer_with_invalid_trip_and_route", "from_route_id")),
    ],
)
def test_a_trip_named_in_a_transfer_serves_its_stop_and_belongs_to_its_route(
    make_feed, row, refused
):
    # GTFS transfers.txt: a trip given with a route must belong to it; with a stop, it must
    # call there — else the row never applies (the planner would drop it silently).
    from guichet.transit.services import FeedRefused

    files = {"transfers__txt": TRIP_ROWS + row + "\n"}
    if refused is None:
        assert Transfer.objects.filter(feed=imported(make_feed, "paire", **files)).count() == 1
        return
    with pytest.raises(FeedRefused) as error:
        imported(make_feed, "paire", **files)
    assert [(n.code, n.field) for n in error.value.report.samples if n.severity == "ERROR"] == [
        refused
    ]
