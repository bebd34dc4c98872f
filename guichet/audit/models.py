"""The audit trail: an append-only Merkle-tree log in the manner of Certificate Transparency.

`AuditEntry` rows are inserted by `services.record()` inside the write's own transaction, with an
authentication code (HMAC) over their content and no position yet. The sequencer
(`services.sequence_pending()`, run right after each commit and periodically) gives each committed
entry its position (`sequence`, 1-based; its leaf index in the tree is `sequence - 1`) and its leaf
hash, under a lock held only for that step. `AuditCheckpoint` rows are signed tree heads (size, root,
time), also written outside the database. See docs/deploy.md, « Journal d'audit ».
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit trail is append-only.")

    def delete(self):
        raise PermissionError("The audit trail is append-only.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail is append-only.")


class AuditEntry(AppendOnlyModel):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Position in the log, set once by the sequencer (NULL until the entry's transaction commits).
    sequence = models.PositiveBigIntegerField(_("numéro"), unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("date"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("auteur"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("type d'objet"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("identifiant"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("objet"), max_length=300, blank=True)
    reason = models.TextField(_("motif"), blank=True)
    sensitive_read = models.BooleanField(_("lecture sensible"), default=False)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    data = models.JSONField(_("détails"), default=dict, blank=True)
    # HMAC-SHA256 of the content under the platform's audit key: an entry written around the
    # application (a forged append or insertion, an edited field re-hashed) does not carry a valid one.
    mac = models.CharField(max_length=64)
    # RFC 9162 leaf hash (hex) of the sequenced entry; empty until sequenced.
    leaf_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["id"]
        verbose_name = _("entrée d'audit")
        verbose_name_plural = _("journal d'audit")
        indexes = [
            models.Index(fields=["object_type", "object_id", "created_at"]),
            # The sequencer's queue: committed entries still without a position.
            models.Index(
                fields=["id"], condition=models.Q(sequence__isnull=True), name="audit_entry_pending"
            ),
        ]

    def __str__(self) -> str:
        position = f"#{self.sequence}" if self.sequence is not None else _("(en attente)")
        return f"{position} {self.action} {self.object_repr}"


class AuditCheckpoint(AppendOnlyModel):
    """A signed tree head: the log had `tree_size` entries whose Merkle Tree Hash was `root_hash`."""

    tree_size = models.PositiveBigIntegerField(_("taille"))
    root_hash = models.CharField(_("racine"), max_length=64)
    published_at = models.DateTimeField(_("publié le"), db_index=True)
    key_id = models.CharField(max_length=8)
    # The checkpoint exactly as signed and written outside the database (see checkpoints.py).
    text = models.TextField()
    # The right edge of the tree at this size (hex), so the next checkpoint costs O(new entries).
    frontier = models.JSONField(default=list)

    class Meta:
        ordering = ["id"]
        get_latest_by = "id"
        verbose_name = _("point de contrôle d'audit")
        verbose_name_plural = _("points de contrôle d'audit")

    def __str__(self) -> str:
        return f"{self.tree_size} @ {self.published_at:%Y-%m-%d %H:%M:%S}"
