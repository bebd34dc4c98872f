from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import (
    Commune,
    ErasureRequest,
    Membership,
    Organisation,
    Region,
    Role,
    User,
)
from guichet.data_translations import TranslationsAdminMixin


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "get_full_name", "kind", "phone_number", "is_active"]
    list_filter = ["kind", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "phone_number", "email"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Guichet"), {"fields": ("kind", "phone_number", "preferred_language")}),
    )
    inlines = [MembershipInline]
    actions = ["reset_second_factor"]

    @admin.action(description=_("Réinitialiser la double authentification"))
    def reset_second_factor(self, request, queryset):
        from django.core.exceptions import PermissionDenied

        from guichet.accounts.second_factor import reset_second_factor

        try:
            for agent in queryset.filter(kind=User.Kind.AGENT):
                reset_second_factor(agent, actor=request.user, request=request)
        except PermissionDenied:
            self.message_user(
                request,
                _("Seul un administrateur de la plateforme peut réinitialiser un second facteur."),
                level=messages.ERROR,
            )
            return
        self.message_user(request, _("Double authentification réinitialisée."))


@admin.register(Organisation)
class OrganisationAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "region", "is_active"]
    list_filter = ["kind", "court_level", "region", "is_active"]
    search_fields = ["name", "code", "short_name"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "requires_2fa", "reads_criminal_records"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "code"]
    list_filter = ["region"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organisation", "since"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    """Citizens' erasure requests (law n° 2022-59), for the agents to read: what was erased at
    once and what is kept with its reason. A record, so nobody adds, edits or deletes one."""

    list_display = ["requested_at", "phone_number", "user"]
    search_fields = ["phone_number"]
    readonly_fields = ["user", "phone_number", "requested_at", "erased", "kept"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
