"""The Official Journal: texts (works) and their versions in time, issues, links between texts.

The document model follows FRBR as Akoma Ntoso does (and Laws.Africa's Indigo): a `Work` is the text
as an abstract thing ("Loi n° 2017-28"), an `Expression` is its content as in force from one date in
French, a manifestation is a file (the issue's PDF, the AKN XML we render). Identifiers are data,
built and parsed in `identifiers.py` only.

Published things never change (the Journal is the legal record): `save()` and `delete()` refuse to
alter a published issue, a published text or its content, whoever calls them; corrections are new
texts (rectificatifs) linked to what they correct.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _

from guichet.dates import date_in_words
from guichet.gazette import numbering
from guichet.gazette.content import KINDS


class FrozenError(ValidationError):
    """Raised when something published would change."""


class Authority(models.Model):
    """An issuing authority's code, as it appears in numbers ("/PRN/MJ"), for a period.

    Codes change with regimes and governments (PCM in 1960, PCMS under the Supreme Military
    Council, PCSRD in 2010, PCNSP since 2023; ministries merge and split), so each code is dated.
    """

    class Kind(models.TextChoices):
        HEAD_OF_STATE = "head_of_state", _("Chef de l'État")
        GOVERNMENT = "government", _("Gouvernement")
        MINISTRY = "ministry", _("Ministère")
        COUNCIL = "council", _("Organe de transition")
        OTHER = "other", _("Autre")

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    valid_from = models.DateField(_("en usage depuis"))
    valid_to = models.DateField(_("en usage jusqu'au"), null=True, blank=True)

    class Meta:
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="gazette_authority_period")
        ]
        verbose_name = _("autorité")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Work(models.Model):
    """A text of the Journal: a law, an ordinance, a decree, an order… (FRBR work)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        REVIEWED = "reviewed", _("Relu")
        SIGNED = "signed", _("Signé")
        SCHEDULED = "scheduled", _("Programmé dans un numéro")
        PUBLISHED = "published", _("Publié")

    DOCTYPE_CHOICES = list(numbering.DOCTYPE_LABELS.items())

    frbr_uri = models.CharField(_("identifiant"), max_length=200, unique=True)
    doctype = models.CharField(_("type"), max_length=30, choices=DOCTYPE_CHOICES)
    number = models.CharField(_("numéro"), max_length=60, help_text=_("Tel qu'imprimé"))
    number_normalized = models.CharField(_("numéro normalisé"), max_length=60, db_index=True)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("numéro d'ordre"))
    authority_codes = models.CharField(_("autorités"), max_length=60, blank=True)
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("autorité")
    )
    signed_on = models.DateField(_("date de signature"))
    title = models.TextField(_("intitulé"))
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_on = models.DateField(_("date de publication"), null=True, blank=True)

    class Meta:
        ordering = ["-signed_on", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["doctype", "number_normalized"], name="gazette_work_number_unique"
            )
        ]
        verbose_name = _("texte")

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        if self.pk:
            stored = Work.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.PUBLISHED:
                raise FrozenError(
                    _(
                        "Ce texte est publié : il ne peut plus être modifié. Publiez un rectificatif."
                    )
                )
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return (
            f"{self.get_doctype_display()} n° {self.number} du "
            f"{numbering.format_date(self.signed_on)}"
        )

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Expression(models.Model):
    """The text as in force from `date`, in French (FRBR expression: `…/fra@2019-06-01`).

    The original expression is dated the day of signature; each amendment entered article by article
    makes a new expression dated the day it takes effect.
    """

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="expressions")
    date = models.DateField(_("date de la version"))
    language = models.CharField(max_length=3, default="fra")
    is_original = models.BooleanField(default=True)
    amended_by = models.ForeignKey(
        Work, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    frozen = models.BooleanField(default=False)

    class Meta:
        ordering = ["work", "date"]
        constraints = [
            models.UniqueConstraint(fields=["work", "date"], name="gazette_expression_date")
        ]

    def __str__(self) -> str:
        return f"{self.work.frbr_uri}/{self.language}@{self.date.isoformat()}"

    def save(self, *args, **kwargs):
        if self.pk and Expression.objects.filter(pk=self.pk, frozen=True).exists():
            raise FrozenError(_("Cette version est publiée : elle ne peut plus être modifiée."))
        super().save(*args, **kwargs)

    @property
    def frbr_uri(self) -> str:
        return str(self)


class Part(models.Model):
    """One structural unit of an expression, in reading order, at its depth in the AKN hierarchy
    (book, title, chapter, section, subsection… article, paragraph, point: see `content.HIERARCHY`)."""

    KIND_CHOICES = list(KINDS.items())

    expression = models.ForeignKey(Expression, on_delete=models.CASCADE, related_name="parts")
    order = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    depth = models.PositiveSmallIntegerField(_("profondeur"), default=0)  # 0: top level
    # "chp_1", "book_1__title_2", "art_5", "art_5__para_2"
    eid = models.CharField(_("identifiant AKN"), max_length=250, db_index=True)
    num = models.CharField(max_length=60, blank=True)
    heading = models.TextField(blank=True)
    text = models.TextField(blank=True)
    repealed = models.BooleanField(default=False)

    class Meta:
        ordering = ["expression", "order"]
        constraints = [
            models.UniqueConstraint(fields=["expression", "eid"], name="gazette_part_eid")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.num}".strip()

    def save(self, *args, **kwargs):
        if Expression.objects.filter(pk=self.expression_id, frozen=True).exists():
            raise FrozenError(_("Cette version est publiée : son contenu ne peut plus changer."))
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        label = str(self)
        return f"{label} — {self.heading}" if self.heading else label


class Relation(models.Model):
    """`subject` modifies / repeals / applies / rectifies / cites `target` (optionally one part)."""

    class Kind(models.TextChoices):
        MODIFIES = "modifies", _("modifie")
        REPEALS = "repeals", _("abroge")
        APPLIES = "applies", _("applique")
        RECTIFIES = "rectifies", _("rectifie")
        CITES = "cites", _("cite")

    subject = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="relations_out")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    target = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="relations_in")
    target_eid = models.CharField(max_length=80, blank=True)
    effective_on = models.DateField(_("prend effet le"), null=True, blank=True)
    detected = models.BooleanField(default=False, help_text=_("Proposé par la détection"))
    confirmed = models.BooleanField(default=True)

    class Meta:
        ordering = ["subject", "kind", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "kind", "target", "target_eid"], name="gazette_relation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.get_kind_display()} {self.target}"

    def save(self, *args, **kwargs):
        if Work.objects.filter(pk=self.subject_id, status=Work.Status.PUBLISHED).exists():
            raise FrozenError(_("Ce texte est publié : ses liens ne peuvent plus changer."))
        super().save(*args, **kwargs)


