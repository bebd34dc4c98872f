"""Realtime: delays and cancellations as an overlay, the original timetable untouched."""

from datetime import UTC, date, datetime

from guichet.transit.planner import (
    apply_delays,
    current_service_date,
    departures,
    earliest_arrival,
)

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


# -- One trip instance: (trip_id, service_date) keys -----------------------------------------------
# N runs every day from 23:50 to 00:20 (GTFS 24:20): at 00:10 on the 14th, the instance of the
# 13th is on its way while that of the 14th leaves in the evening.

THIRTEENTH, FOURTEENTH, FIFTEENTH = date(2026, 9, 13), date(2026, 9, 14), date(2026, 9, 15)


def _night():
    return network(
        [stop("A", 13.5), stop("B", 13.6), stop("C", 13.7)],
        [
            ("T1", "R", [("A", "08:00:00"), ("B", "08:10:00"), ("C", "08:20:00")]),
            ("N", "R", [("A", "23:50:00"), ("B", "24:05:00"), ("C", "24:20:00")]),
            ("F", "R", [("A", "06:00:00"), ("B", "06:10:00"), ("C", "06:20:00")]),
        ],
        frequencies=[
            {"trip_id": "F", "start_time": "06:00:00", "end_time": "07:00:00", "headway_secs": 1800}
        ],
    )


def _times(timetable, stop_id, at, trip_id, limit=10):
    """(service_date, departure) of `trip_id` on the board of `stop_id` from `at`."""
    return [
        (d.service_date, d.departure)
        for d in departures(timetable, stop_id, at, limit=limit)
        if d.trip_id == trip_id
    ]


def test_dated_delay_moves_only_that_instance_past_midnight():
    timetable = _night()
    delayed = apply_delays(timetable, {("N", THIRTEENTH): {2: 600}})
    # the 13th's instance, still running at 00:00 on the 14th, is late at B
    assert _times(delayed, "B", datetime(2026, 9, 14, 0, 0), "N", limit=1) == [
        (THIRTEENTH, datetime(2026, 9, 14, 0, 15))
    ]
    # the 14th's instance keeps its schedule (it reaches B at 00:05 on the 15th)
    assert _times(delayed, "B", datetime(2026, 9, 15, 0, 0), "N", limit=1) == [
        (FOURTEENTH, datetime(2026, 9, 15, 0, 5))
    ]
    journeys = earliest_arrival(
        delayed,
        [(delayed.stop_index("B"), 0)],
        [(delayed.stop_index("C"), 0)],
        datetime(2026, 9, 14, 0, 0),
    )
    assert journeys[-1].arrival == datetime(2026, 9, 14, 0, 30)
    later = earliest_arrival(
        delayed,
        [(delayed.stop_index("A"), 0)],
        [(delayed.stop_index("C"), 0)],
        datetime(2026, 9, 14, 23, 0),
    )
    assert later[-1].arrival == datetime(2026, 9, 15, 0, 20)
    # the original timetable and its service bitmap are untouched
    assert timetable.service_days.shape[0] == 1
    assert _times(timetable, "B", datetime(2026, 9, 14, 0, 0), "N", limit=1) == [
        (THIRTEENTH, datetime(2026, 9, 14, 0, 5))
    ]


def test_dated_cancellation_keeps_yesterdays_instance_running():
    cancelled = apply_delays(_night(), {("N", FOURTEENTH): None})
    assert _times(cancelled, "B", datetime(2026, 9, 14, 0, 0), "N", limit=1) == [
        (THIRTEENTH, datetime(2026, 9, 14, 0, 5))
    ]
    # nothing of the 14th's instance: the next N leaves on the 15th
    assert _times(cancelled, "A", datetime(2026, 9, 14, 23, 0), "N", limit=5) == [
        (FIFTEENTH, datetime(2026, 9, 15, 23, 50))
    ]


def test_several_dated_instances_of_one_trip_combine():
    delayed = apply_delays(
        _night(),
        {("N", THIRTEENTH): [300, 300, 300], ("N", FOURTEENTH): None, ("N", FIFTEENTH): {2: 60}},
    )
    assert [
        _times(delayed, "B", datetime(2026, 9, day, 0, 0), "N", limit=1) for day in (14, 15, 16, 17)
    ] == [
        [(THIRTEENTH, datetime(2026, 9, 14, 0, 10))],
        [],  # the 14th's instance (at B on the 15th) is cancelled
        [(FIFTEENTH, datetime(2026, 9, 16, 0, 6))],
        [(date(2026, 9, 16), datetime(2026, 9, 17, 0, 5))],  # other days on schedule
    ]


def test_undated_keys_still_apply_every_day():
    for key in ("N", ("N", None)):
        delayed = apply_delays(_night(), {key: [60, 60, 60]})
        for day in (14, 15):
            assert _times(delayed, "A", datetime(2026, 9, day, 23, 0), "N", limit=1)[0][1] == (
                datetime(2026, 9, day, 23, 51)
            )


def test_dated_delay_of_a_frequency_trip_moves_all_its_vehicles_that_day():
    delayed = apply_delays(_night(), {("F", FOURTEENTH): [60, 60, 60]})
    assert [t for _d, t in _times(delayed, "A", datetime(2026, 9, 14, 5, 0), "F", limit=3)] == [
        datetime(2026, 9, 14, 6, 1),
        datetime(2026, 9, 14, 6, 31),
    ]
    assert [t for _d, t in _times(delayed, "A", datetime(2026, 9, 15, 5, 0), "F", limit=3)] == [
        datetime(2026, 9, 15, 6, 0),
        datetime(2026, 9, 15, 6, 30),
    ]


def test_dated_delay_on_a_day_the_trip_does_not_run_changes_nothing():
    delayed = apply_delays(_night(), {("N", date(2027, 3, 1)): None})
    assert _times(delayed, "A", datetime(2026, 9, 14, 23, 0), "N", limit=1) == [
        (FOURTEENTH, datetime(2026, 9, 14, 23, 50))
    ]


def test_current_instance_without_start_date():
    timetable = _night()
    # running at 00:10: the 13th's instance
    assert current_service_date(timetable, "N", datetime(2026, 9, 14, 0, 10)) == THIRTEENTH
    # none running at noon: the next one
    assert current_service_date(timetable, "N", datetime(2026, 9, 14, 12, 0)) == FOURTEENTH
    # after the calendar's last day (31 December): the last one that ran
    assert current_service_date(timetable, "N", datetime(2027, 1, 1, 12, 0)) == date(2026, 12, 31)
    assert current_service_date(timetable, "T1", datetime(2027, 1, 3, 12, 0)) is None
    assert current_service_date(timetable, "UNKNOWN", datetime(2026, 9, 14, 12, 0)) is None
    # an aware instant is read in the network's zone (00:10 in Niamey is 23:10 UTC)
    utc = datetime(2026, 9, 13, 23, 10, tzinfo=UTC)
    assert current_service_date(timetable, "N", utc, "Africa/Niamey") == THIRTEENTH
    # a frequency-based trip runs from its first vehicle's departure to its last one's arrival
    assert current_service_date(timetable, "F", datetime(2026, 9, 14, 6, 45)) == FOURTEENTH
    assert current_service_date(timetable, "F", datetime(2026, 9, 14, 7, 0)) == FIFTEENTH
