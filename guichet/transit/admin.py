from django.contrib import admin

from guichet.transit.models import Feed, RealtimeDelay, ValidationNotice


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "title",
        "organisation",
        "source",
        "version",
        "stop_time_count",
        "illustrative",
        "updated_at",
    )
    list_filter = ("source", "illustrative")
    search_fields = ("name", "title")
    readonly_fields = ("version", "stop_time_count", "validation_summary", "imported_at")


@admin.register(ValidationNotice)
class ValidationNoticeAdmin(admin.ModelAdmin):
    list_display = ("feed", "severity", "code", "file", "line", "field", "count")
    list_filter = ("severity", "code")


@admin.register(RealtimeDelay)
class RealtimeDelayAdmin(admin.ModelAdmin):
    list_display = (
        "feed",
        "trip_id",
        "stop_sequence",
        "stop_id",
        "delay",
        "cancelled",
        "received_at",
    )
