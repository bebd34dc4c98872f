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
