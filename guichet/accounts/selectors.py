"""Who may see what: roles held in units of the administration, scoped to their subtree."""

from django.db.models import Q, QuerySet

from guichet.accounts.models import Membership, Organisation, Role, User


def _memberships(user, role_code: str | None = None) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Membership.objects.none()
    memberships = Membership.objects.filter(user=user).select_related("organisation", "role")
    if role_code is not None:
        memberships = memberships.filter(role__code=role_code)
    return memberships


def has_role(user, role_code: str, organisation: Organisation | None = None) -> bool:
    """True if `user` holds `role_code`; with an organisation, there or in one of its ancestors."""
    memberships = _memberships(user, role_code)
    if organisation is None:
        return memberships.exists()
    return any(organisation.path.startswith(m.organisation.path) for m in memberships)


def has_any_role(user, role_codes) -> bool:
    return _memberships(user).filter(role__code__in=list(role_codes)).exists()


def organisations_with_role(user, role_code: str) -> QuerySet[Organisation]:
    """The units where `user` holds `role_code`, and every unit below them."""
    paths = list(_memberships(user, role_code).values_list("organisation__path", flat=True))
    if not paths:
        return Organisation.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Organisation.objects.filter(condition)


def is_head_of(user, organisation: Organisation) -> bool:
    """Heads of service see what their unit and the units below it handle."""
    return has_role(user, Role.HEAD_OF_SERVICE, organisation)


def roles_of(user) -> list[Role]:
    return sorted({m.role for m in _memberships(user)}, key=lambda role: role.name)


def requires_two_factor(user) -> bool:
    return _memberships(user).filter(role__requires_2fa=True).exists()


def agents_with_role(role_code: str, organisation: Organisation) -> QuerySet[User]:
    """Agents holding `role_code` in `organisation` or above it (e.g. to notify a head of service)."""
    ancestor_paths = [
        organisation.path[: i + 1] for i, c in enumerate(organisation.path) if c == "/"
    ]
    return User.objects.filter(
        is_active=True,
        memberships__role__code=role_code,
        memberships__organisation__path__in=ancestor_paths,
    ).distinct()


# Where an agent lands after signing in, by role: the first role of this list the agent holds wins
# (a head of service who also edits the gazette lands on the mail desk). URL names, not views: the
# service apps sit above accounts and are never imported here.
ROLE_WORKSPACES = (
    (Role.MAIL_CLERK, "correspondence:home"),
    (Role.HEAD_OF_SERVICE, "correspondence:home"),
    (Role.COURT_CLERK, "criminal_records:clerk_home"),
    (Role.JUDGE, "criminal_records:request_b1"),
    (Role.ADMINISTRATION, "criminal_records:request_b2"),
    (Role.COMPLAINTS_HANDLER, "complaints:agent_list"),
    (Role.GAZETTE_EDITOR, "gazette:editor"),
    (Role.PROGRAMME_MANAGER, "talents:manager_home"),
    (Role.CHALLENGE_OWNER, "talents:owner_home"),
    (Role.JURY_MEMBER, "talents:jury_home"),
    (Role.TRANSPORT_AGENT, "transit:editor"),
    (Role.PLATFORM_ADMIN, "admin:index"),
)


def workspace_url(user) -> str | None:
    """The page an agent starts the day on, after signing in (None: no role with a workspace)."""
    from django.urls import NoReverseMatch, reverse

    if not getattr(user, "is_authenticated", False) or not user.is_agent:
        return None
    held = set(_memberships(user).values_list("role__code", flat=True))
    for role, url_name in ROLE_WORKSPACES:
        if role in held:
            try:
                return reverse(url_name)
            except NoReverseMatch:
                continue
    return None
