"""Retention periods of personal data, one registry for the whole platform (law n° 2022-59 on
personal data, Niger: personal data is kept no longer than the purpose it was collected for needs).

Each app registers, from its `AppConfig.ready()`, the kinds of records it holds (`register`): a
code, what is erased, the setting that holds the period (`GUICHET_<SETTING>` in the environment,
read by guichet/settings/retention.py), the legal or administrative reason, and a `purge(cutoff, dry_run)`
function that erases or anonymises the records whose period ended before `cutoff` and returns how
many it erased (or, with `dry_run`, would erase). The registry lives in accounts, below every
service app, so that no service app imports another (the layers contract of pyproject.toml); the
platform's own kinds (sign-in codes, SMS) are registered here, as accounts may import
notifications.

`apply_retention()` (the daily job: `manage.py apply_retention`, Celery beat `data-retention`, which
guichet/periodic.py runs in-process in the embedded mode) runs every kind in its own transaction with one audit
entry holding the counts. A purge deletes stored files only after its transaction commits
(`delete_file_after_commit`). Running it twice erases nothing more: each purge selects only what is
not erased yet. docs/privacy.md holds the table of the periods (a test keeps it in step).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionKind:
    code: str  # "complaints.personal_data"
    label: str  # what is erased (lazy French text)
    setting: str  # the settings name holding the period in days
    reason: str  # the legal or administrative reason (lazy French text)
    purge: Callable  # purge(cutoff: datetime, dry_run: bool) -> int
    audit_action: str  # the registered audit action of the per-kind entry

    @property
    def days(self) -> int:
        return int(getattr(settings, self.setting))

    @property
    def environment_variable(self) -> str:
        return f"GUICHET_{self.setting}"


_kinds: dict[str, RetentionKind] = {}


def register(kind: RetentionKind) -> RetentionKind:
    """Add a kind (idempotent for the same code); its setting must exist."""
    if not hasattr(settings, kind.setting):
        raise ValueError(f"Retention kind {kind.code}: settings.{kind.setting} is not defined.")
    _kinds[kind.code] = kind
    return kind


def kinds() -> list[RetentionKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.code)


def delete_file_after_commit(field_file) -> None:
    """Delete a stored file once the surrounding transaction has committed: a rolled back purge
    keeps the file its row still names."""
    name, storage = field_file.name, field_file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)


def apply_retention(*, now=None, dry_run: bool = False, only=None) -> dict[str, int]:
    """Erase or anonymise what expired, kind by kind (one transaction and one audit entry each);
    returns {kind code: count}. With `dry_run`, counts only: nothing is written, nothing audited."""
    from guichet.audit.services import record

    now = now or timezone.now()
    counts = {}
    for kind in kinds():
        if only and kind.code not in only:
            continue
        cutoff = now - timedelta(days=kind.days)
        if dry_run:
            counts[kind.code] = kind.purge(cutoff, True)
            continue
        with transaction.atomic():
            count = kind.purge(cutoff, False)
            if count:
                record(
                    kind.audit_action,
                    data={
                        "kind": kind.code,
                        "erased": count,
                        "retention_days": kind.days,
                        "cutoff": cutoff.isoformat(),
                    },
                )
        counts[kind.code] = count
    return counts
