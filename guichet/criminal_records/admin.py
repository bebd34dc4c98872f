"""Administrators maintain the offence table, the legal parameters and each court's fee and
signatories. The register itself (persons, convictions, requests, bulletins) is not in the admin
at all (issue 9): clerks and judges read and write it through the court's pages, which check their
court, ask for the second factor and audit every read (guichet.accounts.admin_site)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from guichet.criminal_records import rules, services_parameters
from guichet.criminal_records.models import Conviction, CourtOffice, Offence, RuleParameter


@admin.register(Offence)
class OffenceAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "category", "article", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["code", "label"]

    def has_delete_permission(self, request, obj=None):
        return False  # convictions cite it: retire it (is_active) instead

    def get_readonly_fields(self, request, obj=None):
        """Once a conviction cites an offence, its code and category are the courts'
        qualification: changing them here would rewrite every bulletin of every person convicted
        of it, today and « as of » any past date (rules._category). Create a new offence for a
        new qualification and retire this one."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and Conviction.objects.filter(offences=obj).exists():
            fields += ["code", "category"]
        return fields


class RuleParameterForm(forms.ModelForm):
    """A new version of a parameter (never an edit of an existing one)."""

    key = forms.ChoiceField(
        label=_("paramètre"),
        choices=[
            (
                key,
                f"{key} — {p.description} ({p.article}; défaut {p.default}; "
                f"{p.minimum} à {p.maximum})",
            )
            for key, p in rules.PARAMETERS.items()
        ],
    )

    class Meta:
        model = RuleParameter
        fields = ["key", "value", "effective_from", "reason"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            services_parameters.validate_rule_parameter(
                key=data["key"],
                value=data["value"],
                effective_from=data.get("effective_from"),
                reason=data.get("reason", ""),
            )
        return data


@admin.register(RuleParameter)
class RuleParameterAdmin(admin.ModelAdmin):
    """Versions are added through services_parameters (validated, audited), never changed or
    deleted: « as of » bulletins must stay reproducible."""

    form = RuleParameterForm
    list_display = ["key", "value", "effective_from", "default", "article", "created_by"]
    list_filter = ["key"]
    readonly_fields = ["created_at", "created_by"]

    def has_module_permission(self, request):
        return services_parameters.may_change_parameters(request.user)

    def has_view_permission(self, request, obj=None):
        return services_parameters.may_change_parameters(request.user)

    def has_add_permission(self, request):
        return services_parameters.may_change_parameters(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        version = services_parameters.set_rule_parameter(
            actor=request.user,
            key=obj.key,
            value=obj.value,
            effective_from=obj.effective_from,
            reason=obj.reason,
            request=request,
        )
        obj.pk = version.pk

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
