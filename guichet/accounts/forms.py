from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guichet.accounts.services import normalise_mobile


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Numéro de téléphone"),
        max_length=20,
        help_text=_("Numéro du Niger, par exemple 90 12 34 56."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self) -> str:
        return normalise_mobile(self.cleaned_data["phone"])


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
    """The second step: a 6-digit code of the application, or a recovery code (xxxxx-xxxxx)."""

    token = forms.RegexField(
        label=_("Code de l'application d'authentification ou code de secours"),
        regex=r"^\s*(\d{6}|[A-Za-z2-7]{5}-?[A-Za-z2-7]{5})\s*$",
        max_length=20,
        error_messages={"invalid": _("Le code a 6 chiffres ; un code de secours a 10 caractères.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


class EnrolmentTokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code de l'application d'authentification"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Le code a 6 chiffres.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


class AdminAgentAuthenticationForm(AgentAuthenticationForm):
    """The admin site's password step: agents who are staff members."""

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise ValidationError(
                _("Ce compte n'a pas accès à l'administration de la plateforme."),
                code="not_staff",
            )


class ErasureRequestForm(forms.Form):
    """The citizen's request for erasure (law n° 2022-59): a confirmation, nothing else."""

    confirm = forms.BooleanField(
        label=_("Je demande l'effacement de mes données, dans la mesure où la loi le permet."),
        required=True,
        error_messages={"required": _("Cochez la case pour confirmer votre demande.")},
    )
