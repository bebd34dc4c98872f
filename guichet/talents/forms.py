"""Forms of the programme: they check shapes and bounds; the rules are in services/selection."""

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Organisation, Region
from guichet.talents.models import Candidate, Challenge, Choice, Profile, Promotion
from guichet.upload_forms import KeepsUploadsMixin


class CatalogueFilter(forms.Form):
    administration = forms.ModelChoiceField(
        label=_("Administration"),
        queryset=Organisation.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Toutes"),
    )
    profil = forms.ModelChoiceField(
        label=_("Profil"),
        queryset=Profile.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Tous"),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = organisations or Organisation.objects.none()


class ChallengeForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Administration"), queryset=Organisation.objects.none()
    )
    profiles = forms.ModelMultipleChoiceField(
        label=_("Profils recherchés"),
        queryset=Profile.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Challenge
        fields = [
            "organisation",
            "title",
            "problem",
            "who_suffers",
            "data_and_systems",
            "expected_impact",
            "profiles",
            "mentor_name",
            "mentor_title",
            "location",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("problem", "who_suffers", "data_and_systems", "expected_impact")
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations if organisations is not None else Organisation.objects.none()
        if field.queryset.count() == 1:
            # A choice with one option is made already.
            field.initial = field.queryset.first()
        if self.instance.pk:
            field.disabled = True


class ChallengeReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            ("accept", _("Retenir dans la promotion")),
            ("request_changes", _("Demander des modifications")),
            ("decline", _("Ne pas retenir")),
        ],
        widget=forms.RadioSelect,
    )
    promotion = forms.ModelChoiceField(
        label=_("Promotion"), queryset=Promotion.objects.all(), required=False
    )
    reason = forms.CharField(
        label=_("Raison (lue par l'administration)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        promotions = self.fields["promotion"].queryset
        if promotions.count() == 1:
            self.fields["promotion"].initial = promotions.first()


class CandidateForm(KeepsUploadsMixin, forms.ModelForm):
    profiles = forms.ModelMultipleChoiceField(
        label=_("Vos profils"),
        queryset=Profile.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.ModelChoiceField(label=_("Région"), queryset=Region.objects.all())
    cv = forms.FileField(
        label=_("CV (PDF, 5 Mo au plus)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    diploma = forms.FileField(
        label=_("Diplôme (PDF, facultatif)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    class Meta:
        model = Candidate
        fields = [
            "full_name",
            "email",
            "region",
            "sex",
            "birth_year",
            "profiles",
            "skills",
            "links",
            "availability",
            "cv",
            "diploma",
        ]
        widgets = {
            "skills": forms.Textarea(attrs={"rows": 3}),
            "links": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "sex": _("Sert seulement aux statistiques de l'appel ; le jury ne le voit pas."),
            "birth_year": _("Facultatif ; le jury du premier tour ne le voit pas."),
        }

    def clean_cv(self):
        cv = self.cleaned_data.get("cv")
        if not cv and not (self.instance.pk and self.instance.cv):
            raise forms.ValidationError(_("Joignez votre CV en PDF."))
        return cv or None

    def clean_diploma(self):
        return self.cleaned_data.get("diploma") or None


class ApplicationForm(forms.Form):
    """Up to `max_choices` challenges, ranked, each with its motivation."""

    def __init__(self, *args, promotion: Promotion, challenges, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.promotion = promotion
        existing = {}
        if application is not None:
            existing = {choice.rank: choice for choice in application.choices.all()}
        for rank in range(1, promotion.max_choices + 1):
            choice: Choice | None = existing.get(rank)
            self.fields[f"challenge_{rank}"] = forms.ModelChoiceField(
                label=_("Défi n° %(rank)d") % {"rank": rank},
                queryset=challenges,
                required=rank == 1,
                initial=choice.challenge_id if choice else None,
                empty_label=_("— aucun —"),
            )
            self.fields[f"motivation_{rank}"] = forms.CharField(
                label=_("Votre motivation pour ce défi"),
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                max_length=promotion.motivation_max_chars,
                initial=choice.motivation if choice else "",
                help_text=_("%(n)d caractères au plus.") % {"n": promotion.motivation_max_chars},
            )

    def choices(self) -> list[tuple[Challenge, str]]:
        picked = []
        for rank in range(1, self.promotion.max_choices + 1):
            challenge = self.cleaned_data.get(f"challenge_{rank}")
            if challenge is not None:
                picked.append((challenge, self.cleaned_data.get(f"motivation_{rank}", "").strip()))
        return picked


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Nature du conflit d'intérêts"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class ScoreForm(forms.Form):
    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.label} (0–{criterion.max_score}, × {criterion.weight})",
                min_value=0,
                max_value=criterion.max_score,
            )
        self.fields["comment"] = forms.CharField(
            label=_("Commentaire"),
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
            max_length=2000,
        )

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class SlotsForm(forms.Form):
    challenge = forms.ModelChoiceField(label=_("Défi"), queryset=Challenge.objects.none())
    first = forms.DateTimeField(
        label=_("Premier créneau (heure de Niamey)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )
    count = forms.IntegerField(label=_("Nombre de créneaux"), min_value=1, max_value=40, initial=4)
    minutes = forms.IntegerField(
        label=_("Durée (minutes)"), min_value=10, max_value=240, initial=30
    )
    place = forms.CharField(label=_("Lieu ou lien"), max_length=200)

    def __init__(self, *args, challenges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = challenges


DECISION_MESSAGES = {
    Choice.Outcome.SELECTED: _(
        "Félicitations : le jury vous a retenu·e. L'ANSI vous contactera pour la suite."
    ),
    Choice.Outcome.WAITING_LIST: _(
        "Le jury vous a placé·e sur liste d'attente. Nous vous écrirons si une place se libère."
    ),
    Choice.Outcome.NOT_SELECTED: _(
        "Le jury n'a pas retenu votre candidature cette année. Merci de votre intérêt."
    ),
}


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            (value, label) for value, label in Choice.Outcome.choices if value in Choice.DECIDED
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message au candidat (laisser vide pour le message type)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def message_for(self, outcome: str) -> str:
        return self.cleaned_data.get("message", "").strip() or str(DECISION_MESSAGES[outcome])


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Votre note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    public = forms.BooleanField(label=_("Publique"), required=False, initial=True)
    final_report = forms.BooleanField(label=_("C'est le rapport final"), required=False)


class ResultsForm(forms.Form):
    results = forms.CharField(
        label=_("Résultats du défi"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=8000,
        required=False,
        help_text=_("Affichés sur la page publique du défi et de la promotion."),
    )


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je demande l'effacement de mes données de candidature."), required=True
    )
