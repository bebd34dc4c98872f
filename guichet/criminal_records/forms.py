from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Commune, Organisation
from guichet.criminal_records.models import (
    BulletinRequest,
    Conviction,
    ConvictionEvent,
    Offence,
    Person,
)
from guichet.query_params import BoundedIntegerField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class IdentityForm(forms.Form):
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    first_names = forms.CharField(label=_("Prénoms"), max_length=200)
    sex = forms.ChoiceField(label=_("Sexe"), choices=Person.Sex.choices)
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Si vous ne connaissez que l'année, laissez vide et remplissez l'année."),
    )
    birth_year = forms.IntegerField(
        label=_("Année de naissance (si la date exacte est inconnue)"),
        required=False,
        min_value=1900,
        max_value=2100,
    )
    birth_commune = forms.ModelChoiceField(
        label=_("Commune de naissance"),
        queryset=Commune.objects.select_related("region").order_by("name"),
        required=False,
        empty_label=_("— Né(e) hors du Niger —"),
    )
    birth_country = forms.CharField(
        label=_("Pays de naissance (si hors du Niger)"), max_length=100, required=False
    )
    father_name = forms.CharField(label=_("Nom du père"), max_length=200, required=False)
    mother_name = forms.CharField(label=_("Nom de la mère"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("birth_date") and not data.get("birth_year"):
            self.add_error("birth_year", _("Indiquez la date ou au moins l'année de naissance."))
        if data.get("birth_date") and data["birth_date"] > timezone.localdate():
            self.add_error("birth_date", _("La date de naissance ne peut être dans le futur."))
        if not data.get("birth_commune") and not (data.get("birth_country") or "").strip():
            self.add_error(
                "birth_country",
                _(
                    "Choisissez votre commune de naissance, ou indiquez le pays si vous êtes né(e) "
                    "hors du Niger."
                ),
            )
        return data


class CitizenRequestForm(IdentityForm):
    payment_method = forms.ChoiceField(
        label=_("Mode de paiement"), choices=BulletinRequest.PaymentMethod.choices
    )
    payment_reference = forms.CharField(
        label=_("Référence du paiement mobile ou numéro du timbre fiscal"), max_length=60
    )
    birth_certificate = forms.FileField(
        label=_("Photo ou scan de l'acte de naissance (PDF, JPEG ou PNG, 5 Mo au plus)")
    )


class AgentRequestForm(IdentityForm):
    reason = forms.CharField(
        label=_("Motif de la demande"),
        max_length=255,
        help_text=_("Par exemple : recrutement au poste de…, dossier n°…"),
    )


class ReasonForm(forms.Form):
    motif = forms.CharField(label=_("Motif de la consultation"), max_length=255)


class PersonSearchForm(forms.Form):
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    first_names = forms.CharField(label=_("Prénoms"), max_length=200, required=False)
    birth_year = forms.IntegerField(
        label=_("Année de naissance"), required=False, min_value=1900, max_value=2100
    )
    motif = forms.CharField(label=_("Motif de la consultation"), max_length=255)


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "last_name",
            "first_names",
            "other_spellings",
            "sex",
            "birth_year",
            "birth_month",
            "birth_day",
            "birth_commune",
            "birth_place",
            "birth_country",
            "father_name",
            "mother_name",
            "nationality",
            "id_documents",
        ]
        widgets = {
            "other_spellings": forms.Textarea(attrs={"rows": 2}),
            "id_documents": forms.Textarea(attrs={"rows": 2}),
        }


class ConvictionForm(forms.Form):
    court = forms.ModelChoiceField(
        label=_("Juridiction"), queryset=Organisation.objects.filter(kind="court")
    )
    decision_number = forms.CharField(label=_("Numéro de la décision"), required=False)
    decision_date = forms.DateField(label=_("Date de la décision"), widget=DATE_WIDGET)
    offence_date = forms.DateField(label=_("Date des faits"), required=False, widget=DATE_WIDGET)
    kind = forms.ChoiceField(label=_("Nature"), choices=Conviction.Kind.choices)
    is_final = forms.BooleanField(label=_("Décision définitive"), required=False, initial=True)
    offences = forms.ModelMultipleChoiceField(
        label=_("Infractions"), queryset=Offence.objects.filter(is_active=True)
    )
    prison_days = forms.IntegerField(
        label=_("Emprisonnement (jours ; un an = 365, un mois = 30)"), required=False, min_value=1
    )
    suspended = forms.BooleanField(label=_("Avec sursis"), required=False)
    fine = forms.IntegerField(label=_("Amende (F CFA)"), required=False, min_value=1)
    community_hours = forms.IntegerField(
        label=_("Travail d'intérêt général (heures)"), required=False, min_value=1
    )
    other_measure = forms.CharField(label=_("Autre mesure"), required=False, max_length=255)
    b3_mention_ordered = forms.BooleanField(
        label=_("La juridiction a ordonné la mention au bulletin n°3"), required=False
    )
    card_scan = forms.FileField(label=_("Scan de la fiche (facultatif)"), required=False)

    def penalties(self) -> list[dict]:
        data = self.cleaned_data
        penalties = []
        if data.get("prison_days"):
            penalties.append(
                {"kind": "prison", "days": data["prison_days"], "suspended": data["suspended"]}
            )
        if data.get("fine"):
            penalties.append({"kind": "fine", "amount": data["fine"]})
        if data.get("community_hours"):
            penalties.append({"kind": "community_service", "hours": data["community_hours"]})
        if data.get("other_measure"):
            penalties.append({"kind": "other", "description": data["other_measure"]})
        return penalties

    def clean(self):
        data = super().clean()
        if not self.errors and not self.penalties():
            raise forms.ValidationError(_("Indiquez au moins une peine."))
        return data


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Événement"), choices=ConvictionEvent.Kind.choices)
    date = forms.DateField(label=_("Date d'effet"), widget=DATE_WIDGET)
    reference = forms.CharField(label=_("Référence de la décision ou du texte"), required=False)
    note = forms.CharField(
        label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    new_decision_date = forms.DateField(
        label=_("Rectification : nouvelle date de décision"), required=False, widget=DATE_WIDGET
    )
    new_decision_number = forms.CharField(label=_("Rectification : nouveau numéro"), required=False)
    new_is_final = forms.ChoiceField(
        label=_("Rectification : caractère définitif"),
        required=False,
        choices=[("", "—"), ("1", _("Définitive")), ("0", _("Non définitive"))],
    )

    def corrections(self) -> dict:
        data = self.cleaned_data
        out = {}
        if data.get("new_decision_date"):
            out["decision_date"] = data["new_decision_date"]
        if data.get("new_decision_number"):
            out["decision_number"] = data["new_decision_number"]
        if data.get("new_is_final") in ("0", "1"):
            out["is_final"] = data["new_is_final"] == "1"
        return out


class MergeForm(forms.Form):
    duplicate = BoundedIntegerField(label=_("Numéro de la fiche en double"), min_value=1)
    motif = forms.CharField(label=_("Motif de la fusion"), max_length=255)


class CardImportForm(forms.Form):
    court = forms.ModelChoiceField(label=_("Greffe"), queryset=Organisation.objects.none())
    file = forms.FileField(label=_("Fichier CSV (UTF-8)"))

    def __init__(self, *args, courts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if courts is not None:
            self.fields["court"].queryset = courts


class ScanForm(forms.Form):
    scan = forms.FileField(label=_("Scan de la fiche (PDF, JPEG ou PNG)"))


class VerifyCodeForm(forms.Form):
    # Codes are base32 (RFC 4648 §6: letters and digits); anything else (a "/" for instance,
    # which no URL of /casier/verifier/<code> can carry) is a typing error, said so.
    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=40,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9 -]+$",
                _("Un code de vérification ne contient que des lettres et des chiffres."),
            )
        ],
    )


class VerifyUploadForm(forms.Form):
    document = forms.FileField(label=_("Document PDF à vérifier"))
