"""Reads of the courrier: who sees which mail, who may do what with it, search, register, figures."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Membership, Organisation, Role
from guichet.accounts.selectors import has_role, organisations_with_role
from guichet.correspondence.models import Contact, Mail
from guichet.workflow.models import Case, CaseAssignment
from guichet.workflow.selectors import cases_visible_to

CLERK_ROLES = (Role.MAIL_CLERK, Role.HEAD_OF_SERVICE)


def clerk_units(user) -> QuerySet[Organisation]:
    units = Organisation.objects.none()
    for role in CLERK_ROLES:
        units = units | organisations_with_role(user, role)
    return units


def has_mail_access(user) -> bool:
    """The courrier's pages are for mail clerks, heads of service, and any agent to whom a mail
    was routed, copied or sent for visa."""
    if not getattr(user, "is_authenticated", False) or not user.is_agent:
        return False
    if Membership.objects.filter(user=user, role__code__in=CLERK_ROLES).exists():
        return True
    return (
        Case.objects.filter(kind=Case.Kind.MAIL, assigned_to=user).exists()
        or CaseAssignment.objects.filter(
            to_user=user, active=True, case__kind=Case.Kind.MAIL
        ).exists()
        or Mail.objects.filter(visa_steps__approver=user).exists()
    )


def mails_visible_to(user) -> QuerySet[Mail]:
    """The workflow's scoping, plus: the registering unit's clerks keep sight of the ordinary mail
    they registered after routing it elsewhere, and visa approvers see the drafts they visa."""
    if not getattr(user, "is_authenticated", False) or not user.is_agent:
        return Mail.objects.none()
    condition = (
        Q(case__in=cases_visible_to(user, Case.Kind.MAIL))
        | Q(registered_in__in=clerk_units(user), case__confidential=False)
        | Q(visa_steps__approver=user)
    )
    ids = Mail.objects.filter(condition).values("pk")
    return Mail.objects.filter(pk__in=ids)


def directory_of(unit: Organisation) -> Organisation:
    """The organisation whose correspondent directory `unit` uses: the top of its tree."""
    root_code = unit.path.strip("/").split("/")[0]
    return unit if unit.code == root_code else Organisation.objects.get(code=root_code)


def directories_of(user) -> QuerySet[Organisation]:
    """The directories a clerk or head of service works with (those of their units)."""
    roots = {unit.path.strip("/").split("/")[0] for unit in clerk_units(user).only("path")}
    return Organisation.objects.filter(code__in=roots)


def contacts_visible_to(user) -> QuerySet[Contact]:
    """Correspondents of the user's directories, each with the number of mails the user sees."""
    visible = mails_visible_to(user).values("pk")
    return (
        Contact.objects.filter(directory__in=directories_of(user))
        .select_related("possible_duplicate_of")
        .annotate(mail_count=Count("mails", filter=Q(mails__in=visible), distinct=True))
    )


def can_register(user, unit: Organisation | None = None) -> bool:
    if unit is None:
        return clerk_units(user).exists()
    return any(has_role(user, role, unit) for role in CLERK_ROLES)


def can_route(user, mail: Mail) -> bool:
    """Clerks and heads over the unit in charge or the registering unit route a mail onward."""
    return any(
        has_role(user, role, unit)
        for role in CLERK_ROLES
        for unit in (mail.case.organisation, mail.registered_in)
    )


def can_handle(user, mail: Mail) -> bool:
    """Start, answer, note, close: the agent in charge, and those who may route it."""
    return mail.case.assigned_to_id == user.pk or can_route(user, mail)