class Amendment(models.Model):
    """One change that an amending text makes to one article of another text."""

    class Action(models.TextChoices):
        REPLACE = "replace", _("remplace")
        INSERT = "insert", _("insère")
        REPEAL = "repeal", _("abroge")

    amending = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="amendments_made")
    target = models.ForeignKey(Work, on_delete=models.PROTECT, related_name="amendments_received")
    action = models.CharField(max_length=10, choices=Action.choices)
    target_eid = models.CharField(_("article visé"), max_length=80)  # "art_5"
    after_eid = models.CharField(max_length=80, blank=True)  # where an inserted article goes
    num = models.CharField(max_length=30, blank=True)
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    effective_on = models.DateField(_("prend effet le"), null=True, blank=True)
    applied = models.BooleanField(default=False)

    class Meta:
        ordering = ["amending", "id"]

    def __str__(self) -> str:
        return f"{self.amending} {self.get_action_display()} {self.target_eid} de {self.target}"

    def save(self, *args, **kwargs):
        if Work.objects.filter(pk=self.amending_id, status=Work.Status.PUBLISHED).exists():
            only_applied = kwargs.get("update_fields") == ["applied"]
            if not only_applied:
                raise FrozenError(_("Ce texte est publié : ses modifications sont figées."))
        super().save(*args, **kwargs)


