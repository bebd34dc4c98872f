from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Commune, Organisation
from guichet.criminal_records import penalties as penalty_kinds
from guichet.criminal_records.models import (
    BulletinRequest,
    Conviction,
    ConvictionEvent,
    IdentityProof,
    Offence,
    Person,
)
from guichet.criminal_records.services_register import PERSON_FIELDS
from guichet.query_params import BoundedIntegerField
from guichet.upload_forms import KeepsUploadsMixin

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class IdentityForm(forms.Form):
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    first_names = forms.CharField(label=_("Prénoms"), max_length=200)
    # No default: a silent « Masculin » would be a declared fact nobody declared.
    sex = forms.ChoiceField(label=_("Sexe"), choices=[("", _("— Choisir —")), *Person.Sex.choices])
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
    birth_year_margin = forms.IntegerField(
        label=_("Né(e) vers : à combien d'années près ?"),
        required=False,
        min_value=0,
        max_value=10,
        help_text=_("Laissez vide si l'année est certaine (« né vers 1980 » : 2, par exemple)."),
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
        data["birth_year_margin"] = data.get("birth_year_margin") or 0
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


class CitizenRequestForm(KeepsUploadsMixin, IdentityForm):
    identity_proof_kind = forms.ChoiceField(
        label=_("Pièce d'identité"),
        choices=[("", _("— Choisir —")), *IdentityProof.choices],
        widget=forms.RadioSelect,
    )
    identity_document = forms.FileField(
        label=_("Photo ou scan de la carte d'identité ou du passeport (PDF, JPEG ou PNG, 5 Mo)"),
        required=False,
    )
    birth_certificate = forms.FileField(
        label=_("À défaut : photo ou scan de l'acte de naissance"), required=False
    )
    witness_document = forms.FileField(
        label=_("… et de la pièce d'identité d'un témoin qui vous connaît"), required=False
    )
    payment_method = forms.ChoiceField(
        label=_("Mode de paiement"),
        choices=BulletinRequest.PaymentMethod.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Paiement mobile : vous payez juste après l'envoi de la demande. Timbre fiscal : "
            "indiquez son numéro. Au guichet : vous payez au greffe du tribunal."
        ),
    )
    payment_reference = forms.CharField(
        label=_("Numéro du timbre fiscal"), max_length=60, required=False
    )

    def clean(self):
        data = super().clean()
        kind = data.get("identity_proof_kind")
        if kind in (IdentityProof.NATIONAL_ID, IdentityProof.PASSPORT) and not data.get(
            "identity_document"
        ):
            self.add_error("identity_document", _("Joignez la photo de la pièce d'identité."))
        if kind == IdentityProof.BIRTH_CERTIFICATE_AND_WITNESS:
            if not data.get("birth_certificate"):
                self.add_error("birth_certificate", _("Joignez l'acte de naissance."))
            if not data.get("witness_document"):
                self.add_error("witness_document", _("Joignez la pièce d'identité du témoin."))
        if (
            data.get("payment_method") == BulletinRequest.PaymentMethod.FISCAL_STAMP
            and not (data.get("payment_reference") or "").strip()
        ):
            self.add_error("payment_reference", _("Indiquez le numéro du timbre fiscal."))
        return data


