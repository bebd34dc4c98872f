from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guichet.notifications.models import InboundMessage, Message, UssdSession
from guichet.notifications.services import resend_failed


class ReadOnlyAdmin(admin.ModelAdmin):
    """These rows are a record of what was exchanged with people: nobody edits them by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "channel",
        "recipient",
        "template",
        "status",
        "segments",
        "attempts",
        "sent_at",
        "delivered_at",
    )
    list_filter = ("channel", "status", "encoding", "language", "gateway")
    search_fields = ("recipient", "template", "gateway_message_id", "body")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Message._meta.fields]
    actions = ["send_again"]

    def has_resend_permission(self, request):
        return request.user.has_perm("notifications.change_message")

    @admin.action(
        description=_("Renvoyer les messages en échec sélectionnés"), permissions=["resend"]
    )
    def send_again(self, request, queryset):
        failed = resend_failed(queryset.values_list("pk", flat=True), request=request)
        self.message_user(
            request,
            ngettext(
                "%(count)d message remis en file d'envoi.",
                "%(count)d messages remis en file d'envoi.",
                len(failed),
            )
            % {"count": len(failed)},
            messages.SUCCESS,
        )


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "sender", "keyword", "handled", "text")
    list_filter = ("handled", "keyword")
    search_fields = ("sender", "text")
    date_hierarchy = "received_at"
    readonly_fields = [field.name for field in InboundMessage._meta.fields]


@admin.register(UssdSession)
class UssdSessionAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "phone_number", "service_code", "menu", "ended_at")
    list_filter = ("service_code", "menu")
    search_fields = ("phone_number", "session_id")
    readonly_fields = [field.name for field in UssdSession._meta.fields]
