"""The EIG programme (« Entrepreneurs d'intérêt général ») run by ANSI.

Administrations propose challenges; accepted ones form a promotion with its calendar; digital
talents apply to up to `Promotion.max_choices` challenges, ranked; a jury scores each choice on a
weighted grid; ANSI shortlists, interviews and decides; selected candidates become the promotion's
members and report their progress.

The unit of selection is the `Choice` (one candidate for one challenge): reviewers are assigned to
it, it is ranked among the choices of its challenge, and it receives the decision.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Organisation, Region
from guichet.data_translations import TranslatedFields


class Profile(TranslatedFields):
    """A kind of talent the programme recruits (reference data loaded by migration)."""

    TRANSLATED_FIELDS = ("name",)

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=80)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("profil")
        verbose_name_plural = _("profils")

    def __str__(self) -> str:
        return self.translated("name")


class Promotion(models.Model):
    """One year's call: its calendar, its rules, its jury grid."""

    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    description = models.TextField(_("présentation"), blank=True)
    call_opens_at = models.DateTimeField(_("ouverture de l'appel"))
    call_closes_at = models.DateTimeField(_("clôture de l'appel"))
    interviews_from = models.DateField(_("début des entretiens"))
    interviews_until = models.DateField(_("fin des entretiens"))
    starts_on = models.DateField(_("début du programme"))
    ends_on = models.DateField(_("fin du programme"))
    max_choices = models.PositiveSmallIntegerField(
        _("nombre de défis par candidature"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    motivation_max_chars = models.PositiveIntegerField(
        _("longueur maximale d'une motivation"),
        default=1500,
        validators=[MinValueValidator(200), MaxValueValidator(5000)],
    )
    anonymised_first_round = models.BooleanField(
        _("premier tour anonyme"),
        default=True,
        help_text=_("Les évaluateurs du premier tour ne voient ni le nom, ni le sexe, ni l'âge."),
    )
    reviewers_per_choice = models.PositiveSmallIntegerField(
        _("évaluateurs par candidature"), default=2, validators=[MinValueValidator(2)]
    )

    class Meta:
        ordering = ["-call_opens_at"]
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        constraints = [
            models.CheckConstraint(
                condition=Q(call_closes_at__gt=models.F("call_opens_at")),
                name="promotion_call_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="promotion_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.call_opens_at and self.call_closes_at and self.call_closes_at <= self.call_opens_at:
            raise ValidationError(
                {"call_closes_at": _("La clôture doit suivre l'ouverture de l'appel.")}
            )
        if (
            self.interviews_from
            and self.interviews_until
            and (self.interviews_until < self.interviews_from)
        ):
            raise ValidationError(
                {"interviews_until": _("La fin des entretiens précède leur début.")}
            )
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("La fin du programme doit suivre son début.")})

    def call_is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.call_opens_at <= at < self.call_closes_at

    def call_has_closed(self, at=None) -> bool:
        return (at or timezone.now()) >= self.call_closes_at


class Challenge(models.Model):
    """A digital challenge an administration faces, in its own words."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Soumis à l'ANSI")
        CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
        ACCEPTED = "accepted", _("Retenu")
        DECLINED = "declined", _("Non retenu")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="eig_challenges"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="eig_challenges"
    )
    promotion = models.ForeignKey(
        Promotion, on_delete=models.PROTECT, null=True, blank=True, related_name="challenges"
    )
    title = models.CharField(_("titre"), max_length=160)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    problem = models.TextField(_("le problème, dans les mots de l'administration"))
    who_suffers = models.TextField(_("qui en souffre"))
    data_and_systems = models.TextField(_("données et systèmes disponibles"))
    expected_impact = models.TextField(_("impact attendu"))
    profiles = models.ManyToManyField(Profile, related_name="challenges", verbose_name=_("profils"))
    mentor_name = models.CharField(_("mentor dans l'administration"), max_length=120)
    mentor_title = models.CharField(_("fonction du mentor"), max_length=160)
    location = models.CharField(_("lieu"), max_length=160)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    review_note = models.TextField(_("avis de l'ANSI"), blank=True)
    results = models.TextField(_("résultats"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "title"]
        verbose_name = _("défi")
        verbose_name_plural = _("défis")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(promotion__isnull=False),
                name="challenge_accepted_has_promotion",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def editable_by_owner(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.CHANGES_REQUESTED}


class Candidate(models.Model):
    """A digital talent's profile, tied to their phone sign-in."""

    class Sex(models.TextChoices):
        FEMALE = "F", _("Femme")
        MALE = "M", _("Homme")
        UNSTATED = "", _("Ne souhaite pas le dire")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="eig_candidate"
    )
    full_name = models.CharField(_("nom et prénoms"), max_length=160)
    email = models.EmailField(_("courriel"))
    email_verified_at = models.DateTimeField(_("courriel vérifié le"), null=True, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("région")
    )
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("année de naissance"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1940), MaxValueValidator(2015)],
    )
    profiles = models.ManyToManyField(Profile, related_name="candidates", verbose_name=_("profils"))
    skills = models.TextField(_("compétences"))
    links = models.TextField(
        _("liens vers du code ou un portfolio"),
        blank=True,
        help_text=_("Une adresse par ligne, trois au plus."),
    )
    cv = models.FileField(_("CV (PDF)"), upload_to="talents/cv/%Y/", blank=True)
    diploma = models.FileField(
        _("diplôme (PDF, facultatif)"), upload_to="talents/diplomas/%Y/", blank=True
    )
    availability = models.CharField(_("disponibilité"), max_length=160)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    erased_at = models.DateTimeField(_("données effacées le"), null=True, blank=True)

    class Meta:
        verbose_name = _("candidat·e")
        verbose_name_plural = _("candidat·es")

    def __str__(self) -> str:
        return self.full_name

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class Application(models.Model):
    """A candidate's file for one promotion: up to `max_choices` ranked challenges."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Envoyée")
        WITHDRAWN = "withdrawn", _("Retirée")
        CLOSED = "closed", _("Décision rendue")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    promotion = models.ForeignKey(Promotion, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "promotion"], name="one_application_per_promotion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} — {self.promotion}"


class Choice(models.Model):
    """One challenge of an application, with its rank and motivation: what the jury scores."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("En cours d'examen")
        SHORTLISTED = "shortlisted", _("Présélectionnée — entretien")
        SELECTED = "selected", _("Retenue")
        WAITING_LIST = "waiting_list", _("Liste d'attente")
        NOT_SELECTED = "not_selected", _("Non retenue")

    DECIDED = {Outcome.SELECTED, Outcome.WAITING_LIST, Outcome.NOT_SELECTED}

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="choices")
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="choices")
    rank = models.PositiveSmallIntegerField(_("rang"), validators=[MinValueValidator(1)])
    motivation = models.TextField(_("motivation"))
    outcome = models.CharField(
        _("résultat"), max_length=14, choices=Outcome.choices, default=Outcome.PENDING
    )
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    decision_message = models.TextField(_("message de décision"), blank=True)

    class Meta:
        ordering = ["application", "rank"]
        verbose_name = _("choix de défi")
        verbose_name_plural = _("choix de défis")
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="choice_unique_rank"),
            models.UniqueConstraint(
                fields=["application", "challenge"], name="choice_unique_challenge"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.candidate} → {self.challenge} (n° {self.rank})"


