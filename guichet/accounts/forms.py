from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guichet.accounts.services import normalise_phone


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Numéro de téléphone"),
        max_length=20,
        help_text=_("Numéro du Niger, par exemple 90 12 34 56."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code reçu par SMS"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": _("Le code a 6 chiffres.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class AgentAuthenticationForm(AuthenticationForm):
    """Username and password, for agents only: citizens sign in with their phone."""

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.is_agent:
            raise ValidationError(
                _(
                    "Cet espace est réservé aux agents. Les citoyens se connectent avec leur téléphone."
                ),
                code="not_agent",
            )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code de l'application d'authentification"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Le code a 6 chiffres.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
