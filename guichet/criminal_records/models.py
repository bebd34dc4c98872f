"""The criminal record: persons, convictions ("fiches"), their later events, requests and bulletins.

Nothing here is ever deleted: a conviction is corrected or removed by an event that cites the
decision, and every write leaves an audit entry (services.py).
"""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guichet.accounts.models import Commune, Organisation
from guichet.criminal_records import penalties


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
        if self.birth_day and not self.birth_month:
            raise ValidationError(_("Un jour de naissance sans mois n'a pas de sens."))
        if self.birth_month and not 1 <= self.birth_month <= 12:
            raise ValidationError({"birth_month": _("Mois entre 1 et 12.")})
        if self.birth_day:
            try:
                dt.date(self.birth_year, self.birth_month, self.birth_day)
            except ValueError as exc:
                raise ValidationError({"birth_day": _("Cette date n'existe pas.")}) from exc

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

    def latest_possible_birth(self) -> dt.date:
        """The last day the person may have been born: a minor is judged on this, in their favour."""
        if self.birth_day:
            return dt.date(self.birth_year, self.birth_month, self.birth_day)
        if self.birth_month:
            following = dt.date(
                self.birth_year + (self.birth_month == 12), self.birth_month % 12 + 1, 1
            )
            return following - dt.timedelta(days=1)
        return dt.date(self.birth_year, 12, 31)


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
    def length_days(self) -> int:
        return penalties.length_in_days(self.years, self.months, self.days)

    @property
    def has_suspended_part(self) -> bool:
        return any((self.suspended_years, self.suspended_months, self.suspended_days))

    @property
    def suspended_days_count(self) -> int:
        """Days covered by the sursis: all of it, or the part pronounced « dont … avec sursis »."""
        if not self.suspended:
            return 0
        if self.has_suspended_part:
            return penalties.length_in_days(
                self.suspended_years, self.suspended_months, self.suspended_days
            )
        return self.length_days

    @property
    def wholly_suspended(self) -> bool:
        return self.suspended and self.suspended_days_count >= self.length_days

    def firm_days(self, *, revoked: bool) -> int:
        """Days of custody not suspended (all of them once the sursis is revoked)."""
        if self.kind not in penalties.DURATION_KINDS:
            return 0
        if revoked:
            return self.length_days
        return self.length_days - self.suspended_days_count

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
        length = self.length_days
        if self.kind in penalties.DURATION_KINDS and not length:
            raise ValidationError(
                {"years": _("Indiquez la durée prononcée (années, mois, jours).")}
            )
        if self.kind in (kinds.DEATH, kinds.LIFE_IMPRISONMENT) and length:
            raise ValidationError(
                {"years": _("Une peine perpétuelle ou capitale n'a pas de durée.")}
            )
        if self.suspended and self.kind not in penalties.SUSPENDABLE_KINDS:
            raise ValidationError(
                {"suspended": _("Seul l'emprisonnement peut être assorti du sursis ici.")}
            )
        if not self.suspended and (self.has_suspended_part or self.suspension_kind):
            raise ValidationError({"suspended": _("Cochez « avec sursis » ou retirez le sursis.")})
        if self.has_suspended_part and self.suspended_days_count > length:
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


def new_reference() -> str:
    return "CJ-" + secrets.token_hex(4).upper()


def new_verification_code() -> str:
    # 160 random bits in Crockford base32 (32 symbols, no I, L, O, U): cannot be guessed nor
    # enumerated; stored without separators, shown in groups of four (verification_codes.py).
    from guichet.criminal_records.verification_codes import new_code

    return new_code()


class IdentityProof(models.TextChoices):
    """What proves a citizen's identity for an online bulletin n°3 (checked by the clerk)."""

    NATIONAL_ID = "national_id", _("Carte nationale d'identité")
    PASSPORT = "passport", _("Passeport")
    BIRTH_CERTIFICATE_AND_WITNESS = (
        "birth_certificate_witness",
        _("Acte de naissance et pièce d'un témoin"),
    )


