from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Commune, Membership, Organisation, Region, Role, User

admin.site.site_header = _("Administration de Guichet")
admin.site.site_title = _("Guichet")
admin.site.index_title = _("Administration de la plateforme")


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


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
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
