"""Every write to a case: one function per action, each one transaction with its `CaseEvent` and
its audit entry. Domain apps (correspondence, complaints) call these; they never set
`Case.status` themselves.

Public API
----------
- ``open_case(*, kind, organisation, actor=None, due_at=None, confidential=False) -> Case``;
  `due_at` (here and in `assign`) is a datetime or a `calendar.Deadline` counted in working days
- ``assign(case, *, actor, organisation, agent=None, instructions="", copies=(), due_at=None)``
  routes ("impute") the case to a unit and optionally an agent of it; `copies` are units or agents
  (Organisation or User instances) that get it for information. Reassigning is allowed while open.
- ``start(case, *, actor)``: assigned → in progress.
- ``answer(case, *, actor, public_text)``: the answer the requester sees.
- ``close(case, *, actor, reason="")``: a reason is required unless the case was answered.
- ``reject(case, *, actor, reason)``: reason required.
- ``reopen(case, *, actor, text)``: answered/closed/rejected → in progress (actor may be None for
  a requester reopening their complaint).
- ``add_note(case, *, actor, text, internal=True)``: internal notes stay out of the public history.
- ``record_requester_reply(case, *, text, actor=None)``: the requester (citizen) wrote back.
- ``record_event(case, *, kind, actor=None, text="", data=None, internal=False)``: a domain event
  that changes no status (e.g. "rated", "confirmed").
- ``recount_deadlines(first, last) -> int``: after a holiday of the years `first`…`last` was
  entered, changed or deleted, counts again the open cases' due dates counted in working days;
  returns how many moved.
- ``backfill_due_counts(*, dry_run=False) -> dict``: once, for cases opened before workflow 0004,
  records how their due date was counted (see its docstring for what can and cannot be known).
- ``send_reminder(case, *, recipients)`` and ``escalate(case, *, recipients)``: used by
  ``check_deadlines``; each at most once per deadline.

An impossible transition raises ``InvalidTransition`` (a ``ValidationError`` with a French
message); nothing is written then.

Listeners: ``register_case_listener(kind, fn)`` registers ``fn(case, event)``, called after the
transaction commits for every event of a case of that kind (filter on ``event.kind`` /
``event.to_status``), so that complaints can text the citizen without the core knowing SMS.
A failing listener is logged and never undoes the committed change.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet import locks
from guichet.accounts.models import Membership, Organisation, User
from guichet.audit.actions import Workflow, workflow_case_action
from guichet.audit.services import record
from guichet.workflow import calendar
from guichet.workflow.models import Case, CaseAssignment, CaseEvent

logger = logging.getLogger(__name__)
S = Case.Status
E = CaseEvent.Kind


class InvalidTransition(ValidationError):
    """The case's status does not allow this action."""


# action → statuses it may start from. The target status is fixed per action (see below).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "assign": (S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS),
    "start": (S.ASSIGNED,),
    "answer": (S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS),
    "close": (S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED),
    "reject": (S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS),
    "reopen": (S.ANSWERED, S.CLOSED, S.REJECTED),
    "requester_reply": (S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED),
}

_ACTION_LABELS = {
    "assign": gettext_lazy("imputer"),
    "start": gettext_lazy("prendre en charge"),
    "answer": gettext_lazy("répondre à"),
    "close": gettext_lazy("clore"),
    "reject": gettext_lazy("rejeter"),
    "reopen": gettext_lazy("rouvrir"),
    "requester_reply": gettext_lazy("ajouter un message à"),
}

_listeners: dict[str, list[Callable]] = defaultdict(list)


def register_case_listener(kind: str, listener: Callable[[Case, CaseEvent], None]) -> None:
    """Call `listener(case, event)` after commit for every event of cases of `kind`."""
    if listener not in _listeners[kind]:
        _listeners[kind].append(listener)


def unregister_case_listener(kind: str, listener: Callable) -> None:
    if listener in _listeners[kind]:
        _listeners[kind].remove(listener)


def can(case: Case, action: str) -> bool:
    return case.status in TRANSITIONS[action]


def _check(case: Case, action: str) -> None:
    if not can(case, action):
        raise InvalidTransition(
            _("Impossible de %(action)s ce dossier : il est « %(status)s ».")
            % {"action": _ACTION_LABELS[action], "status": case.get_status_display()},
            code="invalid_transition",
        )


def _locked(case: Case) -> Case:
    """Re-read the case under a row lock: two agents acting at once must not both pass the check."""
    fresh = locks.rows(Case.objects.all()).get(pk=case.pk)
    for field in Case._meta.concrete_fields:
        setattr(case, field.attname, getattr(fresh, field.attname))
    return case


