"""Courrier: registered mail (incoming, outgoing, internal), its correspondents, scans and the visa
circuit of outgoing letters.

Status, routing ("imputation") and deadlines are the mail's `workflow.Case`; every change of them
goes through `guichet.workflow.services`. This module keeps what is specific to mail: the
registration number, the metadata of the letter, the attachments and the visa steps.
"""

import unicodedata

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Organisation
from guichet.workflow.models import Case


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced: "  M. Ibrahim  SOULEY " and "m. ibrahim souley"
    are the same name for duplicate detection."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = "".join(c if c.isalnum() else " " for c in text)
    return " ".join(text.split())


class Contact(models.Model):
    """A correspondent: a person or an organisation outside (or inside) the administration."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Personne")
        ORGANISATION = "organisation", _("Organisme")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("nom"), max_length=200)
    organisation_name = models.CharField(_("organisme"), max_length=200, blank=True)
    title = models.CharField(_("qualité / fonction"), max_length=200, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    address = models.TextField(_("adresse"), blank=True)
    folded_name = models.CharField(max_length=200, editable=False, db_index=True)
    # Each ministry (a top-level organisation and its subtree) keeps its own directory: its
    # correspondents, their mail counts and merges are not another ministry's business.
    directory = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("annuaire de"),
        help_text=_("Ministère (organisation de tête) dont l'annuaire contient ce correspondant."),
    )
    possible_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="possible_duplicates",
        verbose_name=_("doublon possible de"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["folded_name"]
        verbose_name = _("correspondant")
        verbose_name_plural = _("correspondants")

    def __str__(self) -> str:
        if self.organisation_name and self.kind == self.Kind.PERSON:
            return f"{self.name} ({self.organisation_name})"
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.folded_name = fold(self.name)[:200]
        super().save(*args, **kwargs)


class RegisterCounter(models.Model):
    """The last number given in one register (organisation, direction, year). Registering locks
    this row (SELECT … FOR UPDATE) inside its transaction: numbers are sequential and gap-free."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(max_length=1)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "direction", "year"], name="register_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.direction}/{self.year}: {self.last_number}"


