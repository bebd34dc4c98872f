from django.contrib import admin

from guichet.audit.models import AuditCheckpoint, AuditEntry


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


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(admin.ModelAdmin):
    """Signed tree heads, read-only."""

    list_display = ["id", "tree_size", "root_hash", "published_at", "key_id"]
    date_hierarchy = "published_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