def _notify_listeners(case: Case, event: CaseEvent) -> None:
    def run():
        for listener in list(_listeners.get(case.kind, ())):
            try:
                listener(case, event)
            except Exception:  # a listener must not break the action that committed
                logger.exception("Case listener %r failed for event %s", listener, event.pk)

    transaction.on_commit(run)


def _event(
    case: Case,
    *,
    kind: str,
    actor=None,
    from_status: str = "",
    to_status: str = "",
    text: str = "",
    internal: bool = False,
    data: dict | None = None,
) -> CaseEvent:
    actor = actor if getattr(actor, "is_authenticated", False) else None
    event = CaseEvent.objects.create(
        case=case,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        text=text,
        is_internal=internal,
        data=data or {},
    )
    record(
        workflow_case_action(kind),
        actor=actor,
        organisation=case.organisation,
        target=case,
        data={"kind": case.kind, "from": from_status, "to": to_status, **(data or {})},
    )
    _notify_listeners(case, event)
    return event


def _require_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, code="required")
    return value


DUE_FIELDS = [
    "due_at",
    "due_counted_from",
    "due_working_days",
    "due_estimated",
    "reminder_sent_at",
    "escalated_at",
]


def _set_due(case: Case, due) -> list[str]:
    """Set the due date from a `calendar.Deadline` (counted in working days: it remembers how,
    and the estimated feasts it crossed) or a datetime (a date chosen by hand); returns the
    fields changed. A new deadline deserves its own reminder and escalation."""
    if isinstance(due, calendar.Deadline):
        case.due_at = calendar.end_of_day(due.day)
        case.due_counted_from = due.start
        case.due_working_days = due.days
        case.due_estimated = due.estimated_feasts()
    else:
        case.due_at = due
        case.due_counted_from = case.due_working_days = None
        case.due_estimated = []
    case.reminder_sent_at = None
    case.escalated_at = None
    return DUE_FIELDS


@transaction.atomic
def recount_deadlines(first: int, last: int) -> int:
    """Count again the due dates of the open cases whose count touches the years `first` to
    `last`, after a public holiday of those years changed (the caller audits that change, in
    the same transaction). Their estimated feasts are refreshed too (an announced date is no
    longer an estimate); returns how many due dates moved."""
    cases = list(
        locks.rows(
            Case.objects.filter(
                status__in=Case.OPEN_STATUSES,
                due_working_days__isnull=False,
                due_counted_from__lte=dt.date(last, 12, 31),
                due_at__gte=calendar.end_of_day(dt.date(first, 1, 1) - dt.timedelta(days=1)),
            ).order_by("pk")
        )
    )
    if not cases:
        return 0
    start = min(case.due_counted_from for case in cases)
    end = max(timezone.localtime(case.due_at).date() for case in cases)
    holidays = calendar.holiday_calendar(start, end + dt.timedelta(days=60))
    moved = 0
    for case in cases:
        deadline = calendar.working_day_deadline(
            case.due_counted_from, case.due_working_days, holidays
        )
        due_at = calendar.end_of_day(deadline.day)
        feasts = deadline.estimated_feasts()
        if due_at == case.due_at and feasts == case.due_estimated:
            continue
        fields = ["due_estimated", "updated_at"]
        if due_at != case.due_at:
            moved += 1
            fields = [*_set_due(case, deadline), "updated_at"]
        case.due_estimated = feasts
        case.save(update_fields=fields)
    return moved


# The migration that taught cases to remember how their due date was counted.
DUE_COUNT_MIGRATION = ("workflow", "0004_case_due_count")


@transaction.atomic
def backfill_due_counts(*, dry_run: bool = False) -> dict[str, int]:
    """Give the open cases opened before workflow 0004 the record of how their due date was
    counted (`due_counted_from`, `due_working_days`, `due_estimated`), so that the estimate
    notice shows and `recount_deadlines` counts them again. Run by `manage.py
    backfill_due_counts`; one audit entry with the counts (none for a dry run).

    Nothing says whether an old due date was counted or chosen by hand: a due date on a working
    day after the opening is taken as counted in working days from the opening day (the count
    that gives that very day, so no due date moves); one on a weekend or holiday, or not after
    the opening, was chosen by hand and stays as it is. Returns {"counted", "by_hand", "estimated"}."""
    from django.db.migrations.recorder import MigrationRecorder

    applied = (
        MigrationRecorder.Migration.objects.filter(
            app=DUE_COUNT_MIGRATION[0], name=DUE_COUNT_MIGRATION[1]
        )
        .values_list("applied", flat=True)
        .first()
    )
    counts = {"counted": 0, "by_hand": 0, "estimated": 0}
    if applied is None:  # pragma: no cover - the field this fills would not exist
        return counts
    cases = list(
        locks.rows(
            Case.objects.filter(
                status__in=Case.OPEN_STATUSES,
                due_at__isnull=False,
                due_working_days__isnull=True,
                opened_at__lt=applied,
            )
        )
    )
    if not cases:
        return counts
    start = min(timezone.localtime(case.opened_at).date() for case in cases)
    end = max(timezone.localtime(case.due_at).date() for case in cases)
    holidays = calendar.holiday_calendar(start, end + dt.timedelta(days=60))
    for case in cases:
        opened = timezone.localtime(case.opened_at).date()
        due_day = timezone.localtime(case.due_at).date()
        if due_day <= opened or not calendar.is_working_day(due_day, holidays):
            counts["by_hand"] += 1
            continue
        days = calendar.working_days_between(opened, due_day, holidays)
        deadline = calendar.working_day_deadline(opened, days, holidays)
        if deadline.day != due_day:  # pragma: no cover - the count above gives that day
            counts["by_hand"] += 1
            continue
        counts["counted"] += 1
        counts["estimated"] += deadline.is_estimate
        case.due_counted_from = deadline.start
        case.due_working_days = deadline.days
        case.due_estimated = deadline.estimated_feasts()
        if not dry_run:
            case.save(update_fields=["due_counted_from", "due_working_days", "due_estimated"])
    if not dry_run:
        record(Workflow.DUE_COUNTS_BACKFILLED, data=counts)
    return counts


