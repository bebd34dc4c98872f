"""transfers.txt rows for given trips or routes (GTFS Schedule reference, transfers.txt:
from_trip_id / to_trip_id / from_route_id / to_route_id, transfer_type 0–5) apply to those trips
or routes only: they never change a stop's minimum transfer time for every other vehicle. The
stop-level model (README.md §3) sets them aside, or refuses them on request."""

import pytest

from guichet.transit.planner import build_timetable, read_feed

from .test_transfers import _arrival, _same_stop_network

STATION_MIN = {"from_stop_id": "B", "to_stop_id": "B", "transfer_type": 2, "min_transfer_time": 180}


@pytest.mark.parametrize(
    "specific",
    [
        {"from_trip_id": "T1", "to_trip_id": "T2", "transfer_type": 1},
        {"from_route_id": "R1", "to_route_id": "R2", "transfer_type": 1},
        {"from_trip_id": "T1", "to_trip_id": "T2", "transfer_type": 4},
        {"from_trip_id": "T9", "to_trip_id": "T8", "transfer_type": 2, "min_transfer_time": 0},
    ],
)
def test_a_trip_or_route_transfer_keeps_the_stops_minimum_time(specific):
    row = {"from_stop_id": "B", "to_stop_id": "B", "min_transfer_time": "", **specific}
    for rows in ([STATION_MIN, row], [row, STATION_MIN]):
        timetable = _same_stop_network(transfers=rows)
        # 08:10 arrival + 180 s: T2 at 08:11 is missed, T3 at 08:15 taken.
        assert _arrival(timetable, "A", "C") == "08:25:00"


def _folder(tmp_path, transfers: str):
    files = {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nA,A,https://a.example,UTC\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
        "A,A,13.5,2.1\nB,B,13.6,2.1\nC,C,13.7,2.1\n",
        "routes.txt": "route_id,agency_id,route_short_name,route_type\nR1,A,1,3\nR2,A,2,3\n",
        "trips.txt": "route_id,service_id,trip_id\nR1,ALL,T1\nR2,ALL,T2\nR2,ALL,T3\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "T1,08:00:00,08:00:00,A,1\nT1,08:10:00,08:10:00,B,2\n"
        "T2,08:11:00,08:11:00,B,1\nT2,08:20:00,08:20:00,C,2\n"
        "T3,08:15:00,08:15:00,B,1\nT3,08:25:00,08:25:00,C,2\n",
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
        "start_date,end_date\nALL,1,1,1,1,1,1,1,20260101,20261231\n",
        "transfers.txt": transfers,
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


LIRR_LIKE = (
    "from_stop_id,to_stop_id,from_trip_id,to_trip_id,transfer_type,min_transfer_time\n"
    "B,B,,,2,180\n"
    "B,B,T1,T2,0,0\n"
)


def test_read_feed_sets_trip_transfers_aside(tmp_path):
    feed = read_feed(_folder(tmp_path, LIRR_LIKE))
    assert len(feed.transfers.from_stop) == 1
    assert [(r["from_trip_id"], r["to_trip_id"]) for r in feed.specific_transfers] == [("T1", "T2")]
    assert _arrival(build_timetable(feed), "A", "C") == "08:25:00"


def test_read_feed_can_refuse_them_clearly(tmp_path):
    with pytest.raises(ValueError, match=r"transfers.txt row 3: .*from_trip_id"):
        read_feed(_folder(tmp_path, LIRR_LIKE), specific_transfers="refuse")


def test_an_unknown_transfer_type_is_refused(tmp_path):
    text = "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nB,B,7,\n"
    with pytest.raises(ValueError, match=r"transfers.txt row 2: transfer_type"):
        read_feed(_folder(tmp_path, text))
