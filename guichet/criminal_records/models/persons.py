"""The persons of the register, and the blocking keys of their names (matching.py)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Commune

# The earliest birth year a register entry or a request may state (the forms' bound too).
MIN_BIRTH_YEAR = 1900


def birth_year_error(year: int | None) -> str | None:
    """Why `year` cannot be a birth year (None: it can): before MIN_BIRTH_YEAR or to come. A
    year to come would make every decision one of a minor (rules.facts); year 0 none at all."""
    last = timezone.localdate().year
    if year is not None and not MIN_BIRTH_YEAR <= year <= last:
        return _("Année de naissance entre %(min)s et %(max)s.") % {
            "min": MIN_BIRTH_YEAR,
            "max": last,
        }
    return None


class Person(models.Model):
    class Sex(models.TextChoices):
        MALE = "M", _("Masculin")
        FEMALE = "F", _("Féminin")

    last_name = models.CharField(_("nom"), max_length=100)
    first_names = models.CharField(_("prénoms"), max_length=200)
    other_spellings = models.TextField(
        _("autres graphies connues"), blank=True, help_text=_("Une graphie par ligne.")
    )
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"))
    birth_month = models.PositiveSmallIntegerField(_("mois de naissance"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("jour de naissance"), null=True, blank=True)
    birth_year_margin = models.PositiveSmallIntegerField(
        _("« né vers » : marge en années"),
        default=0,
        help_text=_("0 si l'année est certaine ; 2 pour « né vers 1980 » à deux ans près."),
    )
    birth_commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("commune")
    )
    birth_place = models.CharField(_("lieu-dit ou village"), max_length=100, blank=True)
    birth_country = models.CharField(
        _("pays de naissance (si hors du Niger)"), max_length=100, blank=True
    )
    father_name = models.CharField(_("nom du père"), max_length=200, blank=True)
    mother_name = models.CharField(_("nom de la mère"), max_length=200, blank=True)
    nationality = models.CharField(_("nationalité"), max_length=60, default="nigérienne")
    id_documents = models.TextField(
        _("pièces d'identité"), blank=True, help_text=_("Type et numéro, une pièce par ligne.")
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
        verbose_name=_("fusionnée dans"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_names"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_commune__isnull=False) | ~models.Q(birth_country=""),
                name="person_birthplace_known",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_day__isnull=True) | models.Q(birth_month__isnull=False),
                name="person_day_needs_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_names} ({self.birth_display})"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        from guichet.criminal_records.matching import index_person

        index_person(self)  # the blocking keys follow every change of name or spelling

    def clean(self) -> None:
        if self.birth_year_margin > 10:
            raise ValidationError({"birth_year_margin": _("Une marge de 10 ans au plus.")})
        if self.birth_commune_id is None and not self.birth_country.strip():
            raise ValidationError(_("Indiquez la commune de naissance ou le pays étranger."))
        if self.birth_commune_id and self.birth_country.strip():
            raise ValidationError(_("Une commune du Niger ou un pays étranger, pas les deux."))
        if error := birth_year_error(self.birth_year):
            raise ValidationError({"birth_year": error})
        if self.birth_day and not self.birth_month:
            raise ValidationError(_("Un jour de naissance sans mois n'a pas de sens."))
        if self.birth_month and not 1 <= self.birth_month <= 12:
            raise ValidationError({"birth_month": _("Mois entre 1 et 12.")})
        if self.birth_day and self.birth_year is not None:
            try:
                born = dt.date(self.birth_year, self.birth_month, self.birth_day)
            except ValueError as exc:
                raise ValidationError({"birth_day": _("Cette date n'existe pas.")}) from exc
            if born > timezone.localdate():
                raise ValidationError(
                    {"birth_day": _("La date de naissance ne peut être dans le futur.")}
                )

    @property
    def born_abroad(self) -> bool:
        return self.birth_commune_id is None

    @property
    def birth_display(self) -> str:
        if self.birth_day:
            return f"{self.birth_day:02d}/{self.birth_month:02d}/{self.birth_year}"
        if self.birth_month:
            return f"{self.birth_month:02d}/{self.birth_year}"
        return str(self.birth_year)

    @property
    def birthplace_display(self) -> str:
        if self.born_abroad:
            return self.birth_country
        place = f"{self.birth_place}, " if self.birth_place else ""
        return f"{place}{self.birth_commune.name}"

    @property
    def full_name(self) -> str:
        return f"{self.last_name.upper()} {self.first_names}"

    def kept_record(self) -> "Person":
        """The record this one lives on in: the end of its chain of merges (itself if never
        merged). Merges made before services_register repointed chains may have left one."""
        person, seen = self, {self.pk}
        while person.merged_into_id and person.merged_into_id not in seen:
            seen.add(person.merged_into_id)
            person = person.merged_into
        return person

    def earliest_possible_birth(self) -> dt.date:
        """The first day the person may have been born (« né vers » counts its margin)."""
        year = max(self.birth_year - (self.birth_year_margin or 0), dt.MINYEAR)
        return dt.date(year, self.birth_month or 1, 1)

    def latest_possible_birth(self) -> dt.date:
        """The last day the person may have been born: a minor is judged on this, in their favour.
        « Né vers 1990 » à deux ans près may have been born in 1992: the margin counts too."""
        year = self.birth_year + (self.birth_year_margin or 0)
        if self.birth_day:
            if self.birth_year_margin and (self.birth_month, self.birth_day) == (2, 29):
                return dt.date(year, 3, 1) - dt.timedelta(days=1)  # 29/02 or 28/02 of that year
            return dt.date(year, self.birth_month, self.birth_day)
        if self.birth_month:
            following = dt.date(year + (self.birth_month == 12), self.birth_month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(year, 12, 31)


class PersonNameKey(models.Model):
    """A blocking key of a person's names (matching.blocking_keys), indexed: candidate search
    reads the persons sharing a key with the query, never the whole register.

    Each key carries a copy of the facts that pre-rank a block (birth year, birth commune, sex:
    `matching.index_person` keeps them equal to the person's), so that the nearest persons of a
    large block are chosen from the index alone (`person_name_key_prerank`, an index-only scan
    on PostgreSQL) without reading each person of the block from the table. A merged record
    has no keys: it is no longer a candidate."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=120)
    birth_year = models.PositiveSmallIntegerField(null=True)
    birth_commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, db_index=False, related_name="+"
    )
    sex = models.CharField(max_length=1, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "person"], name="person_name_key_unique")
        ]
        indexes = [
            models.Index(
                fields=["key", "birth_year", "person", "birth_commune", "sex"],
                name="person_name_key_prerank",
            )
        ]

    def __str__(self) -> str:
        return self.key
