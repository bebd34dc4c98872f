"""Administrators maintain the offence table, the legal parameters and each court's fee and
signatories. The register itself (persons, convictions, requests, bulletins) is not in the admin
at all (issue 9): clerks and judges read and write it through the court's pages, which check their
court, ask for the second factor and audit every read (guichet.accounts.admin_site)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from guichet.criminal_records import rules
from guichet.criminal_records.models import CourtOffice, Offence, RuleParameter


@admin.register(Offence)
class OffenceAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "category", "article", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["code", "label"]

    def has_delete_permission(self, request, obj=None):
        return False  # convictions cite it: retire it (is_active) instead


class RuleParameterForm(forms.ModelForm):
    key = forms.ChoiceField(
        label=_("paramètre"),
        choices=[
            (key, f"{key} — {p.description} ({p.article}; défaut {p.default})")
            for key, p in rules.PARAMETERS.items()
        ],
    )

    class Meta:
        model = RuleParameter
        fields = ["key", "value", "note"]


@admin.register(RuleParameter)
class RuleParameterAdmin(admin.ModelAdmin):
    form = RuleParameterForm
    list_display = ["key", "value", "default", "article", "updated_at"]

    @admin.display(description=_("valeur par défaut"))
    def default(self, obj):
        parameter = rules.PARAMETERS.get(obj.key)
        return parameter.default if parameter else "—"

    @admin.display(description=_("source"))
    def article(self, obj):
        parameter = rules.PARAMETERS.get(obj.key)
        return parameter.article if parameter else "—"


@admin.register(CourtOffice)
class CourtOfficeAdmin(admin.ModelAdmin):
    list_display = ["court", "stamp_amount", "extra_amount", "prosecutor_name", "chief_clerk_name"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "court":
            from guichet.accounts.models import Organisation

            kwargs["queryset"] = Organisation.objects.filter(kind=Organisation.Kind.COURT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