class BulletinRequest(models.Model):
    class Kind(models.IntegerChoices):
        B1 = 1, _("Bulletin n°1")
        B2 = 2, _("Bulletin n°2")
        B3 = 3, _("Bulletin n°3")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Reçue, en cours de vérification")
        IDENTITY_CHECK = (
            "identity_check",
            _("Présentez-vous au greffe pour vérifier votre identité"),
        )
        ISSUED = "issued", _("Délivré")
        REJECTED = "rejected", _("Rejetée")

    class PaymentMethod(models.TextChoices):
        MOBILE_MONEY = "mobile_money", _("Paiement mobile")
        FISCAL_STAMP = "fiscal_stamp", _("Timbre fiscal")
        COUNTER = "counter", _("Au guichet du greffe")

    reference = models.CharField(max_length=20, unique=True, default=new_reference)
    kind = models.PositiveSmallIntegerField(_("bulletin"), choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    court = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("juridiction")
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requester_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("motif"), max_length=255)
    # The identity as stated by the requester; the clerk links the matching register entry.
    last_name = models.CharField(_("nom"), max_length=100)
    first_names = models.CharField(_("prénoms"), max_length=200)
    sex = models.CharField(_("sexe"), max_length=1, choices=Person.Sex.choices)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"))
    birth_year_margin = models.PositiveSmallIntegerField(
        _("« né vers » : marge en années"), default=0
    )
    birth_commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("commune")
    )
    birth_country = models.CharField(_("pays de naissance"), max_length=100, blank=True)
    father_name = models.CharField(_("nom du père"), max_length=200, blank=True)
    mother_name = models.CharField(_("nom de la mère"), max_length=200, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    # Identity proof (see IdentityProof): an image of the national ID card, or of the passport, or
    # of the birth certificate together with a witness document; the clerk checks it.
    identity_proof_kind = models.CharField(
        _("pièce d'identité"), max_length=30, choices=IdentityProof.choices, blank=True
    )
    identity_document = models.FileField(
        _("image de la pièce d'identité"), upload_to="casier/pieces/%Y/", blank=True
    )
    witness_document = models.FileField(
        _("pièce complémentaire (témoin)"), upload_to="casier/pieces/%Y/", blank=True
    )
    birth_certificate = models.FileField(
        _("acte de naissance"), upload_to="casier/actes/%Y/", blank=True
    )
    # Law n° 2022-59: when the identity documents were deleted (retention or the requester's ask).
    documents_erased_at = models.DateTimeField(_("pièces effacées le"), null=True, blank=True)
    identity_verified_at = models.DateTimeField(_("identité vérifiée le"), null=True, blank=True)
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fee_amount = models.PositiveIntegerField(_("montant dû (F CFA)"), default=0)
    payment_method = models.CharField(max_length=20, choices=PaymentMethod.choices, blank=True)
    payment_reference = models.CharField(_("référence du paiement"), max_length=60, blank=True)
    payment_checked = models.BooleanField(_("paiement vérifié"), default=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="requests"
    )
    clerk_note = models.TextField(_("note du greffe"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("demande de bulletin")
        verbose_name_plural = _("demandes de bulletin")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_kind_display()})"


class IssuedBulletin(models.Model):
    """A delivered, signed extract; what it showed is kept as issued (`entries`)."""

    code = models.CharField(max_length=40, unique=True, default=new_verification_code)
    request = models.OneToOneField(
        BulletinRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="bulletin"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bulletins")
    kind = models.PositiveSmallIntegerField(choices=BulletinRequest.Kind.choices)
    court = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(max_length=300)
    issued_on = models.DateField()
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entries = models.JSONField(default=list)
    rules_version = models.CharField(_("version des règles appliquées"), max_length=40, blank=True)
    pdf = models.FileField(upload_to="casier/bulletins/%Y/")
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("bulletin délivré")
        verbose_name_plural = _("bulletins délivrés")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"B{self.kind} {self.person_name} {self.issued_on:%d/%m/%Y}"

    @property
    def display_code(self) -> str:
        """The code in groups of four, as printed on the extract."""
        from guichet.criminal_records.verification_codes import grouped

        return grouped(self.code)


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