class Issue(models.Model):
    """A number of the Journal officiel, ordinary or special, with the texts it carries."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("En préparation")
        PUBLISHED = "published", _("Publié")

    year = models.PositiveSmallIntegerField(_("année"))
    number = models.PositiveIntegerField(_("numéro"))
    special = models.BooleanField(_("numéro spécial"), default=False)
    date = models.DateField(_("date de parution"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    first_page = models.PositiveIntegerField(
        _("première page"), default=1, help_text=_("Les pages se suivent sur l'année")
    )
    pdf = models.FileField(upload_to="gazette/issues/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    signed = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number", "special"], name="gazette_issue_number"
            )
        ]
        verbose_name = _("numéro du Journal officiel")

    def __str__(self) -> str:
        # Month names in the reader's language (CLDR); the PDF keeps the French (gazette.pdf).
        values = {"number": self.number, "date": date_in_words(self.date)}
        if self.special:
            return _("Numéro spécial %(number)s du %(date)s") % values
        return _("Numéro %(number)s du %(date)s") % values

    def save(self, *args, **kwargs):
        if self.pk and Issue.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists():
            raise FrozenError(_("Ce numéro est publié : il ne peut plus être modifié."))
        super().save(*args, **kwargs)

    @property
    def slug(self) -> str:
        return f"{self.year}-{'ns' if self.special else 'n'}{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class IssueEntry(models.Model):
    """A text carried by an issue, at its pages."""

    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="entries")
    work = models.OneToOneField(Work, on_delete=models.PROTECT, related_name="issue_entry")
    order = models.PositiveIntegerField(default=0)
    page_start = models.PositiveIntegerField(null=True, blank=True)
    page_end = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["issue", "order"]

    def __str__(self) -> str:
        return f"{self.work} — p. {self.page_start or '?'}"


class SearchEntry(models.Model):
    """What search reads: one row per published text, with pre-analysed (stemmed, unaccented) text.

    Not frozen: a text's status (in force, repealed) changes when a later text is published. The
    full-text index itself is database-specific (FTS5 table on SQLite, a narrow table with a tsvector
    and a GIN index on PostgreSQL), created by migration 0002 and fed by triggers from the `stem_*`
    columns.
    """

    work = models.OneToOneField(Work, on_delete=models.CASCADE, primary_key=True)
    doctype = models.CharField(max_length=30, db_index=True)
    number_normalized = models.CharField(max_length=60, db_index=True)
    authority_code = models.CharField(max_length=20, blank=True, db_index=True)
    signed_on = models.DateField(db_index=True)
    title = models.TextField()
    body = models.TextField(blank=True)
    stem_title = models.TextField(blank=True)
    stem_body = models.TextField(blank=True)
    # Every word form of title and body, folded (lower case, no accents), once each: indexed
    # beside the stems so that ranking can put the very form typed first, then its family, even
    # among thousands of matches sharing a stem (migration 0006).
    word_forms = models.TextField(blank=True)
    in_force = models.BooleanField(default=True, db_index=True)
    repealed_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.number_normalized


class SearchTerm(models.Model):
    """The index's own vocabulary: each token once, with a word it stands for (« silenc » →
    « silence »), for typo tolerance and « vouliez-vous dire » (the same on both databases)."""

    token = models.CharField(max_length=60, primary_key=True)
    word = models.CharField(max_length=60)

    def __str__(self) -> str:
        return self.token


class SearchWord(models.Model):
    """Every word form of the index, folded (« coherents »), with its index token and one spelling
    as written (« cohérents »): typos are corrected word to word, then searched by token."""

    word = models.CharField(max_length=60, primary_key=True)
    token = models.CharField(max_length=60, db_index=True)
    spelling = models.CharField(max_length=60)
    # In how many indexed texts the form was met (each indexing counts): of two corrections at
    # the same distance, the more common word is the likelier one.
    frequency = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.word


class SearchVocabulary(models.Model):
    """One row: a version of the vocabulary's set of words, changed whenever indexing adds words,
    so that every process knows when the typo index it holds (`spelling.VocabularyIndex`) is out
    of date."""

    ONLY = 1
    version = models.CharField(max_length=32, blank=True)

    def __str__(self) -> str:
        return self.version


class SavedSearch(models.Model):
    """An alert: a search whose new results are sent by email or SMS."""

    query = models.CharField(_("recherche"), max_length=200, blank=True)
    doctype = models.CharField(_("type"), max_length=30, blank=True)
    authority = models.CharField(_("autorité"), max_length=20, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    token = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.query or '*'} → {self.email or self.phone}"


def _refuse_published_delete(instance) -> None:
    if isinstance(instance, Work) and instance.is_published:
        raise FrozenError(_("Un texte publié ne peut pas être supprimé."))
    if isinstance(instance, Issue) and instance.is_published:
        raise FrozenError(_("Un numéro publié ne peut pas être supprimé."))
    if isinstance(instance, Expression) and instance.frozen:
        raise FrozenError(_("Une version publiée ne peut pas être supprimée."))
    if isinstance(instance, Part) and instance.expression.frozen:
        raise FrozenError(_("Une version publiée ne peut pas être supprimée."))


def _guard_published(sender, instance, **kwargs):
    _refuse_published_delete(instance)


# pre_delete fires for queryset deletes as well (a receiver disables the fast-delete path), so a
# `Work.objects.all().delete()` cannot remove the legal record either.
for _model in (Work, Issue, Expression, Part):
    pre_delete.connect(_guard_published, sender=_model, dispatch_uid=f"gazette_frozen_{_model}")