class CompleteIdentityForm(forms.Form):
    """Facts the clerk reads on the identity document to tell homonyms apart."""

    father_name = forms.CharField(label=_("Nom du père"), max_length=200, required=False)
    mother_name = forms.CharField(label=_("Nom de la mère"), max_length=200, required=False)
    birth_date = forms.DateField(
        label=_("Date de naissance"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    birth_commune = forms.ModelChoiceField(
        label=_("Commune de naissance"),
        queryset=Commune.objects.select_related("region").order_by("name"),
        required=False,
    )
    reason = forms.CharField(label=_("Source (pièce d'identité, déclaration…)"), max_length=255)

    def facts(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "reason" and v}


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
    birth_year_margin = forms.IntegerField(
        label=_("« Né vers » : marge en années"),
        required=False,
        min_value=0,
        max_value=10,
        help_text=_("Vide ou 0 si l'année est certaine."),
    )

    def clean_birth_year_margin(self):
        return self.cleaned_data.get("birth_year_margin") or 0

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {
            "other_spellings": forms.Textarea(attrs={"rows": 2}),
            "id_documents": forms.Textarea(attrs={"rows": 2}),
        }


class SentenceForm(forms.Form):
    """The sentence as a judgment pronounces it (Code pénal du Niger: penalties.py), for a
    conviction and for a decision on recourse that reforms it."""

    criminal_penalty = forms.ChoiceField(
        label=_("Peine criminelle"),
        required=False,
        choices=[
            ("", "—"),
            (penalty_kinds.DEATH, _("Peine de mort")),
            (penalty_kinds.LIFE_IMPRISONMENT, _("Réclusion criminelle à perpétuité")),
            (penalty_kinds.CRIMINAL_IMPRISONMENT, _("Réclusion criminelle à temps")),
        ],
    )
    criminal_years = forms.IntegerField(
        label=_("Réclusion à temps : années"), required=False, min_value=1
    )
    criminal_months = forms.IntegerField(
        label=_("Réclusion à temps : mois"), required=False, min_value=1
    )
    prison_years = forms.IntegerField(
        label=_("Emprisonnement : années"), required=False, min_value=1
    )
    prison_months = forms.IntegerField(
        label=_("Emprisonnement : mois"), required=False, min_value=1
    )
    prison_days = forms.IntegerField(label=_("Emprisonnement : jours"), required=False, min_value=1)
    suspended = forms.BooleanField(label=_("Avec sursis"), required=False)
    suspension_kind = forms.ChoiceField(
        label=_("Nature du sursis"),
        required=False,
        choices=[("", "—"), *penalty_kinds.SUSPENSION_CHOICES],
    )
    suspended_years = forms.IntegerField(
        label=_("Sursis partiel : dont … années avec sursis"), required=False, min_value=1
    )
    suspended_months = forms.IntegerField(
        label=_("Sursis partiel : dont … mois avec sursis"), required=False, min_value=1
    )
    probation_years = forms.IntegerField(
        label=_("Mise à l'épreuve : délai fixé (années)"), required=False, min_value=1
    )
    fine = forms.IntegerField(label=_("Amende (F CFA)"), required=False, min_value=1)
    community_hours = forms.IntegerField(
        label=_("Travail d'intérêt général (heures)"), required=False, min_value=1
    )
    complementary_kind = forms.ChoiceField(
        label=_("Peine complémentaire"),
        required=False,
        choices=[("", "—"), *penalty_kinds.COMPLEMENTARY_CHOICES],
    )
    complementary_years = forms.IntegerField(
        label=_("Peine complémentaire : durée (années)"), required=False, min_value=1
    )
    complementary_detail = forms.CharField(
        label=_("Peine complémentaire : précision"), required=False, max_length=255
    )
    educational_measure = forms.ChoiceField(
        label=_("Mesure éducative (mineur)"),
        required=False,
        choices=[("", "—"), *penalty_kinds.EDUCATIONAL_CHOICES],
    )
    other_measure = forms.CharField(label=_("Autre mesure"), required=False, max_length=255)

    def penalties(self) -> list[dict]:
        data = self.cleaned_data
        out = []
        if data.get("criminal_penalty"):
            spec = {"kind": data["criminal_penalty"]}
            if data["criminal_penalty"] == penalty_kinds.CRIMINAL_IMPRISONMENT:
                spec |= {"years": data.get("criminal_years"), "months": data.get("criminal_months")}
            out.append(spec)
        if data.get("prison_years") or data.get("prison_months") or data.get("prison_days"):
            spec = {
                "kind": penalty_kinds.PRISON,
                "years": data.get("prison_years"),
                "months": data.get("prison_months"),
                "days": data.get("prison_days"),
                "suspended": data["suspended"],
            }
            if data["suspended"]:
                spec |= {
                    "suspension_kind": data.get("suspension_kind")
                    or penalty_kinds.SUSPENSION_SIMPLE,
                    "suspended_years": data.get("suspended_years"),
                    "suspended_months": data.get("suspended_months"),
                    "probation_years": data.get("probation_years"),
                }
            out.append(spec)
        if data.get("fine"):
            out.append({"kind": penalty_kinds.FINE, "amount": data["fine"]})
        if data.get("community_hours"):
            out.append({"kind": penalty_kinds.COMMUNITY_SERVICE, "hours": data["community_hours"]})
        if data.get("complementary_kind"):
            out.append(
                {
                    "kind": penalty_kinds.COMPLEMENTARY,
                    "subkind": data["complementary_kind"],
                    "years": data.get("complementary_years"),
                    "description": data.get("complementary_detail", ""),
                }
            )
        if data.get("educational_measure"):
            out.append(
                {"kind": penalty_kinds.EDUCATIONAL_MEASURE, "subkind": data["educational_measure"]}
            )
        if data.get("other_measure"):
            out.append({"kind": penalty_kinds.OTHER, "description": data["other_measure"]})
        return out

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not self.penalties():
            raise forms.ValidationError(_("Indiquez au moins une peine."))
        if data.get("criminal_penalty") == penalty_kinds.CRIMINAL_IMPRISONMENT and not (
            data.get("criminal_years") or data.get("criminal_months")
        ):
            self.add_error("criminal_years", _("Indiquez la durée de la réclusion."))
        return data


class ConvictionForm(KeepsUploadsMixin, SentenceForm):
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
    b3_mention_ordered = forms.BooleanField(
        label=_("La juridiction a ordonné la mention au bulletin n°3"), required=False
    )
    card_scan = forms.FileField(label=_("Scan de la fiche (facultatif)"), required=False)

    field_order = [
        "court",
        "decision_number",
        "decision_date",
        "offence_date",
        "kind",
        "is_final",
        "offences",
    ]


class RecourseForm(SentenceForm):
    """A decision on appel, opposition or pourvoi, with the sentence it pronounces."""

    date = forms.DateField(label=_("Date de la décision sur recours"), widget=DATE_WIDGET)
    reference = forms.CharField(
        label=_("Juridiction et référence de la décision"),
        max_length=120,
        help_text=_("Par exemple : Cour d'appel de Niamey, arrêt n° 12 du 04/06/2012."),
    )
    kind = forms.ChoiceField(
        label=_("Nature"),
        choices=Conviction.Kind.choices,
        initial=Conviction.Kind.CONTRADICTORY,
        required=False,  # contradictory unless said otherwise
    )
    is_final = forms.BooleanField(label=_("Décision définitive"), required=False, initial=True)
    # Offered as in force (the view's initial): the clerk unticks it when the decision on
    # recourse does not order the mention again.
    b3_mention_ordered = forms.BooleanField(
        label=_("La juridiction a ordonné la mention au bulletin n°3"), required=False
    )
    note = forms.CharField(
        label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    field_order = ["date", "reference", "kind", "is_final", "b3_mention_ordered", "note"]


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Événement"),
        # A decision on recourse has its own form: it comes with the sentence it pronounces.
        choices=[c for c in ConvictionEvent.Kind.choices if c[0] != ConvictionEvent.Kind.RECOURSE],
    )
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


class CardImportForm(KeepsUploadsMixin, forms.Form):
    court = forms.ModelChoiceField(label=_("Greffe"), queryset=Organisation.objects.none())
    file = forms.FileField(label=_("Fichier CSV (UTF-8)"))

    def __init__(self, *args, courts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if courts is not None:
            self.fields["court"].queryset = courts


class ScanForm(KeepsUploadsMixin, forms.Form):
    scan = forms.FileField(label=_("Scan de la fiche (PDF, JPEG ou PNG)"))


class VerifyCodeForm(forms.Form):
    # Codes are base32 (RFC 4648 §6: letters and digits); anything else (a "/" for instance,
    # which no URL of /casier/verifier/<code> can carry) is a typing error, said so.
    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=80,
        help_text=_("Tel qu'imprimé sur l'extrait, avec ou sans tirets ni espaces."),
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9 -]+$",
                _("Un code de vérification ne contient que des lettres et des chiffres."),
            )
        ],
    )


class VerifyUploadForm(KeepsUploadsMixin, forms.Form):
    document = forms.FileField(label=_("Document PDF à vérifier"))


# --- Qualifying a penalty recorded as « autre mesure » (migration 0004 could not read it) ---


class QualifyPenaltyForm(forms.Form):
    penalty = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Nature légale"),
        choices=[(k, label) for k, label in penalty_kinds.KIND_CHOICES if k != penalty_kinds.OTHER],
    )
    subkind = forms.ChoiceField(
        label=_("Précision (peine complémentaire ou mesure éducative)"),
        required=False,
        choices=[
            ("", "—"),
            (_("Peine complémentaire"), penalty_kinds.COMPLEMENTARY_CHOICES),
            (_("Mesure éducative"), penalty_kinds.EDUCATIONAL_CHOICES),
        ],
    )
    years = forms.IntegerField(label=_("Années"), required=False, min_value=1)
    months = forms.IntegerField(label=_("Mois"), required=False, min_value=1)
    days = forms.IntegerField(label=_("Jours"), required=False, min_value=1)
    reason = forms.CharField(label=_("Décision lue (référence)"), max_length=255)
