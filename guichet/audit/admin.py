from django.contrib import admin

from guichet.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only, even for platform administrators."""

    list_display = [
        "sequence",
        "created_at",
        "actor_label",
        "action",
        "object_repr",
        "sensitive_read",
    ]
    list_filter = ["action", "sensitive_read"]
    search_fields = ["action", "actor_label", "object_repr", "object_id", "reason"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