def _set_status(case: Case, status: str, *, fields: Iterable[str] = ()) -> str:
    previous = case.status
    case.status = status
    case.save(update_fields=["status", "updated_at", *fields])
    return previous


# No savepoint of its own: the caller's transaction (a filing, a registration) is rolled back
# whole on any error, and a savepoint costs two round trips on every case opened.
@transaction.atomic(savepoint=False)
def open_case(
    *, kind: str, organisation: Organisation, actor=None, due_at=None, confidential=False
) -> Case:
    if kind not in Case.Kind.values:
        raise ValidationError(_("Type de dossier inconnu : %(kind)s.") % {"kind": kind})
    case = Case(kind=kind, organisation=organisation, confidential=confidential)
    _set_due(case, due_at)
    case.save()
    _event(case, kind=E.CREATED, actor=actor, to_status=case.status)
    return case


def _belongs_to(user: User, organisation: Organisation) -> bool:
    """An agent may be assigned a case of `organisation` if they work in it or below it."""
    return Membership.objects.filter(
        user=user, organisation__path__startswith=organisation.path
    ).exists()


@transaction.atomic
def assign(
    case: Case,
    *,
    actor,
    organisation: Organisation,
    agent: User | None = None,
    instructions: str = "",
    copies: Iterable = (),
    due_at=None,
) -> Case:
    _locked(case)
    _check(case, "assign")
    if agent is not None and not _belongs_to(agent, organisation):
        raise ValidationError(
            _(
                "%(agent)s ne travaille pas dans l'unité « %(unit)s » : choisissez un agent de "
                "cette unité."
            )
            % {"agent": agent, "unit": organisation},
            code="agent_outside_unit",
        )
    # One main assignment at a time: the previous one ends, copies for information stay.
    case.assignments.filter(active=True, for_information=False).update(active=False)
    CaseAssignment.objects.create(
        case=case,
        to_organisation=organisation,
        to_user=agent,
        instructions=instructions.strip(),
        by=actor,
    )
    case.organisation = organisation
    case.assigned_to = agent
    fields = ["organisation", "assigned_to"]
    if due_at is not None:
        fields += _set_due(case, due_at)
    previous = _set_status(case, S.ASSIGNED, fields=fields)
    _event(
        case,
        kind=E.ASSIGNED,
        actor=actor,
        from_status=previous,
        to_status=S.ASSIGNED,
        text=instructions.strip(),
        internal=True,
        data={"organisation": organisation.code, "agent": agent.username if agent else None},
    )
    for copy in copies:
        _copy(case, actor=actor, target=copy, instructions=instructions)
    return case


def _copy(case: Case, *, actor, target, instructions: str) -> CaseAssignment:
    if isinstance(target, Organisation):
        organisation, user = target, None
    else:
        user = target
        membership = Membership.objects.filter(user=user).select_related("organisation").first()
        if membership is None:
            raise ValidationError(
                _("%(agent)s n'a d'affectation dans aucune unité.") % {"agent": user}
            )
        organisation = membership.organisation
    assignment, created = CaseAssignment.objects.get_or_create(
        case=case,
        to_organisation=organisation,
        to_user=user,
        for_information=True,
        active=True,
        defaults={"by": actor, "instructions": instructions.strip()},
    )
    if created:
        _event(
            case,
            kind=E.COPIED,
            actor=actor,
            internal=True,
            data={"organisation": organisation.code, "agent": user.username if user else None},
        )
    return assignment


