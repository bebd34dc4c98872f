"""Requests for a bulletin (n°1, n°2, n°3) and the signed extracts issued."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Commune, Organisation
from guichet.criminal_records.models.persons import Person

REFERENCE_PREFIX = "CJ-"
_HEX_DIGITS = frozenset("0123456789ABCDEF")
# Letters a keypad or a hand makes of the digits they look like: none of them is a hex digit.
_LOOKALIKE_DIGITS = str.maketrans("OIL", "011")


def new_reference() -> str:
    return REFERENCE_PREFIX + secrets.token_hex(4).upper()


def normalise_reference(raw: str) -> str:
    """What a citizen typed (« cj 70971bb3 », « CJ70971BB3 », « 70971BB3 ») → « CJ-70971BB3 »;
    "" when it cannot be a reference, so that callers answer "unknown" without a query."""
    value = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    prefix = REFERENCE_PREFIX.rstrip("-")
    if len(value) == 8 + len(prefix) and value.startswith(prefix):
        value = value[len(prefix) :]
    value = value.translate(_LOOKALIKE_DIGITS)
    if len(value) != 8 or not _HEX_DIGITS.issuperset(value):
        return ""
    return REFERENCE_PREFIX + value


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
    # A wrong extract (wrong record, a conviction keyed after it, a rule misapplied) is revoked
    # by the issuing court: verification then says it no longer stands. Never deleted.
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.CharField(_("motif de la révocation"), max_length=300, blank=True)

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
