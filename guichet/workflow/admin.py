from django.contrib import admin
from django.db import transaction

from guichet.audit import actions as audit_actions
from guichet.audit.services import record
from guichet.workflow import services
from guichet.workflow.models import Case, CaseAssignment, CaseEvent, PublicHoliday


@admin.register(PublicHoliday)
class PublicHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "to_confirm", "moon_dependent"]
    list_filter = ["to_confirm", "moon_dependent"]
    list_editable = ["to_confirm"]
    date_hierarchy = "date"
    search_fields = ["name"]

    # The dates announced by the Government change deadlines: every change is in the audit trail.
    # The due dates counted across the changed year are counted again, in the same transaction.
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            previous = PublicHoliday.objects.filter(pk=obj.pk).first() if change else None
            super().save_model(request, obj, form, change)
            years = [obj.date.year] + ([previous.date.year] if previous else [])
            moved = services.recount_deadlines(min(years), max(years))
            record(
                audit_actions.Workflow.HOLIDAY_CHANGED
                if change
                else audit_actions.Workflow.HOLIDAY_ADDED,
                request=request,
                target=obj,
                data={**_holiday_data(obj), "deadlines_moved": moved},
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            pk, data = obj.pk, _holiday_data(obj)
            super().delete_model(request, obj)
            moved = services.recount_deadlines(obj.date.year, obj.date.year)
            obj.pk = pk  # the audit entry names the row that was deleted
            record(
                audit_actions.Workflow.HOLIDAY_DELETED,
                request=request,
                target=obj,
                data={**data, "deadlines_moved": moved},
            )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


def _holiday_data(holiday) -> dict:
    return {
        "date": holiday.date.isoformat(),
        "name": holiday.name,
        "to_confirm": holiday.to_confirm,
        "moon_dependent": holiday.moon_dependent,
    }


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