def search(
    mails: QuerySet[Mail],
    *,
    q: str = "",
    direction: str = "",
    status: str = "",
    unit: Organisation | None = None,
    correspondent: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    overdue: bool = False,
    now: dt.datetime | None = None,
) -> QuerySet[Mail]:
    """Filter `mails` (already scoped to the user). `q` matches the number, subject, references,
    keywords, summary, correspondent and the OCR text of the scans."""
    from guichet.correspondence.services import parse_reference

    parsed = parse_reference(q)
    if parsed is not None:
        # A registration number typed in any form ("sgg/a/2026/123") finds that mail.
        register_code, direction_code, year, number = parsed
        return mails.filter(
            register__code=register_code, direction=direction_code, year=year, number=number
        )
    if q:
        for word in q.split():
            mails = mails.filter(
                Q(reference__icontains=word)
                | Q(subject__icontains=word)
                | Q(letter_reference__icontains=word)
                | Q(keywords__icontains=word)
                | Q(summary__icontains=word)
                | Q(correspondent__name__icontains=word)
                | Q(correspondent__organisation_name__icontains=word)
                | Q(pk__in=Mail.objects.filter(attachments__ocr_text__icontains=word).values("pk"))
            )
    if direction:
        mails = mails.filter(direction=direction)
    if status:
        mails = mails.filter(case__status=status)
    if unit is not None:
        mails = mails.filter(case__organisation__path__startswith=unit.path)
    if correspondent:
        mails = mails.filter(
            Q(correspondent__name__icontains=correspondent)
            | Q(correspondent__organisation_name__icontains=correspondent)
        )
    if date_from:
        mails = mails.filter(registered_at__gte=_start_of(date_from))
    if date_to:
        mails = mails.filter(registered_at__lt=_start_of(date_to + dt.timedelta(days=1)))
    if overdue:
        mails = mails.filter(
            case__status__in=Case.OPEN_STATUSES, case__due_at__lt=now or timezone.now()
        )
    return mails


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def register_entries(register: Organisation, start: dt.date, end: dt.date, direction: str = ""):
    """The "registre chrono" of a period: every mail numbered in `register`, in number order.
    A heavy read: it goes to the readonly alias."""
    mails = (
        Mail.objects.using("readonly")
        .filter(
            register=register,
            registered_at__gte=_start_of(start),
            registered_at__lt=_start_of(end + dt.timedelta(days=1)),
        )
        .select_related("correspondent", "case", "case__organisation", "other_unit", "in_reply_to")
        .prefetch_related("case__assignments__to_organisation", "case__assignments__to_user")
        .order_by("direction", "year", "number")
    )
    if direction:
        mails = mails.filter(direction=direction)
    return mails


def registers_of(user) -> QuerySet[Organisation]:
    """The registers a clerk may print: those of the administrations of their units."""
    from guichet.correspondence.services import register_of

    return Organisation.objects.filter(
        pk__in={
            register_of(unit).pk
            for unit in Organisation.objects.filter(
                memberships__user=user, memberships__role__code__in=CLERK_ROLES
            )
        }
    )


# The visa steps are workflow events of kind "other": their own names, not « Autre ».
VISA_EVENT_LABELS = {
    "started": _("Envoi au circuit de visa"),
    "approved": _("Visa"),
    "sent_back": _("Renvoi pour correction"),
    "resubmitted": _("Nouveau passage au visa"),
}


def history(mail: Mail) -> list:
    """The mail's events, oldest first, each with a `label` saying what happened."""
    events = list(mail.case.events.select_related("actor"))
    for event in events:
        visa_step = (event.data or {}).get("visa") if isinstance(event.data, dict) else None
        label = VISA_EVENT_LABELS.get(visa_step) if visa_step else None
        event.label = label or event.get_kind_display()
    return events


def copy_readers(unit: Organisation, confidential: bool = False) -> QuerySet:
    """The agents who read the mail copied to `unit` « pour information »: its mail clerks and
    heads of service (only its heads, for confidential mail), active, in the unit itself."""
    from guichet.accounts.models import User

    roles = (Role.HEAD_OF_SERVICE,) if confidential else CLERK_ROLES
    return User.objects.filter(
        is_active=True, memberships__organisation=unit, memberships__role__code__in=roles
    ).distinct()


def unit_head(unit: Organisation):
    """The head of service nearest to `unit` (in it, else in the closest unit above), or None."""
    from guichet.accounts.models import User
    from guichet.accounts.selectors import agents_with_role

    heads = agents_with_role(Role.HEAD_OF_SERVICE, unit).values_list("pk", flat=True)
    membership = (
        Membership.objects.filter(
            user__in=list(heads),
            role__code=Role.HEAD_OF_SERVICE,
            organisation__path__in=[
                unit.path[: i + 1] for i, c in enumerate(unit.path) if c == "/"
            ],
        )
        .select_related("organisation")
        .order_by(Length("organisation__path").desc(), "user__last_name", "user__username")
        .first()
    )
    return User.objects.get(pk=membership.user_id) if membership else None


def route_copies(units, confidential: bool = False) -> list[tuple]:
    """For each unit a copy is sent to: (unit, target, routed) where target is the unit when
    somebody there reads it, else the unit's head in person (routed=True), else None (nobody)."""
    routing = []
    for unit in units:
        if copy_readers(unit, confidential).exists():
            routing.append((unit, unit, False))
        else:
            head = unit_head(unit)
            routing.append((unit, head, head is not None))
    return routing


def mail_office_rules(unit: Organisation):
    """The mail-office rules that apply to `unit`: its own, else those of the nearest organisation
    above it that has some; an unsaved default (no visa required) when none has."""
    from guichet.correspondence.models import MailOfficeRules

    paths = [unit.path[: i + 1] for i, c in enumerate(unit.path) if c == "/"]
    rules = (
        MailOfficeRules.objects.filter(organisation__path__in=paths)
        .select_related("organisation")
        .order_by(Length("organisation__path").desc())
        .first()
    )
    return rules or MailOfficeRules(organisation=unit)
