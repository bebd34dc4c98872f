"""Deadline watch: a reminder to the assignee before the deadline, escalation to the heads of
service once it has passed. Run by `manage.py check_deadlines` and the Celery task
`guichet.workflow.tasks.check_deadlines` (every hour is plenty: both steps are idempotent, each
case being reminded and escalated at most once per deadline).
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guichet.accounts.models import Role, User
from guichet.accounts.selectors import agents_with_role
from guichet.notifications.services import notify
from guichet.workflow import selectors, services
from guichet.workflow.models import Case

logger = logging.getLogger(__name__)

# kind → fn(case) -> {"reference": str, "subject": str, "url": str}; domain apps register theirs.
_describers: dict[str, Callable[[Case], dict]] = {}


def register_case_describer(kind: str, describer: Callable[[Case], dict]) -> None:
    """How notifications name a case of `kind` (its registration number, subject and page)."""
    _describers[kind] = describer


def describe(case: Case) -> dict:
    base = {"reference": f"#{case.pk}", "subject": case.get_kind_display(), "url": ""}
    describer = _describers.get(case.kind)
    if describer is not None:
        base.update(describer(case))
    if base["url"] and base["url"].startswith("/"):
        base["url"] = getattr(settings, "SITE_URL", "") + base["url"]
    return base


def reminder_recipients(case: Case) -> list[User]:
    if case.assigned_to_id and case.assigned_to.is_active:
        return [case.assigned_to]
    # Nobody in person yet: the unit's handlers (not its heads, who hear of it when overdue).
    roles = [r for r in selectors.HANDLING_ROLES.get(case.kind, ()) if r != Role.HEAD_OF_SERVICE]
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=case.organisation,
            memberships__role__code__in=roles,
        ).distinct()
    )


def escalation_recipients(case: Case) -> list[User]:
    return list(agents_with_role(Role.HEAD_OF_SERVICE, case.organisation))


def _tell(users, *, template: str, context: dict, case: Case) -> int:
    sent = 0
    for user in users:
        if not (user.phone_number or user.email):
            logger.warning(
                "Agent %s has neither phone nor email: not told of case %s", user, case.pk
            )
            continue
        notify(
            phone=user.phone_number or None,
            email=user.email or None,
            template=template,
            context={**context, "agent": user},
            language=user.preferred_language or "fr",
            related=case,
        )
        sent += 1
    return sent


def check_deadlines(now=None) -> dict[str, int]:
    """Send due reminders and escalations; returns how many cases got each."""
    now = now or timezone.now()
    days = getattr(settings, "WORKFLOW_REMINDER_WORKING_DAYS", 1)
    counts = {"reminders": 0, "escalations": 0}
    for case in (
        selectors.due_soon_cases(now, days)
        .filter(reminder_sent_at__isnull=True)
        .select_related("assigned_to", "organisation")
    ):
        with transaction.atomic():
            recipients = reminder_recipients(case)
            if services.send_reminder(case, recipients=recipients) is None:
                continue  # another run got there first
            context = {"case": case, **describe(case)}
            _tell(recipients, template="workflow/case_reminder", context=context, case=case)
            counts["reminders"] += 1
    for case in (
        selectors.overdue_cases(now)
        .filter(escalated_at__isnull=True)
        .select_related("assigned_to", "organisation")
    ):
        with transaction.atomic():
            recipients = escalation_recipients(case)
            if services.escalate(case, recipients=recipients) is None:
                continue
            context = {"case": case, **describe(case)}
            _tell(recipients, template="workflow/case_escalated", context=context, case=case)
            counts["escalations"] += 1
    return counts
