import json

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Q
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


# A phone number beside a time and a keyword identifies who wrote: an inbound SMS files or follows
# a complaint, and a complainant may hide their identity (complaints.Complaint.hide_identity).
# The sender of an inbound SMS is never shown nor searchable; nor is the recipient of our reply to
# it, or of a message about an object that hides its person's identity (its `hide_identity`).
MASKED_NUMBER = _("(numéro masqué)")


def hides_recipient(message: Message) -> bool:
    """Whether the admin masks this message's recipient (see above)."""
    if getattr(message, "answers_inbound", None):
        return True
    return bool(getattr(message.related, "hide_identity", False))


def _matching_number(queryset, field: str, search_term: str):
    words = Q()
    for word in search_term.split():
        words |= Q(**{f"{field}__icontains": word})
    return queryset.filter(words)


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "channel",
        "shown_recipient",
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
        *(
            f.name
            for f in Message._meta.fields
            if f.name not in MASKED_MESSAGE_FIELDS | {"recipient"}
        ),
        "shown_recipient",
        "masked_body",
    ]
    fields = readonly_fields
    actions = ["send_again"]

    def get_queryset(self, request):
        replies = InboundMessage.objects.filter(reply=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(answers_inbound=Exists(replies))
            .prefetch_related("related")
        )

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # A masked recipient is not found by typing its number either.
        candidates = _matching_number(results, "recipient", search_term)
        masked = [m.pk for m in candidates if hides_recipient(m)] if search_term.strip() else []
        return results.exclude(pk__in=masked), may_have_duplicates

    @admin.display(description=_("destinataire"))
    def shown_recipient(self, obj) -> str:
        return MASKED_NUMBER if hides_recipient(obj) else obj.recipient

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
    list_display = ("received_at", "masked_sender", "keyword", "handled")
    list_filter = ("handled", "keyword")
    search_fields = ("keyword",)
    date_hierarchy = "received_at"
    # Not the reply either: it is shown as its recipient, the sender.
    readonly_fields = [
        *(
            f.name
            for f in InboundMessage._meta.fields
            if f.name not in MASKED_INBOUND_FIELDS | {"sender", "reply"}
        ),
        "masked_sender",
        "masked_text",
    ]
    fields = readonly_fields

    @admin.display(description=_("expéditeur"))
    def masked_sender(self, obj) -> str:
        return MASKED_NUMBER

    @admin.display(description=_("texte"))
    def masked_text(self, obj) -> str:
        return _masked(obj.text)


# A USSD session files or follows a complaint from a handset, as an inbound SMS does: its number
# is masked as the sender's is, and what the caller typed as the SMS text is.
MASKED_USSD_FIELDS = {"phone_number", "inputs", "last_text", "data"}


@admin.register(UssdSession)
class UssdSessionAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "masked_number", "service_code", "menu", "ended_at")
    list_filter = ("service_code", "menu")
    # Not the number: finding a session by typing it would tell whose it is.
    search_fields = ("session_id",)
    readonly_fields = [
        *(f.name for f in UssdSession._meta.fields if f.name not in MASKED_USSD_FIELDS),
        "masked_number",
        "masked_text",
        "masked_data",
    ]
    fields = readonly_fields

    @admin.display(description=_("numéro"))
    def masked_number(self, obj) -> str:
        return MASKED_NUMBER

    @admin.display(description=_("dernier texte reçu"))
    def masked_text(self, obj) -> str:
        return _masked(obj.last_text)

    @admin.display(description=_("données"))
    def masked_data(self, obj) -> str:
        return _masked(json.dumps(obj.data, ensure_ascii=False))
