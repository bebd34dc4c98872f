"""Realtime: delays and cancellations as an overlay, the original timetable untouched."""

from datetime import datetime

from guichet.transit.planner import apply_delays, departures, earliest_arrival

from .feeds import network, stop


def _line():
    return network(
        [stop("A", 13.5), stop("B", 13.6), stop("C", 13.7)],
        [
            ("T1", "R", [("A", "08:00:00"), ("B", "08:10:00"), ("C", "08:20:00")]),
            ("T2", "R", [("A", "08:05:00"), ("B", "08:15:00"), ("C", "08:25:00")]),
        ],
    )


def _arrive(timetable):
    journeys = earliest_arrival(
        timetable,
        [(timetable.stop_index("A"), 0)],
        [(timetable.stop_index("C"), 0)],
        datetime(2026, 9, 14, 7, 55),
    )
    return journeys[-1].legs[0].trip_id, journeys[-1].arrival.strftime("%H:%M")


def test_delay_per_stop_list():
    timetable = _line()
    delayed = apply_delays(timetable, {"T1": [120, 120, 120]})
    assert _arrive(delayed) == ("T1", "08:22")
    assert _arrive(timetable) == ("T1", "08:20")  # the original is unchanged


def test_delay_overtaken_by_the_next_trip():
    delayed = apply_delays(_line(), {"T1": [600, 600, 600]})
    assert _arrive(delayed) == ("T2", "08:25")


def test_delay_propagates_from_stop_sequence():
    delayed = apply_delays(_line(), {"T1": {2: 60, 3: 900}})
    board = departures(delayed, "B", datetime(2026, 9, 14, 8, 0), limit=1)
    assert board[0].departure == datetime(2026, 9, 14, 8, 11)
    assert _arrive(delayed) == ("T2", "08:25")


def test_cancelled_trip():
    cancelled = apply_delays(_line(), {"T1": None, "UNKNOWN": None})
    assert _arrive(cancelled) == ("T2", "08:25")
    board = departures(cancelled, "A", datetime(2026, 9, 14, 7), limit=2)
    assert [(d.trip_id, d.departure.day) for d in board] == [("T2", 14), ("T2", 15)]
