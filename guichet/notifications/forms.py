from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guichet.notifications.services import normalise_phone


class PhoneField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        try:
            return normalise_phone(value)
        except ValidationError as error:
            raise ValidationError(
                _("Numéro du Niger attendu, par exemple +227 90 12 34 56.")
            ) from error


class SimulatedSmsForm(forms.Form):
    phone = PhoneField(label=_("Numéro de l'expéditeur"), max_length=32)
    text = forms.CharField(label=_("Texte du SMS"), max_length=918)


class SimulatedUssdForm(forms.Form):
    phone = PhoneField(label=_("Numéro de l'appelant"), max_length=32)
    answer = forms.CharField(label=_("Réponse"), max_length=160, required=False)
