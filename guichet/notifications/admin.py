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


# What was said to and by people stays out of the admin: an SMS holds sign-in codes, complaint
# references (bearer secrets) and bulletin verification codes, an inbound SMS what a complainant
# wrote. The admin shows what an operator needs to follow delivery: who, which template, status.
MASKED_MESSAGE_FIELDS = {"body", "subject", "attachments"}
MASKED_INBOUND_FIELDS = {"text"}


def _masked(value) -> str:
    return _("(masqué : %(count)s caractères)") % {"count": len(value or "")}


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
    # Not the body: searching for a code would tell whose it is.
    search_fields = ("recipient", "template", "gateway_message_id")
    date_hierarchy = "created_at"
    readonly_fields = [
        *(f.name for f in Message._meta.fields if f.name not in MASKED_MESSAGE_FIELDS),
        "masked_body",
    ]
    fields = readonly_fields
    actions = ["send_again"]

    @admin.display(description=_("texte"))
    def masked_body(self, obj) -> str:
        return _masked(obj.body)

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
    list_display = ("received_at", "sender", "keyword", "handled")
    list_filter = ("handled", "keyword")
    search_fields = ("sender",)
    date_hierarchy = "received_at"
    readonly_fields = [
        *(f.name for f in InboundMessage._meta.fields if f.name not in MASKED_INBOUND_FIELDS),
        "masked_text",
    ]
    fields = readonly_fields

    @admin.display(description=_("texte"))
    def masked_text(self, obj) -> str:
        return _masked(obj.text)


@admin.register(UssdSession)
class UssdSessionAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "phone_number", "service_code", "menu", "ended_at")
    list_filter = ("service_code", "menu")
    search_fields = ("phone_number", "session_id")
    readonly_fields = [field.name for field in UssdSession._meta.fields]
