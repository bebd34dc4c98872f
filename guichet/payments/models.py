"""Payments of fees by mobile money, whatever the operator or aggregator (providers/).

A payment is owed for one thing of one service (`purpose` + `subject`, e.g. the criminal
record request CJ-1A2B3C4D); its state changes only through services.py, from a verified
notification confirmed with the provider, or from the daily reconciliation. Every notification
received is kept (`PaymentNotification`), forged ones included: that is the idempotency key
and the trail.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_payment_reference() -> str:
    # Our transaction id as sent to the provider: unique, unguessable, short enough for any API.
    return "PAY" + secrets.token_hex(8).upper()


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        PAID = "paid", _("Payé")
        FAILED = "failed", _("Échoué")
        REFUNDED = "refunded", _("Remboursé")

    reference = models.CharField(max_length=40, unique=True, default=new_payment_reference)
    provider = models.CharField(_("prestataire"), max_length=30)
    purpose = models.CharField(_("objet"), max_length=60)
    subject = models.CharField(_("référence de l'objet"), max_length=60, db_index=True)
    description = models.CharField(_("description"), max_length=255)
    amount = models.PositiveIntegerField(_("montant (F CFA)"))
    currency = models.CharField(max_length=3, default="XOF")
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    provider_token = models.CharField(max_length=200, blank=True)
    payment_url = models.CharField(max_length=500, blank=True)
    return_url = models.CharField(max_length=500, blank=True)
    operator_reference = models.CharField(_("référence de l'opérateur"), max_length=100, blank=True)
    method = models.CharField(_("moyen"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["purpose", "subject"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount} {self.currency} ({self.get_status_display()})"


class PaymentNotification(models.Model):
    """A callback as received. `key` (provider + digest of the signed content) is unique: a
    callback received twice is recognised and changes nothing."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Appliquée")
        DUPLICATE = "duplicate", _("Doublon")
        FORGED = "forged", _("Signature invalide")
        UNKNOWN = "unknown", _("Paiement inconnu")
        MISMATCH = "mismatch", _("Montant ou devise différents")
        NO_CHANGE = "no_change", _("Sans effet")

    provider = models.CharField(max_length=30)
    key = models.CharField(max_length=100, unique=True)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notification de paiement")
        verbose_name_plural = _("notifications de paiement")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.provider} {self.key[:12]} {self.outcome}"
