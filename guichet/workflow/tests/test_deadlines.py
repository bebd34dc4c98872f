import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from guichet.notifications.models import Message
from guichet.workflow import calendar, services
from guichet.workflow.deadlines import check_deadlines

pytestmark = pytest.mark.django_db

# Monday 9 November 2026, 10:00 in Niamey.
MONDAY = dt.datetime(2026, 11, 9, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture
def agent(make_agent):
    return make_agent("agent", "mail_clerk", "SGG-DAJ", phone_number="+22790000002")


@pytest.fixture
def due_tuesday(organisations, clerk, agent):
    with time_machine.travel(MONDAY, tick=False):
        case = services.open_case(kind="mail", organisation=organisations["SGG-BC"])
        services.assign(
            case,
            actor=clerk,
            organisation=organisations["SGG-DAJ"],
            agent=agent,
            due_at=calendar.deadline_after(MONDAY, 1),
        )
    return case


def test_reminder_before_the_deadline_to_the_assignee_once(due_tuesday, agent, head):
    with time_machine.travel(MONDAY, tick=False):
        assert check_deadlines() == {"reminders": 1, "escalations": 0}
        assert check_deadlines() == {"reminders": 0, "escalations": 0}
    messages = Message.objects.filter(template="workflow/case_reminder")
    assert [m.recipient for m in messages] == ["+22790000002"]
    due_tuesday.refresh_from_db()
    assert due_tuesday.reminder_sent_at is not None
    assert due_tuesday.events.filter(kind="reminder").count() == 1


def test_no_reminder_when_the_deadline_is_far(organisations, clerk, agent):
    with time_machine.travel(MONDAY, tick=False):
        case = services.open_case(
            kind="mail",
            organisation=organisations["SGG-BC"],
            due_at=calendar.deadline_after(MONDAY, 5),
        )
        assert check_deadlines() == {"reminders": 0, "escalations": 0}
    case.refresh_from_db()
    assert case.reminder_sent_at is None


def test_overdue_case_escalated_to_heads_once(due_tuesday, head, agent):
    wednesday = MONDAY + dt.timedelta(days=2)
    with time_machine.travel(wednesday, tick=False):
        first = check_deadlines()
        second = check_deadlines()
    assert first["escalations"] == 1 and second["escalations"] == 0
    escalations = Message.objects.filter(template="workflow/case_escalated")
    assert [m.recipient for m in escalations] == ["+22790000001"]  # head of SGG, above SGG-DAJ
    assert "en retard" in escalations[0].body
    due_tuesday.refresh_from_db()
    assert due_tuesday.escalated_at is not None
    event = due_tuesday.events.get(kind="escalated")
    assert event.data["recipients"] == ["head"] and event.is_internal


def test_answered_case_is_not_escalated(due_tuesday, head, agent):
    services.answer(due_tuesday, actor=agent, public_text="Fait")
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        assert check_deadlines()["escalations"] == 0


def test_new_deadline_gets_a_new_reminder(due_tuesday, clerk, organisations, agent):
    with time_machine.travel(MONDAY, tick=False):
        check_deadlines()
    later = MONDAY + dt.timedelta(days=7)
    with time_machine.travel(later, tick=False):
        services.assign(
            due_tuesday,
            actor=clerk,
            organisation=organisations["SGG-DAJ"],
            agent=agent,
            due_at=calendar.deadline_after(later, 1),
        )
        assert check_deadlines()["reminders"] == 1


def test_command(due_tuesday, capsys):
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        call_command("check_deadlines")
    assert "1 signalement" in capsys.readouterr().out
    assert timezone.now()  # the clock is back
