import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Organisation, User
from guichet.agent_forms import PreselectsSingleChoiceMixin
from guichet.correspondence import attachments, selectors
from guichet.correspondence.models import Contact, Mail
from guichet.correspondence.services import register_of
from guichet.upload_forms import KeepsUploadsMixin
from guichet.workflow.models import Case

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _agents_of(units) -> forms.ModelChoiceField:
    return (
        User.objects.filter(
            is_active=True, kind=User.Kind.AGENT, memberships__organisation__in=units
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class RegisterMailForm(KeepsUploadsMixin, PreselectsSingleChoiceMixin, forms.Form):
    unit = forms.ModelChoiceField(Organisation.objects.none(), label=_("Unité qui enregistre"))
    direction = forms.ChoiceField(label=_("Sens"), choices=Mail.Direction.choices)
    correspondent_name = forms.CharField(
        label=_("Correspondant (expéditeur ou destinataire)"),
        required=False,
        max_length=200,
        help_text=_("Choisissez dans l'annuaire ou saisissez un nouveau nom."),
        widget=forms.TextInput(attrs={"list": "contacts", "autocomplete": "off"}),
    )
    correspondent_organisation = forms.CharField(
        label=_("Organisme du correspondant"), required=False, max_length=200
    )
    other_unit = forms.ModelChoiceField(
        Organisation.objects.filter(is_active=True),
        label=_("Unité émettrice ou destinataire (courrier interne)"),
        required=False,
    )
    subject = forms.CharField(label=_("Objet"), max_length=500)
    mail_type = forms.ChoiceField(label=_("Nature"), choices=Mail.Type.choices)
    letter_date = forms.DateField(label=_("Date de la lettre"), required=False, widget=DATE)
    letter_reference = forms.CharField(
        label=_("Référence de la lettre"), required=False, max_length=120
    )
    received_on = forms.DateField(label=_("Date d'arrivée"), required=False, widget=DATE)
    priority = forms.ChoiceField(label=_("Priorité"), choices=Mail.Priority.choices)
    confidentiality = forms.ChoiceField(
        label=_("Confidentialité"), choices=Mail.Confidentiality.choices
    )
    keywords = forms.CharField(label=_("Mots-clés"), required=False, max_length=300)
    summary = forms.CharField(label=_("Analyse / résumé"), required=False, widget=forms.Textarea)
    due_days = forms.IntegerField(
        label=_("Délai de traitement (jours ouvrés)"),
        required=False,
        min_value=0,
        max_value=365,
        help_text=_("Vide : selon la priorité (15, 5 ou 2 jours ouvrés)."),
    )
    scan = forms.FileField(
        label=_("Scan (PDF, JPEG, PNG ou TIFF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff"}),
    )
    in_reply_to = forms.ModelChoiceField(
        Mail.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Organisation.objects.filter(
            memberships__user=user, memberships__role__code__in=selectors.CLERK_ROLES
        ).distinct()
        self.fields["in_reply_to"].queryset = selectors.mails_visible_to(user)

    def clean_scan(self):
        """The scan's type and size are checked here, next to the field: a refused file is named
        under it (and not kept for the next submit)."""
        scan = self.cleaned_data.get("scan")
        if scan:
            attachments.inspect_upload(scan)
        return scan


class ImputeForm(PreselectsSingleChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label=_("Imputer à"))
    agent = forms.ModelChoiceField(
        User.objects.none(), label=_("Agent (facultatif)"), required=False
    )
    instructions = forms.CharField(
        label=_("Instructions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ex. : pour attribution, pour avis, pour étude et compte rendu."),
    )
    copies = forms.ModelMultipleChoiceField(
        Organisation.objects.none(),
        label=_("Copies pour information"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Une unité sans agent du courrier reçoit la copie par son chef de service ; une "
            "unité où personne ne lit le courrier est refusée."
        ),
    )
    due_days = forms.IntegerField(
        label=_("Nouveau délai (jours ouvrés à partir d'aujourd'hui)"),
        required=False,
        min_value=1,
        max_value=365,
    )

    def __init__(self, *args, mail: Mail, **kwargs):
        super().__init__(*args, **kwargs)
        units = register_of(mail.registered_in).subtree().filter(is_active=True)
        self.fields["organisation"].queryset = units
        self.fields["copies"].queryset = units
        self.fields["agent"].queryset = _agents_of(units)


class TextForm(forms.Form):
    text = forms.CharField(
        label=_("Texte"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttachmentForm(KeepsUploadsMixin, forms.Form):
    scan = forms.FileField(label=_("Scan (PDF, JPEG, PNG ou TIFF)"))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la consultation"),
        max_length=300,
        help_text=_("Ce courrier est confidentiel : chaque consultation est enregistrée."),
    )


class VisaCircuitForm(PreselectsSingleChoiceMixin, forms.Form):
    approver_1 = forms.ModelChoiceField(User.objects.none(), label=_("1er viseur"))
    approver_2 = forms.ModelChoiceField(User.objects.none(), label=_("2e viseur"), required=False)
    approver_3 = forms.ModelChoiceField(User.objects.none(), label=_("3e viseur"), required=False)
    approver_4 = forms.ModelChoiceField(User.objects.none(), label=_("4e viseur"), required=False)

    def __init__(self, *args, mail: Mail, **kwargs):
        super().__init__(*args, **kwargs)
        agents = _agents_of(register_of(mail.registered_in).subtree())
        for name in ("approver_1", "approver_2", "approver_3", "approver_4"):
            self.fields[name].queryset = agents

    def approvers(self) -> list[User]:
        return [self.cleaned_data[f"approver_{i}"] for i in range(1, 5)]


class VisaDecisionForm(PreselectsSingleChoiceMixin, forms.Form):
    DECISIONS = [
        ("approve", _("Viser")),
        ("annotate", _("Annoter sans décider")),
        ("send_back", _("Renvoyer pour correction")),
    ]
    decision = forms.ChoiceField(label=_("Décision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False)
    direction = forms.ChoiceField(
        label=_("Sens"), required=False, choices=[("", _("Tous")), *Mail.Direction.choices]
    )
    status = forms.ChoiceField(
        label=_("Statut"), required=False, choices=[("", _("Tous")), *Case.Status.choices]
    )
    unit = forms.ModelChoiceField(Organisation.objects.none(), label=_("Service"), required=False)
    correspondent = forms.CharField(label=_("Correspondant"), required=False)
    date_from = forms.DateField(label=_("Enregistré du"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("au"), required=False, widget=DATE)
    overdue = forms.BooleanField(label=_("En retard seulement"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = Organisation.objects.filter(memberships__user=user).values_list("path", flat=True)
        condition = Organisation.objects.none()
        for path in set(units):
            condition = condition | Organisation.objects.filter(path__startswith=path)
        self.fields["unit"].queryset = condition


class RegisterExportForm(PreselectsSingleChoiceMixin, forms.Form):
    """The registre chrono to print. Defaults: this year so far, the clerk's register (the only
    one, or that of the unit they register for), PDF, every direction."""

    register = forms.ModelChoiceField(Organisation.objects.none(), label=_("Registre"))
    start = forms.DateField(
        label=_("Du"), widget=DATE, required=False, help_text=_("Vide : le 1er janvier.")
    )
    end = forms.DateField(
        label=_("Au"), widget=DATE, required=False, help_text=_("Vide : aujourd'hui.")
    )
    direction = forms.ChoiceField(
        label=_("Sens"), required=False, choices=[("", _("Tous")), *Mail.Direction.choices]
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", "PDF"), ("csv", "CSV")],
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        registers = selectors.registers_of(user)
        self.fields["register"].queryset = registers
        today = timezone.localdate()
        self.fields["start"].initial = dt.date(today.year, 1, 1)
        self.fields["end"].initial = today
        self.fields["format"].initial = "pdf"
        own = selectors.clerk_units(user).order_by("path").first()
        if own is not None and registers.count() > 1:
            self.fields["register"].initial = register_of(own).pk

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        if not data.get("end"):
            data["end"] = today
        if not data.get("start"):
            data["start"] = dt.date(data["end"].year, 1, 1)
        data["format"] = data.get("format") or "pdf"
        if data["start"] > data["end"]:
            raise forms.ValidationError(_("La date de début est après la date de fin."))
        if (data["end"] - data["start"]).days > 366:
            raise forms.ValidationError(_("Choisissez une période d'un an au plus."))
        return data


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["kind", "name", "organisation_name", "title", "email", "phone", "address"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}
