"""Reference data an administrator maintains: the versions of the legal parameters of rules.py,
the offences of the penal code, and each court's fee and signatories."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Organisation


class RuleParameter(models.Model):
    """One version of one parameter of rules.py (a delay, a threshold, or a rule's switch).

    A version applies from `effective_from` (at the earliest the day after it is entered), so a
    bulletin « as of » any past date is computed with the values then in force and stays
    reproducible. Versions are never changed nor deleted: a change is a new version, written by
    services.set_rule_parameter with its reason and an audit entry."""

    key = models.CharField(_("paramètre"), max_length=60)
    value = models.IntegerField(_("valeur"))
    effective_from = models.DateField(_("en vigueur à partir du"))
    reason = models.TextField(_("motif (texte, décision ou justification)"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("paramètre légal (version)")
        verbose_name_plural = _("paramètres légaux (versions)")
        ordering = ["key", "effective_from", "pk"]
        indexes = [models.Index(fields=["key", "effective_from"], name="rule_param_key_date")]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} (depuis le {self.effective_from:%d/%m/%Y})"


class Offence(models.Model):
    """The code table of the penal code's offences, maintained by an administrator."""

    class Category(models.TextChoices):
        CRIME = "crime", _("Crime")
        DELIT = "delit", _("Délit")
        CONTRAVENTION = "contravention", _("Contravention")

    code = models.CharField(_("code"), max_length=20, unique=True)
    label = models.CharField(_("libellé"), max_length=255)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    article = models.CharField(_("article du code pénal"), max_length=60, blank=True)
    is_active = models.BooleanField(_("en vigueur"), default=True)

    class Meta:
        verbose_name = _("infraction")
        verbose_name_plural = _("infractions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class CourtOffice(models.Model):
    """What an administrator sets per court: the extract's fee and who signs it."""

    court = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="criminal_record_office"
    )
    stamp_amount = models.PositiveIntegerField(_("timbre principal (F CFA)"))
    extra_amount = models.PositiveIntegerField(_("timbre complémentaire (F CFA)"))
    prosecutor_name = models.CharField(_("procureur (nom affiché)"), max_length=150, blank=True)
    chief_clerk_name = models.CharField(
        _("greffier en chef (nom affiché)"), max_length=150, blank=True
    )

    class Meta:
        verbose_name = _("greffe (tarif et signataires)")
        verbose_name_plural = _("greffes (tarifs et signataires)")

    def __str__(self) -> str:
        return f"{self.court.code}: {self.stamp_amount} + {self.extra_amount}"

    @property
    def total(self) -> int:
        return self.stamp_amount + self.extra_amount
