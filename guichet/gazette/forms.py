"""Forms of the Official Journal: search, alerts, verification, and the editors' forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.gazette import alerts, articlenum, numbering, services
from guichet.gazette.models import Amendment, Relation
from guichet.upload_forms import KeepsUploadsMixin

# The labels are msgids, marked in numbering.DOCTYPE_LABELS.
DOCTYPE_CHOICES = [
    ("", _("Tous les types")),
    *((code, _(label)) for code, label in numbering.DOCTYPE_LABELS.items()),
]
STATUS_CHOICES = [
    ("", _("En vigueur ou abrogés")),
    ("in_force", _("En vigueur")),
    ("repealed", _("Abrogés")),
]
SORT_CHOICES = [("relevance", _("Pertinence")), ("date", _("Date (récents d'abord)"))]


def normalise_phone(value: str) -> str:
    try:
        return alerts.normalise_phone(value)
    except services.GazetteError as error:
        raise ValidationError(str(error)) from None


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=DOCTYPE_CHOICES, required=False)
    authority = forms.CharField(label=_("Autorité (code)"), required=False, max_length=20)
    date_from = forms.DateField(
        label=_("Signé à partir du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Signé jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("État"), choices=STATUS_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("Trier par"), choices=SORT_CHOICES, required=False)


class AlertForm(forms.Form):
    q = forms.CharField(label=_("Recherche"), required=False, max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=DOCTYPE_CHOICES, required=False)
    email = forms.EmailField(label=_("Courriel"), required=False)
    phone = forms.CharField(label=_("Téléphone (SMS)"), required=False, max_length=20)

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        return normalise_phone(value) if value else ""

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone"):
            raise ValidationError(_("Indiquez un courriel ou un numéro de téléphone."))
        return data


class VerifyForm(KeepsUploadsMixin, forms.Form):
    pdf = forms.FileField(label=_("Fichier PDF du Journal officiel"), required=False)
    sha256 = forms.CharField(label=_("ou son empreinte SHA-256"), required=False, max_length=64)

    def clean_sha256(self):
        value = self.cleaned_data["sha256"].strip().lower()
        if value and (len(value) != 64 or any(c not in "0123456789abcdef" for c in value)):
            raise ValidationError(_("Une empreinte SHA-256 compte 64 caractères hexadécimaux."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("pdf") and not data.get("sha256"):
            raise ValidationError(_("Déposez le fichier PDF ou collez son empreinte."))
        return data


class TextForm(forms.Form):
    doctype = forms.ChoiceField(
        label=_("Type"), choices=[c for c in DOCTYPE_CHOICES if c[0] and c[0] != "rectificatif"]
    )
    number = forms.CharField(label=_("Numéro"), max_length=60, help_text=_("ex. 2020-123/PRN/MJ"))
    signed_on = forms.DateField(
        label=_("Date de signature"), widget=forms.DateInput(attrs={"type": "date"})
    )
    title = forms.CharField(label=_("Intitulé"), widget=forms.Textarea(attrs={"rows": 2}))
    content = forms.CharField(
        label=_("Texte"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Visas, puis « TITRE I », « CHAPITRE I », « Article premier : … », une par ligne."
        ),
    )


class TextEditForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), widget=forms.Textarea(attrs={"rows": 2}))
    content = forms.CharField(label=_("Texte"), widget=forms.Textarea(attrs={"rows": 16}))


def article_eid(value: str) -> str:
    """What an editor types for an article ("art_5", "5", "Article L. 100-1", "12 bis") → its eId."""
    value = value.strip()
    if not value or value.startswith("art_"):
        return value
    try:
        return "art_" + articlenum.parse(value).eid
    except articlenum.ArticleNumberError as error:
        raise forms.ValidationError(error.translated(gettext)) from None


class RelationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Lien"), choices=Relation.Kind.choices)
    target = forms.CharField(label=_("Texte visé"), help_text=_("ex. Loi n° 2017-28"))
    target_eid = forms.CharField(
        label=_("Article (facultatif)"), required=False, help_text=_("ex. 5, L. 100-1 ou art_5")
    )
    effective_on = forms.DateField(
        label=_("Prend effet le"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_target_eid(self):
        return article_eid(self.cleaned_data["target_eid"])


class AmendmentForm(forms.Form):
    # Not "action": the page's forms say which one was sent in a hidden input of that name.
    target = forms.CharField(label=_("Texte modifié"), help_text=_("ex. Loi n° 2017-28"))
    change = forms.ChoiceField(label=_("Modification"), choices=Amendment.Action.choices)
    target_eid = forms.CharField(
        label=_("Article"),
        required=False,
        help_text=_("Numéro (ex. 5, L. 100-1, 12 bis) ou identifiant (art_5)"),
    )
    num = forms.CharField(label=_("Numéro du nouvel article"), required=False)
    after_eid = forms.CharField(
        label=_("Insérer après"), required=False, help_text=_("ex. 4 ou art_4")
    )
    text = forms.CharField(
        label=_("Nouvelle rédaction"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    effective_on = forms.DateField(
        label=_("Prend effet le"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_target_eid(self):
        return article_eid(self.cleaned_data["target_eid"])

    def clean_after_eid(self):
        return article_eid(self.cleaned_data["after_eid"])

    def clean(self):
        data = super().clean()
        if not data.get("target_eid") and data.get("num"):
            # An inserted article is named by its new number.
            try:
                data["target_eid"] = article_eid(data["num"])
            except forms.ValidationError as error:
                self.add_error("num", error)
        if not data.get("target_eid") and "target_eid" not in self.errors:
            self.add_error(
                "target_eid", _("Indiquez l'article visé (ou le numéro du nouvel article).")
            )
        return data


class IssueForm(forms.Form):
    date = forms.DateField(
        label=_("Date de parution"), widget=forms.DateInput(attrs={"type": "date"})
    )
    special = forms.BooleanField(label=_("Numéro spécial"), required=False)


class ScheduleForm(forms.Form):
    issue = forms.IntegerField(widget=forms.HiddenInput)
