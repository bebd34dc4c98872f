"""The admin site, behind the same rule as the rest (issue 9).

- Signing in goes through the agents' password step (django-axes lockout included), then the
  second factor: for staff, always, whatever their roles (django-otp's `is_verified()`, as
  django-otp's OTPAdminSite does).
- Criminal-record data and complaints are not in the admin: only reference data and rule
  parameters may be registered for them (`REFERENCE_MODELS_ONLY`); registering anything else
  fails at start-up.
- Every change made through the admin (add, change, delete) is audited, and so is every bulk
  action of every ModelAdmin (`AuditedModelAdmin.get_actions`, once the action has acted).
"""

from functools import wraps

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _

from guichet.accounts import audit_actions

# Apps whose data is personal and judicial: only these models of theirs may appear in the admin.
REFERENCE_MODELS_ONLY = {
    "criminal_records": {"offence", "ruleparameter", "courtoffice"},
    # Complaints are read by their handlers' scoped pages only: a complaint carries its bearer
    # reference and, identity hidden or not, what the complainant wrote (Law n° 2022-59).
    "complaints": {"category", "open311partner"},
}


def refuse_protected_model(model) -> None:
    meta = model._meta
    allowed = REFERENCE_MODELS_ONLY.get(meta.app_label)
    if allowed is not None and meta.model_name not in allowed:
        raise ImproperlyConfigured(
            f"{meta.label} holds criminal-record or complainants' data and must not be registered in the admin "
            f"(allowed for {meta.app_label}: {', '.join(sorted(allowed))})."
        )


class AuditedModelAdmin:
    """Mixed into every registered ModelAdmin: Django's admin log calls these for each change."""

    def _audit(self, request, action, obj, message="") -> None:
        from guichet.audit.services import record

        record(
            action,
            actor=request.user,
            target=obj,
            request=request,
            data={"model": obj._meta.label_lower, "change": str(message)[:2000]},
        )

    def log_addition(self, request, obj, message):
        with transaction.atomic():
            self._audit(request, audit_actions.ADMIN_OBJECT_ADDED, obj, message)
            return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        with transaction.atomic():
            self._audit(request, audit_actions.ADMIN_OBJECT_CHANGED, obj, message)
            return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._audit(request, audit_actions.ADMIN_OBJECT_DELETED, obj)
            return super().log_deletions(request, queryset)

    def get_actions(self, request):
        """Every bulk action (Django's and each ModelAdmin's own) leaves an audit entry."""
        return {
            name: (_audited_action(func, name), action_name, description)
            for name, (func, action_name, description) in super().get_actions(request).items()
        }


# Ids named in one entry; the count says how many were selected.
_MAX_IDS_IN_ENTRY = 1000


def _audited_action(func, name: str):
    """`func` run with an audit entry in the same transaction, once it has acted: an action that
    answers with an intermediate page (delete_selected's confirmation) has done nothing yet."""

    @wraps(func)
    def run(model_admin, request, queryset):
        from guichet.audit.services import record

        with transaction.atomic():
            ids = [str(pk) for pk in queryset.values_list("pk", flat=True)[:_MAX_IDS_IN_ENTRY]]
            count = queryset.count()
            response = func(model_admin, request, queryset)
            if response is None or isinstance(response, HttpResponseRedirect):
                record(
                    audit_actions.ADMIN_ACTION_RUN,
                    actor=request.user,
                    request=request,
                    data={
                        "model": model_admin.model._meta.label_lower,
                        "action": name,
                        "count": count,
                        "ids": ids,
                    },
                )
        return response

    return run


class GuichetAdminSite(admin.AdminSite):
    site_header = _("Administration de Guichet")
    site_title = _("Guichet")
    index_title = _("Administration de la plateforme")

    def register(self, model_or_iterable, admin_class=None, **options):
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        )
        for model in models:
            refuse_protected_model(model)
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, AuditedModelAdmin):
            base = type(base.__name__, (AuditedModelAdmin, base), {"__module__": base.__module__})
        return super().register(models, base, **options)

    def has_permission(self, request) -> bool:
        user = request.user
        return (
            user.is_active and user.is_staff and bool(getattr(user, "is_verified", lambda: False)())
        )

    def login(self, request, extra_context=None):
        """The agents' sign-in, shown in the admin's look; the second factor follows."""
        from guichet.accounts.forms import AdminAgentAuthenticationForm
        from guichet.accounts.views import AgentLoginView

        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        # Only a path of this site: never another host (open redirect), never a view name
        # (redirect() would try to reverse it and fail).
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ) or not next_url.startswith("/"):
            next_url = reverse("admin:index", current_app=self.name)
        user = request.user
        if user.is_authenticated:
            if not (user.is_active and user.is_staff):
                raise PermissionDenied
            if not self.has_permission(request):
                query = urlencode({REDIRECT_FIELD_NAME: next_url})
                return redirect(f"{reverse('accounts:agent_otp')}?{query}")
            return HttpResponseRedirect(next_url)
        context = {
            **self.each_context(request),
            "title": _("Connexion"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": "",
            REDIRECT_FIELD_NAME: next_url,
            **(extra_context or {}),
        }
        request.current_app = self.name
        return AgentLoginView.as_view(
            template_name="admin/login.html",
            authentication_form=AdminAgentAuthenticationForm,
            extra_context=context,
            always_second_factor=True,
        )(request)
