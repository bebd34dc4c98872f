import datetime as dt

import pytest
from django.utils import timezone

from guichet.workflow import selectors, services
from guichet.workflow.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_agent):
    return {
        "clerk": make_agent("clerk", "mail_clerk", "SGG-BC"),
        "daj": make_agent("daj", "mail_clerk", "SGG-DAJ"),
        "daj2": make_agent("daj2", "mail_clerk", "SGG-DAJ"),
        "head_sgg": make_agent("head_sgg", "head_of_service", "SGG"),
        "head_jo": make_agent("head_jo", "head_of_service", "SGG-JO"),
        "msp": make_agent("msp", "mail_clerk", "MSP-BC"),
        "handler": make_agent("handler", "complaints_handler", "SGG"),
    }


def visible(user, kind="mail"):
    return set(selectors.cases_visible_to(user, kind).values_list("pk", flat=True))


def test_ordinary_cases_scoped_to_units_and_below(organisations, people):
    bc = services.open_case(kind="mail", organisation=organisations["SGG-BC"])
    msp = services.open_case(kind="mail", organisation=organisations["MSP-BC"])
    assert visible(people["clerk"]) == {bc.pk}
    assert visible(people["msp"]) == {msp.pk}
    assert visible(people["head_sgg"]) == {bc.pk}  # SGG-BC is below SGG
    assert visible(people["head_jo"]) == set()
    assert visible(people["daj"]) == set()


def test_kind_needs_its_handling_role(organisations, people):
    services.open_case(kind="mail", organisation=organisations["SGG"])
    complaint = services.open_case(kind="complaint", organisation=organisations["SGG"])
    assert visible(people["handler"]) == set()
    assert visible(people["handler"], "complaint") == {complaint.pk}
    assert visible(people["clerk"], "complaint") == set()


def test_assigned_agent_and_copies_see_the_case(organisations, people):
    case = services.open_case(kind="mail", organisation=organisations["SGG-BC"])
    services.assign(
        case,
        actor=people["clerk"],
        organisation=organisations["SGG-DAJ"],
        agent=people["daj"],
        copies=[people["msp"]],
    )
    assert case.pk in visible(people["daj"])
    assert case.pk in visible(people["daj2"])  # same unit, ordinary mail
    assert case.pk in visible(people["msp"])  # copy in person, from another ministry


def test_confidential_only_to_routed_people_and_their_heads(organisations, people):
    case = services.open_case(kind="mail", organisation=organisations["SGG-BC"], confidential=True)
    services.assign(
        case, actor=people["clerk"], organisation=organisations["SGG-DAJ"], agent=people["daj"]
    )
    assert case.pk in visible(people["daj"])
    assert case.pk not in visible(people["daj2"])  # same unit, not routed to them
    assert case.pk in visible(people["head_sgg"])
    assert case.pk not in visible(people["head_jo"])
    assert case.pk not in visible(people["clerk"])
    assert case.pk not in visible(people["msp"])


def test_confidential_copy_to_a_unit_shows_it_to_that_units_head(organisations, people):
    case = services.open_case(kind="mail", organisation=organisations["SGG-BC"], confidential=True)
    services.assign(
        case,
        actor=people["clerk"],
        organisation=organisations["SGG-DAJ"],
        copies=[organisations["SGG-JO"]],
    )
    assert case.pk in visible(people["head_jo"])
    assert case.pk not in visible(people["daj"])


def test_anonymous_and_citizens_see_nothing(organisations, citizen):
    from django.contrib.auth.models import AnonymousUser

    services.open_case(kind="mail", organisation=organisations["SGG-BC"])
    assert not selectors.cases_visible_to(AnonymousUser(), "mail").exists()
    assert not selectors.cases_visible_to(citizen, "mail").exists()


def test_overdue_cases(organisations):
    now = timezone.now()
    late = services.open_case(
        kind="mail", organisation=organisations["SGG"], due_at=now - dt.timedelta(hours=1)
    )
    services.open_case(kind="mail", organisation=organisations["SGG"], due_at=now + dt.timedelta(1))
    done = services.open_case(
        kind="mail", organisation=organisations["SGG"], due_at=now - dt.timedelta(hours=1)
    )
    services.answer(done, actor=None, public_text="Fait")
    assert list(selectors.overdue_cases(now)) == [late]


# 23:30 UTC is already the next day in Niamey (UTC+1): a period of local days must hold the
# case answered then. The test once read its period from the UTC date and failed in that hour.
@pytest.mark.parametrize(
    "instant", ["2026-12-02T11:00:00+00:00", "2026-12-02T23:30:00+00:00"], ids=["noon", "late"]
)
def test_dashboard(organisations, people, instant):
    import time_machine

    with time_machine.travel(dt.datetime.fromisoformat(instant), tick=False):
        _check_dashboard(organisations, people)


def _check_dashboard(organisations, people):
    now = timezone.now()
    org = organisations["SGG"]
    services.open_case(kind="mail", organisation=org, due_at=now - dt.timedelta(days=1))
    services.open_case(kind="mail", organisation=organisations["SGG-BC"])
    answered = services.open_case(kind="mail", organisation=org)
    Case.objects.filter(pk=answered.pk).update(opened_at=now - dt.timedelta(days=4))
    answered.refresh_from_db()
    services.answer(answered, actor=people["clerk"], public_text="Fait")
    services.open_case(kind="mail", organisation=organisations["MSP-BC"])
    today = timezone.localdate(now)
    figures = selectors.dashboard(org, "mail", (today - dt.timedelta(days=7), today))
    assert figures["to_do"] == 2
    assert figures["overdue"] == 1
    assert figures["handled"] == 1
    assert figures["average_days"] == pytest.approx(4, abs=0.1)
    assert figures["by_status"]["answered"] == 1
    assert figures["received"] == 3