@transaction.atomic
def add_copies(case: Case, *, actor, copies: Iterable, instructions: str = "") -> None:
    """Send a copy for information without changing who handles the case."""
    _locked(case)
    for copy in copies:
        _copy(case, actor=actor, target=copy, instructions=instructions)


@transaction.atomic
def start(case: Case, *, actor) -> Case:
    _locked(case)
    _check(case, "start")
    previous = _set_status(case, S.IN_PROGRESS)
    _event(case, kind=E.STATUS_CHANGED, actor=actor, from_status=previous, to_status=S.IN_PROGRESS)
    return case


@transaction.atomic
def answer(case: Case, *, actor, public_text: str) -> Case:
    _locked(case)
    _check(case, "answer")
    text = _require_text(public_text, _("Écrivez la réponse."))
    case.answered_at = timezone.now()
    previous = _set_status(case, S.ANSWERED, fields=["answered_at"])
    _event(
        case,
        kind=E.PUBLIC_REPLY,
        actor=actor,
        from_status=previous,
        to_status=S.ANSWERED,
        text=text,
    )
    return case


@transaction.atomic
def close(case: Case, *, actor, reason: str = "") -> Case:
    _locked(case)
    _check(case, "close")
    reason = (reason or "").strip()
    if case.status != S.ANSWERED and not reason:
        raise ValidationError(
            _("Ce dossier n'a pas reçu de réponse : indiquez le motif de sa clôture."),
            code="reason_required",
        )
    case.closed_at = timezone.now()
    case.closing_reason = reason
    previous = _set_status(case, S.CLOSED, fields=["closed_at", "closing_reason"])
    _event(case, kind=E.CLOSED, actor=actor, from_status=previous, to_status=S.CLOSED, text=reason)
    return case


@transaction.atomic
def reject(case: Case, *, actor, reason: str) -> Case:
    _locked(case)
    _check(case, "reject")
    reason = _require_text(reason, _("Indiquez le motif du rejet."))
    case.closed_at = timezone.now()
    case.closing_reason = reason
    previous = _set_status(case, S.REJECTED, fields=["closed_at", "closing_reason"])
    _event(
        case, kind=E.REJECTED, actor=actor, from_status=previous, to_status=S.REJECTED, text=reason
    )
    return case


@transaction.atomic
def reopen(case: Case, *, actor, text: str) -> Case:
    _locked(case)
    _check(case, "reopen")
    text = _require_text(text, _("Expliquez pourquoi le dossier est rouvert."))
    case.answered_at = None
    case.closed_at = None
    case.closing_reason = ""
    previous = _set_status(
        case, S.IN_PROGRESS, fields=["answered_at", "closed_at", "closing_reason"]
    )
    _event(
        case, kind=E.REOPENED, actor=actor, from_status=previous, to_status=S.IN_PROGRESS, text=text
    )
    return case


@transaction.atomic
def add_note(case: Case, *, actor, text: str, internal: bool = True) -> CaseEvent:
    text = _require_text(text, _("La note est vide."))
    _locked(case)
    return _event(case, kind=E.INTERNAL_NOTE, actor=actor, text=text, internal=internal)


@transaction.atomic
def record_requester_reply(case: Case, *, text: str, actor=None) -> CaseEvent:
    _locked(case)
    _check(case, "requester_reply")
    text = _require_text(text, _("Le message est vide."))
    return _event(case, kind=E.REQUESTER_REPLY, actor=actor, text=text)


@transaction.atomic
def record_event(
    case: Case, *, kind: str, actor=None, text: str = "", data=None, internal: bool = False
) -> CaseEvent:
    if kind not in E.values:
        raise ValueError(f"Unknown case event kind: {kind}")
    _locked(case)
    return _event(case, kind=kind, actor=actor, text=text, data=data, internal=internal)


@transaction.atomic
def send_reminder(case: Case, *, recipients: Iterable[User]) -> CaseEvent | None:
    """Record the reminder sent before the deadline; None if one was already sent."""
    _locked(case)
    if case.reminder_sent_at is not None or not case.is_open:
        return None
    case.reminder_sent_at = timezone.now()
    case.save(update_fields=["reminder_sent_at", "updated_at"])
    return _event(
        case,
        kind=E.REMINDER,
        internal=True,
        data={"recipients": sorted(u.username for u in recipients)},
    )


@transaction.atomic
def escalate(case: Case, *, recipients: Iterable[User]) -> CaseEvent | None:
    """Record that the overdue case was reported to the heads; None if it already was."""
    _locked(case)
    if case.escalated_at is not None or not case.is_open:
        return None
    case.escalated_at = timezone.now()
    case.save(update_fields=["escalated_at", "updated_at"])
    return _event(
        case,
        kind=E.ESCALATED,
        internal=True,
        data={"recipients": sorted(u.username for u in recipients)},
    )
