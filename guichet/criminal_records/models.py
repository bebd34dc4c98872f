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

from guichet.accounts.models import Commune, Organisation


class RuleParameter(models.Model):
    """An administrator's value for one parameter of rules.py (delays and thresholds)."""

    key = models.CharField(_("paramètre"), max_length=60, unique=True)
    value = models.IntegerField(_("valeur"))
    note = models.TextField(_("source ou justification"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("paramètre légal")
        verbose_name_plural = _("paramètres légaux")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"


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
    reads the persons sharing a key with the query, never the whole register."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "person"], name="person_name_key_unique")
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
    """Judgments pronounce years, months or days; lengths are stored in days (365 = one year,
    30 = one month), and shown back in the unit the court most likely used."""
    if days and days % 365 == 0:
        years = days // 365
        return _("%(n)d an") % {"n": years} if years == 1 else _("%(n)d ans") % {"n": years}
    if days and days % 30 == 0:
        return _("%(n)d mois") % {"n": days // 30}
    return _("%(n)d jour") % {"n": days} if days == 1 else _("%(n)d jours") % {"n": days}


class Penalty(models.Model):
    class Kind(models.TextChoices):
        PRISON = "prison", _("Emprisonnement")
        FINE = "fine", _("Amende")
        COMMUNITY_SERVICE = "community_service", _("Travail d'intérêt général")
        OTHER = "other", _("Autre mesure")

    conviction = models.ForeignKey(Conviction, on_delete=models.PROTECT, related_name="penalties")
    kind = models.CharField(_("peine"), max_length=20, choices=Kind.choices)
    days = models.PositiveIntegerField(
        _("durée (jours)"),
        null=True,
        blank=True,
        help_text=_("Emprisonnement : durée en jours (un an = 365, un mois = 30)."),
    )
    suspended = models.BooleanField(_("avec sursis"), default=False)
    amount = models.PositiveIntegerField(_("montant (F CFA)"), null=True, blank=True)
    hours = models.PositiveIntegerField(_("heures"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("peine")
        verbose_name_plural = _("peines")

    def __str__(self) -> str:
        if self.kind == self.Kind.PRISON:
            text = _("%(length)s d'emprisonnement") % {"length": duration_display(self.days or 0)}
            return f"{text} {_('avec sursis') if self.suspended else ''}".strip()
        if self.kind == self.Kind.FINE:
            return _("amende de %(amount)s F CFA") % {
                "amount": f"{self.amount:,}".replace(",", " ")
            }
        if self.kind == self.Kind.COMMUNITY_SERVICE:
            return _("%(hours)s heures de travail d'intérêt général") % {"hours": self.hours}
        return self.description

    def clean(self) -> None:
        if self.kind == self.Kind.PRISON and not self.days:
            raise ValidationError({"days": _("Indiquez la durée de l'emprisonnement.")})
        if self.kind == self.Kind.FINE and not self.amount:
            raise ValidationError({"amount": _("Indiquez le montant de l'amende.")})
        if self.kind == self.Kind.COMMUNITY_SERVICE and not self.hours:
            raise ValidationError({"hours": _("Indiquez le nombre d'heures.")})
        if self.kind == self.Kind.OTHER and not self.description:
            raise ValidationError({"description": _("Décrivez la mesure.")})


class ConvictionEvent(models.Model):
    """Something that happened to a conviction after it was pronounced."""

    class Kind(models.TextChoices):
        SERVED = "served", _("Peine exécutée")
        PAID = "paid", _("Amende payée")
        SUSPENSION_REVOKED = "suspension_revoked", _("Sursis révoqué")
        PARDON = "pardon", _("Grâce")
        AMNESTY = "amnesty", _("Amnistie")
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
    # 160 random bits, base32 without padding: cannot be guessed nor enumerated.
    import base64

    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


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
    pdf = models.FileField(upload_to="casier/bulletins/%Y/")
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("bulletin délivré")
        verbose_name_plural = _("bulletins délivrés")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"B{self.kind} {self.person_name} {self.issued_on:%d/%m/%Y}"


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
