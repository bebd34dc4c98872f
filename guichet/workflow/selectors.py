"""Reads over cases: who sees which case, what is overdue, a unit's dashboard."""

import datetime as dt
from statistics import mean, median

from django.db.models import Q, QuerySet
from django.utils import timezone

from guichet.accounts.models import Organisation, Role
from guichet.accounts.selectors import organisations_with_role
from guichet.workflow import calendar
from guichet.workflow.models import Case

# The roles that handle each kind of case in their units (heads of service see every kind).
HANDLING_ROLES: dict[str, tuple[str, ...]] = {
    Case.Kind.MAIL: (Role.MAIL_CLERK, Role.HEAD_OF_SERVICE),
    Case.Kind.COMPLAINT: (Role.COMPLAINTS_HANDLER, Role.HEAD_OF_SERVICE),
}


def _units(user, role_codes) -> QuerySet[Organisation]:
    units = Organisation.objects.none()
    for role_code in role_codes:
        units = units | organisations_with_role(user, role_code)
    return units


def cases_visible_to(user, kind: str) -> QuerySet[Case]:
    """Cases of `kind` that `user` may see.

    Ordinary cases: those handled by the units where the user holds a handling role (and the units
    below), those routed or copied to those units, and those routed or copied to the user.
    Confidential cases: only those routed or copied to the user in person, and for heads of
    service those handled by, routed or copied to their units.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Case.objects.none()
    units = _units(user, HANDLING_ROLES.get(kind, (Role.HEAD_OF_SERVICE,))).values("pk")
    head_units = organisations_with_role(user, Role.HEAD_OF_SERVICE).values("pk")
    routed_to_user = Q(assigned_to=user) | Q(assignments__active=True, assignments__to_user=user)
    in_units = Q(organisation__in=units) | Q(
        assignments__active=True, assignments__to_organisation__in=units
    )
    in_head_units = Q(organisation__in=head_units) | Q(
        assignments__active=True, assignments__to_organisation__in=head_units
    )
    condition = (Q(confidential=False) & (in_units | routed_to_user)) | (
        Q(confidential=True) & (routed_to_user | in_head_units)
    )
    matching = Case.objects.filter(kind=kind).filter(condition).values("pk")
    # The joins through assignments may repeat a case: filter on the ids instead of distinct().
    return Case.objects.filter(pk__in=matching)


def overdue_cases(now: dt.datetime | None = None, kind: str | None = None) -> QuerySet[Case]:
    now = now or timezone.now()
    cases = Case.objects.filter(status__in=Case.OPEN_STATUSES, due_at__lt=now)
    if kind:
        cases = cases.filter(kind=kind)
    return cases


def due_soon_cases(now: dt.datetime, working_days: int = 1) -> QuerySet[Case]:
    """Open cases not yet overdue whose deadline falls within `working_days` working days."""
    horizon = calendar.deadline_after(now, working_days)
    return Case.objects.filter(status__in=Case.OPEN_STATUSES, due_at__gte=now, due_at__lte=horizon)


def dashboard(
    organisation: Organisation,
    kind: str,
    period: tuple[dt.date, dt.date] | None = None,
    now: dt.datetime | None = None,
) -> dict:
    """Figures of a unit and the units below it: to do, overdue, received and handled in the
    period, average and median handling time (opening → answer, or closing when not answered) in
    days and in working days."""
    now = now or timezone.now()
    cases = Case.objects.using("readonly").filter(
        kind=kind, organisation__path__startswith=organisation.path
    )
    open_cases = cases.filter(status__in=Case.OPEN_STATUSES)
    by_status = {status: 0 for status in Case.Status.values}
    for status in cases.values_list("status", flat=True):
        by_status[status] += 1
    handled = cases.exclude(answered_at__isnull=True, closed_at__isnull=True)
    received = cases
    if period is not None:
        start, end = period
        start_at = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
        end_at = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
        received = cases.filter(opened_at__gte=start_at, opened_at__lt=end_at)
        handled = handled.filter(
            Q(answered_at__gte=start_at, answered_at__lt=end_at)
            | Q(answered_at__isnull=True, closed_at__gte=start_at, closed_at__lt=end_at)
        )
    spans = [
        (opened, answered or closed)
        for opened, answered, closed in handled.values_list("opened_at", "answered_at", "closed_at")
    ]
    holidays = (
        calendar.holidays_between(
            timezone.localtime(min(o for o, _d in spans)).date(),
            timezone.localtime(max(d for _o, d in spans)).date(),
        )
        if spans
        else {}
    )
    durations = [(done - opened).total_seconds() / 86400 for opened, done in spans]
    working = [calendar.working_days_between(o, d, holidays) for o, d in spans]
    return {
        "to_do": open_cases.count(),
        "overdue": open_cases.filter(due_at__lt=now).count(),
        "received": received.count(),
        "handled": len(durations),
        "by_status": by_status,
        "average_days": round(mean(durations), 1) if durations else None,
        "median_days": round(median(durations), 1) if durations else None,
        "average_working_days": round(mean(working), 1) if working else None,
    }
