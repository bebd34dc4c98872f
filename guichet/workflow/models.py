"""The case life cycle shared by correspondence (mail) and complaints.

A domain object (a registered mail, a complaint) owns one `Case` through a OneToOneField named
`case`; the status, the routing and the deadlines live here, and every change of them goes through
`guichet.workflow.services`, which writes a `CaseEvent` and the audit entry in one transaction.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Organisation


class Case(models.Model):
    class Kind(models.TextChoices):
        MAIL = "mail", _("Courrier")
        COMPLAINT = "complaint", _("Plainte")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Reçu")
        ASSIGNED = "assigned", _("Imputé")
        IN_PROGRESS = "in_progress", _("En cours de traitement")
        ANSWERED = "answered", _("Répondu")
        CLOSED = "closed", _("Clos")
        REJECTED = "rejected", _("Rejeté")

    # Statuses in which someone still has work to do (deadlines run, dashboards count "to do").
    OPEN_STATUSES = (Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS)

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, db_index=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("unité en charge"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("agent en charge"),
    )
    opened_at = models.DateTimeField(_("ouvert le"), default=timezone.now, db_index=True)
    due_at = models.DateTimeField(_("échéance"), null=True, blank=True, db_index=True)
    # How a due date counted in working days was counted (calendar.working_day_deadline), so that
    # it is counted again when the Government announces a feast's date (services.recount_deadlines),
    # and the estimated feasts it depends on: [[ISO date, name], …] — shown as a notice beside it.
    due_counted_from = models.DateField(_("échéance comptée à partir du"), null=True, blank=True)
    due_working_days = models.PositiveSmallIntegerField(
        _("délai en jours ouvrés"), null=True, blank=True
    )
    due_estimated = models.JSONField(_("fêtes estimées dans le délai"), default=list, blank=True)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    closing_reason = models.TextField(_("motif de clôture"), blank=True)
    escalated_at = models.DateTimeField(_("signalé au chef le"), null=True, blank=True)
    confidential = models.BooleanField(_("confidentiel"), default=False)
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [models.Index(fields=["kind", "status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    # Django's get_FOO_display builds a dict of every choice on each call; a filing calls these
    # three times (its audit entries, its notice). The same labels, translated when called.
    def get_kind_display(self) -> str:
        return str(_KIND_LABELS.get(self.kind, self.kind))

    def get_status_display(self) -> str:
        return str(_STATUS_LABELS.get(self.status, self.status))

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def deadline_notice(self) -> str:
        """« Date estimée : … » when the due date was counted across a feast not yet announced."""
        from guichet.workflow.calendar import estimate_notice

        if not self.due_at:
            return ""
        return estimate_notice(name for _day, name in self.due_estimated)

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_open and self.due_at is not None and self.due_at < now


_KIND_LABELS = dict(Case.Kind.choices)
_STATUS_LABELS = dict(Case.Status.choices)


class CaseEvent(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", _("Enregistrement")
        ASSIGNED = "assigned", _("Imputation")
        COPIED = "copied", _("Copie pour information")
        STATUS_CHANGED = "status_changed", _("Changement de statut")
        INTERNAL_NOTE = "internal_note", _("Note interne")
        PUBLIC_REPLY = "public_reply", _("Réponse")
        REQUESTER_REPLY = "requester_reply", _("Message du demandeur")
        ESCALATED = "escalated", _("Signalement au chef de service")
        REMINDER = "reminder", _("Rappel d'échéance")
        REOPENED = "reopened", _("Réouverture")
        CLOSED = "closed", _("Clôture")
        REJECTED = "rejected", _("Rejet")
        RATED = "rated", _("Appréciation")
        CONFIRMED = "confirmed", _("Confirmation du demandeur")
        OTHER = "other", _("Autre")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    from_status = models.CharField(max_length=20, choices=Case.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Case.Status.choices, blank=True)
    text = models.TextField(_("texte"), blank=True)
    # Internal notes are kept apart from the history shown to the requester.
    is_internal = models.BooleanField(_("interne"), default=False)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.at:%Y-%m-%d %H:%M}"


class CaseAssignment(models.Model):
    """An "imputation": the case sent to a unit (and perhaps an agent), or a copy for information."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("unité")
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_assignments",
        verbose_name=_("agent"),
    )
    instructions = models.TextField(_("instructions"), blank=True)
    for_information = models.BooleanField(_("pour information (copie)"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    active = models.BooleanField(_("en cours"), default=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("imputation")
        verbose_name_plural = _("imputations")

    def __str__(self) -> str:
        target = self.to_user or self.to_organisation
        return f"{self.case_id} → {target}"


class PublicHoliday(models.Model):
    """A day off that is not fixed in the Gregorian calendar (Islamic feasts, exceptional days
    declared by the Government), entered by an administrator each year. Fixed holidays are
    computed in `workflow.calendar`, so nobody has to enter them."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("nom"), max_length=120)
    to_confirm = models.BooleanField(
        _("à confirmer"),
        default=False,
        help_text=_("Date prévue, à confirmer par le communiqué officiel (observation lunaire)."),
    )
    moon_dependent = models.BooleanField(
        _("fête religieuse (date lunaire)"),
        default=True,
        help_text=_(
            "Fête dont la date dépend de la lune (Korité, Tabaski…) : les dates saisies pour une "
            "année remplacent les estimations de cette année. Décochez pour un jour exceptionnel."
        ),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("jour férié")
        verbose_name_plural = _("jours fériés")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"
