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


# The days fixed by law, for any year: 1 Jan, Easter Monday, 24 Apr (Concorde), 1 May, 26 Jul
# (anniversary of 26 July 2023, since 2024; a Sunday's holiday is observed on the Monday), 3 Aug
# (Independence), 18 Dec (République), 25 Dec; since 2024 a holiday on a Sunday is also observed on
# the Monday (26 Jul 2026, 3 Aug 2031 are Sundays).
@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (
            2026,
            {
                D(2026, 1, 1),
                D(2026, 4, 6),
                D(2026, 4, 24),
                D(2026, 5, 1),
                D(2026, 7, 26),
                D(2026, 7, 27),
                D(2026, 8, 3),
                D(2026, 12, 18),
                D(2026, 12, 25),
            },
        ),
        (
            2031,
            {
                D(2031, 1, 1),
                D(2031, 4, 14),
                D(2031, 4, 24),
                D(2031, 5, 1),
                D(2031, 7, 26),
                D(2031, 8, 3),
                D(2031, 8, 4),
                D(2031, 12, 18),
                D(2031, 12, 25),
            },
        ),
    ],
)
def test_fixed_holidays_of_any_year(year, expected):
    assert set(calendar.fixed_holidays(year)) == expected
    assert calendar.easter_sunday(year) + dt.timedelta(days=1) in expected


def test_26_july_2026_is_observed_on_monday_27():
    # Fri 24 Jul 2026 + 1 working day: Mon 27 Jul is the observed 26 July → Tue 28 Jul.
    assert calendar.add_working_days(D(2026, 7, 24), 1) == D(2026, 7, 28)


def test_islamic_feasts_of_years_nobody_entered_are_estimated_by_the_library():
    # 2028: no row; Tabaski estimated Fri 5 May 2028 (the day after on Sat 6). Thu 4 May + 1 →
    # Mon 8 May, an estimate: both feasts are inside the count.
    deadline = calendar.working_day_deadline(D(2028, 5, 4), 1)
    assert deadline.day == D(2028, 5, 8)
    assert deadline.estimated == (D(2028, 5, 5), D(2028, 5, 6))
    assert deadline.notice() == (
        "Date estimée : les fêtes de Tabaski, Lendemain de la Tabaski ne sont pas encore "
        "officiellement fixées."
    )


def test_a_feast_estimated_the_day_after_the_due_date_makes_it_an_estimate():
    # Islamic New Year 2028 estimated Thu 25 May. Tue 23 May + 1 → Wed 24 May: announced a day
    # earlier, on Wed 24, the feast would move the due date to Fri 26.
    deadline = calendar.working_day_deadline(D(2028, 5, 23), 1)
    assert (deadline.day, deadline.estimated) == (D(2028, 5, 24), (D(2028, 5, 25),))
    # Two days before the feast, the due date cannot move.
    deadline = calendar.working_day_deadline(D(2028, 5, 22), 1)
    assert (deadline.day, deadline.estimated) == (D(2028, 5, 23), ())


@pytest.mark.parametrize("year", [2028, 2035, 2040])
def test_every_year_has_its_five_islamic_feasts(year):
    estimated = [name for _day, name, estimated in calendar.library_holidays(year) if estimated]
    # Laylat al-Qadr, Korité, Tabaski and the day after, Islamic New Year, Mouloud (two Islamic
    # years can overlap one Gregorian year: at least six entries).
    assert len(estimated) >= 6
    for feast in ("Korité", "Tabaski", "Mouloud"):
        assert any(feast in name for name in estimated), feast
    days = calendar.holiday_calendar(D(year, 1, 1), D(year, 12, 31))
    assert all(day in days for day, _name, _estimated in calendar.library_holidays(year))


def test_dates_announced_by_the_government_replace_the_estimates_of_their_year():
    # Announced: Tabaski on Thu 4 May 2028 and the day after on Fri 5 May.
    PublicHoliday.objects.create(date=D(2028, 5, 4), name="Tabaski", to_confirm=False)
    PublicHoliday.objects.create(date=D(2028, 5, 5), name="Lendemain", to_confirm=False)
    days = calendar.holiday_calendar(D(2028, 1, 1), D(2028, 12, 31))
    assert D(2028, 5, 6) not in days  # the estimate (Sat 6 May) is gone
    assert not any(holiday.estimated for holiday in days.values())
    deadline = calendar.working_day_deadline(D(2028, 5, 3), 1)
    assert deadline == calendar.Deadline(D(2028, 5, 8), ())


def test_an_exceptional_day_keeps_the_estimates_of_its_year():
    PublicHoliday.objects.create(
        date=D(2028, 3, 1), name="Journée exceptionnelle", moon_dependent=False
    )
    days = calendar.holiday_calendar(D(2028, 1, 1), D(2028, 12, 31))
    assert D(2028, 3, 1) in days
    assert days[D(2028, 5, 5)].estimated


def test_a_deadline_on_sure_days_says_nothing():
    deadline = calendar.working_day_deadline(D(2026, 11, 6), 1)
    assert deadline == calendar.Deadline(D(2026, 11, 9), ())
    assert deadline.notice() == ""


def test_an_administrator_s_holiday_change_is_audited(rf, make_agent):
    from django.contrib import admin

    from guichet.audit.models import AuditEntry

    admin_user = make_agent("admin.jours", "platform_admin", "PRN")
    request = rf.post("/admin/")
    request.user = admin_user
    model_admin = admin.site._registry[PublicHoliday]
    holiday = PublicHoliday(date=D(2029, 4, 20), name="Tabaski", to_confirm=False)
    model_admin.save_model(request, holiday, form=None, change=False)
    holiday.name = "Aïd el-Kébir (Tabaski)"
    model_admin.save_model(request, holiday, form=None, change=True)
    model_admin.delete_model(request, holiday)
    actions = list(
        AuditEntry.objects.filter(action__startswith="workflow.holiday").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "workflow.holiday_added",
        "workflow.holiday_changed",
        "workflow.holiday_deleted",
    ]


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


def test_a_holiday_entered_applies_at_once_to_the_next_deadline(django_assert_num_queries):
    """Deadlines read the holidays through a per-process memo (HOLIDAY_MEMO_SECONDS): saving or
    deleting a row forgets it in this process."""
    assert calendar.working_day_deadline(D(2028, 3, 1), 1).day == D(2028, 3, 2)
    with django_assert_num_queries(0):
        assert calendar.working_day_deadline(D(2028, 3, 1), 1).day == D(2028, 3, 2)
    day = PublicHoliday.objects.create(date=D(2028, 3, 2), name="Journée", moon_dependent=False)
    assert calendar.working_day_deadline(D(2028, 3, 1), 1).day == D(2028, 3, 3)
    day.delete()
    assert calendar.working_day_deadline(D(2028, 3, 1), 1).day == D(2028, 3, 2)
