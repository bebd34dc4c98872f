from django.contrib import admin

from guichet.correspondence.models import Contact, Mail, MailOfficeRules


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation_name", "email", "phone", "possible_duplicate_of"]
    list_filter = ["kind"]
    search_fields = ["name", "organisation_name", "email", "phone"]
    raw_id_fields = ["possible_duplicate_of"]
    readonly_fields = ["created_by", "created_at"]


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin):
    """Read-only: numbers, routing and status only change through the services (audited)."""

    list_display = ["reference", "subject", "direction", "confidentiality", "registered_at"]
    list_filter = ["direction", "confidentiality", "priority"]
    search_fields = ["reference", "letter_reference"]

    def get_queryset(self, request):
        # Confidential subjects stay out of the admin's lists: they are read through the audited page.
        return super().get_queryset(request).filter(confidentiality=Mail.Confidentiality.NORMAL)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MailOfficeRules)
class MailOfficeRulesAdmin(admin.ModelAdmin):
    """Each organisation's visa rule; a unit without one follows the nearest organisation above."""

    list_display = ["organisation", "visa_rule"]
    list_filter = ["visa_rule"]
    search_fields = ["organisation__name", "organisation__code"]
    autocomplete_fields = ["organisation"]
