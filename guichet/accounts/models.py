"""Who is who: administrations as a tree, agents with roles in units of it, citizens by phone."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from guichet.data_translations import TranslatedFields


def _new_salt() -> str:
    return secrets.token_hex(16)


class Region(models.Model):
    """The seven regions of Niger and the capital district of Niamey (ISO 3166-2:NE)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("nom"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("région")
        verbose_name_plural = _("régions")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communes")
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="commune_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.region.name})"


class Organisation(TranslatedFields):
    """A unit of the administration: ministry → directorate → service; courts too.

    `path` is a materialised path of codes ("MJ/DACG/") so that a unit's subtree is one indexed
    prefix query, which every scoped list of every app relies on.
    """

    TRANSLATED_FIELDS = ("name",)

    class Kind(models.TextChoices):
        PRESIDENCY = "presidency", _("Présidence")
        GENERAL_SECRETARIAT = "general_secretariat", _("Secrétariat général")
        MINISTRY = "ministry", _("Ministère")
        DIRECTORATE = "directorate", _("Direction")
        SERVICE = "service", _("Service")
        COURT = "court", _("Juridiction")
        OTHER = "other", _("Autre")

    class CourtLevel(models.TextChoices):
        TGI = "tgi", _("Tribunal de grande instance")
        APPEAL = "appeal", _("Cour d'appel")
        OTHER = "other", _("Autre juridiction")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("sigle"), max_length=40, blank=True)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    court_level = models.CharField(
        _("niveau de juridiction"), max_length=10, choices=CourtLevel.choices, blank=True
    )
    path = models.CharField(max_length=500, editable=False, db_index=True)
    email = models.EmailField(_("courriel"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.translated("name")

    def save(self, *args, **kwargs) -> None:
        old_path = None
        if self.pk:
            old_path = (
                Organisation.objects.filter(pk=self.pk).values_list("path", flat=True).first()
            )
        self.path = (self.parent.path if self.parent else "") + f"{self.code}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Moving a unit moves its whole subtree.
            for child in Organisation.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                child.save()

    def clean(self) -> None:
        if self.kind == self.Kind.COURT and not self.court_level:
            raise ValidationError({"court_level": _("Une juridiction doit avoir un niveau.")})
        if self.parent_id and self.pk:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError(
                        {"parent": _("Une organisation ne peut dépendre d'elle-même.")}
                    )
                ancestor = ancestor.parent

    def subtree(self):
        return Organisation.objects.filter(path__startswith=self.path)

    def ancestors(self) -> list["Organisation"]:
        codes = self.path.strip("/").split("/")[:-1]
        by_code = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


class Role(models.Model):
    PLATFORM_ADMIN = "platform_admin"
    MAIL_CLERK = "mail_clerk"
    COMPLAINTS_HANDLER = "complaints_handler"
    HEAD_OF_SERVICE = "head_of_service"
    COURT_CLERK = "court_clerk"
    JUDGE = "judge"
    ADMINISTRATION = "administration"
    TRANSPORT_AGENT = "transport_agent"
    GAZETTE_EDITOR = "gazette_editor"
    # The EIG programme (guichet.talents).
    CHALLENGE_OWNER = "challenge_owner"
    PROGRAMME_MANAGER = "programme_manager"
    JURY_MEMBER = "jury_member"

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    requires_2fa = models.BooleanField(_("double authentification exigée"), default=False)
    reads_criminal_records = models.BooleanField(_("lit le casier judiciaire"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("rôle")
        verbose_name_plural = _("rôles")
        constraints = [
            # Reading criminal records always needs two-factor sign-in.
            models.CheckConstraint(
                condition=models.Q(reads_criminal_records=False) | models.Q(requires_2fa=True),
                name="role_criminal_records_requires_2fa",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.reads_criminal_records:
            self.requires_2fa = True
        super().save(*args, **kwargs)


class GuichetUserManager(UserManager):
    def citizens(self):
        return self.filter(kind=User.Kind.CITIZEN)

    def agents(self):
        return self.filter(kind=User.Kind.AGENT)


class User(AbstractUser):
    class Kind(models.TextChoices):
        AGENT = "agent", _("Agent")
        CITIZEN = "citizen", _("Citoyen")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.AGENT)
    phone_number = models.CharField(
        _("téléphone"), max_length=20, unique=True, null=True, blank=True
    )
    preferred_language = models.CharField(_("langue"), max_length=5, default="fr")
    organisations = models.ManyToManyField(
        Organisation, through="Membership", through_fields=("user", "organisation"), blank=True
    )

    objects = GuichetUserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    @property
    def is_citizen(self) -> bool:
        return self.kind == self.Kind.CITIZEN

    @property
    def is_agent(self) -> bool:
        return self.kind == self.Kind.AGENT

    def __str__(self) -> str:
        full = self.get_full_name()
        return full or self.username


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="memberships")
    since = models.DateField(_("depuis"), default=timezone.localdate)

    class Meta:
        verbose_name = _("affectation")
        verbose_name_plural = _("affectations")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role_in_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} — {self.organisation}"


class SignInCode(models.Model):
    """A one-time code sent by SMS to a phone number. Only its hash is kept."""

    phone_number = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    requested_from = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("code de connexion")
        verbose_name_plural = _("codes de connexion")

    def __str__(self) -> str:
        return f"{self.phone_number} ({self.created_at:%Y-%m-%d %H:%M})"


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """Single-use recovery codes, a second factor for when the authenticator is lost.

    Only a salted SHA-256 of each code is kept (the codes have 50 random bits, and guesses are
    throttled like any device's), and a code is spent by its first successful use.
    """

    salt = models.CharField(max_length=32, default=_new_salt, editable=False)

    class Meta:
        verbose_name = _("codes de secours")
        verbose_name_plural = _("codes de secours")

    def get_throttle_factor(self) -> int:
        return 1

    def hash_code(self, code: str) -> str:
        normalised = "".join(ch for ch in code.lower() if ch.isalnum())
        return hashlib.sha256(f"{self.salt}:{normalised}".encode()).hexdigest()

    def remaining(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()

    def verify_token(self, token) -> bool:
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        digest = self.hash_code(str(token or ""))
        spent = self.codes.filter(code_hash=digest, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if spent:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment()
        return False


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("code de secours")
        verbose_name_plural = _("codes de secours")
        constraints = [
            models.UniqueConstraint(fields=["device", "code_hash"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.device.user} #{self.pk}"


class ErasureRequest(models.Model):
    """A citizen's request for erasure (law n° 2022-59, right to erasure), kept for the agents:
    what was erased at once and what is kept, with the legal reason of each."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("compte"),
    )
    phone_number = models.CharField(_("numéro"), max_length=20)
    requested_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    erased = models.JSONField(_("effacé"), default=list)
    kept = models.JSONField(_("conservé (motif)"), default=list)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("demande d'effacement")
        verbose_name_plural = _("demandes d'effacement")

    def __str__(self) -> str:
        return f"{self.phone_number} ({self.requested_at:%Y-%m-%d %H:%M})"
