"""Reads about complaints: what a handler may see, what a reference shows, public statistics."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import Role
from guichet.accounts.selectors import has_any_role
from guichet.complaints import references
from guichet.complaints.models import Category, Complaint
from guichet.data_translations import translated_names
from guichet.workflow.models import Case, CaseEvent
from guichet.workflow.selectors import cases_visible_to

HANDLER_ROLES = (Role.COMPLAINTS_HANDLER, Role.HEAD_OF_SERVICE)

# What the complainant sees of the case history: never internal notes, never who handled it.
PUBLIC_EVENT_KINDS = (
    CaseEvent.Kind.CREATED,
    CaseEvent.Kind.STATUS_CHANGED,
    CaseEvent.Kind.ASSIGNED,
    CaseEvent.Kind.PUBLIC_REPLY,
    CaseEvent.Kind.REQUESTER_REPLY,
    CaseEvent.Kind.REOPENED,
    CaseEvent.Kind.CLOSED,
    CaseEvent.Kind.REJECTED,
    CaseEvent.Kind.CONFIRMED,
)


def is_handler(user) -> bool:
    return has_any_role(user, HANDLER_ROLES)


def complaints_visible_to(user) -> QuerySet[Complaint]:
    """Complaints whose case the user may see: their units' subtree, for handlers and heads."""
    if not is_handler(user):
        return Complaint.objects.none()
    return Complaint.objects.filter(case__in=cases_visible_to(user, Case.Kind.COMPLAINT))


def handler_list(user, *, status: str = "", category: str = "", overdue: bool = False, q=""):
    complaints = (
        complaints_visible_to(user)
        .select_related("case", "case__assigned_to", "category", "region", "commune")
        .order_by("case__due_at", "-created_at")
    )
    if status == "open":
        complaints = complaints.filter(case__status__in=Case.OPEN_STATUSES)
    elif status:
        complaints = complaints.filter(case__status=status)
    if category:
        complaints = complaints.filter(category__code=category)
    if overdue:
        complaints = complaints.filter(
            case__status__in=Case.OPEN_STATUSES, case__due_at__lt=timezone.now()
        )
    if q:
        normalised = references.normalise(q)
        complaints = (
            complaints.filter(reference=normalised)
            if normalised
            else complaints.filter(description__icontains=q)
        )
    return complaints


def by_reference(raw: str) -> Complaint | None:
    reference = references.normalise(raw)
    if not reference:
        return None
    return (
        Complaint.objects.select_related("case", "category", "region", "commune")
        .filter(reference=reference)
        .first()
    )


def latest_of_phone(phone: str, count: int) -> list[Complaint]:
    """The `count` latest complaints filed from `phone`, newest first (a complaint sent again
    is not another one: its duplicates are rows of their own table)."""
    if not phone:
        return []
    return list(
        Complaint.objects.select_related("case")
        .filter(phone=phone)
        .order_by("-created_at", "-pk")[:count]
    )


def public_history(complaint: Complaint) -> list[CaseEvent]:
    # The assignment is an internal event (its instructions are for agents), but the citizen
    # was texted the new status, so it appears — without its text (see follow.html).
    return list(
        complaint.case.events.filter(kind__in=PUBLIC_EVENT_KINDS)
        .filter(Q(is_internal=False) | Q(kind=CaseEvent.Kind.ASSIGNED))
        .order_by("at", "pk")
    )


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).select_related("organisation")


# --- Public statistics (the readonly alias: this page is read by anyone, often) ---------------


@dataclass(frozen=True)
class Statistics:
    total: int
    by_category: list[tuple[str, int]]
    by_region: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    median_days_to_answer: float | None
    median_by_category: list[tuple[str, float]]
    answered_on_time: int
    answered: int
    average_rating: float | None
    since: object


def public_statistics(*, days: int = 365) -> Statistics:
    since = timezone.now() - timedelta(days=days)
    complaints = Complaint.objects.using("readonly").filter(created_at__gte=since)
    names = translated_names(Category, "name")
    by_category = [
        (names.get(row["category__name"], row["category__name"]), row["n"])
        for row in complaints.values("category__name").annotate(n=Count("pk")).order_by("-n")
    ]
    by_region = [
        (row["region__name"] or _("Non précisée"), row["n"])
        for row in complaints.values("region__name").annotate(n=Count("pk")).order_by("-n")
    ]
    labels = dict(Case.Status.choices)
    counts = {
        row["case__status"]: row["n"]
        for row in complaints.values("case__status").annotate(n=Count("pk"))
    }
    by_status = [(str(labels[code]), counts.get(code, 0)) for code in Case.Status.values]
    answered_rows = list(
        complaints.filter(case__answered_at__isnull=False)
        .annotate(
            opened=F("case__opened_at"),
            answered=F("case__answered_at"),
            due=F("case__due_at"),
            category_name=F("category__name"),
        )
        .values_list("opened", "answered", "due", "category_name")
    )
    durations: dict[str, list[float]] = {}
    all_days: list[float] = []
    on_time = 0
    for opened, answered, due, category_name in answered_rows:
        elapsed = (answered - opened).total_seconds() / 86400
        all_days.append(elapsed)
        durations.setdefault(names.get(category_name, category_name), []).append(elapsed)
        if due is None or answered <= due:
            on_time += 1
    ratings = list(complaints.filter(rating__isnull=False).values_list("rating", flat=True))
    return Statistics(
        total=sum(n for _label, n in by_category),
        by_category=by_category,
        by_region=by_region,
        by_status=by_status,
        median_days_to_answer=statistics.median(all_days) if all_days else None,
        median_by_category=sorted(
            ((name, statistics.median(values)) for name, values in durations.items()),
            key=lambda pair: pair[1],
        ),
        answered_on_time=on_time,
        answered=len(answered_rows),
        average_rating=(sum(ratings) / len(ratings)) if ratings else None,
        since=since,
    )
