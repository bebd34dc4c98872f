"""The admin shows the programme's reference data and calendar; candidates' personal data and
the jury's work are only reachable through the programme's own pages, which check the roles."""

from django.contrib import admin

from guichet.data_translations import TranslationsAdminMixin
from guichet.talents.models import Challenge, Criterion, Profile, Promotion


@admin.register(Profile)
class ProfileAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "order")


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 1


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):
    list_display = ("name", "call_opens_at", "call_closes_at", "starts_on", "ends_on")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [CriterionInline]


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    """Read-only: challenges move through the owners' and ANSI's pages, which audit them."""

    list_display = ("title", "organisation", "status", "promotion")
    list_filter = ("status", "promotion")
    readonly_fields = [field.name for field in Challenge._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
