"""transfers.txt rows for given trips or routes (GTFS Schedule reference, transfers.txt:
from_trip_id / to_trip_id / from_route_id / to_route_id) hold for that pair of vehicles only,
the most specific row winning (trip > route > stop), and never change a stop's minimum
transfer time for the other vehicles (README.md §3, specific.py)."""

from datetime import datetime

import pytest

from guichet.transit.planner import (
    TransitLeg,
    build_timetable,
    earliest_arrival,
    latest_departure,
    read_feed,
    store,
)

from .feeds import network, stop
from .test_transfers import _arrival, _same_stop_network

STATION_MIN = {"from_stop_id": "B", "to_stop_id": "B", "transfer_type": 2, "min_transfer_time": 180}


def _rule(**fields):
    return {"from_stop_id": "B", "to_stop_id": "B", "min_transfer_time": "", **fields}


def _rides(timetable, source, target):
    journeys = earliest_arrival(
        timetable,
        [(timetable.stop_index(source), 0)],
        [(timetable.stop_index(target), 0)],
        datetime(2026, 9, 14, 7, 55),
    )
    return [leg.trip_id for leg in journeys[-1].legs if isinstance(leg, TransitLeg)]


def _four_trip_network(transfers):
    # T1 reaches B at 08:10; T2, T3, T4 (route R2) leave B at 08:11, 08:15, 08:30.
    return network(
        [stop("A", 13.5), stop("B", 13.6), stop("C", 13.7)],
        [
            ("T1", "R1", [("A", "08:00:00"), ("B", "08:10:00")]),
            ("T2", "R2", [("B", "08:11:00"), ("C", "08:20:00")]),
            ("T3", "R2", [("B", "08:15:00"), ("C", "08:25:00")]),
            ("T4", "R2", [("B", "08:30:00"), ("C", "08:40:00")]),
        ],
        transfers=transfers,
    )


def test_a_guaranteed_trip_pair_allows_a_connection_tighter_than_the_stops_minimum():
    # 08:10 + 180 s misses T2 at 08:11; the timed 0 s T1 → T2 row makes it.
    rows = [STATION_MIN, _rule(from_trip_id="T1", to_trip_id="T2", transfer_type=1)]
    assert _arrival(_four_trip_network(rows), "A", "C") == "08:20:00"
    assert _rides(_four_trip_network(rows), "A", "C") == ["T1", "T2"]


def test_without_the_row_the_stops_minimum_holds():
    assert _arrival(_four_trip_network([STATION_MIN]), "A", "C") == "08:25:00"


def test_a_forbidden_trip_pair_takes_the_next_trip():
    rows = [_rule(from_trip_id="T1", to_trip_id="T2", transfer_type=3)]
    assert _arrival(_four_trip_network(rows), "A", "C") == "08:25:00"
    assert _rides(_four_trip_network(rows), "A", "C") == ["T1", "T3"]


def test_a_route_pair_minimum_longer_than_the_stops_makes_a_tight_connection_impossible():
    # The stop allows 0 s; R1 → R2 needs 600 s: T2 (08:11) and T3 (08:15) are too tight.
    rows = [_rule(from_route_id="R1", to_route_id="R2", transfer_type=2, min_transfer_time=600)]
    assert _arrival(_four_trip_network(rows), "A", "C") == "08:40:00"


def test_a_trip_pair_row_is_more_specific_than_a_route_pair_row():
    rows = [
        _rule(from_route_id="R1", to_route_id="R2", transfer_type=3),
        _rule(from_trip_id="T1", to_trip_id="T3", transfer_type=1),
    ]
    assert _rides(_four_trip_network(rows), "A", "C") == ["T1", "T3"]


def test_a_one_sided_trip_row_applies_to_every_arrival():
    # to_trip_id only (GTFS rank 3): nobody may change onto T2 at B.
    rows = [_rule(to_trip_id="T2", transfer_type=3)]
    assert _rides(_four_trip_network(rows), "A", "C") == ["T1", "T3"]


