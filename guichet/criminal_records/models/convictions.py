"""Convictions ("fiches"), their penalties and what later happens to each conviction."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guichet.accounts.models import Organisation
from guichet.criminal_records import penalties
from guichet.criminal_records.models.persons import Person
from guichet.criminal_records.models.reference import Offence


class Conviction(models.Model):
    """A conviction ("fiche"): one decision of a court against one person."""

    class Kind(models.TextChoices):
        CONTRADICTORY = "contradictory", _("Contradictoire")
        BY_DEFAULT = "by_default", _("Par défaut")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="convictions")
    court = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("juridiction")
    )
    decision_number = models.CharField(_("numéro de la décision"), max_length=60, blank=True)
    decision_date = models.DateField(_("date de la décision"))
    offence_date = models.DateField(_("date des faits"), null=True, blank=True)
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    is_final = models.BooleanField(_("définitive"), default=True)
    offences = models.ManyToManyField(Offence, verbose_name=_("infractions"))
    b3_mention_ordered = models.BooleanField(
        _("mention au bulletin n°3 ordonnée par la juridiction"), default=False
    )
    card_scan = models.FileField(_("scan de la fiche"), upload_to="casier/fiches/%Y/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("condamnation")
        verbose_name_plural = _("condamnations")
        ordering = ["decision_date", "pk"]

    def __str__(self) -> str:
        return f"{self.court.short_name or self.court.code} {self.decision_date:%d/%m/%Y}"


def duration_display(days: int) -> str:
    """A length known only in days (legacy data), shown in the unit the court most likely used."""
    if days and days % 365 == 0:
        years = days // 365
        return ngettext("%(n)d an", "%(n)d ans", years) % {"n": years}
    if days and days % 30 == 0:
        months = days // 30
        return ngettext("%(n)d mois", "%(n)d mois", months) % {"n": months}
    return ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}


class Penalty(models.Model):
    """One penalty of a conviction, with its legal nature and its length as pronounced.

    The kinds are those of the Code pénal du Niger (see penalties.py); rules.py reads the kind,
    never a day count alone. A length is kept as the court said it (years, months, days)."""

    class Kind(models.TextChoices):
        DEATH = penalties.DEATH, _("Peine de mort")
        LIFE_IMPRISONMENT = penalties.LIFE_IMPRISONMENT, _("Réclusion criminelle à perpétuité")
        CRIMINAL_IMPRISONMENT = penalties.CRIMINAL_IMPRISONMENT, _("Réclusion criminelle à temps")
        PRISON = penalties.PRISON, _("Emprisonnement")
        FINE = penalties.FINE, _("Amende")
        COMMUNITY_SERVICE = penalties.COMMUNITY_SERVICE, _("Travail d'intérêt général")
        COMPLEMENTARY = penalties.COMPLEMENTARY, _("Peine complémentaire")
        EDUCATIONAL_MEASURE = penalties.EDUCATIONAL_MEASURE, _("Mesure éducative (mineur)")
        OTHER = penalties.OTHER, _("Autre mesure (à qualifier)")

    class Suspension(models.TextChoices):
        SIMPLE = penalties.SUSPENSION_SIMPLE, _("sursis simple")
        PROBATION = penalties.SUSPENSION_PROBATION, _("sursis avec mise à l'épreuve")

    conviction = models.ForeignKey(Conviction, on_delete=models.PROTECT, related_name="penalties")
    kind = models.CharField(_("peine"), max_length=30, choices=Kind.choices)
    subkind = models.CharField(
        _("précision"),
        max_length=30,
        blank=True,
        help_text=_("Peine complémentaire ou mesure éducative : laquelle."),
    )
    years = models.PositiveSmallIntegerField(_("années"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("mois"), null=True, blank=True)
    days = models.PositiveIntegerField(
        _("jours"),
        null=True,
        blank=True,
        help_text=_("Durée telle que prononcée : années, mois et jours."),
    )
    suspended = models.BooleanField(_("avec sursis"), default=False)
    suspension_kind = models.CharField(
        _("nature du sursis"), max_length=20, choices=Suspension.choices, blank=True
    )
    suspended_years = models.PositiveSmallIntegerField(
        _("dont avec sursis : années"), null=True, blank=True
    )
    suspended_months = models.PositiveSmallIntegerField(
        _("dont avec sursis : mois"), null=True, blank=True
    )
    suspended_days = models.PositiveIntegerField(
        _("dont avec sursis : jours"), null=True, blank=True
    )
    probation_years = models.PositiveSmallIntegerField(
        _("délai d'épreuve (années)"),
        null=True,
        blank=True,
        help_text=_("Sursis avec mise à l'épreuve : le délai fixé par la juridiction."),
    )
    # A decision on a recourse (appel, opposition, pourvoi) that reforms the sentence replaces the
    # penalties in force from its date: the first ones stay, marked replaced, for B1's history
    # and for the bulletins as of an earlier day.
    pronounced_by = models.ForeignKey(
        "ConvictionEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pronounced_penalties",
        verbose_name=_("prononcée sur recours"),
    )
    replaced_by = models.ForeignKey(
        "ConvictionEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_penalties",
        verbose_name=_("remplacée sur recours"),
    )
    amount = models.PositiveIntegerField(_("montant (F CFA)"), null=True, blank=True)
    hours = models.PositiveIntegerField(_("heures"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("peine")
        verbose_name_plural = _("peines")

    def __str__(self) -> str:
        return self.text()

    # --- Legal nature (read by rules.py) ---

    @property
    def is_criminal(self) -> bool:
        """A penalty « afflictive et infamante » (CP Niger art. 1 and art. 13 s.)."""
        return self.kind in penalties.CRIMINAL_KINDS

    @property
    def is_custodial(self) -> bool:
        return self.kind in penalties.CUSTODIAL_KINDS

    @property
    def is_prison_or_heavier(self) -> bool:
        return self.kind in penalties.PRISON_OR_HEAVIER_KINDS

    @property
    def length(self) -> penalties.Length:
        return penalties.Length.pronounced(self.years, self.months, self.days)

    @property
    def has_suspended_part(self) -> bool:
        return any((self.suspended_years, self.suspended_months, self.suspended_days))

    @property
    def suspended_length(self) -> penalties.Length:
        """The length the sursis covers: all of it, or the part pronounced « dont … avec sursis »."""
        if not self.suspended:
            return penalties.Length()
        if self.has_suspended_part:
            return penalties.Length.pronounced(
                self.suspended_years, self.suspended_months, self.suspended_days
            )
        return self.length

    @property
    def start(self) -> dt.date:
        """Where lengths are laid on the calendar: the decision that pronounced the penalty (today
        while it is being keyed)."""
        known_event = self.pronounced_by_id or type(self).pronounced_by.is_cached(self)
        if known_event and self.pronounced_by is not None:
            return self.pronounced_by.date
        known = self.conviction_id or type(self).conviction.is_cached(self)
        decided = self.conviction.decision_date if known else None
        return decided or timezone.localdate()

    def wholly_suspended(self, start: dt.date) -> bool:
        """Does the sursis cover the whole penalty, both laid on the calendar from `start` (the
        day the sentence was pronounced)?"""
        return self.suspended and self.suspended_length.end(start) >= self.length.end(start)

    def firm_length(self, *, revoked: bool) -> penalties.Length:
        """Custody not suspended (all of it once the sursis is revoked)."""
        if self.kind not in penalties.DURATION_KINDS:
            return penalties.Length()
        if revoked:
            return self.length
        return self.length - self.suspended_length

    # --- Wording ---

    @property
    def duration_text(self) -> str:
        return penalties.duration_text(self.years, self.months, self.days)

    def text(self, *, revoked_on=None) -> str:
        """The penalty as a bulletin prints it; a revoked sursis says so (never « avec sursis »
        alone once the suspension has been revoked)."""
        kinds = self.Kind
        if self.kind == kinds.DEATH:
            return str(_("peine de mort"))
        if self.kind == kinds.LIFE_IMPRISONMENT:
            return str(_("réclusion criminelle à perpétuité"))
        if self.kind == kinds.CRIMINAL_IMPRISONMENT:
            return str(_("%(length)s de réclusion criminelle") % {"length": self.duration_text})
        if self.kind == kinds.PRISON:
            text = str(_("%(length)s d'emprisonnement") % {"length": self.duration_text})
            if not self.suspended:
                return text
            nature = (
                _("avec sursis et mise à l'épreuve")
                if self.suspension_kind == self.Suspension.PROBATION
                else _("avec sursis")
            )
            if self.has_suspended_part:
                part = penalties.duration_text(
                    self.suspended_years, self.suspended_months, self.suspended_days
                )
                text = str(_("%(text)s dont %(part)s %(nature)s")) % {
                    "text": text,
                    "part": part,
                    "nature": nature,
                }
            else:
                text = f"{text} {nature}"
            if self.suspension_kind == self.Suspension.PROBATION and self.probation_years:
                text += " " + str(
                    _("(délai d'épreuve : %(length)s)")
                    % {"length": penalties.duration_text(self.probation_years, 0, 0)}
                )
            if revoked_on:
                text += " — " + str(_("sursis révoqué le %s")) % f"{revoked_on:%d/%m/%Y}"
            return text
        if self.kind == kinds.FINE:
            return str(_("amende de %(amount)s F CFA")) % {
                "amount": f"{self.amount:,}".replace(",", " ")
            }
        if self.kind == kinds.COMMUNITY_SERVICE:
            return str(_("%(hours)s heures de travail d'intérêt général")) % {"hours": self.hours}
        if self.kind in (kinds.COMPLEMENTARY, kinds.EDUCATIONAL_MEASURE):
            choices = (
                penalties.COMPLEMENTARY_CHOICES
                if self.kind == kinds.COMPLEMENTARY
                else penalties.EDUCATIONAL_CHOICES
            )
            text = penalties.label_of(choices, self.subkind) if self.subkind else ""
            if self.duration_text:
                text = f"{text} ({self.duration_text})" if text else self.duration_text
            if self.description and self.description.lower() != text.lower():
                text = f"{text} : {self.description}" if text else self.description
            return text
        return self.description

    def clean(self) -> None:
        kinds = self.Kind
        length = self.length
        if self.kind in penalties.DURATION_KINDS and length.is_empty:
            raise ValidationError(
                {"years": _("Indiquez la durée prononcée (années, mois, jours).")}
            )
        if self.kind in (kinds.DEATH, kinds.LIFE_IMPRISONMENT) and not length.is_empty:
            raise ValidationError(
                {"years": _("Une peine perpétuelle ou capitale n'a pas de durée.")}
            )
        if self.suspended and self.kind not in penalties.SUSPENDABLE_KINDS:
            raise ValidationError(
                {"suspended": _("Seul l'emprisonnement peut être assorti du sursis ici.")}
            )
        if not self.suspended and (self.has_suspended_part or self.suspension_kind):
            raise ValidationError({"suspended": _("Cochez « avec sursis » ou retirez le sursis.")})
        if self.has_suspended_part and self.suspended_length.end(self.start) > length.end(
            self.start
        ):
            raise ValidationError(
                {"suspended_years": _("La partie avec sursis dépasse la peine prononcée.")}
            )
        if self.probation_years and self.suspension_kind != self.Suspension.PROBATION:
            raise ValidationError(
                {
                    "probation_years": _(
                        "Un délai d'épreuve suppose un sursis avec mise à l'épreuve."
                    )
                }
            )
        if self.kind == kinds.FINE and not self.amount:
            raise ValidationError({"amount": _("Indiquez le montant de l'amende.")})
        if self.kind == kinds.COMMUNITY_SERVICE and not self.hours:
            raise ValidationError({"hours": _("Indiquez le nombre d'heures.")})
        if self.kind == kinds.COMPLEMENTARY and self.subkind not in dict(
            penalties.COMPLEMENTARY_CHOICES
        ):
            raise ValidationError({"subkind": _("Choisissez la peine complémentaire.")})
        if self.kind == kinds.EDUCATIONAL_MEASURE and self.subkind not in dict(
            penalties.EDUCATIONAL_CHOICES
        ):
            raise ValidationError({"subkind": _("Choisissez la mesure éducative.")})
        if self.kind == kinds.OTHER and not self.description:
            raise ValidationError({"description": _("Décrivez la mesure.")})


class ConvictionEvent(models.Model):
    """Something that happened to a conviction after it was pronounced."""

    class Kind(models.TextChoices):
        SERVED = "served", _("Peine exécutée")
        PAID = "paid", _("Amende payée")
        SUSPENSION_REVOKED = "suspension_revoked", _("Sursis révoqué")
        PARDON = "pardon", _("Grâce")
        AMNESTY = "amnesty", _("Amnistie")
        COMMUTATION = "commutation", _("Commutation de peine (grâce)")
        RECOURSE = "recourse", _("Décision sur recours (appel, opposition, pourvoi)")
        REHABILITATION_LEGAL = "rehabilitation_legal", _("Réhabilitation de plein droit")
        REHABILITATION_JUDICIAL = "rehabilitation_judicial", _("Réhabilitation judiciaire")
        CORRECTION = "correction", _("Rectification par décision")
        REMOVAL = "removal", _("Retrait par décision")

    conviction = models.ForeignKey(Conviction, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("événement"), max_length=30, choices=Kind.choices)
    date = models.DateField(_("date d'effet"))
    reference = models.CharField(
        _("référence de la décision ou du texte"), max_length=120, blank=True
    )
    commuted_to = models.CharField(
        _("peine substituée (commutation)"),
        max_length=255,
        blank=True,
        help_text=_(
            "Commutation : la peine qui remplace la peine prononcée, telle que le décret la dit."
        ),
    )
    decision_kind = models.CharField(
        _("nature de la décision sur recours"),
        max_length=20,
        choices=Conviction.Kind.choices,
        blank=True,
        help_text=_(
            "Une opposition donne un jugement contradictoire après un jugement par défaut."
        ),
    )
    final_decision = models.BooleanField(
        _("décision définitive"),
        null=True,
        blank=True,
        help_text=_("Décision sur recours : est-elle définitive (plus de recours possible) ?"),
    )
    b3_mention_ordered = models.BooleanField(
        _("mention au bulletin n°3 ordonnée par la juridiction"),
        null=True,
        blank=True,
        help_text=_("Décision sur recours : la mention fait partie de la peine qu'elle prononce."),
    )
    note = models.TextField(_("observations"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.date:%d/%m/%Y})"
