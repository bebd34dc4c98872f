"""Citizen complaints: what is complained about (category), the complaint itself, and the
partners allowed to file complaints through Open311.

The life cycle (received → assigned → in progress → answered → closed / rejected) is not here:
each complaint owns one `workflow.Case`, and every status change goes through
`guichet.workflow.services`. This module keeps only what is specific to a complaint: where,
what category, who to tell, the tracking reference, duplicates and the citizen's rating.
"""

import hashlib

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Commune, Organisation, Region
from guichet.complaints import references
from guichet.data_translations import TranslatedFields


class Category(TranslatedFields):
    """A kind of complaint, maintained by an administrator; also an Open311 "service"."""

    TRANSLATED_FIELDS = ("name", "group", "description")

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Identifiant stable, utilisé comme service_code Open311 (ex. sante-accueil)."),
    )
    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(
        _("domaine"), max_length=80, help_text=_("Regroupement affiché au citoyen (ex. Santé).")
    )
    keywords = models.CharField(_("mots-clés"), max_length=255, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="complaint_categories",
        verbose_name=_("organisation chargée du traitement"),
    )
    response_days = models.PositiveSmallIntegerField(
        _("délai de réponse (jours ouvrables)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    # Open311 discovery's `changeset`: when the list of services last changed.
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        ordering = ["order", "group", "name"]
        verbose_name = _("catégorie de plainte")
        verbose_name_plural = _("catégories de plaintes")

    def __str__(self) -> str:
        """« Santé — Frais de soins », in the active language (TranslatedFields)."""
        return f"{self.translated('group')} — {self.translated('name')}"


def photo_path(instance: "Complaint", filename: str) -> str:
    # The stored name never reuses the citizen's file name (it may carry their name).
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"complaints/{timezone.now():%Y/%m}/{references.new_token(20)}.{extension}"


class Complaint(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("Site web")
        SMS = "sms", _("SMS")
        USSD = "ussd", _("USSD")
        OPEN311 = "open311", _("Open311 (application partenaire)")

    case = models.OneToOneField("workflow.Case", on_delete=models.PROTECT, related_name="complaint")
    reference = models.CharField(_("référence de suivi"), max_length=10, unique=True)
    # Open311's service_request_id. Distinct from the reference: GET requests.json is public and
    # must not hand out the secret that lets someone reply, confirm or reopen a complaint.
    public_id = models.CharField(_("identifiant public"), max_length=16, unique=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("catégorie")
    )
    description = models.TextField(_("description"))
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("région")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("commune")
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("adresse ou lieu"), max_length=255, blank=True)
    photo = models.FileField(_("photo"), upload_to=photo_path, blank=True, max_length=200)
    photo_type = models.CharField(max_length=40, blank=True)
    media_url = models.URLField(_("lien vers un média"), blank=True, max_length=500)

    # Contact. Kept even when the identity is hidden: the platform still texts the complainant.
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("courriel"), blank=True)
    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    hide_identity = models.BooleanField(
        _("identité masquée aux agents"),
        default=False,
        help_text=_("Le plaignant a demandé que son identité ne soit pas montrée aux agents."),
    )
    language = models.CharField(max_length=5, default="fr")

    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    partner = models.ForeignKey(
        "Open311Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("partenaire Open311"),
    )
    open311_token = models.CharField(max_length=20, unique=True)
    attributes = models.JSONField(_("attributs Open311"), default=dict, blank=True)

    fingerprint = models.CharField(max_length=64, db_index=True, editable=False)
    duplicate_count = models.PositiveIntegerField(_("doublons reçus"), default=0)

    rating = models.PositiveSmallIntegerField(
        _("note"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("commentaire sur la réponse"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(_("déposée le"), default=timezone.now, db_index=True)
    submitted_ip = models.GenericIPAddressField(null=True, blank=True)
    # Law n° 2022-59: set when the complainant's personal data was erased (retention or request).
    personal_data_erased_at = models.DateTimeField(
        _("données personnelles effacées le"), null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("plainte")
        verbose_name_plural = _("plaintes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="complaint_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(latitude__isnull=True, longitude__isnull=True)
                    | models.Q(latitude__isnull=False, longitude__isnull=False)
                ),
                name="complaint_point_has_both_coordinates",
            ),
        ]

    def __str__(self) -> str:
        return references.display(self.reference)

    @property
    def display_reference(self) -> str:
        return references.display(self.reference)

    @property
    def is_anonymous(self) -> bool:
        return not (self.phone or self.email or self.first_name or self.last_name)

    @property
    def keeps_no_address(self) -> bool:
        """Anonymous or hidden: no IP address is kept for it, in its row or in the audit trail."""
        return self.hide_identity or self.is_anonymous

    @property
    def complainant_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def place(self) -> str:
        parts = [str(p) for p in (self.address, self.commune and self.commune.name) if p]
        if self.region_id:
            parts.append(self.region.name)
        if self.latitude is not None:
            parts.append(f"{self.latitude}, {self.longitude}")
        return ", ".join(parts)


def fingerprint(text: str, phone: str) -> str:
    """Same words and same phone ⇒ same fingerprint (case, accents kept; spacing ignored)."""
    words = " ".join((text or "").lower().split())
    return hashlib.sha256(f"{phone}\n{words}".encode()).hexdigest()


class DuplicateSubmission(models.Model):
    """A complaint sent again (same text, same phone, within a day): kept, linked, not doubled."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="duplicates")
    channel = models.CharField(max_length=10, choices=Complaint.Channel.choices)
    received_at = models.DateTimeField(default=timezone.now)
    submitted_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["received_at"]
        verbose_name = _("doublon reçu")
        verbose_name_plural = _("doublons reçus")

    def __str__(self) -> str:
        return f"{self.complaint} ({self.received_at:%Y-%m-%d %H:%M})"


class AddressHashKey(models.Model):
    """The day's secret that turns client IP addresses into pseudonyms for the rate limits.

    Law n° 2022-59 (minimisation): an anonymous complaint keeps no IP address; the limits per
    address count an HMAC of it under this key instead. A key is used for one (UTC) day and
    deleted once the day is over (when the next day's key is made, and by the daily job), after
    which yesterday's pseudonyms can no longer be linked to any address.
    """

    day = models.DateField(unique=True)
    secret = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("clé de pseudonymisation des adresses")
        verbose_name_plural = _("clés de pseudonymisation des adresses")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"


class Open311Partner(models.Model):
    """An application allowed to file complaints through Open311 with its own API key.

    Only a SHA-256 of the key is stored (keys are long random strings, so a plain hash is
    enough; a slow hash would cap the API's throughput). The administrator sees the key once,
    when it is issued.
    """

    name = models.CharField(_("nom"), max_length=150, unique=True)
    contact_email = models.EmailField(_("courriel du contact"), blank=True)
    key_prefix = models.CharField(_("début de la clé"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    requests_per_minute = models.PositiveIntegerField(_("requêtes POST par minute"), default=120)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partenaire Open311")
        verbose_name_plural = _("partenaires Open311")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
