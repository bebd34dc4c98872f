from django.contrib import admin

from guichet.workflow.models import Case, CaseAssignment, CaseEvent, PublicHoliday


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "to_confirm"]
    list_filter = ["to_confirm"]
    list_editable = ["to_confirm"]
    date_hierarchy = "date"
    search_fields = ["name"]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "kind", "from_status", "to_status", "text", "is_internal"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


class CaseAssignmentInline(admin.TabularInline):
    model = CaseAssignment
    extra = 0
    can_delete = False
    readonly_fields = [
        "to_organisation",
        "to_user",
        "for_information",
        "instructions",
        "by",
        "at",
        "active",
    ]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: every change of a case goes through workflow.services (events and audit)."""

    list_display = ["pk", "kind", "status", "organisation", "assigned_to", "opened_at", "due_at"]
    list_filter = ["kind", "status", "confidential"]
    search_fields = ["pk", "organisation__code"]
    inlines = [CaseAssignmentInline, CaseEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
