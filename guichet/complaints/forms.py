"""Web forms. They only shape and check input; `services` does the writing and the business
checks (and raises ValidationError by field, which the views copy onto the form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Commune, Region
from guichet.complaints.models import Category
from guichet.upload_forms import KeepsUploadsMixin
from guichet.workflow.models import Case


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category: Category) -> str:
        return str(category)


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, commune: Commune) -> str:
        return f"{commune.name} ({commune.region.name})"


class ComplaintForm(KeepsUploadsMixin, forms.Form):
    category = CategoryChoiceField(
        label=_("De quoi vous plaignez-vous ?"),
        queryset=Category.objects.filter(is_active=True).order_by("order", "group", "name"),
        empty_label=_("— Choisissez —"),
    )
    description = forms.CharField(
        label=_("Décrivez le problème"),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=10,
        max_length=4000,
        help_text=_("Quoi, quand, où. N'écrivez pas votre nom ici si vous voulez rester anonyme."),
    )
    region = forms.ModelChoiceField(
        label=_("Région"),
        queryset=Region.objects.order_by("name"),
        required=False,
        empty_label=_("— Choisissez —"),
    )
    commune = CommuneChoiceField(
        label=_("Commune (facultatif)"),
        queryset=Commune.objects.select_related("region").order_by("region__name", "name"),
        required=False,
        empty_label=_("— Choisissez —"),
    )
    address = forms.CharField(
        label=_("Lieu précis (facultatif)"),
        max_length=255,
        required=False,
        help_text=_("Quartier, nom du centre de santé, de la gare…"),
    )
    latitude = forms.DecimalField(
        label=_("Latitude (facultatif)"), max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Longitude (facultatif)"), max_digits=9, decimal_places=6, required=False
    )
    photo = forms.FileField(
        label=_("Photo (facultatif)"),
        required=False,
        help_text=_("JPEG, PNG ou WebP, 5 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    phone = forms.CharField(
        label=_("Téléphone (facultatif)"),
        max_length=20,
        required=False,
        help_text=_("Pour recevoir la référence et les nouvelles de votre plainte par SMS."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Courriel (facultatif)"), required=False)
    first_name = forms.CharField(label=_("Prénom (facultatif)"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Nom (facultatif)"), max_length=100, required=False)
    hide_identity = forms.BooleanField(
        label=_("Cacher mon identité aux agents qui traitent la plainte"),
        required=False,
        help_text=_(
            "Votre nom, téléphone et courriel ne leur seront pas montrés ; la plateforme pourra "
            "quand même vous envoyer les nouvelles de la plainte."
        ),
    )

    def clean(self):
        data = super().clean()
        if (
            not data.get("region")
            and not data.get("commune")
            and data.get("latitude") is None
            and not data.get("address")
        ):
            self.add_error("region", _("Indiquez où le problème a eu lieu : au moins la région."))
        return data


class LookupForm(forms.Form):
    reference = forms.CharField(
        label=_("Référence de suivi"),
        max_length=20,
        help_text=_("Les 10 caractères reçus au dépôt, par exemple ABCDE-FGHJK."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Ajouter un message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi la réponse ne vous satisfait-elle pas ?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Votre note (1 = très insatisfait, 5 = très satisfait)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


# --- Handlers -------------------------------------------------------------------------------


class HandlerFilterForm(forms.Form):
    STATUS_CHOICES = [("", _("Tous")), ("open", _("À traiter")), *Case.Status.choices]
    status = forms.ChoiceField(label=_("Statut"), choices=STATUS_CHOICES, required=False)
    category = forms.ChoiceField(label=_("Catégorie"), required=False)
    overdue = forms.BooleanField(label=_("En retard seulement"), required=False)
    q = forms.CharField(label=_("Référence ou mot"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("Toutes")),
            *Category.objects.order_by("group", "name").values_list("code", "name"),
        ]


class AssignForm(forms.Form):
    agent = forms.ModelChoiceField(label=_("Agent"), queryset=None, required=False)
    instructions = forms.CharField(
        label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, agents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents


class TextForm(forms.Form):
    text = forms.CharField(label=_("Texte"), widget=forms.Textarea(attrs={"rows": 4}))