def test_a_route_row_holds_for_that_route_only():
    # R5's T5 reaches B at 08:10 too: the R1 → R2 minimum does not concern it.
    rows = [_rule(from_route_id="R1", to_route_id="R2", transfer_type=2, min_transfer_time=600)]
    timetable = network(
        [stop("A", 13.5), stop("B", 13.6), stop("C", 13.7), stop("D", 13.4)],
        [
            ("T1", "R1", [("A", "08:00:00"), ("B", "08:10:00")]),
            ("T5", "R5", [("D", "08:00:00"), ("B", "08:10:00")]),
            ("T2", "R2", [("B", "08:11:00"), ("C", "08:20:00")]),
            ("T6", "R2", [("B", "08:30:00"), ("C", "08:40:00")]),
        ],
        transfers=rows,
    )
    assert _arrival(timetable, "D", "C") == "08:20:00"
    assert _arrival(timetable, "A", "C") == "08:40:00"


def test_a_guaranteed_connection_holds_when_another_vehicle_reached_the_stop_first():
    # T0 reaches B first (08:05 + 300 s = 08:10, the stop's best label); T1 arrives at 08:08
    # with a guaranteed connection to T2 at 08:09: the label of T0 must not hide it.
    rows = [
        {"from_stop_id": "B", "to_stop_id": "B", "transfer_type": 2, "min_transfer_time": 300},
        _rule(from_trip_id="T1", to_trip_id="T2", transfer_type=1),
    ]
    timetable = network(
        [stop("A", 13.5), stop("B", 13.6), stop("C", 13.7)],
        [
            ("T0", "R0", [("A", "08:00:00"), ("B", "08:05:00")]),
            ("T1", "R1", [("A", "08:01:00"), ("B", "08:08:00")]),
            ("T2", "R2", [("B", "08:09:00"), ("C", "08:20:00")]),
            ("T3", "R2", [("B", "08:30:00"), ("C", "08:40:00")]),
        ],
        transfers=rows,
    )
    assert _arrival(timetable, "A", "C") == "08:20:00"
    assert _rides(timetable, "A", "C") == ["T1", "T2"]


def test_a_guaranteed_trip_pair_between_two_stops():
    # B and B2 are 111 m apart (121 s walk): T1 → T2 in 60 s across the platform.
    rows = [
        {
            "from_stop_id": "B",
            "to_stop_id": "B2",
            "from_trip_id": "T1",
            "to_trip_id": "T2",
            "transfer_type": 2,
            "min_transfer_time": 60,
        }
    ]
    timetable = network(
        [stop("A", 13.5), stop("B", 13.6), stop("B2", 13.601), stop("C", 13.7)],
        [
            ("T1", "R1", [("A", "08:00:00"), ("B", "08:10:00")]),
            ("T2", "R2", [("B2", "08:11:30"), ("C", "08:20:00")]),
            ("T3", "R2", [("B2", "08:30:00"), ("C", "08:40:00")]),
        ],
        transfers=rows,
    )
    journeys = earliest_arrival(
        timetable,
        [(timetable.stop_index("A"), 0)],
        [(timetable.stop_index("C"), 0)],
        datetime(2026, 9, 14, 7, 55),
    )
    walk = journeys[-1].legs[1]
    assert (walk.from_stop_id, walk.to_stop_id, walk.seconds) == ("B", "B2", 60)
    assert journeys[-1].arrival == datetime(2026, 9, 14, 8, 20)


def test_arrive_by_queries_apply_the_rows_too():
    rows = [STATION_MIN, _rule(from_trip_id="T1", to_trip_id="T2", transfer_type=1)]
    # Without the row, the latest way to be at C by 08:22 leaves the day before.
    cases = ((rows, datetime(2026, 9, 14, 8, 0)), ([STATION_MIN], datetime(2026, 9, 13, 8, 0)))
    for transfers, expected in cases:
        timetable = _four_trip_network(transfers)
        journeys = latest_departure(
            timetable,
            [(timetable.stop_index("A"), 0)],
            [(timetable.stop_index("C"), 0)],
            datetime(2026, 9, 14, 8, 22),
        )
        assert (journeys[-1].departure if journeys else None) == expected


