"""Access checks shared by every app's views and API."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.permissions import BasePermission

from guichet.accounts import selectors


def two_factor_satisfied(request) -> bool:
    """An agent whose roles require TOTP must have verified a device in this session."""
    user = request.user
    if not selectors.requires_two_factor(user):
        return True
    if settings.DEMO_SKIP_TOTP and user.username.startswith("demo."):
        return True  # demo agents, DEBUG only
    return bool(getattr(user, "is_verified", lambda: False)())


def role_required(*role_codes: str):
    """Views for agents holding one of `role_codes` (anywhere; scoping is the view's next step)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
            if not selectors.has_any_role(request.user, role_codes):
                raise PermissionDenied
            if not two_factor_satisfied(request):
                return redirect_to_login(request.get_full_path(), reverse("accounts:agent_otp"))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def citizen_required(view):
    """Views for a citizen signed in with their phone."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated or not request.user.is_citizen:
            return redirect_to_login(request.get_full_path(), reverse("accounts:citizen_login"))
        return view(request, *args, **kwargs)

    return wrapped


class HasRole(BasePermission):
    """DRF permission: `permission_classes = [HasRole.of("court_clerk", "judge")]`."""

    role_codes: tuple[str, ...] = ()
    message = "Vous n'avez pas le rôle requis pour cette action."

    @classmethod
    def of(cls, *role_codes: str) -> type["HasRole"]:
        return type("HasRole", (cls,), {"role_codes": role_codes})

    def has_permission(self, request, view) -> bool:
        return (
            request.user.is_authenticated
            and selectors.has_any_role(request.user, self.role_codes)
            and two_factor_satisfied(request)
        )
