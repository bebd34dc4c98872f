"""Messages sent to people (SMS, email), SMS received, and USSD sessions."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """One outbound message on one channel, with its delivery state.

    Rows are written by `services.notify` and updated only by the sending task and the gateway's
    delivery reports, so that the table is the history of what every person was told.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Courriel")

    class Encoding(models.TextChoices):
        GSM7 = "gsm7", _("GSM 7 bits")
        UCS2 = "ucs2", _("UCS-2 (Unicode)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        DELIVERED = "delivered", _("Remis")
        FAILED = "failed", _("Échec")

    channel = models.CharField(_("canal"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(
        _("destinataire"), max_length=254, help_text=_("Numéro E.164 ou adresse électronique.")
    )
    template = models.CharField(_("modèle"), max_length=120, blank=True)
    language = models.CharField(_("langue"), max_length=8, default="fr")
    subject = models.CharField(_("objet"), max_length=255, blank=True)
    body = models.TextField(_("texte"))
    # Email only: [{"filename", "content_type", "content"}] — small text files such as an ICS invitation.
    attachments = models.JSONField(_("pièces jointes"), default=list, blank=True)
    encoding = models.CharField(
        _("codage"), max_length=8, choices=Encoding.choices, blank=True, default=""
    )
    segments = models.PositiveSmallIntegerField(_("nombre de parties"), default=0)
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    # A failure that sending later may cure (gateway down), as opposed to a refusal.
    retryable = models.BooleanField(_("nouvel essai possible"), default=False)
    gateway = models.CharField(_("passerelle"), max_length=32, blank=True)
    gateway_message_id = models.CharField(
        _("identifiant chez la passerelle"), max_length=128, blank=True
    )
    gateway_status = models.CharField(
        _("dernier rapport de la passerelle"), max_length=255, blank=True
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("remis le"), null=True, blank=True)
    related_type = models.ForeignKey(
        ContentType,
        verbose_name=_("type de l'objet lié"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    related_id = models.CharField(_("identifiant de l'objet lié"), max_length=64, blank=True)
    related = GenericForeignKey("related_type", "related_id")

    class Meta:
        verbose_name = _("message envoyé")
        verbose_name_plural = _("messages envoyés")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self) -> str:
        # Not the recipient: the admin's titles show this, and it masks some recipients (admin.py).
        return f"{self.get_channel_display()} n° {self.pk} ({self.get_status_display()})"


class InboundMessage(models.Model):
    """An SMS received from a person through the gateway, and what we answered."""

    sender = models.CharField(_("expéditeur"), max_length=32, db_index=True)
    recipient = models.CharField(_("numéro appelé"), max_length=32, blank=True)
    text = models.TextField(_("texte"), blank=True)
    received_at = models.DateTimeField(_("reçu le"), auto_now_add=True, db_index=True)
    keyword = models.CharField(_("mot-clé"), max_length=40, blank=True, db_index=True)
    handled = models.BooleanField(_("traité"), default=False)
    error = models.TextField(_("erreur"), blank=True)
    reply = models.ForeignKey(
        Message,
        verbose_name=_("réponse"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("SMS reçu")
        verbose_name_plural = _("SMS reçus")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        # The keyword, not the text nor the sender: what a complainant wrote, and who, is not
        # shown where this is (the admin's titles).
        when = f" ({self.received_at:%Y-%m-%d %H:%M})" if self.received_at else ""
        return f"{self.keyword or '—'}{when}"


class UssdSession(models.Model):
    """The state of one USSD dialogue, keyed by the session id the aggregator gives us."""

    session_id = models.CharField(_("identifiant de session"), max_length=128, unique=True)
    phone_number = models.CharField(_("numéro"), max_length=32, db_index=True)
    service_code = models.CharField(_("code de service"), max_length=32, blank=True)
    menu = models.CharField(_("menu courant"), max_length=40, blank=True)
    state = models.CharField(_("état"), max_length=40, blank=True)
    data = models.JSONField(_("données"), default=dict, blank=True)
    # The answers given inside the current menu (what its handler receives), and how many of the
    # gateway's "*"-joined answers were already processed, so each request handles only new ones.
    inputs = models.JSONField(_("réponses dans le menu courant"), default=list, blank=True)
    steps = models.PositiveIntegerField(_("réponses traitées"), default=0)
    last_text = models.TextField(_("dernier texte reçu"), blank=True)
    started_at = models.DateTimeField(_("commencée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    ended_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("session USSD")
        verbose_name_plural = _("sessions USSD")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        # Not the number: the admin's titles and its audit entries show this (admin.py masks it).
        return f"{self.service_code} ({self.session_id})"