def test_a_stored_timetable_keeps_the_rows(tmp_path):
    rows = [STATION_MIN, _rule(from_trip_id="T1", to_trip_id="T2", transfer_type=1)]
    path = store.save(_four_trip_network(rows), tmp_path / "tt")
    loaded = store.load(path)
    assert loaded is not None and len(loaded.rule_seconds) == 1
    assert _arrival(loaded, "A", "C") == "08:20:00"
    assert _rides(loaded, "A", "C") == ["T1", "T2"]


@pytest.mark.parametrize(
    "specific",
    [
        {"from_trip_id": "T9", "to_trip_id": "T8", "transfer_type": 2, "min_transfer_time": 0},
        {"from_route_id": "R7", "to_route_id": "R2", "transfer_type": 1},
        {"from_trip_id": "T1", "to_trip_id": "T2", "transfer_type": 4},
    ],
)
def test_a_row_for_other_vehicles_keeps_the_stops_minimum_time(specific):
    extra = [("T9", "R7", [("C", "09:00:00"), ("A", "09:10:00")])]
    extra.append(("T8", "R7", [("A", "09:20:00"), ("C", "09:30:00")]))
    row = {"from_stop_id": "B", "to_stop_id": "B", "min_transfer_time": "", **specific}
    for rows in ([STATION_MIN, row], [row, STATION_MIN]):
        timetable = _same_stop_network(transfers=rows, extra=extra)
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


def test_read_feed_applies_trip_transfers_to_their_pair_only(tmp_path):
    # Long Island Rail Road's rows once became stop-wide 0 s transfers (182/200 queries right).
    feed = read_feed(_folder(tmp_path, LIRR_LIKE))
    assert len(feed.transfers.from_stop) == 1
    assert int(feed.transfers.min_transfer_time[0]) == 180
    assert len(feed.trip_transfers) == 1
    assert _arrival(build_timetable(feed), "A", "C") == "08:20:00"  # T1 → T2 in 0 s


def test_the_stops_minimum_still_holds_for_other_trips(tmp_path):
    text = LIRR_LIKE.replace("T1,T2", "T1,T9") + "\n"
    trips = "route_id,service_id,trip_id\nR1,ALL,T1\nR2,ALL,T2\nR2,ALL,T3\nR2,ALL,T9\n"
    folder = _folder(tmp_path, text)
    (folder / "trips.txt").write_text(trips)
    assert _arrival(build_timetable(read_feed(folder)), "A", "C") == "08:25:00"


def test_read_feed_can_set_them_aside(tmp_path):
    feed = read_feed(_folder(tmp_path, LIRR_LIKE), specific_transfers="ignore")
    assert len(feed.trip_transfers) == 0
    assert [(r["from_trip_id"], r["to_trip_id"]) for r in feed.specific_transfers] == [("T1", "T2")]
    assert _arrival(build_timetable(feed), "A", "C") == "08:25:00"


def test_read_feed_can_refuse_them_clearly(tmp_path):
    with pytest.raises(ValueError, match=r"transfers.txt row 3: .*from_trip_id"):
        read_feed(_folder(tmp_path, LIRR_LIKE), specific_transfers="refuse")


def test_an_unknown_trip_in_a_transfer_is_refused(tmp_path):
    text = LIRR_LIKE.replace("T1,T2", "T1,NOPE")
    with pytest.raises(ValueError, match=r"transfers.txt row 3: unknown to_trip_id 'NOPE'"):
        read_feed(_folder(tmp_path, text))


def test_in_seat_transfers_are_set_aside(tmp_path):
    text = LIRR_LIKE.replace("T1,T2,0,0", "T1,T2,4,")
    feed = read_feed(_folder(tmp_path, text))
    assert len(feed.trip_transfers) == 0
    assert [r["transfer_type"] for r in feed.specific_transfers] == ["4"]


def test_an_unknown_transfer_type_is_refused(tmp_path):
    text = "from_stop_id,to_stop_id,transfer_type,min_transfer_time\nB,B,7,\n"
    with pytest.raises(ValueError, match=r"transfers.txt row 2: transfer_type"):
        read_feed(_folder(tmp_path, text))
