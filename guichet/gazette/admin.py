"""Admin: the authority codes are reference data that SGG agents keep up to date; published texts
and issues are shown read-only (the models refuse changes anyway)."""

from django.contrib import admin

from guichet.gazette.models import Authority, Issue, SavedSearch, Work


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["frbr_uri", "doctype", "number", "signed_on", "status"]
    list_filter = ["doctype", "status"]
    search_fields = ["number", "number_normalized", "title", "frbr_uri"]

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_published

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_published


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "special", "status", "sha256"]
    list_filter = ["status", "special", "year"]

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_published

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_published


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["query", "doctype", "email", "phone", "active", "created_at"]
