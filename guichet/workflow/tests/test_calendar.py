import datetime as dt

import pytest

from guichet.workflow import calendar
from guichet.workflow.models import PublicHoliday

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2024, D(2024, 3, 31)), (2025, D(2025, 4, 20)), (2026, D(2026, 4, 5)), (2027, D(2027, 3, 28))],
)
def test_easter(year, easter):
    assert calendar.easter_sunday(year) == easter


def test_fixed_holidays_of_a_year():
    days = calendar.fixed_holidays(2026)
    assert set(days) == {
        D(2026, 1, 1),
        D(2026, 4, 6),  # Easter Monday
        D(2026, 4, 24),
        D(2026, 5, 1),
        D(2026, 8, 3),
        D(2026, 12, 18),
        D(2026, 12, 25),
    }


def test_islamic_holidays_loaded_to_confirm():
    rows = PublicHoliday.objects.filter(date__year=2026)
    assert rows.count() == 6 and all(r.to_confirm for r in rows)
    assert PublicHoliday.objects.filter(date__year=2027).count() == 6


def test_weekend_is_skipped():
    # Friday 6 Nov 2026 + 1 working day = Monday 9 Nov.
    assert calendar.add_working_days(D(2026, 11, 6), 1) == D(2026, 11, 9)


def test_zero_days_is_the_same_day():
    assert calendar.add_working_days(D(2026, 11, 7), 0) == D(2026, 11, 7)


def test_fixed_holiday_is_skipped():
    # Wed 23 Apr 2026 + 1: Fri 24 Apr is Concord Day → Mon 27 Apr.
    assert calendar.add_working_days(D(2026, 4, 23), 1) == D(2026, 4, 27)


def test_easter_monday_is_skipped():
    # Thu 2 Apr 2026 + 2: Fri 3, (weekend), Mon 6 is Easter Monday → Tue 7.
    assert calendar.add_working_days(D(2026, 4, 2), 2) == D(2026, 4, 7)


def test_administrator_entered_holiday_is_skipped():
    # Tabaski 2026 expected Wed 27 and Thu 28 May: Tue 26 + 1 → Fri 29.
    assert calendar.add_working_days(D(2026, 5, 26), 1) == D(2026, 5, 29)
    PublicHoliday.objects.create(date=D(2026, 5, 29), name="Jour chômé exceptionnel")
    assert calendar.add_working_days(D(2026, 5, 26), 1) == D(2026, 6, 1)


def test_moving_an_islamic_holiday_changes_deadlines():
    PublicHoliday.objects.filter(date=D(2026, 3, 20)).update(date=D(2026, 3, 19), to_confirm=False)
    assert calendar.add_working_days(D(2026, 3, 18), 1) == D(2026, 3, 20)


def test_working_days_between():
    assert calendar.working_days_between(D(2026, 11, 6), D(2026, 11, 9)) == 1
    assert calendar.working_days_between(D(2026, 12, 14), D(2026, 12, 21)) == 4  # 18 Dec off
    assert calendar.working_days_between(D(2026, 11, 9), D(2026, 11, 6)) == 0


@pytest.mark.parametrize("start_day", range(0, 60, 7))
@pytest.mark.parametrize("days", [1, 5, 15, 30])
def test_working_days_between_inverts_add_working_days(start_day, days):
    start = D(2026, 3, 1) + dt.timedelta(days=start_day)
    assert calendar.working_days_between(start, calendar.add_working_days(start, days)) == days


def test_deadline_is_the_end_of_the_local_day():
    deadline = calendar.deadline_after(D(2026, 11, 6), 1)
    local = deadline.astimezone(dt.timezone(dt.timedelta(hours=1)))
    assert (local.date(), local.hour, local.minute) == (D(2026, 11, 9), 23, 59)
