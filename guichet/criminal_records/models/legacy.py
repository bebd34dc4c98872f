"""The paper card index being digitised (legacy.py): each card keyed twice by two clerks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Organisation
from guichet.criminal_records.models.convictions import Conviction
from guichet.criminal_records.models.persons import Person


class LegacyCard(models.Model):
    """A card of the paper index, keyed twice by two clerks before it enters the register."""

    class Status(models.TextChoices):
        KEYING = "keying", _("En saisie")
        DIFFERENT = "different", _("Différences à résoudre")
        AGREED = "agreed", _("Saisies concordantes")
        RESOLVED = "resolved", _("Intégrée au casier")

    court = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    card_number = models.CharField(_("numéro de fiche"), max_length=40)
    scan = models.FileField(_("scan de la fiche"), upload_to="casier/fiches/%Y/", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.KEYING)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True)
    conviction = models.ForeignKey(Conviction, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name = _("fiche papier")
        verbose_name_plural = _("fiches papier")
        ordering = ["court", "card_number"]
        constraints = [
            models.UniqueConstraint(fields=["court", "card_number"], name="legacy_card_unique")
        ]

    def __str__(self) -> str:
        return f"{self.court.code} n°{self.card_number}"


class CardKeying(models.Model):
    card = models.ForeignKey(LegacyCard, on_delete=models.PROTECT, related_name="keyings")
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["card", "clerk"], name="one_keying_per_clerk")
        ]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.card} / {self.clerk}"
