"""Cases opened before workflow 0004 did not record how their due date was counted:
`manage.py backfill_due_counts` records it, so that the estimate notice shows and an announced
feast moves them (issue 12)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.migrations.recorder import MigrationRecorder

from guichet.audit.models import AuditEntry
from guichet.workflow import calendar, services
from guichet.workflow.models import Case

D = dt.date
pytestmark = pytest.mark.django_db
OPENED = calendar.end_of_day(D(2028, 5, 4)) - dt.timedelta(hours=10)  # Thu 4 May 2028
NOTICE = "Date estimée : les fêtes de Tabaski, Lendemain de la Tabaski"


@pytest.fixture(autouse=True)
def _migrated_after_the_cases():
    # The cases below were opened in 2028; workflow 0004 "was applied" after them.
    MigrationRecorder.Migration.objects.filter(app="workflow", name="0004_case_due_count").update(
        applied=calendar.end_of_day(D(2028, 12, 31))
    )


def _old_case(organisations, due_day: dt.date) -> Case:
    """A case as workflow 0003 left it: a due date, no record of how it was counted."""
    case = services.open_case(
        kind=Case.Kind.MAIL, organisation=organisations["SGG-BC"], due_at=None
    )
    Case.objects.filter(pk=case.pk).update(opened_at=OPENED, due_at=calendar.end_of_day(due_day))
    return Case.objects.get(pk=case.pk)


def _run(*args) -> str:
    out = io.StringIO()
    call_command("backfill_due_counts", *args, stdout=out)
    return out.getvalue()


def test_an_old_due_date_gets_its_count_and_its_estimate_notice(organisations):
    # Failed before (no command): the old case had no notice, though Mon 8 May 2028 was counted
    # across Tabaski, which is not announced for 2028.
    case = _old_case(organisations, D(2028, 5, 8))
    assert case.deadline_notice == ""
    output = _run()
    case.refresh_from_db()
    assert case.due_at == calendar.end_of_day(D(2028, 5, 8))  # the due date does not move
    assert (case.due_counted_from, case.due_working_days) == (D(2028, 5, 4), 1)
    assert NOTICE in case.deadline_notice
    assert "1 (dont 1 estimées)" in output
    entry = AuditEntry.objects.get(action="workflow.due_counts_backfilled")
    assert entry.data == {"counted": 1, "by_hand": 0, "estimated": 1}


def test_a_date_chosen_by_hand_stays_as_it_is(organisations):
    weekend = _old_case(organisations, D(2028, 5, 13))  # a Saturday: nobody counted it
    before_opening = _old_case(organisations, D(2028, 5, 3))
    output = _run()
    for case in (weekend, before_opening):
        case.refresh_from_db()
        assert case.due_working_days is None and case.due_estimated == []
    assert "laissées telles quelles : 2" in output


def test_cases_opened_since_the_migration_are_left_alone(organisations):
    # A due date chosen by hand since workflow 0004 has no count, on purpose.
    MigrationRecorder.Migration.objects.filter(app="workflow", name="0004_case_due_count").update(
        applied=OPENED - dt.timedelta(days=1)
    )
    case = _old_case(organisations, D(2028, 5, 8))
    _run()
    case.refresh_from_db()
    assert case.due_working_days is None


def test_a_dry_run_writes_nothing(organisations):
    case = _old_case(organisations, D(2028, 5, 8))
    output = _run("--dry-run")
    case.refresh_from_db()
    assert case.due_working_days is None
    assert output.startswith("Simulation")
    assert not AuditEntry.objects.filter(action="workflow.due_counts_backfilled").exists()


def test_a_back_filled_case_moves_when_the_feast_is_announced(organisations):
    from guichet.workflow.models import PublicHoliday

    case = _old_case(organisations, D(2028, 5, 8))
    _run()
    # Tabaski announced on Mon 8 May instead of Fri 5: the announced rows replace 2028's
    # estimates, so Fri 5 May is a working day and the mail (1 working day) is due then.
    PublicHoliday.objects.create(date=D(2028, 5, 8), name="Tabaski", to_confirm=False)
    assert services.recount_deadlines(2028, 2028) == 1
    case.refresh_from_db()
    assert case.due_at == calendar.end_of_day(D(2028, 5, 5))
    assert case.deadline_notice == ""
