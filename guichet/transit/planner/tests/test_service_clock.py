"""GTFS times count from « noon minus 12 h » of the service day (GTFS reference, stop_times.txt:
« effectively midnight except for days on which daylight savings time changes occur »).

The table: New York's days around its 2026 changes (spring forward on Sunday 8 March at 02:00
EST, fall back on Sunday 1 November at 02:00 EDT), with each day's origin as the rule gives it
(noon in the zone of that day, minus 12 hours) and the lengths of the days around it, which are
the engine's day offsets: 23 h before and after the spring change, 25 h around the fall one.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from guichet.transit.planner.journeys import ServiceClock

NEW_YORK = ZoneInfo("America/New_York")
H = 3600

DAYS = [
    # day, its origin (UTC), offsets of D-1 and D+1 (s)
    (date(2026, 3, 7), datetime(2026, 3, 7, 5, 0, tzinfo=UTC), -24 * H, 23 * H),
    (date(2026, 3, 8), datetime(2026, 3, 8, 4, 0, tzinfo=UTC), -23 * H, 24 * H),
    (date(2026, 3, 9), datetime(2026, 3, 9, 4, 0, tzinfo=UTC), -24 * H, 24 * H),
    (date(2026, 10, 31), datetime(2026, 10, 31, 4, 0, tzinfo=UTC), -24 * H, 25 * H),
    (date(2026, 11, 1), datetime(2026, 11, 1, 5, 0, tzinfo=UTC), -25 * H, 24 * H),
    (date(2026, 11, 2), datetime(2026, 11, 2, 5, 0, tzinfo=UTC), -24 * H, 24 * H),
]


@pytest.mark.parametrize(("day", "origin", "before", "after"), DAYS)
def test_each_day_counts_from_noon_minus_12_hours(day, origin, before, after):
    clock = ServiceClock(NEW_YORK)
    assert clock.origin(day) == origin
    assert clock.offsets(day).tolist() == [before, 0, after]


@pytest.mark.parametrize(("day", "origin", "_before", "_after"), DAYS)
def test_every_time_of_the_day_is_written_and_read_back_as_the_same_instant(
    day, origin, _before, _after
):
    clock = ServiceClock("America/New_York")
    for seconds in range(0, 30 * H, 300):  # 00:00:00 to 29:55:00, as GTFS writes them
        local = clock.at(day, seconds)
        instant = local.replace(tzinfo=NEW_YORK).astimezone(UTC)
        assert instant == origin + timedelta(seconds=seconds), (day, seconds, local)
        # Read back on the day of its own date (a query's day), the same instant.
        read_day, read_seconds = clock.split(local)
        assert clock.origin(read_day) + timedelta(seconds=read_seconds) == instant


def test_the_examples_of_the_fall_back_night():
    clock = ServiceClock(NEW_YORK)
    # 26:30:00 on Saturday's service: 06:30 UTC, the second 01:30 of the night (EST).
    second = clock.at(date(2026, 10, 31), 26 * H + 30 * 60)
    assert (second.hour, second.minute, second.fold) == (1, 30, 1)
    assert second.replace(tzinfo=NEW_YORK).utcoffset() == timedelta(hours=-5)
    # 00:30:00 on Sunday's service: its origin is 01:00 EDT, so 01:30 EDT, the first one.
    first = clock.at(date(2026, 11, 1), 30 * 60)
    assert (first.hour, first.minute, first.fold) == (1, 30, 0)


def test_without_a_zone_every_day_starts_at_midnight_and_lasts_24_hours():
    clock = ServiceClock()
    assert clock.offsets(date(2026, 11, 1)).tolist() == [-24 * H, 0, 24 * H]
    assert clock.at(date(2026, 10, 31), 26 * H + 30 * 60) == datetime(2026, 11, 1, 2, 30)
    assert clock.split(datetime(2026, 11, 1, 2, 30)) == (date(2026, 11, 1), 2 * H + 30 * 60)
    assert clock.split((date(2026, 11, 1), 95400)) == (date(2026, 11, 1), 95400)