class Criterion(models.Model):
    """One line of a promotion's scoring grid."""

    class Round(models.TextChoices):
        REVIEW = "review", _("Examen du dossier")
        INTERVIEW = "interview", _("Entretien")

    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="criteria")
    round = models.CharField(_("tour"), max_length=10, choices=Round.choices)
    label = models.CharField(_("critère"), max_length=160)
    weight = models.DecimalField(
        _("poids"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("10"))],
    )
    max_score = models.PositiveSmallIntegerField(
        _("note maximale"), default=5, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["round", "order", "pk"]
        verbose_name = _("critère")
        verbose_name_plural = _("critères")

    def __str__(self) -> str:
        return self.label


class ReviewAssignment(models.Model):
    """A jury member asked to score one choice in one round."""

    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="eig_assignments"
    )
    round = models.CharField(_("tour"), max_length=10, choices=Criterion.Round.choices)
    conflict_declared_at = models.DateTimeField(_("conflit déclaré le"), null=True, blank=True)
    conflict_reason = models.TextField(_("nature du conflit d'intérêts"), blank=True)
    submitted_at = models.DateTimeField(_("notes envoyées le"), null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["choice", "round", "pk"]
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["choice", "reviewer", "round"], name="one_assignment_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} — {self.choice}"

    @property
    def active(self) -> bool:
        return self.conflict_declared_at is None


class Score(models.Model):
    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(_("note"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class InterviewSlot(models.Model):
    """A time a shortlisted candidate can pick for their interview."""

    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="slots")
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("début"))
    minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), default=30, validators=[MinValueValidator(10), MaxValueValidator(240)]
    )
    place = models.CharField(_("lieu ou lien"), max_length=200)
    choice = models.OneToOneField(
        Choice, on_delete=models.SET_NULL, null=True, blank=True, related_name="slot"
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("créneau d'entretien")
        verbose_name_plural = _("créneaux d'entretien")

    def __str__(self) -> str:
        return f"{self.challenge} — {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"


class Member(models.Model):
    """A selected candidate in the promotion, working on their challenge."""

    promotion = models.ForeignKey(Promotion, on_delete=models.PROTECT, related_name="members")
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="members")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="memberships")
    choice = models.OneToOneField(Choice, on_delete=models.PROTECT, related_name="member")
    public_name = models.CharField(_("nom affiché"), max_length=160)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["challenge", "public_name"]
        verbose_name = _("membre de la promotion")
        verbose_name_plural = _("membres de la promotion")
        constraints = [
            models.UniqueConstraint(
                fields=["promotion", "candidate"], name="one_team_per_candidate"
            )
        ]

    def __str__(self) -> str:
        return self.public_name


class ProgressNote(models.Model):
    """What a team reports: a short note, public or internal, or the final report."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="notes")
    body = models.TextField(_("texte"))
    public = models.BooleanField(_("public"), default=True)
    final_report = models.BooleanField(_("rapport final"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("note d'avancement")
        verbose_name_plural = _("notes d'avancement")

    def __str__(self) -> str:
        return self.body[:60]
