"""A due date counted across an Islamic feast not yet announced says so, and moves when the
Government's date differs (issue 12: « a deadline computed on an estimated date says so »)."""

import datetime as dt

import pytest
from django.contrib import admin

from guichet.audit.models import AuditEntry
from guichet.workflow import calendar, services
from guichet.workflow.models import Case, PublicHoliday

D = dt.date
pytestmark = pytest.mark.django_db

# 2028 has no row: the `holidays` package estimates Tabaski on Fri 5 May and the day after on
# Sat 6 May. Counted from Thu 4 May, 1 working day → Mon 8 May, an estimate.
START = D(2028, 5, 4)


@pytest.fixture
def admin_request(rf, make_agent):
    request = rf.post("/admin/")
    request.user = make_agent("admin.jours", "platform_admin", "PRN")
    return request


def _announce(request, day: dt.date, name: str) -> PublicHoliday:
    holiday = PublicHoliday(date=day, name=name, to_confirm=False)
    admin.site._registry[PublicHoliday].save_model(request, holiday, form=None, change=False)
    return holiday


def _case(organisations, days=1, start=START) -> Case:
    return services.open_case(
        kind=Case.Kind.MAIL,
        organisation=organisations["SGG-BC"],
        due_at=calendar.working_day_deadline(start, days),
    )


def test_a_due_date_counted_across_an_estimated_eid_carries_a_notice(organisations):
    case = _case(organisations)
    assert case.due_at == calendar.end_of_day(D(2028, 5, 8))
    assert (case.due_counted_from, case.due_working_days) == (START, 1)
    assert case.due_estimated == [
        ["2028-05-05", "Tabaski (estimé)"],
        ["2028-05-06", "Lendemain de la Tabaski (estimé)"],
    ]
    case.refresh_from_db()
    assert case.deadline_notice == (
        "Date estimée : les fêtes de Tabaski, Lendemain de la Tabaski ne sont pas encore "
        "officiellement fixées."
    )


def test_a_due_date_on_sure_days_has_no_notice(organisations):
    case = _case(organisations, start=D(2028, 6, 5))  # Mon 5 June 2028: no feast near
    assert case.due_estimated == [] and case.deadline_notice == ""


def test_a_due_date_chosen_by_hand_has_no_notice(organisations):
    case = services.open_case(
        kind=Case.Kind.MAIL,
        organisation=organisations["SGG-BC"],
        due_at=calendar.end_of_day(D(2028, 5, 8)),
    )
    assert case.due_working_days is None and case.deadline_notice == ""


def test_announced_on_another_day_the_due_date_moves_and_the_notice_goes(
    organisations, admin_request
):
    case = _case(organisations)
    # The Government announces Tabaski on Sat 6 May and the day after on Sun 7 May: Fri 5 May
    # is a working day again, so the mail is due on Fri 5.
    _announce(admin_request, D(2028, 5, 6), "Aïd el-Kébir (Tabaski)")
    _announce(admin_request, D(2028, 5, 7), "Lendemain de la Tabaski")
    case.refresh_from_db()
    assert case.due_at == calendar.end_of_day(D(2028, 5, 5))
    assert case.due_estimated == [] and case.deadline_notice == ""
    moved = list(
        AuditEntry.objects.filter(action="workflow.holiday_added").values_list(
            "data__deadlines_moved", flat=True
        )
    )
    assert moved == [1, 0]


def test_announced_on_the_estimated_day_the_due_date_stays_and_the_notice_goes(
    organisations, admin_request
):
    case = _case(organisations)
    _announce(admin_request, D(2028, 5, 5), "Aïd el-Kébir (Tabaski)")
    case.refresh_from_db()
    assert case.due_at == calendar.end_of_day(D(2028, 5, 8))
    assert case.deadline_notice == ""


def test_a_deleted_announcement_brings_the_estimate_back(organisations, admin_request):
    case = _case(organisations)
    holiday = _announce(admin_request, D(2028, 5, 6), "Aïd el-Kébir (Tabaski)")
    admin.site._registry[PublicHoliday].delete_model(admin_request, holiday)
    case.refresh_from_db()
    assert case.due_at == calendar.end_of_day(D(2028, 5, 8))
    assert "Tabaski" in case.deadline_notice
    deleted = AuditEntry.objects.get(action="workflow.holiday_deleted")
    assert deleted.object_id == str(holiday.pk) and deleted.data["deadlines_moved"] == 1


def test_a_closed_case_keeps_its_due_date(organisations, admin_request, make_agent):
    case = _case(organisations)
    clerk = make_agent("clerk", "mail_clerk", "SGG-BC")
    services.close(case, actor=clerk, reason="Sans suite")
    _announce(admin_request, D(2028, 5, 6), "Aïd el-Kébir (Tabaski)")
    case.refresh_from_db()
    assert case.due_at == calendar.end_of_day(D(2028, 5, 8))


def test_recounting_reads_the_holidays_once(organisations, django_assert_max_num_queries):
    for days in (1, 2, 3):
        _case(organisations, days=days)
    PublicHoliday.objects.create(date=D(2028, 5, 6), name="Tabaski")
    # The cases (locked), the holidays, one UPDATE per case (and the savepoint's two).
    with django_assert_max_num_queries(2 + 3 + 2):
        assert services.recount_deadlines(2028, 2028) == 3
