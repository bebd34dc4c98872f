"""Reference data only: categories and Open311 partners. Complaints and duplicate submissions
are not in the admin (issue 9): their handlers read them through the scoped, audited pages, and
the admin site refuses their registration (guichet.accounts.admin_site)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from guichet.complaints import services
from guichet.complaints.models import Category, Open311Partner
from guichet.data_translations import TranslationsAdminMixin


@admin.register(Category)
class CategoryAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ("name", "group", "code", "organisation", "response_days", "is_active")
    list_filter = ("group", "is_active")
    search_fields = ("name", "code", "keywords")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)


@admin.register(Open311Partner)
class Open311PartnerAdmin(admin.ModelAdmin):
    """Issuing a key: add a partner; the key is shown once, in the confirmation message."""

    list_display = ("name", "key_prefix", "requests_per_minute", "is_active", "created_at")
    fields = ("name", "contact_email", "requests_per_minute", "key_prefix", "is_active")
    readonly_fields = ("key_prefix", "is_active")
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        partner, key = services.issue_open311_key(
            obj.name, contact_email=obj.contact_email, actor=request.user
        )
        if obj.requests_per_minute != partner.requests_per_minute:
            partner.requests_per_minute = obj.requests_per_minute
            partner.save(update_fields=["requests_per_minute"])
        obj.pk = partner.pk
        obj.key_prefix, obj.key_hash = partner.key_prefix, partner.key_hash
        self.message_user(
            request,
            _("Clé API de %(name)s (copiez-la maintenant, elle ne sera plus affichée) : %(key)s")
            % {"name": partner.name, "key": key},
            messages.WARNING,
        )

    @admin.action(description=_("Révoquer la clé des partenaires choisis"))
    def revoke(self, request, queryset):
        for partner in queryset.filter(is_active=True):
            services.revoke_open311_key(partner, actor=request.user)