class Mail(models.Model):
    class Direction(models.TextChoices):
        INCOMING = "A", _("Arrivée")
        OUTGOING = "D", _("Départ")
        INTERNAL = "I", _("Interne")

    class Type(models.TextChoices):
        LETTER = "letter", _("Lettre")
        NOTE = "note", _("Note / note de service")
        REQUEST = "request", _("Demande / requête")
        PETITION = "petition", _("Pétition / réclamation")
        INVITATION = "invitation", _("Invitation")
        REPORT = "report", _("Rapport / compte rendu")
        CIRCULAR = "circular", _("Circulaire")
        DRAFT_TEXT = "draft_text", _("Projet de texte")
        INVOICE = "invoice", _("Facture")
        OTHER = "other", _("Autre")

    class Priority(models.TextChoices):
        NORMAL = "normal", _("Normale")
        URGENT = "urgent", _("Urgente")
        VERY_URGENT = "very_urgent", _("Très urgente")

    class Confidentiality(models.TextChoices):
        NORMAL = "normal", _("Ordinaire")
        CONFIDENTIAL = "confidential", _("Confidentiel")
        SECRET = "secret", _("Secret")

    class Visa(models.TextChoices):
        NONE = "", _("Sans visa")
        PENDING = "pending", _("En circuit de visa")
        SENT_BACK = "sent_back", _("Renvoyé pour correction")
        APPROVED = "approved", _("Visé")

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="mail")
    register = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registre de"),
        help_text=_("L'administration dont le registre numérote ce courrier."),
    )
    registered_in = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enregistré par l'unité"),
    )
    direction = models.CharField(_("sens"), max_length=1, choices=Direction.choices)
    year = models.PositiveIntegerField(_("année"))
    number = models.PositiveIntegerField(_("numéro d'ordre"))
    reference = models.CharField(_("numéro d'enregistrement"), max_length=80, unique=True)
    correspondent = models.ForeignKey(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mails",
        verbose_name=_("correspondant"),
    )
    other_unit = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unité émettrice ou destinataire (courrier interne)"),
    )
    subject = models.CharField(_("objet"), max_length=500)
    mail_type = models.CharField(_("nature"), max_length=20, choices=Type.choices, default="letter")
    letter_date = models.DateField(_("date de la lettre"), null=True, blank=True)
    letter_reference = models.CharField(_("référence de la lettre"), max_length=120, blank=True)
    received_on = models.DateField(_("date d'arrivée"), null=True, blank=True)
    sent_on = models.DateField(_("date d'envoi"), null=True, blank=True)
    priority = models.CharField(
        _("priorité"), max_length=20, choices=Priority.choices, default=Priority.NORMAL
    )
    confidentiality = models.CharField(
        _("confidentialité"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.NORMAL,
    )
    keywords = models.CharField(_("mots-clés"), max_length=300, blank=True)
    summary = models.TextField(_("analyse / résumé"), blank=True)
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("en réponse à"),
    )
    visa = models.CharField(_("visa"), max_length=20, choices=Visa.choices, blank=True, default="")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("enregistré le"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-registered_at", "-pk"]
        verbose_name = _("courrier")
        verbose_name_plural = _("courriers")
        constraints = [
            models.UniqueConstraint(
                fields=["register", "direction", "year", "number"], name="mail_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.subject[:80]}"

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality != self.Confidentiality.NORMAL

    @property
    def status_label(self) -> str:
        """The status as it means for this mail: an outgoing letter is « En préparation », « En
        circuit de visa », « Visé, à expédier » or « Expédié » — never « Reçu »."""
        if self.direction != self.Direction.OUTGOING:
            return self.case.get_status_display()
        if self.sent_on is not None:
            return str(_("Expédié le %(date)s") % {"date": self.sent_on.strftime("%d/%m/%Y")})
        if self.case.status in (Case.Status.CLOSED, Case.Status.REJECTED):
            return str(_("Classé sans expédition"))
        return str(OUTGOING_DRAFT_STATUS[self.visa])


OUTGOING_DRAFT_STATUS = {
    Mail.Visa.NONE: _("En préparation"),
    Mail.Visa.PENDING: _("En circuit de visa"),
    Mail.Visa.SENT_BACK: _("Renvoyé pour correction"),
    Mail.Visa.APPROVED: _("Visé, à expédier"),
}


def attachment_path(instance, filename: str) -> str:
    # A random name: the original one may reveal a confidential subject; it is kept in the row.
    import uuid

    now = timezone.now()
    return f"courrier/{now:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    class Ocr(models.TextChoices):
        NONE = "", _("Non demandée")
        DONE = "done", _("Texte extrait")
        UNAVAILABLE = "unavailable", _("OCR non installé")
        FAILED = "failed", _("Échec")

    EXTENSIONS = {
        "application/pdf": ".pdf",
        "image/jpeg": ".jpg",
        "image/png": ".png",
        "image/tiff": ".tif",
    }

    mail = models.ForeignKey(Mail, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("fichier"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, db_index=True)
    ocr_text = models.TextField(_("texte (OCR)"), blank=True)
    ocr_status = models.CharField(max_length=20, choices=Ocr.choices, blank=True, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Law n° 2022-59 / archives: the scan's file is deleted after its retention period; the row
    # (name, size, fingerprint) stays as the trace of what was attached.
    file_erased_at = models.DateTimeField(_("numérisation effacée le"), null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return self.EXTENSIONS.get(self.content_type, "")


class VisaStep(models.Model):
    """One approver of an outgoing letter's visa circuit, in order."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("En attente")
        APPROVED = "approved", _("Visé")
        SENT_BACK = "sent_back", _("Renvoyé")

    mail = models.ForeignKey(Mail, on_delete=models.CASCADE, related_name="visa_steps")
    order = models.PositiveSmallIntegerField()
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visa_steps"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    acted_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("observations"), blank=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("visa")
        verbose_name_plural = _("visas")
        constraints = [
            models.UniqueConstraint(fields=["mail", "order"], name="visa_step_unique_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.approver} — {self.get_status_display()}"


class MailOfficeRules(models.Model):
    """An organisation's rules for its mail office. The rules of the nearest organisation up the
    tree that has some apply to a unit (a ministry sets them for all its directorates; a
    directorate may set its own)."""

    class VisaRule(models.TextChoices):
        NONE = "none", _("Aucun visa exigé")
        ALL = "all", _("Tout courrier départ est visé avant expédition")
        CONFIDENTIAL = "confidential", _("Seul le courrier départ confidentiel ou secret est visé")
        SECRET = "secret", _("Seul le courrier départ secret est visé")

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="mail_office_rules",
        verbose_name=_("organisation"),
    )
    visa_rule = models.CharField(
        _("règle de visa"),
        max_length=20,
        choices=VisaRule.choices,
        default=VisaRule.NONE,
        help_text=_("Quels courriers départ doivent passer un circuit de visa avant expédition."),
    )

    class Meta:
        verbose_name = _("règles du bureau du courrier")
        verbose_name_plural = _("règles des bureaux du courrier")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_visa_rule_display()}"

    def needs_visa(self, mail: "Mail") -> bool:
        if self.visa_rule == self.VisaRule.ALL:
            return True
        if self.visa_rule == self.VisaRule.CONFIDENTIAL:
            return mail.is_confidential
        if self.visa_rule == self.VisaRule.SECRET:
            return mail.confidentiality == Mail.Confidentiality.SECRET
        return False
