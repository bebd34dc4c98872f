"""Periodic audit jobs (Celery beat entry `audit-checkpoint` in settings)."""

import datetime as dt

from celery import shared_task
from django.conf import settings

from guichet.audit.services import publish_checkpoint


@shared_task(name="audit.publish_checkpoint")
def publish_checkpoint_task() -> int | None:
    """Sequence pending entries; sign and publish a checkpoint if the log grew since the last one."""
    checkpoint = publish_checkpoint(
        min_age=dt.timedelta(seconds=settings.AUDIT_CHECKPOINT_INTERVAL - 5)
    )
    return checkpoint.tree_size if checkpoint else None
